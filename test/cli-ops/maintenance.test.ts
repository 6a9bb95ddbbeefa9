/**
 * `mcp-probe maintenance start|stop|status` with the real CloudWatch client against the loopback
 * fake: the datapoints the SDK actually sends, the window read back, batching, pagination,
 * AWS errors and exit codes.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { cloudWatchError, startFakeAws, type FakeAws } from './fake-aws';
import { runCli, useFakeAws } from './support';
import { closeWindow, openWindow, readWindow, windowMinutes } from '../../lambda/cli/ops/maintenance';
import { parseDuration } from '../../lambda/cli/ops/options';

const fakeAws = useFakeAws();
let fake: FakeAws;
beforeEach(() => {
  fake = fakeAws();
});

const dimension = [{ Name: 'ServiceName', Value: 'orders' }];
const client = () => new CloudWatchClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' } });

describe('maintenance start', () => {
  test('writes the open value of now (2 x epoch seconds, even) at every minute of the window, with the ServiceName dimension', async () => {
    const before = Math.floor(Date.now() / 1000);
    const run = await runCli(fake.endpoint, ['maintenance', 'start', 'orders', '--for', '30m']);
    const after = Math.floor(Date.now() / 1000);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^maintenance window of orders open until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(30 min; 31 datapoints of MaintenanceWindow in MCP\)\n$/);

    const [request] = fake.requests;
    expect(request.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.PutMetricData');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKEFAKE\/\d{8}\/us-east-1\/monitoring\/aws4_request/);
    const input = fake.calls('PutMetricData')[0] as { Namespace: string; MetricData: Array<Record<string, unknown>> };
    expect(input.Namespace).toBe('MCP');
    expect(input.MetricData).toHaveLength(31);
    const value = input.MetricData[0].Value as number;
    expect(value % 2).toBe(0);
    expect(value / 2).toBeGreaterThanOrEqual(before);
    expect(value / 2).toBeLessThanOrEqual(after);
    const first = Math.floor(value / 2 / 60) * 60;
    input.MetricData.forEach((d, i) => {
      // The JSON protocol sends timestamps as epoch seconds; one datapoint per minute, same value.
      expect(d).toEqual({ MetricName: 'MaintenanceWindow', Dimensions: dimension, Timestamp: first + i * 60, Value: value });
    });
  });

  test('a two-hour window is 121 minutes in one request; --namespace and --json', async () => {
    const run = await runCli(fake.endpoint, ['maintenance', 'start', 'orders', '--for=2h', '--namespace', 'Team/MCP', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toEqual({
      service: 'orders',
      namespace: 'Team/MCP',
      action: 'start',
      open: true,
      until: expect.any(String),
      at: expect.any(String),
      from: expect.any(String),
      to: expect.any(String),
      datapoints: 121,
      requests: 1,
    });
    expect(Date.parse(json.until) - Date.parse(json.from)).toBe(121 * 60_000);
    expect(fake.calls('PutMetricData')[0]).toMatchObject({ Namespace: 'Team/MCP' });
    // Large bodies are gzipped by the SDK (PutMetricData's request compression); the fake read it.
    expect(fake.requests[0].headers['content-encoding']).toBe('gzip');
  });

  test('batches at the size the API accepts', async () => {
    const write = await openWindow({ cloudwatch: client(), namespace: 'MCP', serviceName: 'orders' }, 120, Date.now(), 50);
    expect(write).toMatchObject({ datapoints: 121, requests: 3 });
    expect(fake.calls('PutMetricData').map((c) => (c.MetricData as unknown[]).length)).toEqual([50, 50, 21]);
  });

  test.each([
    [['maintenance', 'start', 'orders'], /missing --for <duration>/],
    [['maintenance', 'start', 'orders', '--for', '3h'], /--for "3h" must be a duration from 1m to 2h/],
    [['maintenance', 'start', 'orders', '--for', 'soon'], /--for "soon" must be a duration/],
    [['maintenance', 'start', '--for', '5m'], /missing <service>/],
    [['maintenance', 'start', 'a', 'b', '--for', '5m'], /expected one <service>, got 2/],
    [['maintenance', 'stop', 'orders', '--for', '5m'], /unknown option --for/],
    [['maintenance', 'pause', 'orders'], /unknown action "pause"/],
    [['maintenance'], /missing action: start, stop or status/],
    [['status', 'orders', '--region'], /--region needs a value/],
    [['status', 'orders', '--endpoint-url', 'localhost'], /is not an http\(s\) URL/],
  ])('%j is a usage error (exit 2) matching %s', async (argv, message) => {
    const run = await runCli(fake.endpoint, argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(fake.requests).toHaveLength(0);
  });

  test.each([['maintenance', '--help'], ['maintenance', 'start', '--help'], ['status', '-h'], ['canary', '--help']])('%s %s prints its usage', async (...argv) => {
    const run = await runCli(fake.endpoint, argv);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: mcp-probe ${argv[0]}`));
    expect(run.stdout).toMatch(/Exit status: /);
  });

  test('durations', () => {
    expect([parseDuration('30m'), parseDuration('90'), parseDuration('1h30m'), parseDuration('2h'), parseDuration('1m')]).toEqual([30, 90, 90, 120, 1]);
    expect(typeof parseDuration('0m')).toBe('string');
    expect(typeof parseDuration('121m')).toBe('string');
    expect(typeof parseDuration('h')).toBe('string');
  });
});

describe('maintenance status and stop', () => {
  test('open after start, closed after stop; exit 0 in maintenance, 1 not', async () => {
    const closedBefore = await runCli(fake.endpoint, ['maintenance', 'status', 'orders']);
    expect(closedBefore).toMatchObject({ code: 1, stdout: 'orders is not in maintenance (no window in the last hour)\n' });

    expect((await runCli(fake.endpoint, ['maintenance', 'start', 'orders', '--for', '45m'])).code).toBe(0);
    const open = await runCli(fake.endpoint, ['maintenance', 'status', 'orders', '--json']);
    expect(open.code).toBe(0);
    const state = JSON.parse(open.stdout);
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    expect(state).toEqual({ service: 'orders', namespace: 'MCP', open: true, since: new Date(minute).toISOString(), until: new Date(minute + 46 * 60_000).toISOString(), openedAt: expect.any(String) });

    const query = fake.calls('GetMetricData')[0] as { StartTime: number; EndTime: number; MetricDataQueries: unknown[] };
    expect(query.EndTime - query.StartTime).toBe((60 + 121) * 60);
    expect(query.MetricDataQueries).toEqual([
      { Id: 'm', MetricStat: { Metric: { Namespace: 'MCP', MetricName: 'MaintenanceWindow', Dimensions: dimension }, Period: 60, Stat: 'Maximum' } },
    ]);

    const stop = await runCli(fake.endpoint, ['maintenance', 'stop', 'orders']);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/^maintenance window of orders closed at .* \(121 datapoints of MaintenanceWindow in MCP\)\n$/);
    const closed = fake.calls('PutMetricData')[1] as { MetricData: Array<{ MetricName: string; Timestamp: number; Value: number }> };
    expect(closed.MetricData.every((d) => d.MetricName === 'MaintenanceWindow' && d.Value % 2 === 1)).toBe(true);
    expect(closed.MetricData[0].Timestamp * 1000).toBe(minute);

    const after = await runCli(fake.endpoint, ['maintenance', 'status', 'orders']);
    expect(after.code).toBe(1);
    // Opened and closed within the same minute: no minute of the past hour was in maintenance.
    expect(after.stdout).toBe('orders is not in maintenance (no window in the last hour)\n');
  });

  test('a window reopened after a close is open again (latest open newer than latest close)', async () => {
    const target = { cloudwatch: client(), namespace: 'MCP', serviceName: 'orders' };
    const t0 = Date.UTC(2026, 0, 1, 12, 0, 10);
    await openWindow(target, 60, t0);
    await closeWindow(target, t0 + 5 * 60_000);
    expect(await readWindow(target, t0 + 6 * 60_000)).toMatchObject({ open: false, since: new Date(Date.UTC(2026, 0, 1, 12, 5)).toISOString() });
    await openWindow(target, 10, t0 + 7 * 60_000);
    expect(await readWindow(target, t0 + 8 * 60_000)).toEqual({
      open: true,
      since: new Date(Date.UTC(2026, 0, 1, 12, 7)).toISOString(),
      until: new Date(Date.UTC(2026, 0, 1, 12, 18)).toISOString(),
      openedAt: new Date(t0 + 7 * 60_000 - 10_000 + 10_000).toISOString(),
    });
    // A window runs out by itself.
    expect((await readWindow(target, t0 + 30 * 60_000)).open).toBe(false);
    expect(windowMinutes(t0, 2)).toEqual([Date.UTC(2026, 0, 1, 12, 0), Date.UTC(2026, 0, 1, 12, 1), Date.UTC(2026, 0, 1, 12, 2)]);
  });

  test('follows GetMetricData NextToken pages', async () => {
    fake.pageSize.getMetricData = 25;
    await runCli(fake.endpoint, ['maintenance', 'start', 'orders', '--for', '60m']);
    const run = await runCli(fake.endpoint, ['maintenance', 'status', 'orders', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).until).toBe(new Date(Math.floor(Date.now() / 60_000) * 60_000 + 61 * 60_000).toISOString());
    const calls = fake.calls('GetMetricData');
    expect(calls.length).toBe(3); // 61 datapoints in pages of 25
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, '25', '50']);
  });
});

describe('AWS errors', () => {
  test('AccessDenied (403): one line naming the call, exit 2, no stack trace, account redacted', async () => {
    fake.script.set('PutMetricData', [cloudWatchError(403, 'AccessDenied', 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudwatch:PutMetricData')]);
    const run = await runCli(fake.endpoint, ['maintenance', 'start', 'orders', '--for', '5m']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(/^mcp-probe maintenance start: cloudwatch:PutMetricData failed: AccessDenied: .*\(the credentials lack permission cloudwatch:PutMetricData/);
    expect(run.stderr).not.toContain('123456789012');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fake.calls('PutMetricData')).toHaveLength(1); // not retried
  });

  test('Throttling (400) is retried by the SDK, then succeeds', async () => {
    fake.script.set('GetMetricData', [cloudWatchError(400, 'Throttling', 'Rate exceeded')]);
    const run = await runCli(fake.endpoint, ['maintenance', 'status', 'orders']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const attempts = fake.requests.filter((r) => r.operation === 'GetMetricData');
    expect(attempts.map((r) => r.headers['amz-sdk-request'])).toEqual(['attempt=1; max=3', 'attempt=2; max=3']);
    expect(attempts[0].headers['amz-sdk-invocation-id']).toBe(attempts[1].headers['amz-sdk-invocation-id']);
  });

  test('Throttling on every attempt: exit 2 and says so', async () => {
    fake.script.set('GetMetricData', [1, 2, 3].map(() => cloudWatchError(400, 'Throttling', 'Rate exceeded')));
    const run = await runCli(fake.endpoint, ['maintenance', 'status', 'orders']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cloudwatch:GetMetricData failed: Throttling: Rate exceeded \(AWS throttled the call 3 times: retry in a minute\)\n$/);
  });

  test('ExpiredToken: exit 2, tells to refresh the credentials', async () => {
    fake.script.set('PutMetricData', [cloudWatchError(403, 'ExpiredToken', 'The security token included in the request is expired')]);
    const run = await runCli(fake.endpoint, ['maintenance', 'stop', 'orders']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mcp-probe maintenance stop: cloudwatch:PutMetricData failed: ExpiredToken: The security token included in the request is expired \(the AWS credentials are expired or invalid: refresh them/);
  });

  test('no region: exit 2 with the fix', async () => {
    const run = await runCli(fake.endpoint, ['maintenance', 'status', 'orders'], { AWS_REGION: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no AWS region: pass --region or set AWS_REGION/);
  });

  test('unreachable endpoint: exit 2, one line', async () => {
    const dead = await startFakeAws();
    await dead.close();
    const run = await runCli(dead.endpoint, ['maintenance', 'status', 'orders']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cloudwatch:GetMetricData failed: .*could not be reached/);
  });
});
