/**
 * What the probe puts on the wire and how it reads what comes back: modern and legacy request
 * shapes, SSE answers trickled in small chunks after notifications, and tools/list pagination.
 */
import { result, sendJson, startScripted, startServer, type RpcMessage } from './fixtures/http-server';
import { probe } from '../../lambda/probe';

describe('requests on the wire', () => {
  test('the modern attempt carries the protocol headers and the _meta envelope, then legacy follows the rules', async () => {
    const server = await startScripted();
    try {
      const res = await probe({ url: server.url, call: { name: 'echo', arguments: { text: 'x' } } });
      expect(res).toMatchObject({ ok: true, era: 'legacy' });
      const [discover, initialize, initialized, list, call] = server.requests;
      // Modern: POST server/discover with MCP-Protocol-Version, Mcp-Method and the _meta envelope.
      expect(discover.headers).toMatchObject({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover', 'accept': 'application/json, text/event-stream' });
      expect((JSON.parse(discover.body) as RpcMessage).params?._meta).toEqual({
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'cdk-mcp-probe', version: '1.0.0' },
        // W3C trace context (SEP-414), the same value as the request's traceparent header.
        'traceparent': discover.headers.traceparent,
      });
      // Legacy: initialize offers the newest legacy version and carries no protocol header yet.
      expect(JSON.parse(initialize.body)).toMatchObject({ method: 'initialize', params: { protocolVersion: '2025-11-25', clientInfo: { name: 'cdk-mcp-probe' } } });
      expect(initialize.headers['mcp-protocol-version']).toBeUndefined();
      expect(JSON.parse(initialized.body)).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
      for (const r of [initialized, list, call]) expect(r.headers['mcp-protocol-version']).toBe('2025-11-25');
      expect(JSON.parse(call.body)).toMatchObject({ method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } });
      // Without a session id there is no session to end: no DELETE.
      expect(server.requests.map((r) => r.method)).not.toContain('DELETE');
    } finally {
      await server.close();
    }
  });
});

describe('SSE answers', () => {
  test('an answer trickled in tiny chunks after keep-alives, notifications and another id is found', async () => {
    const server = await startScripted({
      '*': (message, res) => {
        if (message.id === undefined) return false;
        const answer = message.method === 'initialize'
          ? result(message.id, { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'trickle', version: '3' } })
          : message.method === 'tools/list'
            ? result(message.id, { tools: [{ name: 't1', inputSchema: { type: 'object' } }] })
            : { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } };
        const stream = [
          ': keepalive\r\n\r\n',
          'event: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}\r\n\r\n',
          `data: ${JSON.stringify({ jsonrpc: '2.0', id: 'other', result: {} })}\n\n`,
          `id: 1\nevent: message\ndata: ${JSON.stringify(answer)}\n\n`,
        ].join('');
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let offset = 0;
        const tick = () => {
          if (offset >= stream.length) {
            res.end();
            return;
          }
          res.write(stream.slice(offset, offset + 7));
          offset += 7;
          setTimeout(tick, 0);
        };
        tick();
        return true;
      },
    });
    try {
      const res = await probe({ url: server.url });
      expect(res).toMatchObject({ ok: true, era: 'legacy', protocolVersion: '2025-06-18', tools: ['t1'] });
    } finally {
      await server.close();
    }
  });
});

