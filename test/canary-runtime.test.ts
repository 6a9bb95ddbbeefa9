/**
 * The canary handler's pure parts, driven directly: environment parsing, the EMF record, and the
 * bearer-token cache.
 */
import { extractEmfDatapoints, metricKey } from './support/cloudwatch-emf';
import { BearerTokenCache, extractToken, TOKEN_CACHE_MS } from '../lambda/canary/bearer-token';
import { CanaryConfig, parseCanaryConfig } from '../lambda/canary/config';
import { buildEmfRecord, describeTarget, MAX_LOGGED_TOOLS } from '../lambda/canary/emf';
import { failExpiringCertificate, handler } from '../lambda/canary/handler';
import type { ProbeResult } from '../lambda/probe';
import { CANARY_ENV } from '../src/contract/canary-env';
import { sendJson, startServer } from './probe/fixtures/http-server';

const BASE_ENV = {
  [CANARY_ENV.URL]: 'https://orders.example.com/mcp',
  [CANARY_ENV.SERVICE_NAME]: 'orders-mcp',
  [CANARY_ENV.METRIC_NAMESPACE]: 'MCP',
  [CANARY_ENV.DEADLINE_MS]: '28000',
};

function result(overrides: Partial<ProbeResult> = {}): ProbeResult {
  return {
    ok: true,
    failureClass: 'OK',
    layer: null,
    era: 'modern',
    protocolVersion: '2026-07-28',
    server: { name: 'orders', version: '3.1.0' },
    toolCount: 2,
    tools: ['get_order', 'list_orders'],
    toolsHash: 'sha256:0123456789abcdef',
    httpStatus: 200,
    frontDoor: 'lambda-url',
    certDaysRemaining: 61.5,
    timings: { connectMs: 12.3, tlsMs: 20.1, handshakeMs: 80.7, toolsListMs: 15.2, toolCallMs: null, totalMs: 140.4 },
    message: 'ok',
    traceId: null,
    ...overrides,
  };
}

describe('parseCanaryConfig', () => {
  test('reads the required variables and applies the defaults', () => {
    expect(parseCanaryConfig(BASE_ENV)).toEqual({
      url: 'https://orders.example.com/mcp',
      serviceName: 'orders-mcp',
      metricNamespace: 'MCP',
      deadlineMs: 28000,
      transport: 'auto',
      auth: { mode: 'none' },
      detailedMetrics: false,
    });
  });

  test('reads detailed metrics and the certificate minimum, and rejects bad values naming the variable', () => {
    const config = parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.DETAILED_METRICS]: 'true', [CANARY_ENV.MIN_CERT_DAYS]: '14' });
    expect(config.detailedMetrics).toBe(true);
    expect(config.minCertDays).toBe(14);
    expect(() => parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.DETAILED_METRICS]: 'yes', [CANARY_ENV.MIN_CERT_DAYS]: '0' }))
      .toThrow(/MCP_CANARY_DETAILED_METRICS is 'yes'; use true or false[\s\S]*MCP_CANARY_MIN_CERT_DAYS is '0'; it must be a whole number of days from 1 to 365/);
  });

  test('reads expectations, the sentinel call, headers and auth', () => {
    const config = parseCanaryConfig({
      ...BASE_ENV,
      [CANARY_ENV.TRANSPORT]: 'legacy',
      [CANARY_ENV.EXPECTED_TOOLS]: '["a","b"]',
      [CANARY_ENV.EXPECTED_TOOLS_HASH]: 'sha256:0123456789abcdef',
      [CANARY_ENV.SENTINEL_TOOL]: 'a',
      [CANARY_ENV.SENTINEL_TOOL_ARGUMENTS]: '{"x":1}',
      [CANARY_ENV.HEADERS]: '{"X-Tenant":"blue"}',
      [CANARY_ENV.AUTH_MODE]: 'bearer-secret',
      [CANARY_ENV.AUTH_SECRET_ARN]: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf',
      [CANARY_ENV.AUTH_SECRET_JSON_FIELD]: 'token',
    });
    expect(config).toEqual(expect.objectContaining({
      transport: 'legacy',
      expectTools: ['a', 'b'],
      expectHash: 'sha256:0123456789abcdef',
      call: { name: 'a', arguments: { x: 1 } },
      headers: { 'X-Tenant': 'blue' },
      auth: { mode: 'bearer-secret', secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf', jsonField: 'token' },
    }));
  });

  test('SigV4 falls back to the function\'s own region and signs for lambda', () => {
    expect(parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.AUTH_MODE]: 'sigv4', AWS_REGION: 'eu-central-1' }).auth)
      .toEqual({ mode: 'sigv4', region: 'eu-central-1', service: 'lambda' });
  });

  test('SigV4a signs for the Region set * by default, or the Regions listed, as service lambda', () => {
    expect(parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.AUTH_MODE]: 'sigv4a' }).auth)
      .toEqual({ mode: 'sigv4a', regionSet: ['*'], service: 'lambda' });
    expect(parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.AUTH_MODE]: 'sigv4a', [CANARY_ENV.SIGV4A_REGION_SET]: 'us-east-1, eu-west-1' }).auth)
      .toEqual({ mode: 'sigv4a', regionSet: ['us-east-1', 'eu-west-1'], service: 'lambda' });
    expect(() => parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.AUTH_MODE]: 'sigv4a', [CANARY_ENV.SIGV4A_REGION_SET]: 'global' }))
      .toThrow(/MCP_CANARY_SIGV4A_REGION_SET is 'global'; it must be \* or comma-separated Region names such as us-east-1,eu-west-1/);
  });

  test('lists every problem, naming the variable and the fix', () => {
    expect(() => parseCanaryConfig({
      [CANARY_ENV.URL]: 'https://x/mcp',
      [CANARY_ENV.DEADLINE_MS]: '-5',
      [CANARY_ENV.EXPECTED_TOOLS]: '{"a":1}',
      [CANARY_ENV.HEADERS]: 'not json',
      [CANARY_ENV.SENTINEL_TOOL_ARGUMENTS]: '{}',
      [CANARY_ENV.AUTH_MODE]: 'oauth',
    })).toThrow(new RegExp([
      'MCP_CANARY_SERVICE_NAME is not set',
      'MCP_CANARY_METRIC_NAMESPACE is not set',
      'MCP_CANARY_DEADLINE_MS is \'-5\'; it must be a positive whole number',
      // The problem names the variable and the expected shape, never the value (it may be a secret).
      'MCP_CANARY_EXPECTED_TOOLS is not a JSON array of tool names \\(it is an object\\)',
      'MCP_CANARY_HEADERS is not valid JSON',
      'MCP_CANARY_SENTINEL_TOOL_ARGUMENTS is set but MCP_CANARY_SENTINEL_TOOL is not',
      'MCP_CANARY_AUTH_MODE is \'oauth\'',
    ].join('[\\s\\S]*')));
  });

  test('bearer auth without a secret ARN is an error', () => {
    expect(() => parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.AUTH_MODE]: 'bearer-secret' })).toThrow(/MCP_CANARY_AUTH_SECRET_ARN is not set/);
  });
});

