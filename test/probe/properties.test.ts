/**
 * Properties over arbitrary input (fast-check): the classifier never throws and always names a
 * known class, SSE parsing does not depend on chunking, and redaction leaves no token behind.
 */
import * as fc from 'fast-check';
import { FAILURE_CLASSES } from '../../lambda/probe';
import { classifyHttp, classifyNetworkError, interpretResponse, interpretSseEvent } from '../../lambda/probe/classify';
import { FRONT_DOORS, detectFrontDoor } from '../../lambda/probe/front-door';
import { mayHoldCredential, oneLine, PATTERNS, redact } from '../../lambda/probe/redact';
import { SseParser, type SseEvent } from '../../lambda/probe/sse';

const KNOWN = new Set<string>(FAILURE_CLASSES);

const headerValue = fc.oneof(fc.string(), fc.constantFrom('ThrottlingException', 'awselb/2.0', 'CloudFront', 'envoy'));
const headers = fc.record({
  'content-type': fc.option(fc.constantFrom('application/json', 'text/event-stream', 'text/html', 'text/plain; charset=utf-8', 'application/problem+json', ''), { nil: undefined }),
  'x-amzn-errortype': fc.option(headerValue, { nil: undefined }),
  'www-authenticate': fc.option(fc.string(), { nil: undefined }),
  'location': fc.option(fc.string(), { nil: undefined }),
  'server': fc.option(headerValue, { nil: undefined }),
  'x-amz-apigw-id': fc.option(fc.string(), { nil: undefined }),
}, { requiredKeys: [] });
const jsonRpcish = fc.record({
  jsonrpc: fc.oneof(fc.constant('2.0'), fc.string(), fc.integer()),
  id: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.string(), fc.constant(null)),
  result: fc.oneof(fc.object(), fc.anything()),
  error: fc.oneof(fc.record({ code: fc.integer(), message: fc.string(), data: fc.anything() }), fc.anything()),
  method: fc.string(),
}, { requiredKeys: [] });
const body = fc.oneof(
  fc.string(),
  fc.json(),
  jsonRpcish.map((v) => JSON.stringify(v)),
  fc.array(jsonRpcish).map((v) => JSON.stringify(v)),
  fc.constantFrom('<html>502 Bad Gateway</html>', '{}', '[]', 'null', '{"message":"Endpoint request timed out"}', '{"Message":"Forbidden. For troubleshooting Function URL authorization issues"}'),
);

function knownOutcome(verdict: ReturnType<typeof interpretResponse> | 'skip'): boolean {
  if (verdict === 'skip' || verdict.kind !== 'failure') return true;
  return KNOWN.has(verdict.failure.failureClass) && typeof verdict.failure.message === 'string';
}

describe('classifier properties', () => {
  test('interpretResponse never throws and returns a message, an acknowledgement or a known class', () => {
    const requestId = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });
    fc.assert(fc.property(fc.integer({ min: 100, max: 599 }), headers, body, requestId, (status, h, b, id) => {
      const clean = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined));
      const verdict = interpretResponse({ status, headers: clean, body: b }, id);
      expect(['message', 'accepted', 'failure']).toContain(verdict.kind);
      expect(knownOutcome(verdict)).toBe(true);
      if (status >= 300 && verdict.kind !== 'failure') throw new Error(`HTTP ${status} was not a failure`);
    }), { numRuns: 2_000 });
  });

  test('classifyHttp fails every non-2xx status', () => {
    fc.assert(fc.property(fc.integer({ min: 300, max: 599 }), body, (status, b) => {
      const verdict = classifyHttp({ status, headers: {}, body: b });
      expect(verdict?.kind).toBe('failure');
    }), { numRuns: 1_000 });
  });

  test('interpretSseEvent never throws and returns skip, a message or a known class', () => {
    fc.assert(fc.property(fc.constantFrom('message', 'endpoint', ''), body, fc.integer({ min: 0, max: 3 }), (event, data, id) => {
      expect(knownOutcome(interpretSseEvent({ event, data }, id))).toBe(true);
    }), { numRuns: 1_000 });
  });

  test('classifyNetworkError names a transport class, HTTP_ERROR or RESPONSE_TOO_LARGE for any error code', () => {
    fc.assert(fc.property(fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), (code, message) => {
      const failure = classifyNetworkError({ code, message }, 'host');
      expect(['DNS_ERROR', 'CONNECTION_REFUSED', 'CONNECTION_RESET', 'TLS_ERROR', 'TIMEOUT', 'HTTP_ERROR', 'RESPONSE_TOO_LARGE']).toContain(failure.failureClass);
    }));
  });

  test('detectFrontDoor never throws on arbitrary headers', () => {
    const anyHeaders = fc.dictionary(fc.string().map((s) => s.toLowerCase()), fc.oneof(fc.string(), fc.array(fc.string())));
    fc.assert(fc.property(anyHeaders, fc.string(), (h, host) => {
      expect([null, ...FRONT_DOORS]).toContain(detectFrontDoor(h, host));
    }));
  });
});

