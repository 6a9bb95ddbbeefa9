/**
 * The example MCP server (examples/server), exercised for real: the esbuild bundle started
 * through run.sh on 127.0.0.1, driven by the legacy SDK 1.x client, the v2 client in both eras,
 * and raw HTTP; plus the pure modules (configuration, host/origin policy, session store).
 */
import * as fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  bundleExampleServer, ExampleServerProcess, initializeRequest, postMcp, REPO_ROOT, RUN_SH,
} from './support/example-server-process';
import { AccessPolicy, hostnameOf } from '../examples/server/src/access-policy';
import { ConfigError, normaliseOrigin, parseConfig, parseHostPort } from '../examples/server/src/config';
import { SessionStore } from '../examples/server/src/session-store';

/**
 * The health tool answers "ok", or only the event-loop check is degraded: that one reads the p99
 * delay since start-up, which a loaded test machine (two jest workers on two cores) can push past
 * its limit while the server is perfectly well.
 */
function expectHealthy(content: unknown): void {
  expect(content).toEqual([{ type: 'text', text: expect.stringMatching(/^(ok|degraded: eventLoop \(p99 delay \d+ ms\))$/) }]);
}

const MODERN_VERSION = '2026-07-28';
const running: ExampleServerProcess[] = [];
const clients: Array<{ close(): Promise<void> }> = [];

async function startServer(env: Record<string, string> = {}): Promise<{ server: ExampleServerProcess; port: number }> {
  const started = await ExampleServerProcess.start(env);
  running.push(started.server);
  return started;
}