describe('buildEmfRecord', () => {
  const config: CanaryConfig = parseCanaryConfig(BASE_ENV);

  test('by default a success publishes only what the default alarms read: ProbeSuccess and ProbeLatency, by service', () => {
    const points = extractEmfDatapoints(JSON.stringify(buildEmfRecord(config, result(), 1_700_000_000_000)));
    expect(Object.fromEntries(points.map((p) => [p.metricName, p.value]))).toEqual({ ProbeSuccess: 1, ProbeLatency: 140.4 });
    expect(new Set(points.map((p) => JSON.stringify(p.dimensions)))).toEqual(new Set(['{"ServiceName":"orders-mcp"}']));
  });

  test('the phase latencies, tool count and certificate days stay in the log line for Logs Insights', () => {
    const record = buildEmfRecord(config, result(), 1);
    const probe = record.probe as { timings: Record<string, number>; toolCount: number; certDaysRemaining: number };
    expect(probe.timings.handshakeMs).toBe(80.7);
    expect(probe.toolCount).toBe(2);
    expect(probe.certDaysRemaining).toBe(61.5);
  });

  test('with detailed metrics an https success also emits every phase, the tool count and the certificate days', () => {
    const detailed = { ...config, detailedMetrics: true };
    const points = extractEmfDatapoints(JSON.stringify(buildEmfRecord(detailed, result(), 1_700_000_000_000)));
    expect(Object.fromEntries(points.map((p) => [p.metricName, p.value]))).toEqual({
      ProbeSuccess: 1,
      ProbeLatency: 140.4,
      ConnectLatency: 12.3,
      TlsLatency: 20.1,
      HandshakeLatency: 80.7,
      ToolsListLatency: 15.2,
      ToolCount: 2,
      CertDaysRemaining: 61.5,
    });
  });

  test('a failure adds the per-class failure count, and only dimensions of bounded cardinality', () => {
    const record = buildEmfRecord(config, result({
      ok: false,
      failureClass: 'GATEWAY_TIMEOUT',
      layer: 'http',
      toolCount: null,
      tools: [],
      certDaysRemaining: 61,
      timings: { connectMs: 10, tlsMs: 20, handshakeMs: 29_000, toolsListMs: null, toolCallMs: null, totalMs: 29_040 },
      message: '504 from API Gateway',
    }), 1_700_000_000_000);
    const points = extractEmfDatapoints(JSON.stringify(record));
    expect(points.filter((p) => p.metricName === 'ProbeFailures').map((p) => [p.dimensions, p.value])).toEqual([
      [{ ServiceName: 'orders-mcp' }, 1],
      [{ ServiceName: 'orders-mcp', FailureClass: 'GATEWAY_TIMEOUT' }, 1],
    ]);
    expect(points.find((p) => p.metricName === 'ToolCount')).toBeUndefined();
    expect(new Set(points.flatMap((p) => Object.keys(p.dimensions)))).toEqual(new Set(['ServiceName', 'FailureClass']));
  });

  test('a healthy canary publishes 2 custom metrics every hour; failures add ProbeFailures and one per class only in the hours they occur', () => {
    const metricsOf = (r: ProbeResult) => new Set(extractEmfDatapoints(JSON.stringify(buildEmfRecord(config, r, 1))).map((p) => metricKey(p)));
    expect(metricsOf(result({ timings: { ...result().timings, toolCallMs: 3 } })).size).toBe(2);
    const failing = new Set([...metricsOf(result({ ok: false, failureClass: 'TIMEOUT' })), ...metricsOf(result({ ok: false, failureClass: 'NOT_MCP' }))]);
    // ProbeSuccess, ProbeLatency, ProbeFailures by service, and one ProbeFailures per class.
    expect(failing.size).toBe(5);
  });

  test('the human fields are redacted: known secrets, query strings, account ids', () => {
    const withQuery = parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.URL]: 'https://orders.example.com/mcp?api_key=abcdef123456' });
    const record = buildEmfRecord(withQuery, result({ ok: false, failureClass: 'AUTH_REQUIRED', message: 'token s3cr3t-t0ken rejected for 123456789012' }), 1, ['s3cr3t-t0ken']);
    const line = JSON.stringify(record);
    expect(line).not.toContain('s3cr3t-t0ken');
    expect(line).not.toContain('abcdef123456');
    expect(line).not.toContain('123456789012');
    expect((record.probe as { target: string }).target).toBe('https://orders.example.com/mcp?[QUERY]');
  });

  test('a plain http target never reports certificate days', () => {
    const http = parseCanaryConfig({ ...BASE_ENV, [CANARY_ENV.URL]: 'http://10.0.0.5/mcp', [CANARY_ENV.DETAILED_METRICS]: 'true' });
    const points = extractEmfDatapoints(JSON.stringify(buildEmfRecord(http, result(), 1)));
    expect(points.find((p) => p.metricName === 'CertDaysRemaining')).toBeUndefined();
  });

  test('logs at most 50 tool names but the exact count', () => {
    const tools = Array.from({ length: 80 }, (_, i) => `tool_${i}`);
    const record = buildEmfRecord(config, result({ tools, toolCount: 80 }), 1);
    expect((record.probe as { tools: string[] }).tools).toHaveLength(MAX_LOGGED_TOOLS);
    expect((record.probe as { toolCount: number }).toolCount).toBe(80);
  });

  test('a passing probe whose certificate expires within the minimum fails as TLS_ERROR, naming the days and the fix', () => {
    const strict = { ...config, minCertDays: 14 };
    const failed = failExpiringCertificate(strict, result({ certDaysRemaining: 9 }));
    expect(failed).toEqual(expect.objectContaining({ ok: false, failureClass: 'TLS_ERROR', layer: 'transport' }));
    expect(failed.message).toMatch(/expires in 9 day\(s\), under the canary's minimum of 14: renew it/);
    const points = extractEmfDatapoints(JSON.stringify(buildEmfRecord(strict, failed, 1)));
    expect(points.find((p) => p.metricName === 'ProbeSuccess')?.value).toBe(0);
  });

  test('a certificate at or above the minimum, no minimum, or an already failing probe is left alone', () => {
    expect(failExpiringCertificate({ ...config, minCertDays: 14 }, result({ certDaysRemaining: 14 })).ok).toBe(true);
    expect(failExpiringCertificate(config, result({ certDaysRemaining: 1 })).ok).toBe(true);
    const timeout = result({ ok: false, failureClass: 'TIMEOUT', certDaysRemaining: 1 });
    expect(failExpiringCertificate({ ...config, minCertDays: 14 }, timeout)).toBe(timeout);
  });

  test('describeTarget drops credentials and survives an invalid URL', () => {
    expect(describeTarget('https://user:pw@h.example/mcp')).toBe('https://h.example/mcp');
    expect(describeTarget('::')).toBe('[INVALID URL]');
  });
});

