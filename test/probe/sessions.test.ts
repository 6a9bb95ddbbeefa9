/**
 * Session hygiene: a probe a minute must not leak sessions on stateful servers.
 */
import { result, sendJson, startScripted } from './fixtures/http-server';
import { startSdk1Streamable } from './fixtures/sdk-servers';
import { probe } from '../../lambda/probe';

describe('session clean-up', () => {
  test.each([
    ['JSON', true],
    ['SSE', false],
  ])('a stateful SDK 1.x server answering %s holds no more sessions after 50 probes', async (_mode, json) => {
    // GIVEN a stateful server that keeps a transport per session
    const server = await startSdk1Streamable({ stateful: true, json });
    try {
      let highest = 0;
      // WHEN it is probed 50 times in a row
      for (let i = 0; i < 50; i++) {
        const outcome = await probe({ url: server.url, timeoutMs: 5_000 });
        expect(outcome).toMatchObject({ ok: true, era: 'legacy' });
        highest = Math.max(highest, server.sessionCount());
      }
      // THEN every probe ended its session with DELETE
      expect(server.sessionCount()).toBe(0);
      expect(highest).toBe(0);
      expect(server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(50);
    } finally {
      await server.close();
    }
  });

  test('a 405 answer to DELETE is accepted and the probe is still OK', async () => {
    const server = await startScripted({
      initialize: (m, r) => sendJson(r, 200, result(m.id, { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } }), {
        'mcp-session-id': 'abc-123-session',
      }),
    });
    try {
      const res = await probe({ url: server.url });
      expect(res).toMatchObject({ ok: true, protocolVersion: '2025-06-18', httpStatus: 200 });
      const del = server.requests.at(-1)!;
      expect(del).toMatchObject({ method: 'DELETE' });
      expect(del.headers['mcp-session-id']).toBe('abc-123-session');
    } finally {
      await server.close();
    }
  });
});
