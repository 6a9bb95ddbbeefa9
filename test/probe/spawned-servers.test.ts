/**
 * The probe against servers running as their own processes: the reference
 * `@modelcontextprotocol/server-everything` and the project's own example server.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, startProcess } from './fixtures/processes';
import { probe } from '../../lambda/probe';

const ROOT = path.join(__dirname, '..', '..');

/** The process's output once it matches `pattern`, or as it is when `timeoutMs` has passed. */
async function outputMatching(server: { output(): string }, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(server.output()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return server.output();
}

describe('probe against @modelcontextprotocol/server-everything', () => {
  test('the streamableHttp mode probes OK as a legacy stateful server, and the probe ends its session', async () => {
    // GIVEN server-everything in streamableHttp mode (SDK 1.x, stateful); it binds every
    // interface, which is acceptable on these loopback-only test machines
    const port = await freePort();
    const entry = require.resolve('@modelcontextprotocol/server-everything/dist/index.js', { paths: [ROOT] });
    const server = await startProcess([entry, 'streamableHttp'], { PORT: String(port) }, port);
    try {
      // WHEN probed with a sentinel call
      const result = await probe({ url: `http://127.0.0.1:${port}/mcp`, call: { name: 'echo', arguments: { message: 'probe' } } });
      // THEN it is a healthy legacy server with its many tools
      expect(result).toMatchObject({ ok: true, era: 'legacy', failureClass: 'OK' });
      expect(result.toolCount).toBeGreaterThan(5);
      expect(result.tools).toContain('echo');
      // AND the probe deleted its session (the server logs it through a pipe that can trail the
      // HTTP response, so wait for the line, at most 5 s)
      expect(await outputMatching(server, /Received session termination request/, 5_000)).toMatch(/Received session termination request/);
    } finally {
      await server.stop();
    }
  });
});

describe("probe against the project's example server", () => {
  const bundle = path.join(ROOT, 'examples', 'server', 'dist', 'server.js');

  beforeAll(() => {
    if (!fs.existsSync(bundle)) {
      execFileSync('npx', ['projen', 'bundle:example-server'], { cwd: ROOT, stdio: 'ignore' });
    }
  });

  test.each(['stateless', 'stateful'])('the example server in %s mode probes OK with its echo tool', async (mode) => {
    const port = await freePort();
    const server = await startProcess([bundle], { PORT: String(port), HOST: '127.0.0.1', MCP_SESSION_MODE: mode }, port);
    try {
      const result = await probe({
        url: `http://127.0.0.1:${port}/mcp`,
        expectTools: ['echo', 'get_time', 'health'],
        call: { name: 'echo', arguments: { text: 'probe' } },
      });
      expect(result).toMatchObject({ ok: true, failureClass: 'OK' });
      expect(result.era).not.toBeNull();
      expect(result.tools).toEqual(expect.arrayContaining(['echo', 'get_time', 'health']));
    } finally {
      await server.stop();
    }
  });
});