describe('tools/list pagination', () => {
  const page = (n: number) => ({ name: `tool_${n}`, inputSchema: { type: 'object' } });

  test('every page is followed and hashed', async () => {
    const server = await startScripted({
      'tools/list': (m, res) => {
        const cursor = Number((m.params?.cursor as string | undefined) ?? '0');
        sendJson(res, 200, result(m.id, { tools: [page(cursor)], ...(cursor < 2 ? { nextCursor: String(cursor + 1) } : {}) }));
      },
    });
    try {
      const res = await probe({ url: server.url, expectTools: ['tool_0', 'tool_2'] });
      expect(res).toMatchObject({ ok: true, toolCount: 3, tools: ['tool_0', 'tool_1', 'tool_2'] });
    } finally {
      await server.close();
    }
  });

  test('an endless cursor chain stops at maxToolPages and says the list was cut (TOOLS_TRUNCATED, no hash)', async () => {
    const server = await startScripted({
      'tools/list': (m, res) => {
        const cursor = Number((m.params?.cursor as string | undefined) ?? '0');
        sendJson(res, 200, result(m.id, { tools: [page(cursor)], nextCursor: String(cursor + 1) }));
      },
    });
    try {
      const res = await probe({ url: server.url, maxToolPages: 3 });
      expect(res).toMatchObject({ ok: false, failureClass: 'TOOLS_TRUNCATED', layer: 'tools', toolCount: 3, toolsHash: null });
      expect(res.message).toMatch(/after 3 pages .*nextCursor/);
      expect(server.requests.filter((r) => r.body.includes('tools/list'))).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  test('a cursor that repeats stops the listing instead of looping, and says the list was cut', async () => {
    const server = await startScripted({
      'tools/list': (m, res) => sendJson(res, 200, result(m.id, { tools: [page(m.params?.cursor ? 1 : 0)], nextCursor: 'same' })),
    });
    try {
      const res = await probe({ url: server.url });
      expect(res).toMatchObject({ ok: false, failureClass: 'TOOLS_TRUNCATED', toolCount: 2, toolsHash: null });
      expect(res.message).toMatch(/repeated the cursor/);
    } finally {
      await server.close();
    }
  });

  test('a tools/list result without a tools array is PROTOCOL_ERROR', async () => {
    const server = await startScripted({ 'tools/list': (m, res) => sendJson(res, 200, result(m.id, { items: [] })) });
    try {
      const res = await probe({ url: server.url });
      expect(res).toMatchObject({ failureClass: 'PROTOCOL_ERROR', era: 'legacy' });
    } finally {
      await server.close();
    }
  });
});

describe('edge cases of each transport', () => {
  const discoverWith = (discover: Record<string, unknown>) => startScripted({
    'server/discover': (m, res) => sendJson(res, 200, result(m.id, discover)),
  });

  test('a server/discover result without supportedVersions is PROTOCOL_ERROR when modern is forced', async () => {
    const server = await discoverWith({ capabilities: {} });
    try {
      const res = await probe({ url: server.url, transport: 'modern' });
      expect(res).toMatchObject({ failureClass: 'PROTOCOL_ERROR', era: null });
      expect(res.message).toMatch(/lacks "supportedVersions" or "capabilities"/);
    } finally {
      await server.close();
    }
  });

  test('a server/discover listing only legacy versions makes auto-detection fall back to initialize', async () => {
    const server = await discoverWith({ supportedVersions: ['2025-06-18'], capabilities: {} });
    try {
      const res = await probe({ url: server.url });
      expect(res).toMatchObject({ ok: true, era: 'legacy' });
    } finally {
      await server.close();
    }
  });

  test('a server/discover listing only unknown versions is VERSION_MISMATCH', async () => {
    const server = await discoverWith({ supportedVersions: ['2031-01-01'], capabilities: {} });
    try {
      const res = await probe({ url: server.url });
      expect(res).toMatchObject({ failureClass: 'VERSION_MISMATCH' });
      expect(res.message).toMatch(/supports 2031-01-01/);
    } finally {
      await server.close();
    }
  });

  test('an HTTP+SSE endpoint event pointing at another origin is refused (no SSRF)', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: http://169.254.169.254/latest/meta-data\n\n');
    });
    try {
      const res = await probe({ url: server.url, transport: 'sse' });
      expect(res).toMatchObject({ failureClass: 'PROTOCOL_ERROR' });
      expect(res.message).toMatch(/points at another origin/);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test('the HTTP+SSE session id in the endpoint URL never appears in the message', async () => {
    const server = await startServer((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: endpoint\ndata: /messages?sid=7f3e2d1c-sess-0042\n\n');
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`no handler for ${req.url}`);
    });
    try {
      const res = await probe({ url: server.url, transport: 'sse' });
      expect(res).toMatchObject({ failureClass: 'HTTP_ERROR', httpStatus: 500 });
      expect(res.message).toMatch(/no handler for \/messages\?sid=\[REDACTED\]/);
      expect(res.message).not.toContain('7f3e2d1c-sess-0042');
    } finally {
      await server.close();
    }
  });

  test('a sentinel asking for input (modern input_required) is TOOL_ERROR', async () => {
    const server = await startScripted({
      'tools/call': (m, res) => sendJson(res, 200, result(m.id, { resultType: 'input_required', inputRequests: {} })),
    });
    try {
      const res = await probe({ url: server.url, call: { name: 'echo' } });
      expect(res).toMatchObject({ failureClass: 'TOOL_ERROR' });
      expect(res.message).toMatch(/asked for input/);
    } finally {
      await server.close();
    }
  });

  test('an SSE answer marked as a throttling exception is THROTTLED without reading the stream', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-amzn-errortype': 'ThrottlingException' });
      res.write(': open\n\n');
    });
    try {
      const res = await probe({ url: server.url, timeoutMs: 2_000 });
      expect(res).toMatchObject({ failureClass: 'THROTTLED', httpStatus: 200 });
      expect(res.timings.totalMs).toBeLessThan(1_000);
    } finally {
      await server.close();
    }
  });
});
