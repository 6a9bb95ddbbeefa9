/**
 * The probe's pure functions, driven directly: SSE parsing, redaction, SigV4 (AWS test-suite
 * vectors), front-door detection, the tools hash, and the classifier's decisions.
 */
import { createHash } from 'node:crypto';
import { classifyHttp, classifyNetworkError, interpretResponse, interpretSseEvent, toolErrorClass } from '../../lambda/probe/classify';
import { detectFrontDoor } from '../../lambda/probe/front-door';
import { oneLine, redact } from '../../lambda/probe/redact';
import { credentialsFromEnv, signRequest } from '../../lambda/probe/sigv4';
import { SseLineTooLongError, SseParser } from '../../lambda/probe/sse';
import { canonicalTool, toolsHash } from '../../lambda/probe/tools-hash';
import { toolsHashMatches } from '../../src/contract/tools-hash-format';

describe('SseParser', () => {
  test('joins data lines, names events, keeps ids and skips comments', () => {
    const parser = new SseParser();
    const events = parser.push(': keepalive\n\nevent: endpoint\ndata: /messages?sessionId=1\n\nid: 7\ndata: a\ndata: b\n\n');
    expect(events).toEqual([
      { event: 'endpoint', data: '/messages?sessionId=1' },
      { event: 'message', data: 'a\nb', id: '7' },
    ]);
    expect(parser.comments).toBe(1);
  });

  test('accepts CRLF and CR line endings and a leading BOM', () => {
    const events = new SseParser().push('\uFEFFdata: x\r\n\r\ndata:y\r\rdata: z\n\n');
    expect(events.map((e) => e.data)).toEqual(['x', 'y', 'z']);
  });

  test('a CRLF split across chunks is one line end', () => {
    const parser = new SseParser();
    expect(parser.push('data: 1\r')).toEqual([]);
    expect(parser.push('\n\r')).toEqual([{ event: 'message', data: '1' }]);
    expect(parser.push('\ndata: 2\n\n')).toEqual([{ event: 'message', data: '2' }]);
  });

  test('a multi-byte character split across chunks is decoded once', () => {
    const bytes = Buffer.from('data: héllo €\n\n', 'utf8');
    const parser = new SseParser();
    const events = [...parser.push(bytes.subarray(0, 8)), ...parser.push(bytes.subarray(8, 14)), ...parser.push(bytes.subarray(14))];
    expect(events).toEqual([{ event: 'message', data: 'héllo €' }]);
  });

  test('an unterminated event at the end of the stream is discarded', () => {
    const parser = new SseParser();
    expect(parser.push('data: partial')).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  test('a line longer than the cap throws SseLineTooLongError', () => {
    const parser = new SseParser({ maxLineLength: 10 });
    expect(() => parser.push('data: 0123456789')).toThrow(SseLineTooLongError);
  });
});

describe('redact', () => {
  test('removes given secrets wherever they occur', () => {
    expect(redact('token abcd1234 and abcd1234!', ['abcd1234'])).toBe('token [REDACTED] and [REDACTED]!');
  });

  test('removes bearer tokens, AWS keys, JWTs and secret keys without being told', () => {
    const text = 'Authorization: Bearer sk-live-XYZ123 key AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const clean = redact(text);
    for (const secret of ['sk-live-XYZ123', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'eyJhbGciOiJIUzI1NiJ9']) {
      expect(clean).not.toContain(secret);
    }
  });

  test('keeps the service of an ARN and hides account ids', () => {
    expect(redact('User: arn:aws:iam::123456789012:user/alice is not authorized; account 210987654321'))
      .toBe('User: arn:aws:iam:[REDACTED] is not authorized; account [ACCOUNT]');
  });

  test('hides session ids given as key/value pairs but not error names', () => {
    expect(redact('mcp-session-id: 4f1c2a9e-aaaa')).toBe('mcp-session-id: [REDACTED]');
    expect(redact('ExpiredToken: The security token included in the request is expired')).toBe('ExpiredToken: The security token included in the request is expired');
  });

  test('oneLine redacts before truncating, so no prefix of a secret survives', () => {
    const secret = 'S3CR3T-TOKEN-VALUE-0123456789';
    const line = oneLine(`error\n${'x'.repeat(30)} ${secret}`, [secret], 45);
    expect(line).not.toContain('S3CR3T');
    expect(line).not.toMatch(/\n/);
    expect(line.length).toBeLessThanOrEqual(45);
  });
});

describe('signRequest (AWS SigV4 test suite)', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const date = new Date(Date.UTC(2015, 7, 30, 12, 36, 0));

  test.each([
    ['get-vanilla', 'GET', 'https://example.amazonaws.com/', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['post-vanilla', 'POST', 'https://example.amazonaws.com/', '', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
    ['get-vanilla-query-order-key-case', 'GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1', '', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
  ])('%s', (_name, method, url, body, signature) => {
    const headers = signRequest({ method, url: new URL(url), headers: {}, body, region: 'us-east-1', service: 'service', credentials, date, signPayloadHeader: false });
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    );
  });

  test('the IAM documentation example with a signed content-type', () => {
    const headers = signRequest({
      method: 'GET',
      url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: '',
      region: 'us-east-1',
      service: 'iam',
      credentials,
      date,
      signPayloadHeader: false,
    });
    expect(headers.authorization).toMatch(/SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7$/);
  });

  test('temporary credentials add a signed x-amz-security-token, and the payload hash is sent', () => {
    const headers = signRequest({
      method: 'POST',
      url: new URL('https://abc.lambda-url.eu-west-1.on.aws/mcp'),
      headers: {},
      body: '{}',
      region: 'eu-west-1',
      service: 'lambda',
      credentials: { ...credentials, sessionToken: 'FQoGZXIvYXdzEXAMPLE' },
      date,
    });
    expect(headers['x-amz-security-token']).toBe('FQoGZXIvYXdzEXAMPLE');
    expect(headers['x-amz-content-sha256']).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(headers.authorization).toMatch(/SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/);
  });

  test('credentialsFromEnv reads the Lambda environment variables', () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B', AWS_SESSION_TOKEN: 'C' })).toEqual({ accessKeyId: 'A', secretAccessKey: 'B', sessionToken: 'C' });
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'A' })).toBeUndefined();
  });
});

