/**
 * The benchmark's MCP servers, in their own process so that their work never runs on the probe's
 * thread (as in production): an SDK 1.x stateful JSON server (legacy, 2025-11-25), an SDK 2.x
 * modern-only server (2026-07-28), and an SDK 2.x server with 1,000 tools of about 2 KB each
 * (a 2 MB tools/list). Speaks to the benchmark over IPC: sends `{ legacy, modern, large }` URLs
 * when ready, answers `sessions` with `{ sessions }` (the legacy server's open sessions), and exits on `stop`.
 */
import { startSdk1Streamable, startSdk2, startSdk2ManyTools } from '../test/probe/fixtures/sdk-servers';

/** Tools and bytes per tool of the large server: 1,000 tools, about 2 MB of tools/list. */
export const LARGE_TOOLS = 1_000;
export const LARGE_BYTES_PER_TOOL = 2_000;

async function serve(): Promise<void> {
  const legacy = await startSdk1Streamable({ stateful: true, json: true });
  const modern = await startSdk2('reject');
  const large = await startSdk2ManyTools(LARGE_TOOLS, LARGE_BYTES_PER_TOOL);
  process.on('message', (message) => {
    if (message === 'sessions') process.send?.({ sessions: legacy.sessionCount() });
    if (message === 'stop') void Promise.all([legacy.close(), modern.close(), large.close()]).then(() => process.exit(0));
  });
  process.send?.({ legacy: legacy.url, modern: modern.url, large: large.url });
}

if (require.main === module) void serve();
