/**
 * The TypeScript request-record helper on real SDK servers on 127.0.0.1: SDK 2.x
 * (`createMcpHandler`, both eras, JSON and SSE responses) and SDK 1.x (stateful Streamable HTTP,
 * SSE responses). Every record is parsed and checked field by field against the contract.
 */
import { createHash } from 'node:crypto';
import {
  CLIENT, HEADER_TRACE, META_TRACE, REGISTERED, SECRET_ARGUMENT, SECRET_TOKEN, legacySession, modern, post,
  startRecordedSdk1, startRecordedSdk2, traceparent, waitForRecords, type RecordedServer,
} from './fixtures';
import { REQUEST_RECORD_MARKER } from '../../src/contract/request-record';
import { McpRequestRecords } from '../../src/records';

/** The fields every record has, whatever the request. */
function common(method: string, era: 'modern' | 'legacy') {
  return {
    record: REQUEST_RECORD_MARKER,
    record_version: 1,
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    mcp: expect.objectContaining({ method: { name: method }, server: { operation: { duration_ms: expect.any(Number) } } }),
    cdk_mcp: expect.objectContaining({ era }),
    jsonrpc: { request: { id: expect.any(String) } },
  };
}

/** No argument value, token or raw session id in any line. */
function expectNothingSecret(server: RecordedServer, sessionId?: string): void {
  const all = server.lines.join('\n');
  expect(all).not.toContain(SECRET_ARGUMENT);
  expect(all).not.toContain(SECRET_TOKEN);
  expect(all).not.toContain('kaboom');
  expect(all).not.toContain('widget service');
  if (sessionId) expect(all).not.toContain(sessionId);
}