describe('detectFrontDoor', () => {
  test.each([
    [{ 'x-amz-apigw-id': 'x', 'x-amzn-requestid': 'r' }, '', 'apigateway'],
    [{ 'apigw-requestid': 'x' }, '', 'apigateway'],
    [{}, 'abc123.execute-api.us-east-1.amazonaws.com', 'apigateway'],
    [{ 'x-amzn-requestid': 'r', 'x-amzn-trace-id': 't' }, '', 'lambda-url'],
    [{}, 'abcdefgh.lambda-url.eu-west-1.on.aws', 'lambda-url'],
    [{ server: 'awselb/2.0' }, '', 'alb'],
    [{ 'set-cookie': 'AWSALB=abc; Path=/' }, '', 'alb'],
    [{ 'x-amz-cf-id': 'x', 'x-amz-apigw-id': 'y' }, '', 'cloudfront'],
    [{ via: '1.1 abc.cloudfront.net (CloudFront)' }, '', 'cloudfront'],
    [{}, 'xyz.us-east-1.awsapprunner.com', 'apprunner'],
    [{ 'server': 'envoy', 'x-envoy-upstream-service-time': '3' }, '', 'apprunner'],
    [{ server: 'nginx' }, 'example.com', null],
  ])('%j on %s is %s', (headers, host, expected) => {
    expect(detectFrontDoor(headers as Record<string, string>, host)).toBe(expected);
  });
});

describe('toolsHash', () => {
  const a = { name: 'a', description: 'A', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } };
  const b = { name: 'b', inputSchema: { properties: {}, type: 'object' } };

  test('does not depend on tool order, key order or _meta', () => {
    const reordered = { inputSchema: { properties: { x: { type: 'string' } }, type: 'object' }, description: 'A', name: 'a', _meta: { t: 1 } };
    expect(toolsHash([a, b])).toBe(toolsHash([b, reordered]));
  });

  test('changes when a schema changes', () => {
    expect(toolsHash([a, b])).not.toBe(toolsHash([a, { ...b, inputSchema: { type: 'object', required: ['y'] } }]));
  });

  // Users pin hashes in pipelines (--expect-hash, McpCanaryProps.expectToolsHash): the value must
  // not change between releases. A reference written the plain way (recursive key sort, the five
  // hashed members, one JSON.stringify, sha256) and the value released before must both agree.
  test('is the released value and the plain reference: sha256 over the sorted canonical members', () => {
    const tools = [
      { name: 'zeta', description: 'Z', inputSchema: { type: 'object', required: ['b', 'a'], properties: { b: { type: 'number' }, a: { type: 'string', enum: ['y', 'x'] } } }, _meta: { ignored: true }, title: 'ignored' },
      { name: 'alpha', inputSchema: { properties: {}, type: 'object' }, outputSchema: { type: 'object', properties: { ok: { type: 'boolean' } } }, annotations: { readOnlyHint: true, destructiveHint: false } },
      { name: 'mid', description: null, inputSchema: { type: 'object' }, icons: [{ src: 'x' }] },
    ];
    const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort)
      : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v);
    const members = ['annotations', 'description', 'inputSchema', 'name', 'outputSchema'];
    const canonical = [...tools].sort((x, y) => (x.name < y.name ? -1 : 1))
      .map((t) => t as Record<string, unknown>)
      .map((t) => sort(Object.fromEntries(members.filter((m) => t[m] !== undefined).map((m) => [m, t[m]]))));
    const reference = createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
    expect(toolsHash(tools)).toBe(`sha256:${reference.slice(0, 16)}`);
    expect(toolsHash(tools)).toBe('sha256:600262e14a47e535');
  });

  test('the canonical form sorts keys recursively, keeps array order and only the hashed members', () => {
    const tool = { name: 'n', title: 'dropped', inputSchema: { b: [{ d: 1, c: 2 }], a: null }, description: 'd' };
    expect(canonicalTool(tool).json).toBe('{"description":"d","inputSchema":{"a":null,"b":[{"c":2,"d":1}]},"name":"n"}');
  });

  test('an expected hash matches by prefix of the full digest, with or without sha256:, in any case', () => {
    const digest = `abcdef0123456789${'0'.repeat(48)}`;
    expect(toolsHashMatches('ABCDEF0123456789', digest)).toBe(true);
    expect(toolsHashMatches(`sha256:${digest}`, digest)).toBe(true);
    expect(toolsHashMatches('sha256:abcdef0123456788', digest)).toBe(false);
  });
});