async function connectV1(port: number): Promise<{ client: V1Client; transport: V1Transport }> {
  const client = new V1Client({ name: 'sdk1-test-client', version: '1.0.0' });
  const transport = new V1Transport(ExampleServerProcess.mcpUrl(port));
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

async function connectV2(port: number, mode: 'legacy' | { pin: string }): Promise<V2Client> {
  const client = new V2Client({ name: 'sdk2-test-client', version: '1.0.0' }, { versionNegotiation: { mode } });
  await client.connect(new V2Transport(ExampleServerProcess.mcpUrl(port)));
  clients.push(client);
  return client;
}

/** A raw request with full control over Host and Origin (fetch cannot set Host). */
function rawRequest(port: number, options: { method: string; path: string; headers: Record<string, string>; body?: string }):
Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method, path: options.path, headers: options.headers, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

interface RpcErrorBody {
  readonly error: { readonly code: number; readonly message: string };
}

/** The /healthz body of a running server. */
async function healthz(port: number): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Writes raw bytes to the server (node:http clients cannot send two Host headers or dribble a
 * body), each chunk after `gapMs`, and resolves with everything the server sent back before it
 * closed the connection, or after `deadlineMs` with what arrived so far.
 */
function rawExchange(port: number, chunks: readonly string[], options: { gapMs?: number; deadlineMs?: number } = {}):
Promise<{ text: string; closed: boolean; elapsedMs: number }> {
  const { gapMs = 0, deadlineMs = 8_000 } = options;
  return new Promise((resolve) => {
    const start = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (!done) {
        done = true;
        clearTimeout(deadline);
        clearInterval(writer);
        socket.destroy();
        resolve({ text, closed, elapsedMs: Date.now() - start });
      }
    };
    const deadline = setTimeout(() => finish(false), deadlineMs);
    const pending = [...chunks];
    const writer = setInterval(() => {
      const chunk = pending.shift();
      if (chunk !== undefined && !socket.destroyed) {
        socket.write(chunk);
      }
    }, Math.max(gapMs, 1));
    socket.on('data', (data: Buffer) => {
      text += data.toString('utf8');
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/** A TCP port that was free a moment ago. */
async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Opens the 2025 session's GET stream; resolves once the server answered its headers. */
async function openSessionStream(port: number, sessionId: string): Promise<{ response: Response; ended: Promise<string> }> {
  const response = await fetch(ExampleServerProcess.mcpUrl(port), {
    headers: { 'Accept': 'text/event-stream', 'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': '2025-06-18' },
    signal: AbortSignal.timeout(15_000),
  });
  const ended = (async () => {
    const reader = response.body!.getReader();
    try {
      while (!(await reader.read()).done) {
        // drain until the server ends the stream
      }
      return 'ended';
    } catch {
      return 'aborted';
    }
  })();
  return { response, ended };
}

/** The `initialize` result of a raw 2025-era handshake asking for `protocolVersion`. */
async function initializeResult(port: number, protocolVersion: string): Promise<{ protocolVersion: string; capabilities: Record<string, unknown> }> {
  const res = await postMcp(port, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw-test-client', version: '1.0.0' } },
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  const data = text.split('\n').find((line) => line.startsWith('data: '));
  const message = JSON.parse(data === undefined ? text : data.slice('data: '.length));
  return message.result;
}

const toolsListBody = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} });

beforeAll(() => {
  bundleExampleServer();
}, 90_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

describe('packaging', () => {
  test('run.sh is an LF-only POSIX script with mode 755 that execs node on the bundle next to it', () => {
    const script = fs.readFileSync(RUN_SH, 'utf8');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).not.toContain('\r');
    expect(fs.statSync(RUN_SH).mode.toString(8).slice(-3)).toBe('755');
    expect(script).toMatch(/^exec node "\$SCRIPT_DIR\/dist\/server\.js"$/m);
    expect(fs.existsSync(path.join(path.dirname(RUN_SH), 'dist', 'server.js'))).toBe(true);
  });

  test('the Dockerfile runs run.sh as a non-root user with the adapter extension and a /healthz check', () => {
    const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'server', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM \S+node:22\S*$/m);
    expect(dockerfile).toContain('COPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:1.1.0 /lambda-adapter /opt/extensions/lambda-adapter');
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/PORT=8080/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/healthz/ms);
    expect(dockerfile).toMatch(/^CMD \["\.\/run\.sh"\]$/m);
  });
});

describe('stateless mode (default)', () => {
  test('GET /healthz answers 200 with the tool count once listening, whatever the Host header', async () => {
    const { port } = await startServer();
    const res = await rawRequest(port, { method: 'GET', path: '/healthz', headers: { Host: '10.0.3.17:8080' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', tools: 3, mode: 'stateless', sessions: 0 });
  });

  test('an SDK 1.x client handshakes, lists the three tools and calls echo, get_time and health', async () => {
    const { server, port } = await startServer();
    const { client, transport } = await connectV1(port);

    expect(client.getServerVersion()).toMatchObject({ name: 'cdk-mcp-example-server' });
    expect(transport.sessionId).toBeUndefined();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'get_time', 'health']);
    expect(tools.find((tool) => tool.name === 'health')?.annotations?.readOnlyHint).toBe(true);

    const echo = await client.callTool({ name: 'echo', arguments: { text: 'hello from sdk 1' } });
    expect(echo.content).toEqual([{ type: 'text', text: 'hello from sdk 1' }]);
    const time = await client.callTool({ name: 'get_time', arguments: { timeZone: 'Europe/Paris' } });
    expect(time.structuredContent).toMatchObject({ timeZone: 'Europe/Paris' });
    expect(Math.abs((time.structuredContent as { epochMs: number }).epochMs - Date.now())).toBeLessThan(60_000);
    const health = await client.callTool({ name: 'health', arguments: {} });
    // Degraded (event-loop delay on a loaded machine, see expectHealthy) is reported as isError.
    expect(health.isError).toBe((health.content as Array<{ text: string }>)[0].text !== 'ok');
    expectHealthy(health.content);
    expect(health.structuredContent).toMatchObject({ status: 'ok', mode: 'stateless', sessions: 0 });

    await server.waitForLog((line) => line.event === 'tool_call' && line.tool === 'health');
  });

  test('a v2 client in the legacy era is served by the stateless fallback', async () => {
    const { port } = await startServer();
    const client = await connectV2(port, 'legacy');

    expect(client.getProtocolEra()).toBe('legacy');
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(3);
    const result = await client.callTool({ name: 'echo', arguments: { text: 'legacy v2' } });
    expect(result.content).toEqual([{ type: 'text', text: 'legacy v2' }]);
  });

  test('a v2 client pinned to 2026-07-28 is served natively (server/discover, no initialize)', async () => {
    const { server, port } = await startServer();
    const client = await connectV2(port, { pin: MODERN_VERSION });

    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN_VERSION);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'get_time', 'health']);
    const result = await client.callTool({ name: 'health', arguments: {} });
    expectHealthy(result.content);

    await server.waitForLog((line) => line.event === 'request' && line.rpcMethod === 'tools/call' && line.era === 'modern');
    expect(server.logs.some((line) => line.rpcMethod === 'initialize')).toBe(false);
  });

  test('a tool that fails reports isError and logs success false', async () => {
    const { server, port } = await startServer();
    const { client } = await connectV1(port);

    const result = await client.callTool({ name: 'get_time', arguments: { timeZone: 'Mars/Olympus_Mons' } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0].text).toMatch(/^Unknown time zone "Mars\/Olympus_Mons": pass an IANA name/);
    await server.waitForLog((line) => line.event === 'tool_call' && line.tool === 'get_time' && line.success === false);
  });

  test('logs one JSON line per request and per tool call, without bodies, arguments, headers or session ids', async () => {
    const { server, port } = await startServer({ MCP_SESSION_MODE: 'stateful' });
    const { client, transport } = await connectV1(port);
    const secret = 'sk-live-do-not-log-4242';

    await client.callTool({ name: 'echo', arguments: { text: secret } });

    const call = await server.waitForLog((line) => line.event === 'request' && line.rpcMethod === 'tools/call');
    expect(call).toMatchObject({ level: 'info', method: 'POST', path: '/mcp', status: 200, tool: 'echo', era: 'legacy', success: true });
    expect(typeof call.durationMs).toBe('number');
    const toolCall = await server.waitForLog((line) => line.event === 'tool_call');
    expect(toolCall).toMatchObject({ level: 'info', tool: 'echo', success: true });
    const all = server.dump();
    expect(all).not.toContain(secret);
    expect(all).not.toContain(transport.sessionId!);
    expect(all.toLowerCase()).not.toContain('mcp-session-id');
    expect(server.otherOutput).toEqual([]);
  });

  test('GET and DELETE on /mcp answer 405 in stateless mode', async () => {
    const { port } = await startServer();
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(ExampleServerProcess.mcpUrl(port), { method, headers: { Accept: 'text/event-stream' } });
      expect(res.status).toBe(405);
      await res.body?.cancel();
    }
  });

  test('invalid JSON gets a JSON-RPC parse error and an unknown path a 404 naming the endpoints', async () => {
    const { port } = await startServer();
    const bad = await rawRequest(port, {
      method: 'POST', path: '/mcp', headers: { 'Content-Type': 'application/json', 'Host': '127.0.0.1' }, body: '{"jsonrpc":',
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: -32700 } });
    const missing = await rawRequest(port, { method: 'GET', path: '/sse', headers: {} });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('POST /mcp');
  });
});