describe('SDK 2.x createMcpHandler with the helper', () => {
  let server: Awaited<ReturnType<typeof startRecordedSdk2>>;
  beforeAll(async () => {
    server = await startRecordedSdk2();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.lines.length = 0;
  });

  test('modern era: server/discover and a registered tool call give one record each, every field filled', async () => {
    await modern(server.url, 1, 'server/discover', {}, { meta: { traceparent: traceparent(META_TRACE) } });
    const call = await modern(server.url, 2, 'tools/call', { name: 'echo', arguments: { text: SECRET_ARGUMENT } }, {
      meta: { traceparent: traceparent(META_TRACE) },
      headers: { authorization: `Bearer ${SECRET_TOKEN}`, traceparent: traceparent(HEADER_TRACE) },
    });
    expect(call.text).toContain(SECRET_ARGUMENT); // the tool did answer with it
    const records = await waitForRecords(server, 2);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ ...common('server/discover', 'modern'), trace_id: META_TRACE });
    expect(records[0].gen_ai).toBeUndefined();
    expect(records[1]).toEqual({
      ...common('tools/call', 'modern'),
      mcp: {
        method: { name: 'tools/call' },
        server: { operation: { duration_ms: expect.any(Number) } },
        protocol: { version: '2026-07-28' },
      },
      gen_ai: { tool: { name: 'echo' } },
      cdk_mcp: { tool: { registered: true }, outcome: 'ok', era: 'modern' },
      client: { name: CLIENT.name, version: CLIENT.version },
      // _meta first (SEP-414), then the HTTP header.
      trace_id: META_TRACE,
      jsonrpc: { request: { id: '2' } },
    });
    expect(records[1].mcp.server.operation.duration_ms).toBeGreaterThan(0);
    expectNothingSecret(server);
  });

  test('the HTTP traceparent header gives the trace id when _meta has none', async () => {
    await modern(server.url, 3, 'tools/list', {}, { headers: { traceparent: traceparent(HEADER_TRACE) } });
    const [record] = await waitForRecords(server, 1);
    expect(record).toMatchObject({ ...common('tools/list', 'modern'), trace_id: HEADER_TRACE, cdk_mcp: { outcome: 'ok' } });
  });

  test('an isError result is a tool_error; a tool that throws is answered isError by the SDK, so a tool_error too', async () => {
    await modern(server.url, 4, 'tools/call', { name: 'broken', arguments: {} });
    await modern(server.url, 5, 'tools/call', { name: 'throws', arguments: {} });
    const records = await waitForRecords(server, 2);
    for (const [record, tool] of [[records[0], 'broken'], [records[1], 'throws']] as const) {
      expect(record).toMatchObject({
        gen_ai: { tool: { name: tool } },
        cdk_mcp: { tool: { registered: true }, outcome: 'tool_error' },
        error: { type: 'tool_error' },
      });
      expect(record.rpc).toBeUndefined();
    }
    expectNothingSecret(server);
  });

  test('an unknown tool: SDK 2.x answers -32602, recorded as an error with the code and registered false', async () => {
    const res = await modern(server.url, 6, 'tools/call', { name: 'no_such_tool', arguments: {} });
    expect(res.text).toContain('-32602');
    const [record] = await waitForRecords(server, 1);
    expect(record).toMatchObject({
      gen_ai: { tool: { name: 'no_such_tool' } },
      cdk_mcp: { tool: { registered: false }, outcome: 'error' },
      error: { type: '-32602' },
      rpc: { response: { status_code: -32602 } },
    });
  });

  test('an unknown method: -32601 recorded as an error', async () => {
    await modern(server.url, 7, 'no/such/method');
    const [record] = await waitForRecords(server, 1);
    expect(record).toMatchObject({ mcp: { method: { name: 'no/such/method' } }, cdk_mcp: { outcome: 'error' }, error: { type: '-32601' } });
  });

  test('legacy era (stateless): initialize, then a tool call; the notification gets no record', async () => {
    const session = await legacySession(server.url, { traceparent: traceparent(HEADER_TRACE) });
    await session.request(2, 'tools/call', { name: 'echo', arguments: { text: SECRET_ARGUMENT } });
    const records = await waitForRecords(server, 2);
    expect(records.map((r) => r.mcp.method.name)).toEqual(['initialize', 'tools/call']);
    expect(records[0]).toMatchObject({
      ...common('initialize', 'legacy'),
      mcp: { protocol: { version: '2025-11-25' } },
      client: { name: CLIENT.name, version: CLIENT.version },
      cdk_mcp: { outcome: 'ok', era: 'legacy' },
      trace_id: HEADER_TRACE,
    });
    expect(records[1]).toMatchObject({
      ...common('tools/call', 'legacy'),
      mcp: { protocol: { version: '2025-11-25' } },
      gen_ai: { tool: { name: 'echo' } },
      cdk_mcp: { tool: { registered: true }, outcome: 'ok' },
    });
    // Stateless: no session, so no session hash.
    expect(records[1].mcp.session).toBeUndefined();
    expectNothingSecret(server);
  });

  test('a handler called with a Request alone (no parsed body) is recorded from a copy of the body', async () => {
    const lines: string[] = [];
    const records = new McpRequestRecords({ write: (l) => void lines.push(l), tools: ['echo'] });
    const handler = records.wrapHandler({
      fetch: async (request: Request, _options?: { parsedBody?: unknown }) => new Response(JSON.stringify({ jsonrpc: '2.0', id: 9, result: { tools: [] } }), {
        headers: { 'content-type': 'application/json', 'x-body': await request.text() },
      }),
    });
    const res = await handler.fetch(new Request('http://127.0.0.1/mcp', {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} }),
    }));
    // The handler read the whole body itself.
    expect(res.headers.get('x-body')).toContain('tools/list');
    await expect(res.json()).resolves.toMatchObject({ id: 9 });
    for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(JSON.parse(lines[0])).toMatchObject({ mcp: { method: { name: 'tools/list' } }, cdk_mcp: { outcome: 'ok' }, jsonrpc: { request: { id: '9' } } });
  });

  test('a writer that throws never fails the request', async () => {
    const records = new McpRequestRecords({
      write: () => {
        throw new Error('disk full');
      },
    });
    const handler = records.wrapHandler({
      fetch: async (_request: Request) => new Response(JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} }), { headers: { 'content-type': 'application/json' } }),
    });
    const res = await handler.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' }));
    await expect(res.json()).resolves.toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });
});

