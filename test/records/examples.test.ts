/**
 * The example servers emit request records: the TypeScript one (SDK 2.x, examples/server, in
 * both session modes) and the Python one (examples/python-server), each started as deployed
 * (run.sh) on 127.0.0.1 and probed; the probe's trace id finds the records of its run. The
 * Python example's copy of the helper is the file the package ships.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { venvPython } from './fixtures';
import { probe } from '../../lambda/probe';
import { bundleExampleServer, ExampleServerProcess, REPO_ROOT, type LogLine } from '../support/example-server-process';

const PYTHON_RUN_SH = path.join(REPO_ROOT, 'examples', 'python-server', 'run.sh');

/** The records in a server's output whose trace id is `traceId`. */
async function recordsOf(server: ExampleServerProcess, traceId: string, count: number): Promise<Array<Record<string, any>>> {
  const mine = (l: LogLine) => l.record === 'mcp.server.request' && l.trace_id === traceId;
  const deadline = Date.now() + 10_000;
  while (server.logs.filter(mine).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return server.logs.filter(mine) as Array<Record<string, any>>;
}

describe.each(['stateless', 'stateful'])('the TypeScript example server (%s) writes a record per request', (mode) => {
  let server: ExampleServerProcess;
  let url = '';
  beforeAll(async () => {
    if (mode === 'stateless') bundleExampleServer();
    const started = await ExampleServerProcess.start({ HOST: '127.0.0.1', MCP_SESSION_MODE: mode });
    server = started.server;
    url = ExampleServerProcess.mcpUrl(started.port).toString();
  }, 90_000);
  afterAll(() => server.stop());

  test.each(['modern', 'legacy'] as const)('%s era: the probe\'s trace id finds a record of each of its requests', async (transport) => {
    const result = await probe({ url, transport, call: { name: 'echo', arguments: { text: 'records' } } });
    expect(result).toMatchObject({ ok: true, era: transport });
    const records = await recordsOf(server, result.traceId!, 3);
    expect(records.map((r) => r.mcp.method.name)).toEqual([transport === 'modern' ? 'server/discover' : 'initialize', 'tools/list', 'tools/call']);
    expect(records[2]).toMatchObject({ gen_ai: { tool: { name: 'echo' } }, cdk_mcp: { tool: { registered: true }, outcome: 'ok', era: transport } });
    // The client says who it is in every modern request, and once per legacy session (in
    // initialize): a stateless legacy server knows it only in the initialize record.
    const knows = transport === 'modern' || mode === 'stateful' ? [0, 1, 2] : [0];
    for (const i of knows) expect(records[i].client).toEqual({ name: 'cdk-mcp-probe', version: '1.0.0' });
    if (transport === 'legacy' && mode === 'stateful') expect(records[2].mcp.session.id_sha256).toMatch(/^[0-9a-f]{16}$/);
    expect(server.dump()).not.toContain('"records"');
  });
});

describe('the Python example server writes a record per request', () => {
  const python = venvPython('.venv-python-example');
  const maybe = python ? test : test.skip;
  let server: ExampleServerProcess | undefined;
  let url = '';
  beforeAll(async () => {
    if (!python) return;
    const started = await ExampleServerProcess.start({ PYTHON: python, HOST: '127.0.0.1', LOG_LEVEL: 'info' }, PYTHON_RUN_SH, 60_000);
    server = started.server;
    url = `http://127.0.0.1:${started.port}/mcp`;
  }, 70_000);
  afterAll(async () => {
    await server?.stop();
  });

  maybe.each(['modern', 'legacy'] as const)('%s era: the probe\'s trace id finds a record of each of its requests', async (transport) => {
    const result = await probe({ url, transport, timeoutMs: 20_000, call: { name: 'health' } });
    expect(result).toMatchObject({ ok: true, era: transport });
    const records = await recordsOf(server!, result.traceId!, 3);
    expect(records.map((r) => r.mcp.method.name)).toEqual([transport === 'modern' ? 'server/discover' : 'initialize', 'tools/list', 'tools/call']);
    expect(records[2]).toMatchObject({ gen_ai: { tool: { name: 'health' } }, cdk_mcp: { tool: { registered: true }, outcome: 'ok', era: transport } });
  });
});

test('the Python example\'s cdk_mcp_records.py is the file the package ships (python/)', () => {
  const shipped = fs.readFileSync(path.join(REPO_ROOT, 'python', 'cdk_mcp_records.py'), 'utf8');
  const copy = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'python-server', 'cdk_mcp_records.py'), 'utf8');
  expect(copy).toBe(shipped);
});
