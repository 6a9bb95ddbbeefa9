/**
 * A battery of hostile servers: one raw-TCP server (node:net, no HTTP library on the server side)
 * with one case per path the probe can take, each run in the four transport modes and with JSON
 * and human output of the CLI's main function, in-process. The probe carries a recognisable fake
 * bearer token, fake AWS keys (SigV4) and an API key header; the server reflects them wherever
 * it can. For every run: exit status 0 or 1 with a verdict, done within the deadline + 1 s, no
 * secret nor any 12-character fragment of one in any output, no control character in human output.
 */
import * as net from 'node:net';
import { Writable } from 'node:stream';

const DEADLINE_MS = 1_500;
const TOKEN = 'hostileBearerTok_5e6f7a8b9c0d1e2f';
const API_KEY = 'hostileApiKey-0a9b8c7d6e5f4a3b';
const AWS = {
  AWS_ACCESS_KEY_ID: 'AKIAHOSTILE000000042',
  AWS_SECRET_ACCESS_KEY: 'hostileSecretKey/9x8y7z6w5v4u3t2s1r0qPONM',
  AWS_SESSION_TOKEN: 'hostileSessionToken+AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
};
const SECRETS = [TOKEN, API_KEY, ...Object.values(AWS)];
const TRANSPORTS = ['auto', 'modern', 'legacy', 'sse'] as const;

type Main = (argv: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream) => Promise<number>;
let main: Main;

beforeAll(() => {
  // main.ts runs itself when loaded: give that run --help (harmless), then drive main directly.
  const argv = process.argv;
  const write = process.stdout.write;
  process.argv = [argv[0], 'mcp-probe', '--help'];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      main = (require('../../lambda/cli/main') as { main: Main }).main;
    });
  } finally {
    process.argv = argv;
  }
  // The self-run writes its help asynchronously; restore stdout after it.
  return new Promise<void>((resolve) => setTimeout(() => {
    process.stdout.write = write;
    process.exitCode = undefined;
    resolve();
  }, 50));
});

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What a case does with one request: a raw response, or a socket action. */
type Reply = string | Buffer | { hang: true } | { drip: string } | { half: string } | { sse: string };
type Case = (req: RawRequest, rpc: { method?: string; id?: unknown }) => Reply;

const reflected = (req: RawRequest) => Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');

