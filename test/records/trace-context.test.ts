/**
 * From a probe to the server's record in one query: the probe sends a W3C `traceparent` (HTTP
 * header and `params._meta.traceparent`, SEP-414) on every request, one trace id per run; its
 * result, the CLI's output and the canary's EMF line carry the id; the request records of a real
 * SDK server with the helper carry the same id.
 */
import { startRecordedSdk1, startRecordedSdk2, waitForRecords, type RecordedServer } from './fixtures';
import { buildEmfRecord } from '../../lambda/canary/emf';
import { formatHuman, jsonLine } from '../../lambda/cli/format';
import { probe } from '../../lambda/probe';

const TRACE_ID = /^[0-9a-f]{32}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** The MCP requests the server received (POSTs with a JSON-RPC id), with their trace context. */
function sentRequests(server: RecordedServer): Array<{ method: string; header: string; meta: unknown }> {
  return server.requests
    .filter((r) => r.method === 'POST')
    .map((r) => ({ body: JSON.parse(r.body), header: r.headers.traceparent as string }))
    .filter((r) => r.body.id !== undefined)
    .map((r) => ({ method: r.body.method, header: r.header, meta: r.body.params?._meta?.traceparent }));
}

describe.each([
  ['SDK 2.x, modern era', startRecordedSdk2, 'modern' as const, ['server/discover', 'tools/list', 'tools/call']],
  ['SDK 1.x, legacy era', startRecordedSdk1, 'legacy' as const, ['initialize', 'tools/list', 'tools/call']],
])('%s: the probe\'s trace id finds the server\'s records', (_name, start, transport, methods) => {
  let server: RecordedServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  test('one query by the result\'s traceId returns the records of every request of that run, and only those', async () => {
    const other = await probe({ url: server.url, transport, call: { name: 'echo', arguments: { text: 'x' } } });
    const before = server.lines.length;
    const result = await probe({ url: server.url, transport, call: { name: 'echo', arguments: { text: 'x' } } });
    expect(result).toMatchObject({ ok: true, era: transport, traceId: expect.stringMatching(TRACE_ID) });
    expect(other.traceId).not.toBe(result.traceId);
    const records = await waitForRecords(server, before + methods.length);
    const found = records.filter((r) => r.trace_id === result.traceId);
    expect(found.map((r) => r.mcp.method.name)).toEqual(methods);
    expect(found[2]).toMatchObject({ gen_ai: { tool: { name: 'echo' } }, cdk_mcp: { outcome: 'ok', era: transport } });
  });

  test('every request carries the run\'s trace id with its own parent id, the same in the header and in _meta', async () => {
    server.requests.length = 0;
    const result = await probe({ url: server.url, transport });
    const sent = sentRequests(server);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    const parents = new Set<string>();
    for (const request of sent) {
      const [, traceId, parent] = TRACEPARENT.exec(request.header) ?? [];
      expect(traceId).toBe(result.traceId);
      expect(request.meta).toBe(request.header);
      parents.add(parent);
    }
    expect(parents.size).toBe(sent.length);
    // Notifications and the session's DELETE carry the header too.
    for (const r of server.requests) expect(TRACEPARENT.exec(String(r.headers.traceparent))?.[1]).toBe(result.traceId);
  });
});

describe('where the trace id is shown', () => {
  test('the CLI prints it under the timings, and --json carries it', async () => {
    const server = await startRecordedSdk2();
    try {
      const result = await probe({ url: server.url });
      expect(formatHuman(server.url, result)).toContain(`\n  trace id   ${result.traceId}\n`);
      expect(JSON.parse(jsonLine(result))).toMatchObject({ traceId: result.traceId });
    } finally {
      await server.close();
    }
  });

  test('a probe that sent nothing (invalid options) has no trace id, and the CLI prints none', async () => {
    const result = await probe({ url: 'ftp://example.com/mcp' });
    expect(result.traceId).toBeNull();
    expect(formatHuman('ftp://example.com/mcp', result)).not.toContain('trace id');
  });

  test('the canary\'s EMF line carries it as a property of the probe, never as a dimension', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const record = buildEmfRecord({
      url: 'https://mcp.example.com/mcp',
      serviceName: 'svc',
      metricNamespace: 'MCP',
      deadlineMs: 1_000,
      transport: 'auto',
      auth: { mode: 'none' },
      detailedMetrics: true,
    } as Parameters<typeof buildEmfRecord>[0], {
      ok: false,
      failureClass: 'TOOL_ERROR',
      layer: 'tools',
      era: 'modern',
      protocolVersion: '2026-07-28',
      server: null,
      toolCount: 1,
      tools: ['a'],
      toolsHash: null,
      httpStatus: 200,
      frontDoor: null,
      certDaysRemaining: null,
      timings: { connectMs: 1, tlsMs: 1, handshakeMs: 1, toolsListMs: 1, toolCallMs: 1, totalMs: 5 },
      message: 'm',
      traceId,
    }, 0);
    expect(record.probe).toMatchObject({ traceId });
    const dimensions = record._aws.CloudWatchMetrics.flatMap((d) => d.Dimensions.flat());
    expect(dimensions).not.toContain('traceId');
    expect(JSON.stringify(record._aws)).not.toContain(traceId);
  });
});
