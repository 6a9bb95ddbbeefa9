import { EraMemory } from '../../lambda/canary/handler';
import { probe } from '../../lambda/probe';
import { startSdk1Streamable, startSdk2 } from '../probe/fixtures/sdk-servers';

/** The JSON-RPC methods a server saw, in order. */
const methods = (requests: Array<{ body: string }>) => requests.flatMap((r) => {
  try {
    const message = JSON.parse(r.body) as { method?: string };
    return message.method ? [message.method] : [];
  } catch {
    return [];
  }
});

describe('the canary remembers the detected era across warm invocations', () => {
  test('against a legacy SDK 1.x server, the second auto run skips the modern attempt', async () => {
    const server = await startSdk1Streamable({ stateful: false, json: true });
    try {
      const memory = new EraMemory();
      const first = await memory.probe({ url: server.url, timeoutMs: 5_000 }, probe);
      expect(first).toEqual(expect.objectContaining({ ok: true, era: 'legacy' }));
      expect(memory.remembered).toBe('legacy');
      const seenAfterFirst = methods(server.requests);
      expect(seenAfterFirst).toContain('server/discover');

      const second = await memory.probe({ url: server.url, timeoutMs: 5_000 }, probe);
      expect(second).toEqual(expect.objectContaining({ ok: true, era: 'legacy' }));
      const seenBySecond = methods(server.requests).slice(seenAfterFirst.length);
      expect(seenBySecond).not.toContain('server/discover');
      expect(seenBySecond).toContain('initialize');
    } finally {
      await server.close();
    }
  });

  test('a forced transport is never replaced by the remembered era', async () => {
    const server = await startSdk1Streamable({ stateful: false, json: true });
    try {
      const memory = new EraMemory();
      await memory.probe({ url: server.url, timeoutMs: 5_000 }, probe);
      const forced = await memory.probe({ url: server.url, timeoutMs: 5_000, transport: 'modern' }, probe);
      expect(forced.ok).toBe(false);
      expect(forced.failureClass).toBe('VERSION_MISMATCH');
    } finally {
      await server.close();
    }
  });

  test('a protocol failure in the remembered era is retried in auto mode at once, and a failure forgets the era', async () => {
    const legacy = await startSdk1Streamable({ stateful: false, json: true });
    const memory = new EraMemory();
    try {
      await memory.probe({ url: legacy.url, timeoutMs: 5_000 }, probe);
      expect(memory.remembered).toBe('legacy');
    } finally {
      await legacy.close();
    }
    // The same memory, now facing an SDK 2.x server that refuses the legacy handshake: the legacy
    // attempt fails in the protocol layer, auto mode then passes in the modern era.
    const calls: string[] = [];
    const modern = await startSdk2('reject');
    try {
      const result = await memory.probe({ url: modern.url, timeoutMs: 5_000 }, async (o) => {
        calls.push(o.transport ?? 'auto');
        return probe(o);
      });
      expect(calls).toEqual(['legacy', 'auto']);
      expect(result).toEqual(expect.objectContaining({ ok: true, era: 'modern' }));
      expect(memory.remembered).toBe('modern');
    } finally {
      await modern.close();
    }
    const gone = await memory.probe({ url: modern.url.replace(/:\d+/, ':1'), timeoutMs: 1_000 }, probe);
    expect(gone.ok).toBe(false);
    expect(memory.remembered).toBeUndefined();
  });
});
