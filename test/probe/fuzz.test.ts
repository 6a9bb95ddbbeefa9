/**
 * Whatever a server sends, the probe neither hangs nor throws: a raw TCP server on 127.0.0.1
 * answers every request with arbitrary bytes built by fast-check (HTTP heads, SSE and JSON-RPC
 * fragments, garbage), in arbitrary chunks, then ends, hangs or resets.
 */
import * as net from 'node:net';
import * as fc from 'fast-check';
import { FAILURE_CLASSES, probe } from '../../lambda/probe';

interface Script {
  chunks: string[];
  finish: 'end' | 'hang' | 'reset';
}

const fragment = fc.oneof(
  fc.constantFrom(
    'HTTP/1.1 200 OK\r\n', 'HTTP/1.1 400 Bad Request\r\n', 'HTTP/1.1 404 Not Found\r\n', 'HTTP/1.1 502 Bad Gateway\r\n', 'HTTP/1.0 302 Found\r\n',
    'Content-Type: application/json\r\n', 'Content-Type: text/event-stream\r\n', 'Content-Type: text/html\r\n',
    'Content-Length: 5\r\n', 'Content-Length: 999999999\r\n', 'Transfer-Encoding: chunked\r\n', 'Mcp-Session-Id: s-1\r\n',
    'x-amzn-ErrorType: ThrottlingException\r\n', 'Server: awselb/2.0\r\n', 'Location: http://127.0.0.1:1/\r\n', '\r\n',
    'data: {"jsonrpc":"2.0","id":1,"result":{}}\n\n', ': keepalive\n\n', 'event: endpoint\ndata: /messages?s=1\n\n',
    '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"f","version":"1"}}}',
    '{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"t"}]}}', '{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"x"}}',
    '5\r\nhello\r\n0\r\n\r\n', '<html>', '{}', 'null', '\0\xff\xfe',
  ),
  fc.string({ maxLength: 40 }),
);
const statusLine = fc.constantFrom('HTTP/1.1 200 OK', 'HTTP/1.1 202 Accepted', 'HTTP/1.1 400 Bad Request', 'HTTP/1.1 404 Not Found', 'HTTP/1.1 429 Too Many', 'HTTP/1.1 504 Timeout');
const headerLine = fc.constantFrom(
  'Content-Type: application/json', 'Content-Type: text/event-stream', 'Content-Type: text/html', 'Content-Length: 5',
  'Content-Length: 0', 'Transfer-Encoding: chunked', 'Mcp-Session-Id: s-1', 'x-amz-apigw-id: a', 'Connection: close',
);
/** Either raw fragments, or a well-formed head followed by arbitrary body fragments. */
const script: fc.Arbitrary<Script> = fc.record({
  chunks: fc.oneof(
    fc.array(fragment, { maxLength: 12 }),
    fc.tuple(statusLine, fc.uniqueArray(headerLine, { maxLength: 4 }), fc.array(fragment, { maxLength: 8 }))
      .map(([line, headers, body]) => [`${line}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`, ...body]),
  ),
  finish: fc.constantFrom('end', 'hang', 'reset'),
});

describe('probe robustness', () => {
  let server: net.Server;
  let port = 0;
  let current: Script = { chunks: [], finish: 'end' };
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      const plan = current;
      socket.on('data', async () => {
        for (const chunk of plan.chunks) {
          if (socket.destroyed) return;
          socket.write(Buffer.from(chunk, 'latin1'));
          await new Promise((r) => setImmediate(r));
        }
        if (plan.finish === 'end') socket.end();
        if (plan.finish === 'reset') socket.resetAndDestroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('arbitrary server bytes always end in a known class within the deadline', async () => {
    const known = new Set<string>(['OK', ...FAILURE_CLASSES]);
    const seen = new Set<string>();
    await fc.assert(fc.asyncProperty(script, fc.constantFrom<'auto' | 'modern' | 'legacy' | 'sse'>('auto', 'modern', 'legacy', 'sse'), async (plan, transport) => {
      current = plan;
      const started = Date.now();
      let guard: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => {
        guard = setTimeout(() => reject(new Error('the probe did not resolve within 5 s of a 300 ms deadline')), 5_000);
      });
      const result = await Promise.race([probe({ url: `http://127.0.0.1:${port}/mcp`, transport, timeoutMs: 300, call: { name: 't' } }), hung])
        .finally(() => clearTimeout(guard));
      for (const s of sockets) s.destroy();
      expect(known.has(result.failureClass)).toBe(true);
      seen.add(result.failureClass);
      expect(result.message).not.toMatch(/\n/);
      expect(result.message).not.toMatch(/internal probe error/);
      // The deadline, plus at most the bounded session clean-up and scheduling slack.
      expect(Date.now() - started).toBeLessThan(300 + 2_500);
    }), { numRuns: 150, endOnFailure: true });
    // The generator reaches past the HTTP layer: several distinct classes come out.
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });
});