describe('host and origin allow-list', () => {
  const post = (port: number, headers: Record<string, string>) => rawRequest(port, {
    method: 'POST',
    path: '/mcp',
    headers: { 'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream', ...headers },
    body: toolsListBody,
  });

  test('a request with a foreign Host is refused with 403, a JSON-RPC error and one warn line', async () => {
    const { server, port } = await startServer();
    const res = await post(port, { Host: 'attacker.example:8080' });

    expect(res.status).toBe(403);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
    expect(body.error.message).toMatch(/Host "attacker\.example:8080" is not allowed.*MCP_ALLOWED_HOSTS/);
    const warn = await server.waitForLog((line) => line.event === 'request_rejected');
    expect(warn).toMatchObject({ level: 'warn', reason: 'host' });
  });

  test.each([
    'abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws',
    'my-alb-1234567890.us-east-1.elb.amazonaws.com',
    'xyz123.us-east-1.awsapprunner.com',
    'a1b2c3d4e5.execute-api.ap-southeast-2.amazonaws.com',
    'd111111abcdef8.cloudfront.net',
  ])('the AWS front door %s is allowed by default', async (host) => {
    const { port } = await startServer();
    const res = await post(port, { Host: host });
    expect(res.status).toBe(200);
    expect(res.body).toContain('"echo"');
  });

  test('MCP_ALLOWED_HOSTS adds exact names and *.suffix entries', async () => {
    const { port } = await startServer({ MCP_ALLOWED_HOSTS: 'mcp.example.com, *.internal.example.org' });
    expect((await post(port, { Host: 'mcp.example.com' })).status).toBe(200);
    expect((await post(port, { Host: 'a.b.internal.example.org:443' })).status).toBe(200);
    expect((await post(port, { Host: 'internal.example.org' })).status).toBe(403);
    expect((await post(port, { Host: 'other.example.com' })).status).toBe(403);
  });

  test('browser origins pass only when allow-listed, and get CORS headers', async () => {
    const { server, port } = await startServer({ MCP_ALLOWED_ORIGINS: 'https://app.example.com' });

    const allowed = await post(port, { Host: '127.0.0.1', Origin: 'https://app.example.com' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const refused = await post(port, { Host: '127.0.0.1', Origin: 'https://evil.example.net' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.message).toMatch(/Origin "https:\/\/evil\.example\.net" is not allowed.*MCP_ALLOWED_ORIGINS/);
    await server.waitForLog((line) => line.event === 'request_rejected' && line.reason === 'origin');
    const preflight = await rawRequest(port, {
      method: 'OPTIONS', path: '/mcp', headers: { 'Host': '127.0.0.1', 'Origin': 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Mcp-Session-Id/);
  });
});

describe('stateful mode (MCP_SESSION_MODE=stateful)', () => {
  test('a session is created, reused for later requests, and ended by DELETE', async () => {
    const { server, port } = await startServer({ MCP_SESSION_MODE: 'stateful' });
    const { client, transport } = await connectV1(port);
    const sessionId = transport.sessionId;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    await client.listTools();
    const health = await client.callTool({ name: 'health', arguments: {} });
    expect(health.structuredContent).toMatchObject({ mode: 'stateful', sessions: 1 });
    expect(server.logs.filter((line) => line.event === 'session_created')).toHaveLength(1);

    await transport.terminateSession();
    await server.waitForLog((line) => line.event === 'session_closed');
    const after = await postMcp(port, { jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} },
      { 'Mcp-Session-Id': sessionId!, 'MCP-Protocol-Version': '2025-11-25' });
    expect(after.status).toBe(404);
    expect(await after.json()).toMatchObject({ error: { code: -32001, message: expect.stringMatching(/Session not found/) } });
  });

  test('health reports degraded with isError when the session cap is reached', async () => {
    const { server, port } = await startServer({ MCP_SESSION_MODE: 'stateful', MCP_MAX_SESSIONS: '1' });
    const { client } = await connectV1(port);

    const health = await client.callTool({ name: 'health', arguments: {} });
    expect(health.isError).toBe(true);
    expect(health.content).toEqual([{ type: 'text', text: 'degraded: sessions (1/1 in use)' }]);
    expect(health.structuredContent).toMatchObject({ status: 'degraded', sessions: 1, maxSessions: 1 });
    await server.waitForLog((line) => line.event === 'tool_call' && line.tool === 'health' && line.success === false);
  });

  test('a request without a session id gets 400 naming the header', async () => {
    const { port } = await startServer({ MCP_SESSION_MODE: 'stateful' });
    const res = await postMcp(port, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    expect(res.status).toBe(400);
    expect(((await res.json()) as RpcErrorBody).error.message).toMatch(/Mcp-Session-Id header is required/);
  });

  test('an idle session is evicted after MCP_SESSION_TTL_SECONDS', async () => {
    const { server, port } = await startServer({ MCP_SESSION_MODE: 'stateful', MCP_SESSION_TTL_SECONDS: '1' });
    const init = await postMcp(port, initializeRequest());
    expect(init.status).toBe(200);
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.body?.cancel();

    await server.waitForLog((line) => line.event === 'session_evicted' && line.reason === 'idle', 5_000);
    const later = await postMcp(port, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
      { 'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': '2025-06-18' });
    expect(later.status).toBe(404);
    expect(await healthz(port)).toMatchObject({ sessions: 0 });
  });

  test('a new session beyond MCP_MAX_SESSIONS is refused with 503 and a JSON-RPC error', async () => {
    const { server, port } = await startServer({ MCP_SESSION_MODE: 'stateful', MCP_MAX_SESSIONS: '2' });
    for (const id of [1, 2]) {
      const res = await postMcp(port, initializeRequest(id));
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }

    const third = await postMcp(port, initializeRequest(3));
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('5');
    const body = (await third.json()) as RpcErrorBody;
    expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    expect(body.error.message).toMatch(/2 sessions are open \(MCP_MAX_SESSIONS\)/);
    await server.waitForLog((line) => line.event === 'session_rejected' && line.level === 'warn');
  });

  test('modern clients are still served, without a session', async () => {
    const { port } = await startServer({ MCP_SESSION_MODE: 'stateful' });
    const client = await connectV2(port, { pin: MODERN_VERSION });
    const result = await client.callTool({ name: 'echo', arguments: { text: 'modern in stateful' } });
    expect(result.content).toEqual([{ type: 'text', text: 'modern in stateful' }]);
    expect(await healthz(port)).toMatchObject({ mode: 'stateful', sessions: 0 });
  });
});

describe('start-up and shutdown', () => {
  test('invalid variables stop the server at start with one message naming each variable, value and fix', async () => {
    const server = new ExampleServerProcess({ PORT: 'eighty', MCP_SESSION_MODE: 'sticky', LOG_LEVEL: 'verbose' });
    running.push(server);
    const exit = await server.exited;

    expect(exit.code).toBe(1);
    const line = server.logs.find((l) => l.event === 'config_invalid');
    expect(line?.level).toBe('error');
    expect(line?.message).toMatch(/PORT="eighty" is invalid: set a TCP port/);
    expect(line?.message).toMatch(/MCP_SESSION_MODE="sticky" is invalid: set one of stateless, stateful/);
    expect(line?.message).toMatch(/LOG_LEVEL="verbose" is invalid: set one of debug, info, warn, error/);
  });

  test('a port already in use stops the server with a message naming PORT and HOST', async () => {
    const { port } = await startServer();
    const second = new ExampleServerProcess({ PORT: String(port) });
    running.push(second);

    expect((await second.exited).code).toBe(1);
    const line = second.logs.find((l) => l.event === 'listen_failed');
    expect(line).toMatchObject({ level: 'error', errorName: 'EADDRINUSE' });
    expect(line?.message).toMatch(new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port} .*set PORT to a free port`));
  });

  test('SIGTERM drains an in-flight tool call, refuses new work, and exits 0', async () => {
    const { server, port } = await startServer();
    const client = await connectV2(port, { pin: MODERN_VERSION });

    const slow = client.callTool({ name: 'echo', arguments: { text: 'drained', delayMs: 1_500 } });
    await waitUntil(async () => (await healthz(port)).inFlight === 1);
    server.signal('SIGTERM');
    await server.waitForLog((line) => line.event === 'shutdown_started');
    const during = await fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.status, () => 'refused');
    expect(['refused', 503]).toContain(during);

    await expect(slow).resolves.toMatchObject({ content: [{ type: 'text', text: 'drained' }] });
    const exit = await server.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.logs.find((line) => line.event === 'shutdown_started')).toMatchObject({ inFlight: 1 });
    expect(server.logs.find((line) => line.event === 'stopped')).toMatchObject({ reason: 'drained' });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  test('a modern subscription is acknowledged empty and ended at once: the lists never change', async () => {
    const { server, port } = await startServer();
    const client = await connectV2(port, { pin: MODERN_VERSION });
    const subscription = await client.listen({ toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true });

    expect(subscription.honoredFilter).toEqual({});
    await expect(subscription.closed).resolves.toBe('graceful');
    await server.waitForLog((line) => line.event === 'request' && line.rpcMethod === 'subscriptions/listen' && line.status === 200);
    expect(await healthz(port)).toMatchObject({ streams: 0 });
  });

  test('SIGTERM does not wait for open session streams', async () => {
    const { server, port } = await startServer({ MCP_SESSION_MODE: 'stateful' });
    const { client } = await connectV1(port);
    await client.listTools();
    await waitUntil(async () => (await healthz(port)).streams === 1);

    const start = Date.now();
    server.signal('SIGTERM');
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - start).toBeLessThan(5_000);
    expect(server.logs.find((line) => line.event === 'session_evicted')).toMatchObject({ reason: 'shutdown' });
  });
});

describe('protocol negotiation and capabilities', () => {
  test.each(['2025-03-26', '2025-06-18', '2025-11-25'])('initialize at %s is answered with the same revision', async (version) => {
    const { port } = await startServer();
    expect((await initializeResult(port, version)).protocolVersion).toBe(version);
  });

  test.each([['stateless'], ['stateful']])('an unsupported revision (2024-11-05) gets the latest supported, 2025-11-25 (%s)', async (mode) => {
    const { port } = await startServer({ MCP_SESSION_MODE: mode });
    expect((await initializeResult(port, '2024-11-05')).protocolVersion).toBe('2025-11-25');
    expect((await initializeResult(port, '2099-01-01')).protocolVersion).toBe('2025-11-25');
  });

  test('capabilities do not promise list-changed notifications the server never sends', async () => {
    const { port } = await startServer();
    const { capabilities } = await initializeResult(port, '2025-11-25');
    expect(capabilities).toEqual({ tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false } });
  });

  test('the server_info resource and the time_in_zone prompt are listed and served', async () => {
    const { port } = await startServer();
    const { client } = await connectV1(port);

    const { resources } = await client.listResources();
    expect(resources).toEqual([expect.objectContaining({ uri: 'example://server/info', name: 'server_info', mimeType: 'application/json' })]);
    const read = await client.readResource({ uri: 'example://server/info' });
    const info = JSON.parse((read.contents[0] as { text: string }).text);
    expect(info).toMatchObject({ name: 'cdk-mcp-example-server', mode: 'stateless', tools: ['echo', 'get_time', 'health'], prompts: ['time_in_zone'] });
    expect(info.protocolVersions).toEqual(['2025-11-25', '2025-06-18', '2025-03-26', '2026-07-28']);

    const { prompts } = await client.listPrompts();
    expect(prompts).toEqual([expect.objectContaining({ name: 'time_in_zone', arguments: [expect.objectContaining({ name: 'timeZone', required: true })] })]);
    const prompt = await client.getPrompt({ name: 'time_in_zone', arguments: { timeZone: 'Asia/Tokyo' } });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: expect.stringContaining('get_time tool with timeZone "Asia/Tokyo"') } }]);
  });
});

describe('HTTP hardening', () => {
  test.each(['/mcp', '/healthz'])('two Host headers on %s are refused with 400 (RFC 9112 section 3.2)', async (target) => {
    const { server, port } = await startServer();
    const body = toolsListBody;
    const { text } = await rawExchange(port, [
      `POST ${target} HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nContent-Type: application/json\r\n`
      + `Accept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    ]);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('more than one Host header');
    expect(text).not.toContain('"echo"');
    await server.waitForLog((line) => line.event === 'request_rejected' && line.reason === 'duplicate_host');
  });

  test('a body dribbled slower than MCP_BODY_TIMEOUT_SECONDS gets 408 and the connection closes', async () => {
    const { server, port } = await startServer({ MCP_BODY_TIMEOUT_SECONDS: '1' });
    const head = 'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n';
    const result = await rawExchange(port, [head, ...Array.from({ length: 60 }, () => ' ')], { gapMs: 100 });
    expect(result.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(result.text).toContain('MCP_BODY_TIMEOUT_SECONDS');
    expect(result.closed).toBe(true);
    expect(result.elapsedMs).toBeLessThan(4_000);
    await server.waitForLog((line) => line.event === 'request' && line.status === 408);
  });

  test('headers dribbled slower than MCP_HEADERS_TIMEOUT_SECONDS get the connection closed', async () => {
    const { port } = await startServer({ MCP_HEADERS_TIMEOUT_SECONDS: '1' });
    const lines = ['POST /mcp HTTP/1.1\r\n', ...Array.from({ length: 60 }, (_, i) => `X-Slow-${i}: 1\r\n`)];
    const result = await rawExchange(port, lines, { gapMs: 100 });
    expect(result.closed).toBe(true);
    expect(result.elapsedMs).toBeLessThan(4_500);
    expect(result.text === '' || /^HTTP\/1\.1 408 /.test(result.text)).toBe(true);
  });

  test('short read timeouts do not cut a slow tool call: they bound the request, not the response', async () => {
    const { port } = await startServer({ MCP_HEADERS_TIMEOUT_SECONDS: '1', MCP_BODY_TIMEOUT_SECONDS: '1' });
    const client = await connectV2(port, { pin: MODERN_VERSION });
    const result = await client.callTool({ name: 'echo', arguments: { text: 'slow but fine', delayMs: 2_500 } });
    expect(result.content).toEqual([{ type: 'text', text: 'slow but fine' }]);
  });
});

describe('session lifetimes with an open GET stream', () => {
  async function sessionWithStream(port: number): Promise<{ sessionId: string; ended: Promise<string> }> {
    const init = await postMcp(port, initializeRequest());
    expect(init.status).toBe(200);
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.body?.cancel();
    const { response, ended } = await openSessionStream(port, sessionId);
    expect(response.status).toBe(200);
    await waitUntil(async () => (await healthz(port)).streams === 1);
    return { sessionId, ended };
  }

  test('a session whose client only holds the stream open is evicted after the TTL, and the stream ends', async () => {
    const { server, port } = await startServer({ MCP_SESSION_MODE: 'stateful', MCP_SESSION_TTL_SECONDS: '1' });
    const { sessionId, ended } = await sessionWithStream(port);

    await server.waitForLog((line) => line.event === 'session_evicted' && line.reason === 'idle', 5_000);
    await expect(ended).resolves.toBe('ended');
    expect(await healthz(port)).toMatchObject({ sessions: 0, streams: 0 });
    const later = await postMcp(port, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
      { 'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': '2025-06-18' });
    expect(later.status).toBe(404);
  });

  test('streaming sessions free their slot, so a new client gets in at MCP_MAX_SESSIONS', async () => {
    const { port } = await startServer({ MCP_SESSION_MODE: 'stateful', MCP_SESSION_TTL_SECONDS: '1', MCP_MAX_SESSIONS: '1' });
    const { ended } = await sessionWithStream(port);
    const refused = await postMcp(port, initializeRequest(2));
    expect(refused.status).toBe(503);
    await refused.body?.cancel();

    await expect(ended).resolves.toBe('ended');
    const admitted = await postMcp(port, initializeRequest(3));
    expect(admitted.status).toBe(200);
    await admitted.body?.cancel();
  });

  test('a busy session is evicted at MCP_SESSION_MAX_LIFETIME_SECONDS, stream included', async () => {
    const { server, port } = await startServer({
      MCP_SESSION_MODE: 'stateful', MCP_SESSION_TTL_SECONDS: '60', MCP_SESSION_MAX_LIFETIME_SECONDS: '2',
    });
    const { sessionId, ended } = await sessionWithStream(port);
    const list = () => postMcp(port, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
      { 'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': '2025-06-18' });
    const statuses: number[] = [];
    const deadline = Date.now() + 4_000;
    while (Date.now() < deadline && !statuses.includes(404)) {
      const res = await list();
      statuses.push(res.status);
      await res.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(404);
    await server.waitForLog((line) => line.event === 'session_evicted' && line.reason === 'lifetime', 3_000);
    await expect(ended).resolves.toBe('ended');
  });
});

describe('Lambda Web Functions (AWS_LAMBDA_HTTP_ENDPOINT)', () => {
  test('the server listens on AWS_LAMBDA_HTTP_ENDPOINT instead of PORT and answers /healthz and MCP', async () => {
    const endpointPort = await freePort();
    const { server, port } = await startServer({ AWS_LAMBDA_HTTP_ENDPOINT: `127.0.0.1:${endpointPort}`, PORT: '0' });
    expect(port).toBe(endpointPort);
    expect(server.logs.find((line) => line.event === 'listening')).toMatchObject({ host: '127.0.0.1', port: endpointPort });

    expect(await healthz(endpointPort)).toMatchObject({ status: 'ok', tools: 3 });
    const { client } = await connectV1(endpointPort);
    const health = await client.callTool({ name: 'health', arguments: {} });
    expectHealthy(health.content);
  });

  test('an endpoint that is not host:port stops the server with a message naming the variable', async () => {
    const server = new ExampleServerProcess({ AWS_LAMBDA_HTTP_ENDPOINT: 'http://127.0.0.1' });
    running.push(server);
    expect((await server.exited).code).toBe(1);
    expect(server.logs.find((line) => line.event === 'config_invalid')?.message)
      .toMatch(/AWS_LAMBDA_HTTP_ENDPOINT="http:\/\/127\.0\.0\.1" is not host:port/);
  });

  test.each<[string, Record<string, string>]>([
    ['stateless', {}],
    ['stateful, with an open session stream', { MCP_SESSION_MODE: 'stateful' }],
  ])('an idle server (%s) exits 0 within 1 s of SIGTERM', async (_name, env) => {
    const endpointPort = await freePort();
    const { server, port } = await startServer({ AWS_LAMBDA_HTTP_ENDPOINT: `127.0.0.1:${endpointPort}`, ...env });
    const { client } = await connectV1(port);
    await client.listTools();
    if (env.MCP_SESSION_MODE === 'stateful') {
      await waitUntil(async () => (await healthz(port)).streams === 1);
    }

    const start = Date.now();
    server.signal('SIGTERM');
    const exit = await server.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - start).toBeLessThan(1_000);
  });

  test('under Lambda Web Functions a busy server stops waiting before the 1 s SIGKILL', async () => {
    const endpointPort = await freePort();
    const { server, port } = await startServer({ AWS_LAMBDA_HTTP_ENDPOINT: `127.0.0.1:${endpointPort}` });
    const client = await connectV2(port, { pin: MODERN_VERSION });
    const slow = client.callTool({ name: 'echo', arguments: { text: 'cut', delayMs: 5_000 } }).catch(() => 'failed');
    await waitUntil(async () => (await healthz(port)).inFlight === 1);

    const start = Date.now();
    server.signal('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(Date.now() - start).toBeLessThan(1_000);
    expect(server.logs.find((line) => line.event === 'stopped')).toMatchObject({ reason: 'grace_period_elapsed' });
    await slow;
  });
});

describe('configuration (pure)', () => {
  test('defaults match the documented contract', () => {
    expect(parseConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      sessionMode: 'stateless',
      sessionTtlMs: 900_000,
      sessionMaxLifetimeMs: 86_400_000,
      maxSessions: 1000,
      allowedHosts: [],
      allowedOrigins: [],
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      shutdownGraceMs: 20_000,
      logLevel: 'info',
    });
  });

  test('AWS_LAMBDA_HTTP_ENDPOINT replaces PORT and HOST and shortens the shutdown grace below 1 s', () => {
    expect(parseConfig({ AWS_LAMBDA_HTTP_ENDPOINT: '127.0.0.1:9001', PORT: '8080', HOST: '0.0.0.0' }))
      .toMatchObject({ host: '127.0.0.1', port: 9001, shutdownGraceMs: 800 });
    expect(parseConfig({ AWS_LAMBDA_HTTP_ENDPOINT: '', PORT: '8081' })).toMatchObject({ port: 8081, shutdownGraceMs: 20_000 });
  });

  test.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    ['127.0.0.1', undefined],
    ['127.0.0.1:70000', undefined],
    ['http://127.0.0.1:8080', undefined],
  ])('parseHostPort(%s) is %j', (value, expected) => {
    expect(parseHostPort(value)).toEqual(expected);
  });

  test('read timeouts and the session lifetime are validated like the other settings', () => {
    expect(parseConfig({ MCP_HEADERS_TIMEOUT_SECONDS: '5', MCP_BODY_TIMEOUT_SECONDS: '30', MCP_SESSION_MAX_LIFETIME_SECONDS: '3600' }))
      .toMatchObject({ headersTimeoutMs: 5_000, bodyTimeoutMs: 30_000, sessionMaxLifetimeMs: 3_600_000 });
    expect(() => parseConfig({ MCP_HEADERS_TIMEOUT_SECONDS: '0', MCP_BODY_TIMEOUT_SECONDS: '301', MCP_SESSION_MAX_LIFETIME_SECONDS: 'x' }))
      .toThrow(/MCP_SESSION_MAX_LIFETIME_SECONDS="x" is invalid[\s\S]*MCP_HEADERS_TIMEOUT_SECONDS="0" is invalid[\s\S]*MCP_BODY_TIMEOUT_SECONDS="301"/);
  });

  test('all problems are reported at once', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: '70000', MCP_SESSION_TTL_SECONDS: '0', MCP_MAX_SESSIONS: '-1', MCP_ALLOWED_HOSTS: 'https://x.com', MCP_ALLOWED_ORIGINS: 'app.example.com' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^PORT="70000" is invalid/);
    expect(problems.join('\n')).toMatch(/MCP_SESSION_TTL_SECONDS="0".*MCP_MAX_SESSIONS="-1".*MCP_ALLOWED_HOSTS entry "https:\/\/x\.com".*MCP_ALLOWED_ORIGINS entry "app\.example\.com"/s);
  });

  test('PORT=0 means any free port; lists are trimmed and normalised', () => {
    const config = parseConfig({ PORT: '0', MCP_ALLOWED_HOSTS: ' MCP.Example.com. , *.corp.example ', MCP_ALLOWED_ORIGINS: 'https://App.Example.com:443/' });
    expect(config.port).toBe(0);
    expect(config.allowedHosts).toEqual(['mcp.example.com', '*.corp.example']);
    expect(config.allowedOrigins).toEqual(['https://app.example.com']);
  });

  test.each([
    ['https://app.example.com/path', undefined],
    ['ftp://app.example.com', undefined],
    ['http://localhost:6274', 'http://localhost:6274'],
    ['https://user:pw@app.example.com', undefined],
  ])('normaliseOrigin(%s) is %s', (value, expected) => {
    expect(normaliseOrigin(value)).toBe(expected);
  });
});

