/**
 * The request-record benchmark's servers, in their own process (as in production, the client's
 * work never runs on their thread): the same SDK 2.x and SDK 1.x servers with and without the
 * helper (records written to this process's stdout, which the benchmark discards). Sends
 * `{ sdk2, sdk2Recorded, sdk1, sdk1Recorded }` URLs when ready; exits on `stop`.
 */
import { McpRequestRecords } from '../src/records';
import { startRecordedSdk1, startRecordedSdk2 } from '../test/records/fixtures';

async function serve(): Promise<void> {
  // One recorder per recorded server, writing to stdout as in production.
  const servers = {
    sdk2: await startRecordedSdk2('auto', null),
    sdk2Recorded: await startRecordedSdk2('auto', new McpRequestRecords()),
    sdk1: await startRecordedSdk1(null),
    sdk1Recorded: await startRecordedSdk1(new McpRequestRecords()),
  };
  process.on('message', (message) => {
    if (message === 'stop') void Promise.all(Object.values(servers).map((s) => s.close())).then(() => process.exit(0));
  });
  process.send?.(Object.fromEntries(Object.entries(servers).map(([k, s]) => [k, s.url])));
}

if (require.main === module) void serve();
