/**
 * What a hostile or unusual server on 127.0.0.1 must not be able to do to the probe: crash it
 * with absurd JSON, leak a secret through a message, a server name or a tool name, forge output,
 * or be misclassified. Plus the protocol behaviours the official SDK clients have (SEP-1699 SSE
 * polling, -32022 correction, no legacy fallback from a modern server, Mcp-Name / Mcp-Param-*
 * headers, OAuth protected-resource discovery after a 401).
 */
import * as path from 'node:path';
import { result, rpcError, SCRIPTED_TOOLS, sendJson, startScripted, startServer, type TestServer } from './fixtures/http-server';
import { freePort, startProcess } from './fixtures/processes';
import { startSdk1Streamable, startSdk2 } from './fixtures/sdk-servers';
import { parseCanaryConfig } from '../../lambda/canary/config';
import { parseArgs } from '../../lambda/cli/args';
import { formatHuman } from '../../lambda/cli/format';
import { probe, validateProbeOptions } from '../../lambda/probe';
import { classifyNetworkError } from '../../lambda/probe/classify';
import { redact } from '../../lambda/probe/redact';
import { canonicalTool, toolsDigest } from '../../lambda/probe/tools-hash';
import { CANARY_ENV } from '../../src/contract/canary-env';

const DEEP = `${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`;
const TOKEN = 'tok-HARDEN-9f8e7d6c5b4a3210';
const API_KEY = 'xak-7a6b5c4d3e2f1a0b9c8d';

async function withServer<T>(server: TestServer, run: (s: TestServer) => Promise<T>): Promise<T> {
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

/** No 12-character fragment of any secret appears in the text. */
function expectNoFragment(text: string, secrets: string[]): void {
  for (const secret of secrets) {
    for (let i = 0; i + 12 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 12));
  }
}