describe('classifier decisions', () => {
  const json = { 'content-type': 'application/json' };

  test('a 2xx status passes the HTTP layer', () => {
    expect(classifyHttp({ status: 200, headers: json, body: '{}' })).toBeUndefined();
  });

  test('a 200 marked as a throttling exception is THROTTLED', () => {
    expect(classifyHttp({ status: 200, headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal' }, body: '' }))
      .toMatchObject({ failure: { failureClass: 'THROTTLED' } });
  });

  test('a 404 carrying a JSON-RPC "Session not found" is SESSION_ERROR, not NOT_FOUND', () => {
    expect(classifyHttp({ status: 404, headers: json, body: '{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}' }))
      .toMatchObject({ failure: { failureClass: 'SESSION_ERROR' } });
  });

  test('a 400 with -32022 is VERSION_MISMATCH listing the supported versions', () => {
    const verdict = classifyHttp({ status: 400, headers: json, body: '{"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"Unsupported","data":{"supported":["2026-07-28"]}}}' });
    expect(verdict).toMatchObject({ failure: { failureClass: 'VERSION_MISMATCH' } });
    expect(verdict?.kind === 'failure' && verdict.failure.message).toMatch(/supports 2026-07-28/);
  });

  test('an HTTP API 503 "Service Unavailable" is UNAVAILABLE', () => {
    expect(classifyHttp({ status: 503, headers: json, body: '{"message":"Service Unavailable"}' })).toMatchObject({ failure: { failureClass: 'UNAVAILABLE' } });
  });

  test('a notification answered 202 is accepted; a request answered 202 is a protocol error', () => {
    expect(interpretResponse({ status: 202, headers: {}, body: '' }, null)).toEqual({ kind: 'accepted' });
    expect(interpretResponse({ status: 202, headers: {}, body: '' }, 1)).toMatchObject({ failure: { failureClass: 'PROTOCOL_ERROR' } });
  });

  test('a batch answer is searched for the matching response', () => {
    const body = JSON.stringify([{ jsonrpc: '2.0', method: 'notifications/progress' }, { jsonrpc: '2.0', id: 3, result: { ok: 1 } }]);
    expect(interpretResponse({ status: 200, headers: json, body }, 3)).toEqual({ kind: 'message', message: { id: 3, result: { ok: 1 } } });
  });

  test('SSE events for other ids and notifications are skipped; bad JSON data is a protocol error', () => {
    expect(interpretSseEvent({ event: 'message', data: '{"jsonrpc":"2.0","id":9,"result":{}}' }, 1)).toBe('skip');
    expect(interpretSseEvent({ event: 'message', data: '{"jsonrpc":"2.0","method":"ping","id":"s1"}' }, 1)).toBe('skip');
    expect(interpretSseEvent({ event: 'message', data: '{oops' }, 1)).toMatchObject({ failure: { failureClass: 'PROTOCOL_ERROR' } });
  });

  test('network errors map to transport classes', () => {
    expect(classifyNetworkError({ code: 'EAI_AGAIN' }, 'h').failureClass).toBe('DNS_ERROR');
    expect(classifyNetworkError({ code: 'EHOSTUNREACH' }, 'h').failureClass).toBe('CONNECTION_REFUSED');
    expect(classifyNetworkError({ code: 'EPIPE' }, 'h').failureClass).toBe('CONNECTION_RESET');
    expect(classifyNetworkError({ code: 'HPE_INVALID_CONSTANT' }, 'h').failureClass).toBe('HTTP_ERROR');
    expect(classifyNetworkError({ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'h').failureClass).toBe('TLS_ERROR');
  });

  test.each([
    ['An error occurred (ExpiredTokenException) when calling the GetObject operation', 'TOOL_CREDENTIALS'],
    ['The security token included in the request is expired', 'TOOL_CREDENTIALS'],
    ['AccessDeniedException: User is not authorized to perform: dynamodb:Query', 'TOOL_CREDENTIALS'],
    ['CredentialsProviderError: Could not load credentials from any providers', 'TOOL_CREDENTIALS'],
    ['Order 17 not found', 'TOOL_ERROR'],
  ])('tool error %j is %s', (text, expected) => {
    expect(toolErrorClass(text)).toBe(expected);
  });
});
