/**
 * Session hygiene: a probe a minute must not leak sessions on stateful servers.
 */
import type { ServerResponse } from 'node:http';
import { result, sendJson, startScripted, type RpcMessage, type TestServer } from './fixtures/http-server';
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

  // The session's DELETE leaves as soon as the last tools/list page is in, and travels while the
  // list is checked and hashed: still exactly one, still after every request that needs the session.
  describe('the DELETE after the last tools/list page', () => {
    const session = (m: RpcMessage, r: ServerResponse) => sendJson(r, 200, result(m.id, {
      protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' },
    }), { 'mcp-session-id': 'overlap-session-0001' });
    const methods = (server: TestServer) => server.requests.map((r) => (r.method === 'POST' ? String((JSON.parse(r.body) as RpcMessage).method) : r.method));

    test('comes once, after the last of three pages, and the reported status is the page\'s, not the 405 of the DELETE', async () => {
      const server = await startScripted({
        'initialize': session,
        'tools/list': (m, r) => {
          const page = Number((m.params as { cursor?: string } | undefined)?.cursor ?? 0);
          sendJson(r, 200, result(m.id, { tools: [{ name: `tool-${page}`, inputSchema: { type: 'object' } }], ...(page < 2 ? { nextCursor: String(page + 1) } : {}) }));
        },
      });
      try {
        const res = await probe({ url: server.url, transport: 'legacy' });
        expect(res).toMatchObject({ ok: true, toolCount: 3, httpStatus: 200 });
        expect(methods(server)).toEqual(['initialize', 'notifications/initialized', 'tools/list', 'tools/list', 'tools/list', 'DELETE']);
      } finally {
        await server.close();
      }
    });

    test('comes once when the last page is malformed, and the failure is still PROTOCOL_ERROR', async () => {
      const server = await startScripted({
        'initialize': session,
        'tools/list': (m, r) => sendJson(r, 200, result(m.id, { tools: [{ description: 'no name' }] })),
      });
      try {
        const res = await probe({ url: server.url, transport: 'legacy' });
        expect(res).toMatchObject({ ok: false, failureClass: 'PROTOCOL_ERROR', httpStatus: 200 });
        expect(methods(server).filter((m) => m === 'DELETE')).toHaveLength(1);
        expect(methods(server).at(-1)).toBe('DELETE');
      } finally {
        await server.close();
      }
    });

    test('waits for the sentinel call when one is configured', async () => {
      const server = await startScripted({ initialize: session });
      try {
        const res = await probe({ url: server.url, transport: 'legacy', call: { name: 'echo', arguments: { text: 'x' } } });
        expect(res).toMatchObject({ ok: true });
        expect(methods(server)).toEqual(['initialize', 'notifications/initialized', 'tools/list', 'tools/call', 'DELETE']);
      } finally {
        await server.close();
      }
    });
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
