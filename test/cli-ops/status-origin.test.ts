/**
 * `mcp-probe status <service>` for a service whose canary probes an origin behind its front door
 * (issue 21): front-door vs origin availability and the front-door-only failures, from
 * OriginProbeSuccess and FrontDoorFailures, with the real CloudWatch client against the fake.
 */
import type { FakeAws } from './fake-aws';
import { runCli, useFakeAws } from './support';
import { originWindow, type ServiceStatus } from '../../lambda/cli/ops/status';

const fakeAws = useFakeAws();
let fake: FakeAws;
beforeEach(() => {
  fake = fakeAws();
});

/** An hour of probes every 5 minutes: 3 failed at the front door only (origin up), 1 failed on both sides. */
function seed(withOrigin: boolean): void {
  fake.compositeAlarms = [{
    AlarmName: 'orders-ServiceHealth',
    AlarmDescription: 'MCP service orders is unhealthy: at least one of its alarms is in ALARM. First check: ...',
    AlarmRule: 'FALSE',
    StateValue: 'ALARM',
    StateUpdatedTimestamp: Math.floor(Date.now() / 1000) - 600,
  }];
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const dims = [{ Name: 'ServiceName', Value: 'orders' }];
  const frontDoorOnly = new Set([1, 2, 3]);
  for (let k = 1; k <= 12; k++) {
    const timestamp = end - k * 5 * 60_000;
    const failed = frontDoorOnly.has(k) || k === 4;
    fake.datapoints.push({ namespace: 'MCP', metric: 'ProbeSuccess', dimensions: dims, timestamp, value: failed ? 0 : 1 });
    fake.datapoints.push({ namespace: 'MCP', metric: 'ProbeLatency', dimensions: dims, timestamp, value: 100 });
    if (failed && withOrigin) {
      fake.datapoints.push({ namespace: 'MCP', metric: 'OriginProbeSuccess', dimensions: dims, timestamp, value: k === 4 ? 0 : 1 });
      if (k !== 4) fake.datapoints.push({ namespace: 'MCP', metric: 'FrontDoorFailures', dimensions: dims, timestamp, value: 1 });
    }
  }
}

test('--json: the origin\'s availability and the front-door-only failures per window', async () => {
  seed(true);
  const run = await runCli(fake.endpoint, ['status', 'orders', '--json']);
  const status = JSON.parse(run.stdout) as ServiceStatus;
  expect(status.originProbed).toBe(true);
  expect(status.metrics.hour.availability).toBeCloseTo(8 / 12, 6);
  expect(status.metrics.hour.origin).toEqual({ availability: expect.closeTo(11 / 12, 6), frontDoorFailures: 3 });
});

test('the table shows ORIGIN and FRONT DOOR FAILED columns, and says what they mean', async () => {
  seed(true);
  const run = await runCli(fake.endpoint, ['status', 'orders']);
  expect(run.stdout).toMatch(/WINDOW +AVAILABILITY +TREND +P90 LATENCY +TREND +ORIGIN +FRONT DOOR FAILED/);
  expect(run.stdout.split('\n').find((l) => l.startsWith('  last hour'))).toMatch(/66\.67% .* 91\.67% +3$/);
  expect(run.stdout).toContain('AVAILABILITY is the front door\'s (what clients see); ORIGIN the server\'s behind it');
});

test('a service without an origin probe shows the table as before', async () => {
  seed(false);
  const run = await runCli(fake.endpoint, ['status', 'orders']);
  expect(run.stdout).not.toContain('ORIGIN');
  expect(JSON.parse((await runCli(fake.endpoint, ['status', 'orders', '--json'])).stdout).originProbed).toBe(false);
});

test('originWindow: no probes is no data; origin failures count against all runs', () => {
  expect(originWindow(0, 0, 0, 0)).toBeNull();
  expect(originWindow(10, 4, 1, 1)).toEqual({ availability: 0.7, frontDoorFailures: 1 });
});
