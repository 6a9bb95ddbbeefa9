/**
 * The probe against real MCP servers from the official SDKs on 127.0.0.1: each must probe OK
 * with the right era, and the sentinel call must succeed.
 */
import type { TestServer } from './fixtures/http-server';
import { startSdk1Sse, startSdk1Streamable, startSdk2 } from './fixtures/sdk-servers';
import { probe, type ProbeResult } from '../../lambda/probe';

async function probeOk(server: TestServer, transport?: 'auto' | 'modern' | 'legacy' | 'sse'): Promise<ProbeResult> {
  try {
    return await probe({ url: server.url, transport, call: { name: 'echo', arguments: { text: 'hi' } }, timeoutMs: 5_000 });
  } finally {
    await server.close();
  }
}

function expectHealthy(result: ProbeResult, era: ProbeResult['era'], protocolVersion: string): void {
  // Over HTTP+SSE the last HTTP response is the 202 that accepted the POSTed tools/call.
  const httpStatus = era === 'sse' ? 202 : 200;
  expect(result).toMatchObject({ ok: true, failureClass: 'OK', layer: null, era, protocolVersion, httpStatus });
  expect(result.tools).toEqual(expect.arrayContaining(['echo', 'slow', 'list_buckets', 'broken']));
  expect(result.toolCount).toBe(4);
  expect(result.toolsHash).toMatch(/^sha256:[0-9a-f]{16}$/);
  expect(result.timings.handshakeMs).not.toBeNull();
  expect(result.timings.toolsListMs).not.toBeNull();
  expect(result.timings.toolCallMs).not.toBeNull();
  expect(result.timings.connectMs).not.toBeNull();
  expect(result.timings.tlsMs).toBeNull();
  expect(result.certDaysRemaining).toBeNull();
  expect(result.message).toMatch(/^OK: /);
}

describe('probe against SDK 1.x Streamable HTTP servers', () => {
  test.each([
    ['stateful', 'SSE', true, false],
    ['stateful', 'JSON', true, true],
    ['stateless', 'SSE', false, false],
    ['stateless', 'JSON', false, true],
  ])('a %s server answering %s probes OK as legacy 2025-11-25', async (_mode, _responses, stateful, json) => {
    // GIVEN a real SDK 1.x server
    const server = await startSdk1Streamable({ stateful, json });
    // WHEN probed with auto-detection
    const result = await probeOk(server);
    // THEN the probe falls back from modern to legacy and succeeds
    expectHealthy(result, 'legacy', '2025-11-25');
    expect(result.server).toEqual({ name: 'sdk1-test', version: '1.0.0' });
  });
});

describe('probe against SDK 2.x handlers', () => {
  test('a dual-era handler probes OK as modern 2026-07-28 with auto-detection', async () => {
    const result = await probeOk(await startSdk2('stateless'));
    expectHealthy(result, 'modern', '2026-07-28');
    expect(result.server).toEqual({ name: 'sdk2-test', version: '2.0.0' });
  });

  test('a dual-era handler probes OK as legacy when the legacy transport is forced', async () => {
    expectHealthy(await probeOk(await startSdk2('stateless'), 'legacy'), 'legacy', '2025-11-25');
  });

  test('a modern-only handler probes OK as modern', async () => {
    expectHealthy(await probeOk(await startSdk2('reject')), 'modern', '2026-07-28');
  });
});

describe('probe against the deprecated HTTP+SSE transport', () => {
  test('an SDK 1.x SSEServerTransport server probes OK as sse 2024-11-05 with auto-detection', async () => {
    // GIVEN an SDK 1.x 2024-11-05 server whose URL is the GET /sse stream
    const server = await startSdk1Sse();
    // WHEN probed with auto-detection (modern and legacy POSTs get 404 first)
    const result = await probeOk(server);
    // THEN the probe opens the stream, posts to the announced endpoint and succeeds
    expectHealthy(result, 'sse', '2024-11-05');
  });

  test('the SSE stream is closed after the probe, so the server holds no session', async () => {
    const server = await startSdk1Sse();
    try {
      const result = await probe({ url: server.url, transport: 'sse' });
      expect(result.era).toBe('sse');
      // The server notices the closed stream on its next tick.
      for (let i = 0; i < 50 && server.sessionCount() > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.sessionCount()).toBe(0);
    } finally {
      await server.close();
    }
  });
});
