/**
 * The benchmark's MCP server, in its own process so that its work never runs on the probe's
 * thread (as in production). Speaks to the benchmark over IPC: sends `{ url }` when ready,
 * answers `sessions` with `{ sessions }`, and exits on `stop`.
 */
import { startSdk1Streamable } from '../test/probe/fixtures/sdk-servers';

async function serve(): Promise<void> {
  const server = await startSdk1Streamable({ stateful: true, json: true });
  process.on('message', (message) => {
    if (message === 'sessions') process.send?.({ sessions: server.sessionCount() });
    if (message === 'stop') void server.close().then(() => process.exit(0));
  });
  process.send?.({ url: server.url });
}

void serve();
