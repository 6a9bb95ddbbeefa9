/**
 * `mcp-probe status <service>` with the real CloudWatch client against the loopback fake: the
 * health alarm found by its description across pages, the alarms under it, a week of probe
 * metrics, the table with sparklines, the --json shape and the exit codes.
 */
import { cloudWatchError, type FakeAws } from './fake-aws';
import { runCli, useFakeAws } from './support';
import { sparkline, table } from '../../lambda/cli/ops/render';
import { alarmRuleReferences, formatStatus, serviceOfDescription, type ServiceStatus } from '../../lambda/cli/ops/status';

const fakeAws = useFakeAws();
let fake: FakeAws;
beforeEach(() => {
  fake = fakeAws();
});

const ACCOUNT = '123456789012';
const arn = (name: string) => `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`;
const HOUR_AGO = Math.floor(Date.now() / 1000) - 3600;

function composite(service: string, state: string, rule: string): Record<string, unknown> {
  return {
    AlarmName: `${service}-ServiceHealth`,
    AlarmArn: arn(`${service}-ServiceHealth`),
    AlarmDescription: `MCP service ${service} is unhealthy: at least one of its alarms is in ALARM. First check: ...`,
    AlarmRule: rule,
    StateValue: state,
    StateReason: `${state} reason`,
    StateUpdatedTimestamp: HOUR_AGO + 60,
    StateTransitionedTimestamp: HOUR_AGO,
  };
}

function metricAlarm(name: string, state: string): Record<string, unknown> {
  return { AlarmName: name, AlarmArn: arn(name), StateValue: state, StateReason: `Threshold Crossed: 1 datapoint [0.0] was less than the threshold (1.0) for ${name}`, StateUpdatedTimestamp: HOUR_AGO - 86_400 };
}

/** Minutes ago of each failure, by class. */
const FAILURES: Record<string, number[]> = {
  BAD_GATEWAY: [10],
  TIMEOUT: [120, 180, 300],
  UNAVAILABLE: [2 * 1440, 3 * 1440, 3 * 1440 + 5, 4 * 1440, 6 * 1440],
};

/** A week of probes every 5 minutes, with the failures above. */
function seed(service: string, healthState: string): void {
  fake.compositeAlarms = [
    composite('payments', 'OK', 'ALARM("payments-Availability")'),
    { AlarmName: 'unrelated', AlarmDescription: 'Something else', AlarmRule: 'FALSE', StateValue: 'OK' },
    composite(service, healthState, `ALARM("${arn(`${service}-Availability`)}") OR ALARM("${arn(`${service}-Latency`)}") OR (ALARM(${service}-Gone) AND NOT ALARM("${arn('maintenance')}"))`),
    composite('search', 'ALARM', 'ALARM(search-Availability)'),
  ];
  fake.metricAlarms = [
    metricAlarm(`${service}-Availability`, healthState === 'ALARM' ? 'ALARM' : 'OK'),
    metricAlarm(`${service}-Latency`, 'OK'),
    metricAlarm('maintenance', 'OK'),
    metricAlarm('payments-Availability', 'OK'),
  ];
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const failed = new Map<number, string>();
  for (const [failureClass, minutes] of Object.entries(FAILURES)) for (const m of minutes) failed.set(m / 5, failureClass);
  const dims = (extra: Array<{ Name: string; Value: string }> = []) => [{ Name: 'ServiceName', Value: service }, ...extra];
  for (let k = 1; k <= 2016; k++) {
    const timestamp = end - k * 5 * 60_000;
    const failureClass = failed.get(k);
    fake.datapoints.push({ namespace: 'MCP', metric: 'ProbeSuccess', dimensions: dims(), timestamp, value: failureClass ? 0 : 1 });
    fake.datapoints.push({ namespace: 'MCP', metric: 'ProbeLatency', dimensions: dims(), timestamp, value: 100 + (k % 10) * 10 });
    if (failureClass) {
      fake.datapoints.push({ namespace: 'MCP', metric: 'ProbeFailures', dimensions: dims(), timestamp, value: 1 });
      fake.datapoints.push({ namespace: 'MCP', metric: 'ProbeFailures', dimensions: dims([{ Name: 'FailureClass', Value: failureClass }]), timestamp, value: 1 });
    }
  }
  // Another service's failures must not count.
  fake.datapoints.push({ namespace: 'MCP', metric: 'ProbeFailures', dimensions: [{ Name: 'ServiceName', Value: 'payments' }, { Name: 'FailureClass', Value: 'TIMEOUT' }], timestamp: end - 60_000, value: 1 });
}