describe('absurd JSON never crashes the probe', () => {
  test.each(['auto', 'modern', 'legacy'] as const)('a body nested 6000 deep is a readable PROTOCOL_ERROR (%s)', async (transport) => {
    const server = await startServer((_req, reply) => sendJson(reply, 200, DEEP));
    const res = await withServer(server, (s) => probe({ url: s.url, transport, timeoutMs: 3_000 }));
    expect(res).toMatchObject({ ok: false, failureClass: 'PROTOCOL_ERROR' });
    expect(res.message).toMatch(/nested deeper than 64 levels/);
  });

  test('the same body as an SSE event is PROTOCOL_ERROR, not CONNECTION_RESET or TIMEOUT', async () => {
    const res = await withServer(await startServer((_req, reply) => {
      reply.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.end(`event: message\ndata: ${DEEP}\n\n`);
    }), (s) => probe({ url: s.url, transport: 'legacy', timeoutMs: 3_000 }));
    expect(res).toMatchObject({ failureClass: 'PROTOCOL_ERROR' });
    expect(res.message).toMatch(/nested deeper than 64 levels/);
  });

  test('deep JSON without JSON-RPC fields, under the depth limit, is NOT_MCP with a short excerpt', async () => {
    const deep60 = `${'{"a":'.repeat(60)}1${'}'.repeat(60)}`;
    const res = await withServer(await startServer((_req, reply) => sendJson(reply, 200, deep60)), (s) => probe({ url: s.url, transport: 'legacy', timeoutMs: 3_000 }));
    expect(res.failureClass).toBe('NOT_MCP');
    expect(res.message).toMatch(/without JSON-RPC fields: '\{"a":\{"a":/);
  });

  test('a failing tool with deep, huge structured content is a readable TOOL_ERROR', async () => {
    const content = JSON.parse(`${'{"a":'.repeat(60)}"${'x'.repeat(100_000)}"${'}'.repeat(60)}`);
    const res = await withServer(await startScripted({
      'tools/call': (m, r) => sendJson(r, 200, result(m.id, { isError: true, content: [], structuredContent: content })),
    }), (s) => probe({ url: s.url, call: { name: 'echo' }, timeoutMs: 3_000 }));
    expect(res.failureClass).toBe('TOOL_ERROR');
    expect(res.message.length).toBeLessThanOrEqual(400);
  });
});

describe('secrets never leave', () => {
  test('query-string values of the target are redacted from messages', async () => {
    const res = await withServer(await startServer((req, reply) => reply.writeHead(500, { 'content-type': 'text/plain' }).end(`failed for ${req.url}`)), (s) =>
      probe({ url: `${s.url}?code=QSECRET-0a1b2c3d4e5f`, transport: 'legacy', timeoutMs: 3_000 }));
    expect(res.failureClass).toBe('HTTP_ERROR');
    expectNoFragment(res.message, ['QSECRET-0a1b2c3d4e5f']);
  });

  test('a known secret straddling the excerpt cut is removed whole, not half', async () => {
    // The body excerpt is cut at 160 characters: put the token across the cut.
    const res = await withServer(await startServer((_req, reply) => reply.writeHead(500, { 'content-type': 'text/plain' }).end(`${'word '.repeat(30)} ${TOKEN} tail`)), (s) =>
      probe({ url: s.url, transport: 'legacy', bearerToken: TOKEN, timeoutMs: 3_000 }));
    expect(res.message).toContain('word word');
    expectNoFragment(res.message, [TOKEN]);
  });

  test('a server reflecting request headers into serverInfo and tool names leaks nothing', async () => {
    const server = await startScripted({
      'initialize': (m, r, req) => sendJson(r, 200, result(m.id, {
        protocolVersion: '2025-11-25',
        capabilities: { tools: {} },
        serverInfo: { name: `srv ${req.headers.authorization}`, version: `${req.headers['x-api-key']}` },
      }), { 'mcp-session-id': 'sess-5c4b3a29187f6e5d' }),
      'tools/list': (m, r, req) => sendJson(r, 200, result(m.id, {
        tools: [{ name: String(req.headers.authorization), inputSchema: {} }, { name: `k_${req.headers['x-api-key']}`, inputSchema: {} }, { name: `s_${req.headers['mcp-session-id']}`, inputSchema: {} }],
      })),
    });
    const res = await withServer(server, (s) => probe({ url: s.url, transport: 'legacy', bearerToken: TOKEN, headers: { 'X-Api-Key': API_KEY } }));
    expect(res.ok).toBe(true);
    const outputs = [JSON.stringify(res), formatHuman(server.url, res)];
    for (const out of outputs) expectNoFragment(out, [TOKEN, API_KEY, 'sess-5c4b3a29187f6e5d']);
  });

  test('a server reflecting the SigV4 Authorization header leaks no key, signature or credential scope', async () => {
    const credentials = { accessKeyId: 'AKIAHARDENTEST000001', secretAccessKey: 'hArDeN/secret+key/0123456789abcdefghijklm' };
    const res = await withServer(await startScripted({
      initialize: (m, r, req) => sendJson(r, 200, result(m.id, { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: String(req.headers.authorization), version: '1' } })),
    }), (s) => probe({ url: s.url, transport: 'legacy', sigv4: { region: 'us-east-1', credentials } }));
    expect(res.ok).toBe(true);
    expect(res.server!.name).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(res.server!.name).not.toMatch(/Signature=[0-9a-f]{8}/);
    expectNoFragment(JSON.stringify(res), [credentials.accessKeyId, credentials.secretAccessKey]);
  });

  test('config errors never echo values: a non-string header, a URL password', () => {
    let message = '';
    try {
      parseCanaryConfig({
        [CANARY_ENV.URL]: 'https://x.example/mcp',
        [CANARY_ENV.SERVICE_NAME]: 's',
        [CANARY_ENV.METRIC_NAMESPACE]: 'MCP',
        [CANARY_ENV.DEADLINE_MS]: '1000',
        [CANARY_ENV.HEADERS]: JSON.stringify({ 'X-Api-Key': API_KEY, 'X-Retries': 3 }),
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/MCP_CANARY_HEADERS is not a JSON object of header names to string values \(the value of "X-Retries" is a number\)/);
    expectNoFragment(message, [API_KEY]);
    const password = 'PASSWORD-4d3c2b1a0f9e';
    const problems = validateProbeOptions({ url: `ftp://user:${password}@files.example.com/mcp?key=${API_KEY}` });
    expect(problems.join()).toMatch(/"ftp:\/\/\[CREDENTIALS\]@files\.example\.com\/mcp\?…" uses ftp:/);
    const cli = parseArgs([`ftp://user:${password}@files.example.com/mcp`], {});
    expect(cli.kind).toBe('usage-error');
    expectNoFragment(JSON.stringify(cli) + problems.join(), [password, API_KEY]);
    expectNoFragment(validateProbeOptions({ url: `not a url user:${password}@x?k=${API_KEY}` }).join(), [password, API_KEY]);
  });

  test('human output escapes control characters: no forged verdict line, no terminal escape', async () => {
    const res = await withServer(await startScripted({
      'initialize': (m, r) => sendJson(r, 200, result(m.id, {
        protocolVersion: '2025-11-25',
        capabilities: { tools: {} },
        serverInfo: { name: 'evil\r\nPASS OK: forged\u001b[2J', version: '1\u009b31m' },
      })),
      'tools/list': (m, r) => sendJson(r, 200, result(m.id, { tools: [{ name: 'a\nPASS OK: all good\u0007', inputSchema: {} }] })),
    }), (s) => probe({ url: s.url, transport: 'legacy' }));
    const text = formatHuman('http://127.0.0.1/mcp', res);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text.split('\n').filter((line) => line.startsWith('PASS'))).toHaveLength(1);
    expect(text).toContain('evil\\x0d\\x0aPASS OK: forged\\x1b[2J');
  });

  test('names and challenges keep their meaning: no redaction of English words or auth-params', async () => {
    const named = await withServer(await startScripted({
      initialize: (m, r) => sendJson(r, 200, result(m.id, { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'Basic Vanillajs App Server', version: 'server-basic-vanillajs' } })),
    }), (s) => probe({ url: s.url, transport: 'legacy' }));
    expect(named.server).toEqual({ name: 'Basic Vanillajs App Server', version: 'server-basic-vanillajs' });
    const challenged = await withServer(await startServer((_req, reply) => reply.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' }).end()), (s) =>
      probe({ url: s.url, transport: 'legacy', timeoutMs: 3_000 }));
    expect(challenged.message).toContain('Bearer error="invalid_token"');
    expect(redact('HPE_INVALID_HEADER_TOKEN: Parse Error: Invalid header value char')).toBe('HPE_INVALID_HEADER_TOKEN: Parse Error: Invalid header value char');
    // Credential syntax is still redacted.
    expect(redact('Authorization: Basic dXNlcjpwYXNzd29yZA== and Bearer eyJabc.def-123')).toBe('Authorization: Basic [REDACTED] and Bearer [REDACTED]');
  });
});

describe('classification', () => {
  test('a refused route (EINVAL, EACCES) is CONNECTION_REFUSED "unreachable", not CONNECTION_RESET', () => {
    for (const code of ['EINVAL', 'EACCES', 'EPERM', 'ENETDOWN']) {
      const failure = classifyNetworkError({ code, message: `connect ${code} 10.255.255.1:443` }, 'h');
      expect(failure).toMatchObject({ failureClass: 'CONNECTION_REFUSED' });
      expect(failure.message).toMatch(/unreachable/);
    }
  });

  test('a JSON-RPC error mentioning some other "session" is not SESSION_ERROR', async () => {
    const list = await withServer(await startScripted({ 'tools/list': (m, r) => sendJson(r, 200, rpcError(m.id, -32603, 'database session pool exhausted')) }), (s) => probe({ url: s.url }));
    expect(list.failureClass).toBe('PROTOCOL_ERROR');
    const call = await withServer(await startScripted({ 'tools/call': (m, r) => sendJson(r, 200, rpcError(m.id, -32603, 'database session pool exhausted')) }), (s) => probe({ url: s.url, call: { name: 'echo' } }));
    expect(call.failureClass).toBe('TOOL_ERROR');
    const lost = await withServer(await startScripted({ 'tools/list': (m, r) => sendJson(r, 404, rpcError(m.id, -32000, 'Session not found')) }), (s) => probe({ url: s.url }));
    expect(lost.failureClass).toBe('SESSION_ERROR');
  });

  test('a non-latin-1 token or header value is a usage error (CLI exit 2), not an internal error', async () => {
    const token = parseArgs(['http://127.0.0.1:9/mcp', '--bearer-env', 'T'], { T: 'tøken-€-123' });
    expect(token).toMatchObject({ kind: 'usage-error' });
    const header = parseArgs(['http://127.0.0.1:9/mcp', '--header', 'X-Tenant: bl€ue'], {});
    expect(header).toMatchObject({ kind: 'usage-error' });
    expect(JSON.stringify(header)).toMatch(/X-Tenant must be a string of printable ASCII or latin-1/);
    const res = await probe({ url: 'http://127.0.0.1:9/mcp', headers: { 'X-Tenant': 'bl€ue' } });
    expect(res.message).not.toMatch(/internal probe error/);
  });
});

describe('tools hash: one rule everywhere', () => {
  const full = toolsDigest(SCRIPTED_TOOLS.map(canonicalTool));

  test('a full sha256 (64 hex) matches, the printed 16 too; another hash is SCHEMA_DRIFT', async () => {
    expect(full).toMatch(/^[0-9a-f]{64}$/);
    for (const expectHash of [`sha256:${full}`, full.toUpperCase(), `sha256:${full.slice(0, 16)}`]) {
      const res = await withServer(await startScripted(), (s) => probe({ url: s.url, expectHash }));
      expect(res).toMatchObject({ ok: true, toolsHash: `sha256:${full.slice(0, 16)}` });
    }
    const drift = await withServer(await startScripted(), (s) => probe({ url: s.url, expectHash: `sha256:${full.slice(0, 63)}0` === `sha256:${full}` ? `sha256:${'f'.repeat(64)}` : `sha256:${full.slice(0, 63)}0` }));
    expect(drift.failureClass).toBe('SCHEMA_DRIFT');
  });

  test('the CLI and the canary accept 16 to 64 hex digits and refuse anything else', () => {
    const env = { [CANARY_ENV.URL]: 'https://x.example/mcp', [CANARY_ENV.SERVICE_NAME]: 's', [CANARY_ENV.METRIC_NAMESPACE]: 'MCP', [CANARY_ENV.DEADLINE_MS]: '1000' };
    expect(parseArgs(['http://h/mcp', '--expect-hash', `sha256:${full}`], {})).toMatchObject({ kind: 'run', options: { expectHash: `sha256:${full}` } });
    expect(parseCanaryConfig({ ...env, [CANARY_ENV.EXPECTED_TOOLS_HASH]: full }).expectHash).toBe(full);
    for (const bad of ['abc', `${full}0`, 'sha256:xyz0123456789abcdef']) {
      expect(parseArgs(['http://h/mcp', '--expect-hash', bad], {}).kind).toBe('usage-error');
      expect(() => parseCanaryConfig({ ...env, [CANARY_ENV.EXPECTED_TOOLS_HASH]: bad })).toThrow(/MCP_CANARY_EXPECTED_TOOLS_HASH is not a tools hash/);
    }
  });
});

describe('limits from the CLI and the canary', () => {
  const env = { [CANARY_ENV.URL]: 'https://x.example/mcp', [CANARY_ENV.SERVICE_NAME]: 's', [CANARY_ENV.METRIC_NAMESPACE]: 'MCP', [CANARY_ENV.DEADLINE_MS]: '1000' };

  test('flags and variables set the page and byte caps, within bounds', () => {
    expect(parseArgs(['http://h/mcp', '--max-tool-pages', '7', '--max-response-bytes=65536', '--max-tools-bytes', '131072'], {}))
      .toMatchObject({ kind: 'run', options: { maxToolPages: 7, maxResponseBytes: 65536, maxToolsBytes: 131072 } });
    expect(parseArgs(['http://h/mcp', '--max-tool-pages', '0'], {})).toMatchObject({ kind: 'usage-error', message: expect.stringMatching(/--max-tool-pages "0" must be a whole number from 1 to 1000/) });
    expect(parseCanaryConfig({ ...env, [CANARY_ENV.MAX_TOOL_PAGES]: '7', [CANARY_ENV.MAX_TOOLS_BYTES]: '131072', [CANARY_ENV.MAX_RESPONSE_BYTES]: '65536' }))
      .toMatchObject({ maxToolPages: 7, maxToolsBytes: 131072, maxResponseBytes: 65536 });
    expect(() => parseCanaryConfig({ ...env, [CANARY_ENV.MAX_TOOLS_BYTES]: '1e9' })).toThrow(/MCP_CANARY_MAX_TOOLS_BYTES is '1e9'; it must be a whole number from 1024 to 33554432/);
  });
});

describe('protocol behaviours of the SDK clients', () => {
  test('SSE polling (SEP-1699): the SDK 1.x ssePollingExample closes the stream mid-call; the probe resumes with Last-Event-ID', async () => {
    const port = await freePort();
    const example = path.join(__dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'cjs', 'examples', 'server', 'ssePollingExample.js');
    // The example listens on a fixed port on every interface: bind it to the free loopback port instead.
    const preload = `const http=require('node:http');const listen=http.Server.prototype.listen;http.Server.prototype.listen=function(...a){return listen.call(this,${port},'127.0.0.1',...a.filter((f)=>typeof f==='function'));};require(${JSON.stringify(example)});`;
    const server = await startProcess(['-e', preload], {}, port);
    try {
      const res = await probe({ url: `http://127.0.0.1:${port}/mcp`, transport: 'legacy', call: { name: 'long-task' }, timeoutMs: 12_000 });
      expect(res).toMatchObject({ ok: true, era: 'legacy', failureClass: 'OK' });
      expect(server.output()).toMatch(/Closing SSE stream to trigger client polling/);
    } finally {
      await server.stop();
    }
  }, 20_000);

  test('-32022 naming 2026-07-28 is retried once, as the SDK v2 client does', async () => {
    let discovers = 0;
    const res = await withServer(await startServer((_req, reply, body) => {
      const m = JSON.parse(body);
      if (m.method === 'server/discover' && ++discovers === 1) {
        sendJson(reply, 400, rpcError(m.id, -32022, 'Unsupported protocol version', { supported: ['2026-07-28'], requested: '2026-07-28' }));
        return;
      }
      if (m.method === 'server/discover') {
        sendJson(reply, 200, result(m.id, { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'm', version: '1' } }));
        return;
      }
      sendJson(reply, 200, result(m.id, { tools: SCRIPTED_TOOLS }));
    }), (s) => probe({ url: s.url, transport: 'auto' }));
    expect(res).toMatchObject({ ok: true, era: 'modern' });
    expect(discovers).toBe(2);
  });

  test('auto mode: a modern server\'s -32022 (no common version) or -32020 is reported, not hidden by a legacy attempt', async () => {
    for (const [error, expected] of [
      [{ code: -32022, message: 'Unsupported protocol version', data: { supported: ['2027-03-01'] } }, 'VERSION_MISMATCH'],
      [{ code: -32020, message: 'Header mismatch: Mcp-Method' }, 'PROTOCOL_ERROR'],
    ] as const) {
      const server = await startServer((_req, reply, body) => sendJson(reply, 400, { jsonrpc: '2.0', id: body ? JSON.parse(body).id : null, error }));
      const res = await withServer(server, (s) => probe({ url: s.url, transport: 'auto', timeoutMs: 3_000 }));
      expect(res.failureClass).toBe(expected);
      expect(server.requests.map((r) => JSON.parse(r.body).method)).toEqual(['server/discover']);
    }
  });

  test('auto mode: when the legacy attempt shows a modern-only server (-32022 naming 2026-07-28), the modern failure is reported', async () => {
    const server = await startServer((_req, reply, body) => {
      const m = body ? JSON.parse(body) : {};
      if (m.method === 'server/discover') reply.writeHead(400, { 'content-type': 'text/plain' }).end('modern request refused by the WAF');
      else sendJson(reply, 400, rpcError(m.id ?? null, -32022, 'Unsupported protocol version', { supported: ['2026-07-28'] }));
    });
    const res = await withServer(server, (s) => probe({ url: s.url, transport: 'auto', timeoutMs: 3_000 }));
    expect(res.failureClass).toBe('HTTP_ERROR');
    expect(res.message).toMatch(/modern request refused by the WAF/);
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  test('forced modern against a legacy-only SDK 1.x server is VERSION_MISMATCH saying it does not speak 2026-07-28', async () => {
    const res = await withServer(await startSdk1Streamable({ stateful: true, json: false }), (s) => probe({ url: s.url, transport: 'modern', timeoutMs: 3_000 }));
    expect(res.failureClass).toBe('VERSION_MISMATCH');
    expect(res.message).toMatch(/does not speak MCP 2026-07-28/);
  });

  test('a modern server whose capabilities lack tools is NO_TOOLS', async () => {
    const res = await withServer(await startServer((_req, reply, body) => {
      const m = JSON.parse(body);
      sendJson(reply, 200, m.method === 'server/discover'
        ? result(m.id, { supportedVersions: ['2026-07-28'], capabilities: { prompts: {} }, serverInfo: { name: 'prompts-only', version: '1' } })
        : rpcError(m.id, -32601, 'Method not found'));
    }), (s) => probe({ url: s.url, transport: 'modern' }));
    expect(res).toMatchObject({ failureClass: 'NO_TOOLS', era: 'modern' });
    expect(res.message).toMatch(/no "tools" in the server\/discover capabilities/);
  });

  test('the real SDK 2.x server still probes OK with the sentinel call (fast path unchanged)', async () => {
    const server = await startSdk2('reject');
    const res = await withServer(server, (s) => probe({ url: s.url, call: { name: 'echo', arguments: { text: 'hi' } } }));
    expect(res).toMatchObject({ ok: true, era: 'modern' });
    // server/discover, tools/list, tools/call: no extra round trip.
    expect(server.requests).toHaveLength(3);
  });

  test('Mcp-Name is Base64-encoded when not header-safe; x-mcp-header params become Mcp-Param-* headers', async () => {
    const name = 'wetter-Zürich';
    const tools = [{ name, inputSchema: { type: 'object', properties: { region: { 'type': 'string', 'x-mcp-header': 'Region' }, city: { 'type': 'string', 'x-mcp-header': 'City' }, n: { type: 'integer' } } } }];
    const server = await startServer((_req, reply, body) => {
      const m = JSON.parse(body);
      if (m.method === 'server/discover') sendJson(reply, 200, result(m.id, { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'w', version: '1' } }));
      else if (m.method === 'tools/list') sendJson(reply, 200, result(m.id, { tools }));
      else sendJson(reply, 200, result(m.id, { content: [{ type: 'text', text: 'ok' }] }));
    });
    const res = await withServer(server, (s) => probe({ url: s.url, call: { name, arguments: { region: 'eu-west-1', city: ' Zürich', n: 3 } } }));
    expect(res.ok).toBe(true);
    const call = server.requests.find((r) => r.body.includes('tools/call'))!;
    expect(call.headers['mcp-name']).toBe(`=?base64?${Buffer.from(name).toString('base64')}?=`);
    expect(call.headers['mcp-param-region']).toBe('eu-west-1');
    expect(call.headers['mcp-param-city']).toBe(`=?base64?${Buffer.from(' Zürich').toString('base64')}?=`);
    expect(Object.keys(call.headers).filter((h) => h.startsWith('mcp-param-'))).toHaveLength(2);
  });

  test('a tab, a line break or an edge space takes the Base64 form; inner spaces stay plain (SEP-2243)', async () => {
    const props = { tab: 'col1\tcol2', crlf: 'a\r\nb', inner: 'us west 1', flag: 'x' };
    const properties = Object.fromEntries(Object.keys(props).map((key) => [key, { 'type': 'string', 'x-mcp-header': key }]));
    const server = await startServer((_req, reply, body) => {
      const m = JSON.parse(body);
      if (m.method === 'server/discover') sendJson(reply, 200, result(m.id, { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'h', version: '1' } }));
      else if (m.method === 'tools/list') sendJson(reply, 200, result(m.id, { tools: [{ name: 'h', inputSchema: { type: 'object', properties } }] }));
      else sendJson(reply, 200, result(m.id, { content: [{ type: 'text', text: 'ok' }] }));
    });
    const res = await withServer(server, (s) => probe({ url: s.url, call: { name: 'h', arguments: props } }));
    expect(res.ok).toBe(true);
    const call = server.requests.find((r) => r.body.includes('tools/call'))!;
    const b64 = (text: string) => `=?base64?${Buffer.from(text).toString('base64')}?=`;
    expect(call.headers['mcp-param-tab']).toBe(b64(props.tab));
    expect(call.headers['mcp-param-crlf']).toBe(b64(props.crlf));
    expect(call.headers['mcp-param-inner']).toBe('us west 1');
    expect(call.headers['mcp-param-flag']).toBe('x');
  });

  describe('401: OAuth protected-resource metadata discovery', () => {
    const metadata = { resource: 'http://127.0.0.1/mcp', authorization_servers: ['https://auth.example.com'], scopes_supported: ['mcp:read'] };

    test('without resource_metadata: /.well-known/oauth-protected-resource/<path>, then the root', async () => {
      const server = await startServer((req, reply) => {
        if (req.url === '/.well-known/oauth-protected-resource') sendJson(reply, 200, metadata);
        else if (req.method === 'GET' && req.url?.startsWith('/.well-known/')) reply.writeHead(404).end();
        else reply.writeHead(401, { 'www-authenticate': 'Bearer realm="mcp"' }).end();
      });
      const res = await withServer(server, (s) => probe({ url: s.url, transport: 'modern', timeoutMs: 3_000 }));
      expect(res.failureClass).toBe('AUTH_REQUIRED');
      expect(res.message).toMatch(/metadata found at \/\.well-known\/oauth-protected-resource: .*authorization servers https:\/\/auth\.example\.com, scopes mcp:read/);
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /mcp', 'GET /.well-known/oauth-protected-resource/mcp', 'GET /.well-known/oauth-protected-resource']);
    });

    test('an advertised same-origin resource_metadata URL is read; another origin is named, not fetched', async () => {
      const same = await startServer((req, reply) => {
        if (req.url === '/meta') sendJson(reply, 200, metadata);
        else reply.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="http://127.0.0.1:${(req.socket.localPort)}/meta"` }).end();
      });
      const found = await withServer(same, (s) => probe({ url: s.url, transport: 'modern', timeoutMs: 3_000 }));
      expect(found.message).toMatch(/advertised at http:\/\/127\.0\.0\.1:\d+\/meta.*found at \/meta/);
      const other = await startServer((_req, reply) => reply.writeHead(401, { 'www-authenticate': 'Bearer resource_metadata="http://169.254.169.254/latest/meta-data"' }).end());
      const refused = await withServer(other, (s) => probe({ url: s.url, transport: 'modern', timeoutMs: 3_000 }));
      expect(refused.message).toMatch(/on another origin \(http:\/\/169\.254\.169\.254\) and was not fetched/);
      expect(other.requests).toHaveLength(1);
    });
  });
});

test('a megabyte server name or tool name is reported cut to 256 characters, after redaction', async () => {
  const res = await withServer(await startScripted({
    'initialize': (m, r, req) => sendJson(r, 200, result(m.id, { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: `${'name '.repeat(50)}${req.headers.authorization}${'name '.repeat(200_000)}`, version: '1' } })),
    'tools/list': (m, r) => sendJson(r, 200, result(m.id, { tools: [{ name: 'to-ol'.repeat(200_000), inputSchema: {} }] })),
  }), (s) => probe({ url: s.url, transport: 'legacy', bearerToken: TOKEN }));
  expect(res.ok).toBe(true);
  expect(res.server!.name).toHaveLength(256);
  expect(res.tools[0]).toHaveLength(256);
  expectNoFragment(JSON.stringify(res), [TOKEN]);
});

test('an SSE event of many short data lines is bounded like one long line (RESPONSE_TOO_LARGE)', async () => {
  // The 2024-11-05 GET stream carries every answer, so its total cap is large; one event is not.
  const res = await withServer(await startServer((_req, reply) => {
    reply.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.write(`${'data: {"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}\n'.repeat(5_000)}`);
  }), (s) => probe({ url: s.url, transport: 'sse', maxResponseBytes: 65_536, timeoutMs: 3_000 }));
  expect(res.failureClass).toBe('RESPONSE_TOO_LARGE');
  expect(res.message).toMatch(/SSE line longer than 65536 characters/);
  // The cap named is the line's, not the stream's larger total.
  expect(res.message).toMatch(/exceeds the cap of 65536 bytes/);
});
