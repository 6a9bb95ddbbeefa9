/**
 * Runs the bundled canary handler (assets/lambda/canary/handler/index.js, what Lambda runs)
 * in-process with an environment, capturing what it writes to stdout. One module instance per
 * test file, so caches (token, era) live across runs as in a warm environment.
 */
import * as path from 'node:path';

/** The canary bundle as Lambda loads it. */
export const CANARY_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'lambda', 'canary', 'handler', 'index.js');

interface Handler {
  handler(event?: unknown, context?: { getRemainingTimeInMillis(): number }): Promise<Record<string, unknown>>;
}

/**
 * Runs the handler once with `env` (every other `MCP_CANARY_*` variable removed); returns what it
 * wrote to stdout, what it returned, and how long it took.
 */
export async function runCanaryBundle(env: Record<string, string>, context?: { getRemainingTimeInMillis(): number }) {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (name.startsWith('MCP_CANARY_')) delete process.env[name];
  Object.assign(process.env, env);
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the test runs the built artifact, not the TypeScript sources
    const bundle = require(CANARY_BUNDLE) as Handler;
    const started = Date.now();
    const record = await bundle.handler({}, context);
    return { writes, record, ms: Date.now() - started };
  } finally {
    spy.mockRestore();
    process.env = saved;
  }
}