describe('BearerTokenCache', () => {
  test('reads the secret once per five minutes and again after', async () => {
    let now = 1_000_000;
    const calls: string[] = [];
    const cache = new BearerTokenCache(async (arn) => {
      calls.push(arn);
      return `token-${calls.length}`;
    }, () => now);
    expect(await cache.token('arn:1')).toBe('token-1');
    now += TOKEN_CACHE_MS - 1;
    expect(await cache.token('arn:1')).toBe('token-1');
    now += 2;
    expect(await cache.token('arn:1')).toBe('token-2');
    expect(await cache.token('arn:2')).toBe('token-3');
    expect(calls).toEqual(['arn:1', 'arn:1', 'arn:2']);
  });

  test('a failed read is not cached', async () => {
    let fail = true;
    const cache = new BearerTokenCache(async () => {
      if (fail) throw new Error('AccessDeniedException');
      return 'tok';
    });
    await expect(cache.token('arn:1')).rejects.toThrow('AccessDeniedException');
    fail = false;
    expect(await cache.token('arn:1')).toBe('tok');
  });

  test('extractToken reads a plain or JSON secret and never echoes it in errors', () => {
    expect(extractToken('  abc123  ')).toBe('abc123');
    expect(extractToken('{"token":"abc123"}', 'token')).toBe('abc123');
    expect(() => extractToken('abc123', 'token')).toThrow(/not JSON/);
    expect(() => extractToken('{"other":"abc123"}', 'token')).toThrow(/no string field 'token'/);
    expect(() => extractToken('Bearer abc123')).toThrow(/bare token/);
    try {
      extractToken('{"other":"abc123"}', 'token');
    } catch (e) {
      expect((e as Error).message).not.toContain('abc123');
    }
  });
});

