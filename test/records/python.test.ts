/**
 * The Python request-record helper (python/cdk_mcp_records.py) on real Python servers on
 * 127.0.0.1: an `mcp` 2.3.0 `MCPServer` (the example server's virtualenv) and a FastMCP 4.0.10
 * server (the records virtualenv), both eras, records parsed from the server's stdout and checked
 * field by field.
 *
 * Needs `npx projen install:python-example` (which also creates .venv-python-records; CI runs it).
 * Without a virtualenv the suite is skipped with a note, except in CI (CI=true), where it fails.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { CLIENT, HEADER_TRACE, META_TRACE, SECRET_ARGUMENT, SECRET_TOKEN, legacySession, modern, traceparent, venvPython } from './fixtures';
import { ExampleServerProcess, type LogLine } from '../support/example-server-process';

const SERVE = path.join(__dirname, 'python', 'serve.sh');
const START_TIMEOUT_MS = 60_000;

const SERVERS: Array<[string, string, string]> = [
  ['mcp 2.3.0 MCPServer', 'mcp', '.venv-python-example'],
  ['FastMCP 4.0.10', 'fastmcp', '.venv-python-records'],
];

describe.each(SERVERS)('%s with the Python helper', (_name, kind, venv) => {
  const python = venvPython(venv);
  const maybe = python ? test : test.skip;
  let server: ExampleServerProcess | undefined;
  let url = '';
  let sessionId = '';

  beforeAll(async () => {
    if (!python) return;
    const started = await ExampleServerProcess.start({ PYTHON: python, KIND: kind }, SERVE, START_TIMEOUT_MS);
    server = started.server;
    url = `http://127.0.0.1:${started.port}/mcp`;
  }, START_TIMEOUT_MS + 10_000);
  afterAll(async () => {
    await server?.stop();
  });

  const records = () => server!.logs.filter((l) => l.record === 'mcp.server.request') as Array<LogLine & Record<string, any>>;
  const recordOf = (id: string) => server!.waitForLog((l) => l.record === 'mcp.server.request' && (l as any).jsonrpc.request.id === id, 10_000) as Promise<Record<string, any>>;

  maybe('modern era: discover, a registered tool, an isError tool, a raising tool, an unknown tool', async () => {
    const meta = { traceparent: traceparent(META_TRACE) };
    const headers = { authorization: `Bearer ${SECRET_TOKEN}` };
    await modern(url, 101, 'server/discover', {}, { meta, headers });
    await modern(url, 102, 'tools/call', { name: 'echo', arguments: { text: SECRET_ARGUMENT } }, { meta, headers });
    await modern(url, 103, 'tools/call', { name: 'broken', arguments: {} }, { meta });
    await modern(url, 104, 'tools/call', { name: 'throws', arguments: {} }, { meta });
    await modern(url, 105, 'tools/call', { name: 'no_such_tool', arguments: {} }, { meta });
    const [discover, echo, broken, throws, unknown] = await Promise.all(['101', '102', '103', '104', '105'].map(recordOf));
    const base = {
      record: 'mcp.server.request',
      record_version: 1,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      cdk_mcp: expect.objectContaining({ era: 'modern' }),
      client: { name: CLIENT.name, version: CLIENT.version },
      trace_id: META_TRACE,
    };
    expect(discover).toMatchObject({ ...base, mcp: { method: { name: 'server/discover' }, protocol: { version: '2026-07-28' } }, cdk_mcp: { outcome: 'ok' } });
    expect(echo).toEqual({
      ...base,
      mcp: { method: { name: 'tools/call' }, server: { operation: { duration_ms: expect.any(Number) } }, protocol: { version: '2026-07-28' } },
      gen_ai: { tool: { name: 'echo' } },
      cdk_mcp: { tool: { registered: true }, outcome: 'ok', era: 'modern' },
      jsonrpc: { request: { id: '102' } },
    });
    expect(broken).toMatchObject({ cdk_mcp: { tool: { registered: true }, outcome: 'tool_error' }, error: { type: 'tool_error' } });
    // Both SDKs answer a raising tool with isError: the record says what the client got.
    expect(throws).toMatchObject({ cdk_mcp: { tool: { registered: true }, outcome: 'tool_error' }, error: { type: 'tool_error' } });
    expect(unknown).toMatchObject({ gen_ai: { tool: { name: 'no_such_tool' } }, cdk_mcp: { tool: { registered: false } } });
    // No session in the modern era.
    expect(echo.mcp.session).toBeUndefined();
  });

  maybe('legacy era: initialize and a call in a session; the notification gets no record; the trace id from the HTTP header', async () => {
    const session = await legacySession(url);
    sessionId = session.sessionId!;
    await session.request(201, 'tools/call', { name: 'echo', arguments: { text: SECRET_ARGUMENT } }, { traceparent: traceparent(HEADER_TRACE) });
    const call = await recordOf('201');
    const hash = createHash('sha256').update(session.sessionId!).digest('hex').slice(0, 16);
    expect(call).toMatchObject({
      mcp: { method: { name: 'tools/call' }, protocol: { version: '2025-11-25' }, session: { id_sha256: hash } },
      gen_ai: { tool: { name: 'echo' } },
      cdk_mcp: { tool: { registered: true }, outcome: 'ok', era: 'legacy' },
      client: { name: CLIENT.name, version: CLIENT.version },
      trace_id: HEADER_TRACE,
    });
    const init = records().filter((r) => r.mcp.method.name === 'initialize' && r.mcp.session?.id_sha256 === hash);
    expect(init).toHaveLength(1);
    expect(records().some((r) => String(r.mcp.method.name).startsWith('notifications/'))).toBe(false);
  });

  maybe('one record per request, and no argument value, token, raw session id or tool text in the output', () => {
    const ids = records().map((r) => `${r.mcp.session?.id_sha256 ?? ''}/${r.jsonrpc.request.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    const all = server!.dump();
    expect(sessionId).not.toBe('');
    for (const secret of [SECRET_ARGUMENT, SECRET_TOKEN, 'kaboom', 'widget service', sessionId]) expect(all).not.toContain(secret);
  });
});