function http(status: number, headers: Record<string, string>, body: string | Buffer): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const head = [`HTTP/1.1 ${status} X`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${bytes.length}`, 'connection: close', '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}
const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  http(status, { 'content-type': 'application/json', ...headers }, typeof body === 'string' ? body : JSON.stringify(body));

/** A minimal MCP server (every era) whose names are hostile: reflected secrets and control characters. */
function mcp(name: (req: RawRequest) => string, tools: (req: RawRequest, cursor: unknown) => unknown): Case {
  return (req, rpc) => {
    if (req.method === 'GET') return { sse: 'event: endpoint\ndata: /mcp?sse=1\n\n' };
    if (rpc.id === undefined) return http(202, {}, '');
    const serverInfo = { name: name(req), version: `v-${req.headers['x-api-key'] ?? ''}` };
    switch (rpc.method) {
      case 'server/discover':
        return jsonReply(200, { jsonrpc: '2.0', id: rpc.id, result: { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo } });
      case 'initialize':
        return jsonReply(200, { jsonrpc: '2.0', id: rpc.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo } }, { 'mcp-session-id': `sess-${req.headers.authorization ?? 'none'}`.replace(/[^\x21-\x7e]/g, '_') });
      case 'tools/list':
        return jsonReply(200, { jsonrpc: '2.0', id: rpc.id, result: tools(req, (rpc as { params?: { cursor?: unknown } }).params?.cursor) });
      default:
        return jsonReply(200, { jsonrpc: '2.0', id: rpc.id, error: { code: -32603, message: `failed: ${reflected(req)}` } });
    }
  };
}

const DEEP = `${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`;

const CASES: Record<string, Case> = {
  'deep JSON body': () => jsonReply(200, DEEP),
  'deep JSON in an SSE event': () => http(200, { 'content-type': 'text/event-stream' }, `data: ${DEEP}\n\n`),
  'JSON-RPC error reflecting every request header': (req, rpc) => jsonReply(400, { jsonrpc: '2.0', id: rpc.id ?? null, error: { code: -32000, message: reflected(req) } }),
  'server and tool names reflecting the secrets': mcp((req) => `srv ${req.headers.authorization}`, (req) => ({
    tools: [{ name: String(req.headers.authorization), inputSchema: {} }, { name: `k ${req.headers['x-api-key']}`, inputSchema: {} }, { name: `t ${req.headers['x-amz-security-token']}`, inputSchema: {} }],
  })),
  'control characters and a forged verdict in names': mcp(() => 'evil\r\nPASS OK: forged\u001b]0;pwned\u0007\u001b[2J', () => ({
    tools: [{ name: 'x\nPASS OK: all tools fine\u001b[31m\u009b1m', inputSchema: {} }, { name: 'report\u202eexe.txt\u2028next\u007f', inputSchema: {} }],
  })),
  'a pagination loop': mcp(() => 'pager', (_req, cursor) => ({ tools: [{ name: `t${String(cursor ?? 0)}`, inputSchema: {} }], nextCursor: `${String(cursor ?? 0)}x` })),
  'HTML reflecting the request': (req) => http(200, { 'content-type': 'text/html' }, `<html><body><pre>${reflected(req)}</pre>\u001b[2J</body></html>`),
  '401 reflecting the token, with same-origin metadata that reflects it too': (req) => (req.path.startsWith('/.well-known') || req.path === '/meta'
    ? jsonReply(200, { resource: req.headers.authorization, authorization_servers: [`https://as.example/${req.headers['x-api-key']}`] })
    : http(401, { 'www-authenticate': `Bearer error="invalid_token", error_description="${req.headers.authorization}", resource_metadata="/meta"` }, '')),
  'redirect to a URL carrying the token': (req) => http(302, { location: `https://evil.example/cb?t=${encodeURIComponent(req.headers.authorization ?? '')}&k=${req.headers['x-api-key']}` }, ''),
  'Content-Length far over the cap': () => Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 99999999999\r\n\r\n{', 'latin1'),
  'an invalid header token': () => Buffer.from('HTTP/1.1 200 OK\r\nBad Header\u0001: x\r\n\r\n', 'latin1'),
  'binary garbage instead of HTTP': () => Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0d, 0x0a]),
  'connection reset mid-body': () => ({ half: 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"jsonrpc":"2.0","id":1,"res' }),
  'an SSE stream that primes, closes and primes again forever': (req) => http(200, { 'content-type': 'text/event-stream' }, `id: ${req.headers.authorization}\nretry: 10\ndata: \n\n`),
  'a keep-alive drip that never answers': () => ({ drip: 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n' }),
  'an accepted connection that never answers': () => ({ hang: true }),
};

/** One raw-TCP server running one case; GET SSE streams stay open so the 2024-11-05 POST answers can follow on them. */
async function startRaw(handle: Case): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stream: net.Socket | undefined;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [line, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const length = Number(headers['content-length'] ?? 0);
      if (buffer.length < end + 4 + length) return;
      const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      buffer = buffer.subarray(end + 4 + length);
      const [method, path] = line.split(' ');
      let rpc: { method?: string; id?: unknown } = {};
      try {
        rpc = JSON.parse(body);
      } catch {
        // Not JSON (GET, DELETE): the case decides.
      }
      const reply = handle({ method, path, headers, body }, rpc);
      if (path.includes('sse=1') && stream && !stream.destroyed && Buffer.isBuffer(reply) && rpc.id !== undefined) {
        // The 2024-11-05 transport: the answer goes on the GET stream, the POST gets 202.
        const text = reply.toString('utf8');
        stream.write(`event: message\ndata: ${text.slice(text.indexOf('\r\n\r\n') + 4)}\n\n`);
        socket.end(http(202, {}, ''));
      } else if (Buffer.isBuffer(reply) || typeof reply === 'string') {
        socket.end(reply);
      } else if ('sse' in reply) {
        stream = socket;
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n${reply.sse}`);
      } else if ('half' in reply) {
        socket.write(reply.half, () => socket.destroy());
      } else if ('drip' in reply) {
        socket.write(reply.drip);
        const timer = setInterval(() => socket.write(': keep-alive\n\n'), 100);
        timers.add(timer);
        socket.on('close', () => clearInterval(timer));
      }
      // { hang: true }: read, never answer.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function sink(): { stream: Writable; text(): string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    text: () => text,
  };
}

interface Run {
  code: number;
  out: string;
  err: string;
  ms: number;
}

async function runCli(url: string, transport: string, json: boolean, auth: 'bearer' | 'sigv4'): Promise<Run> {
  const out = sink();
  const err = sink();
  const argv = [url, '--timeout', String(DEADLINE_MS), '--transport', transport, '--header', `X-Api-Key: ${API_KEY}`, '--call', 'echo',
    ...(json ? ['--json'] : []), ...(auth === 'bearer' ? ['--bearer-env', 'HOSTILE_TOKEN'] : ['--sigv4', 'us-east-1'])];
  const started = Date.now();
  const code = await main(argv, { HOSTILE_TOKEN: TOKEN, ...AWS }, out.stream, err.stream);
  return { code, out: out.text(), err: err.text(), ms: Date.now() - started };
}

function expectClean(run: Run, json: boolean): void {
  const all = run.out + run.err;
  for (const secret of SECRETS) {
    for (let i = 0; i + 12 <= secret.length; i++) {
      if (all.includes(secret.slice(i, i + 12))) throw new Error(`output leaks ${JSON.stringify(secret.slice(i, i + 12))} of a secret:\n${all}`);
    }
  }
  if (json) {
    // JSON escapes C0 controls itself; DEL, C1, the line separators and bidi controls are escaped too.
    expect(run.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    const result = JSON.parse(run.out);
    expect(typeof result.failureClass).toBe('string');
    expect(result.ok).toBe(run.code === 0);
  } else {
    expect(run.out).toMatch(/^(PASS|FAIL) /m);
    // Only line feeds between lines; no ESC, CR, BEL, C1 or other control character anywhere.
    expect(run.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(run.out.split('\n').filter((l) => /^(PASS|FAIL) /.test(l))).toHaveLength(1);
  }
}

describe.each(Object.entries(CASES))('hostile server: %s', (_name, handle) => {
  test('all four transports, JSON and human output: a verdict, in time, nothing leaked or forged', async () => {
    const server = await startRaw(handle);
    try {
      const runs = await Promise.all(TRANSPORTS.flatMap((transport, t) => [true, false].map(async (json) => {
        // Both credential kinds meet both output formats across the transports.
        const auth = (t % 2 === 0) === json ? 'bearer' : 'sigv4';
        return { transport, json, run: await runCli(server.url, transport, json, auth) };
      })));
      for (const { transport, json, run } of runs) {
        try {
          expect([0, 1]).toContain(run.code);
          expect(run.ms).toBeLessThan(DEADLINE_MS + 1_000);
          expectClean(run, json);
        } catch (error) {
          throw new Error(`transport ${transport}, ${json ? 'JSON' : 'human'} output: ${(error as Error).message}\n${run.out}${run.err}`);
        }
      }
    } finally {
      await server.close();
    }
  });
});