describe('access policy (pure)', () => {
  const policy = new AccessPolicy(['*.example.com'], ['https://app.example.com']);

  test.each([
    ['localhost:8080', 'localhost'],
    ['[::1]:3000', '[::1]'],
    ['Example.COM.', 'example.com'],
    ['bad host', undefined],
    ['x.com@evil.net', undefined],
  ])('hostnameOf(%s) is %s', (value, expected) => {
    expect(hostnameOf(value)).toBe(expected);
  });

  test('front-door shapes must match whole labels, not substrings', () => {
    expect(policy.isAllowedHostname('abc.lambda-url.us-east-1.on.aws')).toBe(true);
    expect(policy.isAllowedHostname('abc.lambda-url.us-east-1.on.aws.evil.net')).toBe(false);
    expect(policy.isAllowedHostname('evil-cloudfront.net')).toBe(false);
    expect(policy.isAllowedHostname('example.com')).toBe(false);
    expect(policy.isAllowedHostname('a.example.com')).toBe(true);
  });

  test('requests without Origin pass; loopback and listed origins pass; others fail', () => {
    expect(policy.check('127.0.0.1:8080', undefined)).toEqual({ allowed: true });
    expect(policy.check('127.0.0.1', 'http://localhost:6274')).toEqual({ allowed: true });
    expect(policy.check('127.0.0.1', 'https://app.example.com')).toEqual({ allowed: true });
    expect(policy.check('127.0.0.1', 'null')).toMatchObject({ allowed: false, reason: 'origin' });
    expect(policy.check(undefined, undefined)).toMatchObject({ allowed: false, reason: 'host' });
  });
});