describe('the handler (from source) against hostile servers on 127.0.0.1', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  /** Runs the handler with the canary environment; returns the EMF lines written to stdout. */
  async function run(env: Record<string, string>): Promise<Array<Record<string, unknown>>> {
    process.env = { ...saved, ...BASE_ENV, [CANARY_ENV.DEADLINE_MS]: '3000', ...env };
    const lines: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    await handler(undefined, { getRemainingTimeInMillis: () => 10_000 });
    return lines.map((l) => JSON.parse(l));
  }

  test('a body nested 6000 deep still gives one EMF line, PROTOCOL_ERROR', async () => {
    const server = await startServer((_req, reply) => sendJson(reply, 200, `${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`));
    try {
      const [record, ...rest] = await run({ [CANARY_ENV.URL]: server.url });
      expect(rest).toEqual([]);
      expect(record).toMatchObject({ FailureClass: 'PROTOCOL_ERROR', ProbeSuccess: 0 });
      expect((record.probe as { message: string }).message).toMatch(/nested deeper than 64 levels/);
    } finally {
      await server.close();
    }
  });

  test('a server reflecting the X-Api-Key header into its name or a query value into a message leaks neither', async () => {
    const apiKey = 'xak-CANARY-0f1e2d3c4b5a';
    const server = await startServer((req, reply, body) => {
      const m = JSON.parse(body || '{}');
      if (m.method === 'server/discover') {
        sendJson(reply, 200, { jsonrpc: '2.0', id: m.id, result: { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: `srv-${req.headers['x-api-key']}`, version: '1' } } });
      } else {
        reply.writeHead(500, { 'content-type': 'text/plain' }).end(`failed ${req.url}`);
      }
    });
    try {
      const [record] = await run({ [CANARY_ENV.URL]: `${server.url}?sig=QRY-9a8b7c6d5e4f`, [CANARY_ENV.HEADERS]: JSON.stringify({ 'X-Api-Key': apiKey }) });
      const line = JSON.stringify(record);
      expect(record.FailureClass).toBe('HTTP_ERROR');
      for (const secret of [apiKey, 'QRY-9a8b7c6d5e4f']) {
        for (let i = 0; i + 12 <= secret.length; i++) expect(line).not.toContain(secret.slice(i, i + 12));
      }
    } finally {
      await server.close();
    }
  });

  test('configuration errors name the problem without echoing a password or a header value', async () => {
    await expect(run({ [CANARY_ENV.URL]: 'ftp://user:PASSWORD-77aa88bb99@files.example.com/mcp' })).rejects.toThrow(/uses ftp:/);
    await expect(run({ [CANARY_ENV.URL]: 'ftp://user:PASSWORD-77aa88bb99@files.example.com/mcp' })).rejects.not.toThrow(/PASSWORD/);
    await expect(run({ [CANARY_ENV.HEADERS]: '{"X-Api-Key":"xak-SECRET-1234567890","X-N":1}' })).rejects.not.toThrow(/xak-SECRET/);
  });
});