describe('SDK 2.x with SSE responses', () => {
  let server: RecordedServer;
  beforeAll(async () => {
    server = await startRecordedSdk2('sse');
  });
  afterAll(() => server.close());

  test('a streamed (SSE) response is recorded when its response event passes, and the client still reads it whole', async () => {
    const res = await modern(server.url, 1, 'tools/call', { name: 'echo', arguments: { text: SECRET_ARGUMENT } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.text).toContain(SECRET_ARGUMENT);
    const [record] = await waitForRecords(server, 1);
    expect(record).toMatchObject({ ...common('tools/call', 'modern'), cdk_mcp: { tool: { registered: true }, outcome: 'ok' } });
    expectNothingSecret(server);
  });
});

describe('SDK 1.x stateful Streamable HTTP (SSE responses) with the helper attached', () => {
  let server: RecordedServer;
  beforeAll(async () => {
    server = await startRecordedSdk1();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.lines.length = 0;
  });

  test('legacy session: initialize, tools/list, a tool call, an isError tool, a throwing tool, an unknown tool', async () => {
    const session = await legacySession(server.url, { authorization: `Bearer ${SECRET_TOKEN}` });
    expect(session.sessionId).toBeDefined();
    await session.request(2, 'tools/list');
    await session.request(3, 'tools/call', { name: 'echo', arguments: { text: SECRET_ARGUMENT }, _meta: { traceparent: traceparent(META_TRACE) } },
      { traceparent: traceparent(HEADER_TRACE) });
    await session.request(4, 'tools/call', { name: 'broken', arguments: {} });
    await session.request(5, 'tools/call', { name: 'throws', arguments: {} });
    const unknown = await session.request(6, 'tools/call', { name: 'no_such_tool', arguments: {} });
    // SDK 1.x answers an unknown tool with an error result, not a JSON-RPC error.
    expect(unknown.text).toContain('"isError":true');
    const records = await waitForRecords(server, 6);
    expect(records.map((r) => r.mcp.method.name)).toEqual(['initialize', 'tools/list', 'tools/call', 'tools/call', 'tools/call', 'tools/call']);
    const hash = createHash('sha256').update(session.sessionId!).digest('hex').slice(0, 16);
    for (const record of records) {
      expect(record).toMatchObject({
        ...common(record.mcp.method.name, 'legacy'),
        mcp: { protocol: { version: '2025-11-25' }, session: { id_sha256: hash } },
        // The client said who it is once, in initialize: every record of the session knows it.
        client: { name: CLIENT.name, version: CLIENT.version },
      });
    }
    expect(records[2]).toMatchObject({ gen_ai: { tool: { name: 'echo' } }, cdk_mcp: { tool: { registered: true }, outcome: 'ok' }, trace_id: META_TRACE });
    expect(records[3]).toMatchObject({ cdk_mcp: { tool: { registered: true }, outcome: 'tool_error' }, error: { type: 'tool_error' } });
    expect(records[4]).toMatchObject({ cdk_mcp: { tool: { registered: true }, outcome: 'tool_error' }, error: { type: 'tool_error' } });
    expect(records[5]).toMatchObject({ gen_ai: { tool: { name: 'no_such_tool' } }, cdk_mcp: { tool: { registered: false }, outcome: 'tool_error' } });
    expect(records[1].trace_id).toBeUndefined();
    expectNothingSecret(server, session.sessionId);
    expect(server.records().every((r) => REGISTERED.includes(r.gen_ai?.tool?.name ?? 'echo') || r.cdk_mcp.tool.registered === false)).toBe(true);
  });

  test('invalid params and an unknown method: errors recorded with the code the SDK answered (1.x says -32603 for invalid params)', async () => {
    const session = await legacySession(server.url);
    await session.request(2, 'tools/list', { cursor: 42 });
    const unknownMethod = await session.request(3, 'no/such/method');
    expect(unknownMethod.text).toContain('-32601');
    const records = await waitForRecords(server, 3);
    expect(records[1]).toMatchObject({ mcp: { method: { name: 'tools/list' } }, cdk_mcp: { outcome: 'error' }, error: { type: '-32603' }, rpc: { response: { status_code: -32603 } } });
    expect(records[2]).toMatchObject({ cdk_mcp: { outcome: 'error' }, error: { type: '-32601' }, rpc: { response: { status_code: -32601 } } });
  });

  test('a modern request the 1.x server refuses before any session exists gets no record (no MCP request was handled)', async () => {
    const res = await modern(server.url, 1, 'server/discover');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(server.lines).toEqual([]);
  });

  test('attach before connect is an error that says what to do', () => {
    expect(() => new McpRequestRecords().attach({ send: async () => undefined })).toThrow(/Call it after `await server.connect\(transport\)`/);
  });
});

test('post() is a plain POST (the fixtures send what the tests say)', async () => {
  await expect(post('http://127.0.0.1:9/none', {})).rejects.toThrow();
});