describe('status', () => {
  beforeEach(() => {
    // Small pages: every paginated call needs several.
    fake.pageSize.describeAlarms = 1;
    fake.pageSize.listMetrics = 1;
    fake.pageSize.getMetricData = 500;
  });

  test('a healthy service: --json shape, exit 0, and the calls the SDK made', async () => {
    seed('orders', 'OK');
    const run = await runCli(fake.endpoint, ['status', 'orders', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as ServiceStatus;
    expect(status).toMatchObject({
      service: 'orders',
      namespace: 'MCP',
      healthy: true,
      healthAlarm: { name: 'orders-ServiceHealth', arn: arn('orders-ServiceHealth'), type: 'composite', state: 'OK', since: new Date(HOUR_AGO * 1000).toISOString() },
      maintenance: { open: false, since: null, until: null, openedAt: null },
    });
    expect(status.alarms).toEqual([
      { name: 'orders-Availability', type: 'metric', state: 'OK', since: new Date((HOUR_AGO - 86_400) * 1000).toISOString(), reason: expect.stringMatching(/^Threshold Crossed/) },
      { name: 'orders-Latency', type: 'metric', state: 'OK', since: expect.any(String), reason: expect.any(String) },
      { name: 'orders-Gone', type: 'missing', state: 'MISSING', since: null, reason: 'not found by DescribeAlarms' },
      { name: 'maintenance', type: 'metric', state: 'OK', since: expect.any(String), reason: expect.any(String) },
    ]);
    expect(status.metrics.hour.availability).toBeCloseTo(11 / 12, 6);
    expect(status.metrics.day.availability).toBeCloseTo(284 / 288, 6);
    expect(status.metrics.week.availability).toBeCloseTo(2007 / 2016, 6);
    expect(status.metrics.hour.p90LatencyMs).toBe(180);
    expect(status.metrics.hour.availabilitySeries).toHaveLength(12);
    expect(status.metrics.day.availabilitySeries).toHaveLength(24);
    expect(status.metrics.week.latencySeries).toHaveLength(28);
    expect(status.metrics.hour.availabilitySeries.filter((v) => v === 0)).toHaveLength(1);
    expect(status.failureClasses).toEqual([
      { failureClass: 'UNAVAILABLE', hour: 0, day: 0, week: 5 },
      { failureClass: 'TIMEOUT', hour: 0, day: 3, week: 3 },
      { failureClass: 'BAD_GATEWAY', hour: 1, day: 1, week: 1 },
    ]);

    // Every composite alarm, page by page, then the children by name.
    const describes = fake.calls('DescribeAlarms');
    const composites = describes.filter((d) => !d.AlarmNames);
    expect(composites.map((d) => d.NextToken)).toEqual([undefined, '1', '2', '3']);
    expect(composites[0]).toEqual({ AlarmTypes: ['CompositeAlarm'], MaxRecords: 100 });
    const children = describes.filter((d) => d.AlarmNames);
    expect(children[0]).toEqual({ AlarmNames: ['orders-Availability', 'orders-Latency', 'orders-Gone', 'maintenance'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 });
    expect(children.length).toBeGreaterThanOrEqual(3);
    // Failure classes from ListMetrics, page by page, filtered by service and dimension name.
    const lists = fake.calls('ListMetrics');
    expect(lists.length).toBe(3); // three classes, one per page
    expect(lists[0]).toEqual({ Namespace: 'MCP', MetricName: 'ProbeFailures', Dimensions: [{ Name: 'ServiceName', Value: 'orders' }, { Name: 'FailureClass' }] });
    // One GetMetricData per window (plus the maintenance read), p90 and Average over the window.
    const week = fake.calls('GetMetricData').find((c) => (c.EndTime as number) - (c.StartTime as number) === 604_800)!;
    expect(week.MetricDataQueries).toEqual(expect.arrayContaining([
      { Id: 'p90', MetricStat: { Metric: { Namespace: 'MCP', MetricName: 'ProbeLatency', Dimensions: [{ Name: 'ServiceName', Value: 'orders' }] }, Period: 604_800, Stat: 'p90' } },
      { Id: 'availabilitySeries', MetricStat: { Metric: { Namespace: 'MCP', MetricName: 'ProbeSuccess', Dimensions: [{ Name: 'ServiceName', Value: 'orders' }] }, Period: 21_600, Stat: 'Average' } },
      expect.objectContaining({ Id: 'failures0', MetricStat: expect.objectContaining({ Stat: 'Sum', Metric: expect.objectContaining({ Dimensions: [{ Name: 'ServiceName', Value: 'orders' }, { Name: 'FailureClass', Value: 'BAD_GATEWAY' }] }) }) }),
    ]));
  });

  test('GetMetricData pages are merged', async () => {
    seed('orders', 'OK');
    fake.pageSize.getMetricData = 7;
    const run = await runCli(fake.endpoint, ['status', 'orders', '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as ServiceStatus;
    expect(status.metrics.day.availabilitySeries.every((v) => v !== null)).toBe(true);
    expect(status.metrics.week.availability).toBeCloseTo(2007 / 2016, 6);
    expect(fake.calls('GetMetricData').filter((c) => c.NextToken !== undefined).length).toBeGreaterThan(3);
  });

  test('the table: verdict, alarms, availability and latency with sparklines, failure classes', async () => {
    seed('orders', 'OK');
    const run = await runCli(fake.endpoint, ['status', 'orders']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^MCP service orders: HEALTHY \(health alarm orders-ServiceHealth is OK since \d{4}-\d\d-\d\d \d\d:\d\d UTC, 1h ago\)$/);
    expect(lines[1]).toBe('  maintenance: closed');
    expect(run.stdout).toMatch(/ {2}STATE {4}SINCE {17}ALARM {16}REASON\n {2}OK {7}\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}orders-Availability\n/);
    expect(run.stdout).toContain('  MISSING  -                     orders-Gone          not found by DescribeAlarms');
    const hour = lines.find((l) => l.startsWith('  last hour'))!;
    expect(hour).toMatch(/^ {2}last hour {8}91\.67% {2}[█▁]{12} +180 ms {2}[▁-█]{12}$/);
    expect(hour).toContain('██████████▁█'); // the failure 10 minutes ago, in the 11th of 12 buckets
    expect(lines.find((l) => l.startsWith('  last week'))).toMatch(/99\.55% {2}[▁-█]{28} /);
    expect(run.stdout).toMatch(/Top failure classes\n {2}CLASS {8}HOUR {2}DAY {2}WEEK\n {2}UNAVAILABLE {5}0 {4}0 {5}5\n {2}TIMEOUT {9}0 {4}3 {5}3\n {2}BAD_GATEWAY {5}1 {4}1 {5}1\n$/);
  });

  test('an unhealthy service exits 1; INSUFFICIENT_DATA exits 2 (cannot tell)', async () => {
    seed('orders', 'ALARM');
    const unhealthy = await runCli(fake.endpoint, ['status', 'orders']);
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.stdout).toMatch(/^MCP service orders: UNHEALTHY \(health alarm orders-ServiceHealth is ALARM/);
    expect(unhealthy.stdout).toMatch(/ALARM {4}.* {2}orders-Availability {2}Threshold Crossed: 1 datapoint/);

    seed('orders', 'INSUFFICIENT_DATA');
    const unknown = await runCli(fake.endpoint, ['status', 'orders', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ healthy: null, healthAlarm: { state: 'INSUFFICIENT_DATA' } });
  });

  test('an open maintenance window is shown', async () => {
    seed('orders', 'OK');
    expect((await runCli(fake.endpoint, ['maintenance', 'start', 'orders', '--for', '20m'])).code).toBe(0);
    const run = await runCli(fake.endpoint, ['status', 'orders']);
    expect(run.stdout.split('\n')[1]).toMatch(/^ {2}maintenance: OPEN until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(since .* UTC\)$/);
  });

  test('an unknown service: exit 2, and the message lists the services found', async () => {
    seed('orders', 'OK');
    const run = await runCli(fake.endpoint, ['status', 'order']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'mcp-probe status: no MCP service named "order"; found 3: orders, payments, search\n' });
  });

  test('no health alarm at all: exit 2 with what to check', async () => {
    const run = await runCli(fake.endpoint, ['status', 'orders']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mcp-probe status: no MCP service health alarm found .*check --region and --profile/);
  });

  test('AccessDenied on DescribeAlarms and Throttling then success', async () => {
    seed('orders', 'OK');
    fake.script.set('DescribeAlarms', [cloudWatchError(403, 'AccessDenied', 'not authorized')]);
    const denied = await runCli(fake.endpoint, ['status', 'orders']);
    expect(denied).toMatchObject({ code: 2, stdout: '' });
    expect(denied.stderr).toBe('mcp-probe status: cloudwatch:DescribeAlarms failed: AccessDenied: not authorized (the credentials lack permission cloudwatch:DescribeAlarms: grant it to the role or user you run as)\n');

    fake.script.set('ListMetrics', [cloudWatchError(400, 'Throttling', 'Rate exceeded')]);
    const throttled = await runCli(fake.endpoint, ['status', 'orders']);
    expect(throttled.code).toBe(0);
    expect(fake.requests.filter((r) => r.operation === 'ListMetrics')[0].headers['amz-sdk-request']).toBe('attempt=1; max=3');
    expect(fake.requests.filter((r) => r.operation === 'ListMetrics')[1].headers['amz-sdk-request']).toBe('attempt=2; max=3');
  });
});

describe('pure parts', () => {
  test('alarm rule references: ARNs, names, quotes, states; TRUE/FALSE ignored', () => {
    expect(alarmRuleReferences('ALARM("arn:aws:cloudwatch:eu-west-1:1:alarm:a b") OR OK(plain) AND NOT INSUFFICIENT_DATA(\'q\') OR ALARM( "x\\"y" ) OR TRUE OR ALARM(plain)'))
      .toEqual(['a b', 'plain', 'q', 'x"y']);
    expect(alarmRuleReferences('FALSE')).toEqual([]);
  });

  test('the service name in a description', () => {
    expect(serviceOfDescription('MCP service orders-api is unhealthy: at least one')).toBe('orders-api');
    expect(serviceOfDescription('MCP service x')).toBeUndefined();
    expect(serviceOfDescription(undefined)).toBeUndefined();
  });

  test('sparklines and tables', () => {
    expect(sparkline([0, 0.5, 1, null, 1], 0, 1)).toBe('▁▅█ █');
    expect(sparkline([5, 5, 5])).toBe('▁▁▁');
    expect(sparkline([10, 20, 30, 40, 50, 60, 70, 80])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([])).toBe('');
    expect(table([['A', 'BB', 'C'], ['long', '1', 'x']], new Set([1]))).toEqual(['  A     BB  C', '  long   1  x']);
  });

  test('a status without data reads "no data"', () => {
    const empty = {
      availability: null,
      p90LatencyMs: null,
      availabilitySeries: [null, null],
      latencySeries: [null, null],
      bucketSeconds: 300,
      origin: null,
    };
    const text = formatStatus({
      service: 's',
      namespace: 'MCP',
      healthy: null,
      healthAlarm: { name: 'h', arn: null, type: 'composite', state: 'INSUFFICIENT_DATA', since: null, reason: null },
      alarms: [],
      maintenance: { open: false, since: null, until: null, openedAt: null },
      metrics: { hour: empty, day: empty, week: empty },
      originProbed: false,
      failureClasses: [],
    });
    expect(text).toContain('MCP service s: UNKNOWN (health alarm h is INSUFFICIENT_DATA since -)');
    expect(text).toContain('(the health alarm\'s rule names no alarm)');
    expect(text).toMatch(/last hour +no data +no data\n/);
    expect(text).toContain('  none in the last week');
  });
});