describe('session store (pure)', () => {
  class FakeSession {
    public closed = 0;
    public async close(): Promise<void> {
      this.closed++;
    }
  }
  const makeStore = (ttlMs: number, maxSessions: number) => {
    const clock = { now: 0 };
    const evictions: string[] = [];
    const store = new SessionStore<FakeSession>({ ttlMs, maxSessions, now: () => clock.now, onEvict: (reason) => evictions.push(reason) });
    return { store, clock, evictions };
  };

  test('an idle session expires after the TTL and is closed once', async () => {
    const { store, clock, evictions } = makeStore(1_000, 10);
    const session = new FakeSession();
    expect(store.tryReserve()).toBe(true);
    store.commit('a', session);

    clock.now = 999;
    expect(store.acquire('a')).toBe(session);
    store.release('a');
    clock.now = 1_998;
    expect(store.sweep()).toBe(0);
    clock.now = 1_999;
    expect(store.acquire('a')).toBeUndefined();
    await Promise.resolve();
    expect(session.closed).toBe(1);
    expect(evictions).toEqual(['idle']);
    expect(store.size).toBe(0);
  });

  test('a session with a request in flight is never evicted', () => {
    const { store, clock } = makeStore(1_000, 10);
    store.tryReserve();
    store.commit('a', new FakeSession());
    store.acquire('a');
    clock.now = 10_000;
    expect(store.sweep()).toBe(0);
    store.release('a');
    clock.now = 11_000;
    expect(store.sweep()).toBe(1);
  });

  test('an open stream is not activity: a session with only a stream open expires after the TTL', async () => {
    const { store, clock, evictions } = makeStore(1_000, 10);
    const session = new FakeSession();
    store.tryReserve();
    store.commit('a', session);
    expect(store.acquire('a', 'stream')).toBe(session);
    clock.now = 999;
    expect(store.sweep()).toBe(0);
    clock.now = 1_000;
    expect(store.sweep()).toBe(1);
    store.release('a', 'stream');
    await Promise.resolve();
    expect(session.closed).toBe(1);
    expect(evictions).toEqual(['idle']);
  });

  test('past its lifetime a session takes no request and is evicted once its requests end', async () => {
    const clock = { now: 0 };
    const evictions: string[] = [];
    const store = new SessionStore<FakeSession>({
      ttlMs: 1_000, maxLifetimeMs: 5_000, maxSessions: 10, now: () => clock.now, onEvict: (reason) => evictions.push(reason),
    });
    store.tryReserve();
    store.commit('a', new FakeSession());
    for (clock.now = 500; clock.now < 5_000; clock.now += 500) {
      expect(store.acquire('a')).toBeDefined();
      store.release('a');
    }
    clock.now = 4_900;
    expect(store.acquire('a')).toBeDefined();
    clock.now = 5_000;
    expect(store.acquire('a')).toBeUndefined();
    expect(store.sweep()).toBe(0);
    store.release('a');
    expect(store.sweep()).toBe(1);
    await Promise.resolve();
    expect(evictions).toEqual(['lifetime']);
  });

  test('reservations count against the cap, and cancelled ones free their slot', () => {
    const { store } = makeStore(1_000, 2);
    expect(store.tryReserve()).toBe(true);
    expect(store.tryReserve()).toBe(true);
    expect(store.tryReserve()).toBe(false);
    store.cancelReservation();
    expect(store.tryReserve()).toBe(true);
  });

  test('a full store makes room by evicting expired sessions first', () => {
    const { store, clock } = makeStore(1_000, 1);
    store.tryReserve();
    store.commit('old', new FakeSession());
    expect(store.tryReserve()).toBe(false);
    clock.now = 1_000;
    expect(store.tryReserve()).toBe(true);
  });

  test('closeAll closes every session and reports shutdown', async () => {
    const { store, evictions } = makeStore(1_000, 10);
    const sessions = [new FakeSession(), new FakeSession()];
    sessions.forEach((session, i) => {
      store.tryReserve();
      store.commit(`s${i}`, session);
    });
    await store.closeAll();
    expect(sessions.map((s) => s.closed)).toEqual([1, 1]);
    expect(evictions).toEqual(['shutdown', 'shutdown']);
    expect(store.size).toBe(0);
  });
});

/** Polls a condition every 25 ms for up to 5 s. */
async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