// --- SSE: a serialised list of events parses to the same events however it is cut into chunks.
const fieldText = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'é', '€', '😀', ' ', ':', '{', '"'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })) }).map((s) => s.replace(/[\r\n]/g, ''));
const sseEvent = fc.record({
  event: fc.option(fieldText.filter((s) => s !== ''), { nil: undefined }),
  data: fc.array(fieldText, { minLength: 1, maxLength: 3 }),
  comment: fc.boolean(),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
});

function serialise(events: Array<typeof sseEvent extends fc.Arbitrary<infer T> ? T : never>): string {
  return events.map((e) => {
    const lines = [
      ...(e.comment ? [': keepalive'] : []),
      ...(e.event !== undefined ? [`event: ${e.event}`] : []),
      ...e.data.map((d) => `data: ${d}`),
    ];
    return lines.map((l) => l + e.eol).join('') + e.eol;
  }).join('');
}

function parseInChunks(bytes: Buffer, cuts: number[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    events.push(...parser.push(bytes.subarray(start, cut)));
    start = cut;
  }
  events.push(...parser.push(bytes.subarray(start)), ...parser.end());
  return events;
}

describe('SSE parser properties', () => {
  test('parsing is invariant under any chunking of the byte stream', () => {
    fc.assert(fc.property(fc.array(sseEvent, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (events, rawCuts) => {
      const bytes = Buffer.from(serialise(events), 'utf8');
      const whole = parseInChunks(bytes, []);
      const cuts = rawCuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length));
      expect(parseInChunks(bytes, cuts)).toEqual(whole);
      // Every event written with data is read back, with its data joined by newlines.
      expect(whole.map((e) => e.data)).toEqual(events.map((e) => e.data.join('\n')));
    }), { numRuns: 1_000 });
  });
});

describe('redaction properties', () => {
  const secret = fc.stringMatching(/^[A-Za-z0-9_-]{16,48}$/);
  const text = fc.string({ maxLength: 80 });

  test('a known secret never survives, wherever it occurs and however the line is truncated', () => {
    fc.assert(fc.property(text, secret, text, fc.integer({ min: 10, max: 200 }), (before, s, after, max) => {
      const raw = `${before}${s}${after}${s}`;
      expect(redact(raw, [s])).not.toContain(s);
      const line = oneLine(raw, [s], max);
      expect(line).not.toContain(s);
      expect(line.length).toBeLessThanOrEqual(max);
    }), { numRuns: 1_000 });
  });

  test('bearer tokens and AWS access key ids are removed without being told', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9._~+/-]{12,64}$/);
    const keyId = fc.tuple(fc.constantFrom('AKIA', 'ASIA'), fc.stringMatching(/^[A-Z0-9]{16}$/)).map(([p, r]) => p + r);
    fc.assert(fc.property(text, token, keyId, text, (before, t, k, after) => {
      fc.pre(!before.includes(t) && !after.includes(t) && !before.includes(k) && !after.includes(k));
      const clean = redact(`${before} Authorization: Bearer ${t} key=${k} ${after}`);
      expect(clean).not.toContain(t);
      expect(clean).not.toContain(k);
    }), { numRuns: 1_000 });
  });

  test('the redaction pre-check is a superset: no text a pattern matches skips the patterns', () => {
    // Fragments of every pattern's trigger, in any case, between arbitrary text.
    const fragment = fc.constantFrom('Authorization: Basic ', 'bearer%20', 'Basic dXNlcjpwYXNz', 'X-Amz-Credential=', 'signature=', 'eyJhbGciOi.eyJzdWIiOi.sig',
      'arn:aws:iam::', 'AKIA', 'asia', 'secret=', 'PASSWD: ', 'token":"', 'api_key=', 'Access-Key=', 'mcp-session-id: ', 'cookie=', '123456789012',
      'A'.repeat(40), 'ab/+'.repeat(10), '0'.repeat(11));
    const piece = fc.oneof(fc.string({ maxLength: 12 }), fragment, fc.stringMatching(/^[A-Za-z0-9/+=]{1,50}$/));
    fc.assert(fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
      const textIn = pieces.join('');
      const matched = PATTERNS.some(([pattern]) => new RegExp(pattern.source, pattern.flags.replace('g', '')).test(textIn));
      if (matched) expect(mayHoldCredential(textIn)).toBe(true);
    }), { numRuns: 5_000 });
  });
});
