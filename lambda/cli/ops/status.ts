/**
 * `mcp-probe status <service>`: the service's health (composite) alarm and each alarm under it,
 * its maintenance window, availability and p90 latency over the last hour, day and week, and the
 * top failure classes, from CloudWatch.
 */
import {
  DescribeAlarmsCommand, ListMetricsCommand,
  type CloudWatchClient, type CompositeAlarm, type MetricAlarm, type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { allPages, awsCall } from './aws';
import { getMetricData, readWindow, type MaintenanceState, type Series } from './maintenance';
import { ago, sparkline, table, when } from './render';
import { CANARY_DIMENSIONS, CANARY_METRICS } from '../../../src/contract/canary-env';
import { HEALTH_ALARM_SUFFIX } from '../../../src/contract/gate';
import { HEALTH_ALARM_DESCRIPTION_PREFIX } from '../../../src/contract/operations';
import { oneLine } from '../../probe';

/** An alarm and its state. */
export interface AlarmStatus {
  readonly name: string;
  readonly type: 'metric' | 'composite' | 'missing';
  readonly state: string;
  /** When the alarm last changed state. */
  readonly since: string | null;
  readonly reason: string | null;
}

/** One time window of the probe metrics. */
export interface WindowStatus {
  /** Share of passing probes, 0..1; null without data. */
  readonly availability: number | null;
  /** p90 of ProbeLatency, in ms; null without data. */
  readonly p90LatencyMs: number | null;
  /** Availability per bucket, oldest first (null: no data in the bucket). */
  readonly availabilitySeries: Array<number | null>;
  /** p90 latency per bucket, oldest first. */
  readonly latencySeries: Array<number | null>;
  /** Seconds per bucket of the series. */
  readonly bucketSeconds: number;
  /**
   * The origin behind the front door, from the probes of it the canary runs after a failed probe
   * of the front door (`OriginProbeSuccess`): its availability (a run counts as up for the origin
   * when the front door passed, or the origin's own probe did), and the runs whose failed side was
   * the front door (`FrontDoorFailures`). Null when the window has no probe.
   */
  readonly origin: { readonly availability: number; readonly frontDoorFailures: number } | null;
}

/** What `status` reports (its `--json` output). */
export interface ServiceStatus {
  readonly service: string;
  readonly namespace: string;
  /** true healthy, false unhealthy, null cannot tell (INSUFFICIENT_DATA). */
  readonly healthy: boolean | null;
  readonly healthAlarm: AlarmStatus & { readonly arn: string | null };
  readonly alarms: AlarmStatus[];
  readonly maintenance: MaintenanceState;
  readonly metrics: { readonly hour: WindowStatus; readonly day: WindowStatus; readonly week: WindowStatus };
  /** Whether the canary probed an origin behind the front door in the last week (it emitted `OriginProbeSuccess`). */
  readonly originProbed: boolean;
  /** Failure counts per class, most frequent (over the week) first, zero classes left out. */
  readonly failureClasses: Array<{ readonly failureClass: string; readonly hour: number; readonly day: number; readonly week: number }>;
}

/** The service was not found; the message lists the services that were. */
export class ServiceNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceNotFoundError';
  }
}

/** The windows: length and sparkline bucket, in seconds. */
export const WINDOWS = {
  hour: { seconds: 3600, bucket: 300 },
  day: { seconds: 86_400, bucket: 3600 },
  week: { seconds: 604_800, bucket: 21_600 },
} as const;

/** Most failure classes shown. */
export const TOP_FAILURE_CLASSES = 5;

const DESCRIPTION = new RegExp(`^${HEALTH_ALARM_DESCRIPTION_PREFIX}(.+?)${HEALTH_ALARM_SUFFIX}`);

/** The service name in a health alarm's description, if it is one. */
export function serviceOfDescription(description: string | undefined): string | undefined {
  return DESCRIPTION.exec(description ?? '')?.[1];
}

/** Alarm names referenced by a composite alarm rule: `ALARM("arn:...:alarm:name")`, `OK(name)`, ... */
export function alarmRuleReferences(rule: string): string[] {
  const names: string[] = [];
  for (const m of rule.matchAll(/\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s()"']+))\s*\)/g)) {
    const ref = (m[1] ?? m[2] ?? m[3]).replace(/\\(.)/g, '$1');
    const arnName = /^arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(ref)?.[1];
    const name = arnName ?? ref;
    if (name !== 'TRUE' && name !== 'FALSE' && !names.includes(name)) names.push(name);
  }
  return names;
}

type AnyAlarm = (MetricAlarm | CompositeAlarm) & { kind: 'metric' | 'composite' };

async function describeAlarms(cloudwatch: CloudWatchClient, input: { AlarmNames?: string[]; AlarmTypes: Array<'CompositeAlarm' | 'MetricAlarm'> }): Promise<AnyAlarm[]> {
  const pages = await allPages(async (token) => {
    const out = await awsCall('cloudwatch:DescribeAlarms', () => cloudwatch.send(new DescribeAlarmsCommand({ ...input, MaxRecords: 100, ...(token ? { NextToken: token } : {}) })));
    const alarms: AnyAlarm[] = [
      ...(out.MetricAlarms ?? []).map((a) => ({ ...a, kind: 'metric' as const })),
      ...(out.CompositeAlarms ?? []).map((a) => ({ ...a, kind: 'composite' as const })),
    ];
    return { page: alarms, next: out.NextToken };
  });
  return pages.flat();
}

function alarmStatus(alarm: AnyAlarm): AlarmStatus {
  const since = (alarm.kind === 'composite' ? (alarm as CompositeAlarm).StateTransitionedTimestamp : undefined) ?? alarm.StateUpdatedTimestamp;
  return {
    name: alarm.AlarmName ?? '',
    type: alarm.kind,
    state: alarm.StateValue ?? 'UNKNOWN',
    since: since ? since.toISOString() : null,
    reason: alarm.StateReason ? oneLine(alarm.StateReason, [], 160) : null,
  };
}

/** Finds the service's health alarm among every composite alarm of the account and region. */
async function findHealthAlarm(cloudwatch: CloudWatchClient, service: string): Promise<CompositeAlarm> {
  const composites = await describeAlarms(cloudwatch, { AlarmTypes: ['CompositeAlarm'] });
  const found = composites.find((a) => serviceOfDescription(a.AlarmDescription) === service);
  if (found) return found as CompositeAlarm;
  const services = [...new Set(composites.map((a) => serviceOfDescription(a.AlarmDescription)).filter((s): s is string => s !== undefined))].sort();
  throw new ServiceNotFoundError(services.length === 0
    ? `no MCP service health alarm found (no composite alarm's description starts with "${HEALTH_ALARM_DESCRIPTION_PREFIX}<name>${HEALTH_ALARM_SUFFIX}"): check --region and --profile, and that the stack with the service's monitoring is deployed`
    : `no MCP service named ${JSON.stringify(service)}; found ${services.length}: ${services.join(', ')}`);
}

/** The alarms under the health alarm, in the rule's order; names that no longer exist are `missing`. */
async function childAlarms(cloudwatch: CloudWatchClient, rule: string): Promise<AlarmStatus[]> {
  const names = alarmRuleReferences(rule);
  const found = new Map<string, AlarmStatus>();
  for (let i = 0; i < names.length; i += 100) {
    for (const alarm of await describeAlarms(cloudwatch, { AlarmNames: names.slice(i, i + 100), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })) {
      found.set(alarm.AlarmName ?? '', alarmStatus(alarm));
    }
  }
  return names.map((name) => found.get(name) ?? { name, type: 'missing', state: 'MISSING', since: null, reason: 'not found by DescribeAlarms' });
}

/** The failure classes the service has reported, from ListMetrics (every page). */
async function failureClasses(cloudwatch: CloudWatchClient, namespace: string, service: string): Promise<string[]> {
  const pages = await allPages(async (token) => {
    const out = await awsCall('cloudwatch:ListMetrics', () => cloudwatch.send(new ListMetricsCommand({
      Namespace: namespace,
      MetricName: CANARY_METRICS.PROBE_FAILURES,
      Dimensions: [{ Name: CANARY_DIMENSIONS.SERVICE_NAME, Value: service }, { Name: CANARY_DIMENSIONS.FAILURE_CLASS }],
      ...(token ? { NextToken: token } : {}),
    })));
    return { page: out.Metrics ?? [], next: out.NextToken };
  });
  const classes = pages.flat()
    .filter((m) => (m.Dimensions ?? []).length === 2)
    .map((m) => m.Dimensions!.find((d) => d.Name === CANARY_DIMENSIONS.FAILURE_CLASS)?.Value)
    .filter((c): c is string => c !== undefined && c !== 'OK');
  return [...new Set(classes)].sort();
}

function bucketed(series: Series | undefined, start: number, seconds: number, bucket: number): Array<number | null> {
  const out: Array<number | null> = Array.from({ length: Math.round(seconds / bucket) }, () => null);
  for (const [t, v] of series ?? []) {
    const i = Math.floor((t - start) / (bucket * 1000));
    if (i >= 0 && i < out.length) out[i] = v;
  }
  return out;
}

function single(series: Series | undefined): number | null {
  const values = [...(series?.values() ?? [])];
  return values.length === 0 ? null : values[0];
}

function sum(series: Series | undefined): number {
  return [...(series?.values() ?? [])].reduce((a, b) => a + b, 0);
}

/** One window's metrics, and the failure count per class over it. */
async function windowMetrics(cloudwatch: CloudWatchClient, namespace: string, service: string, classes: string[],
  seconds: number, bucket: number, now: number) {
  const end = Math.floor(now / 60_000) * 60_000;
  const start = end - seconds * 1000;
  const metric = (name: string, extra: Array<{ Name: string; Value: string }> = []) => ({
    Namespace: namespace,
    MetricName: name,
    Dimensions: [{ Name: CANARY_DIMENSIONS.SERVICE_NAME, Value: service }, ...extra],
  });
  const query = (id: string, name: string, stat: string, period: number, extra?: Array<{ Name: string; Value: string }>): MetricDataQuery => ({
    Id: id,
    MetricStat: { Metric: metric(name, extra), Period: period, Stat: stat },
  });
  const queries: MetricDataQuery[] = [
    query('availability', CANARY_METRICS.PROBE_SUCCESS, 'Average', seconds),
    query('p90', CANARY_METRICS.PROBE_LATENCY, 'p90', seconds),
    query('availabilitySeries', CANARY_METRICS.PROBE_SUCCESS, 'Average', bucket),
    query('latencySeries', CANARY_METRICS.PROBE_LATENCY, 'p90', bucket),
    ...classes.map((c, i) => query(`failures${i}`, CANARY_METRICS.PROBE_FAILURES, 'Sum', seconds, [{ Name: CANARY_DIMENSIONS.FAILURE_CLASS, Value: c }])),
    query('probes', CANARY_METRICS.PROBE_SUCCESS, 'SampleCount', seconds),
    query('originProbed', CANARY_METRICS.ORIGIN_PROBE_SUCCESS, 'SampleCount', seconds),
    query('originPassed', CANARY_METRICS.ORIGIN_PROBE_SUCCESS, 'Sum', seconds),
    query('frontDoorFailures', CANARY_METRICS.FRONT_DOOR_FAILURES, 'Sum', seconds),
  ];
  const data = new Map<string, Series>();
  for (let i = 0; i < queries.length; i += 500) {
    const part = await getMetricData(cloudwatch, { StartTime: new Date(start), EndTime: new Date(end), MetricDataQueries: queries.slice(i, i + 500), ScanBy: 'TimestampAscending' });
    part.forEach((v, k) => data.set(k, v));
  }
  const window: WindowStatus = {
    availability: single(data.get('availability')),
    p90LatencyMs: single(data.get('p90')),
    availabilitySeries: bucketed(data.get('availabilitySeries'), start, seconds, bucket),
    latencySeries: bucketed(data.get('latencySeries'), start, seconds, bucket),
    bucketSeconds: bucket,
    origin: originWindow(sum(data.get('probes')), sum(data.get('originProbed')), sum(data.get('originPassed')), sum(data.get('frontDoorFailures'))),
  };
  return { window, failures: classes.map((_, i) => sum(data.get(`failures${i}`))), originProbed: sum(data.get('originProbed')) > 0 };
}

/**
 * The origin's side of a window: every probe of the front door that passed went through the
 * origin, and every failed one was followed by a probe of the origin, so the origin failed in
 * `originProbed - originPassed` of `probes` runs. Pure.
 */
export function originWindow(probes: number, originProbed: number, originPassed: number, frontDoorFailures: number): WindowStatus['origin'] {
  if (probes <= 0) return null;
  return { availability: Math.max(0, 1 - (originProbed - originPassed) / probes), frontDoorFailures };
}

/**
 * Gathers the status of a service.
 *
 * @throws ServiceNotFoundError when no health alarm names the service; AwsCallError when a call fails
 */
export async function serviceStatus(cloudwatch: CloudWatchClient, namespace: string, service: string, now = Date.now()): Promise<ServiceStatus> {
  const health = await findHealthAlarm(cloudwatch, service);
  const [alarms, maintenance, classes] = await Promise.all([
    childAlarms(cloudwatch, health.AlarmRule ?? ''),
    readWindow({ cloudwatch, namespace, serviceName: service }, now),
    failureClasses(cloudwatch, namespace, service),
  ]);
  const [hour, day, week] = await Promise.all((['hour', 'day', 'week'] as const).map((w) =>
    windowMetrics(cloudwatch, namespace, service, classes, WINDOWS[w].seconds, WINDOWS[w].bucket, now)));
  const healthStatus = alarmStatus({ ...health, kind: 'composite' });
  return {
    service,
    namespace,
    healthy: healthStatus.state === 'OK' ? true : healthStatus.state === 'ALARM' ? false : null,
    healthAlarm: { ...healthStatus, arn: health.AlarmArn ?? null },
    alarms,
    maintenance,
    metrics: { hour: hour.window, day: day.window, week: week.window },
    originProbed: hour.originProbed || day.originProbed || week.originProbed,
    failureClasses: classes
      .map((failureClass, i) => ({ failureClass, hour: hour.failures[i], day: day.failures[i], week: week.failures[i] }))
      .filter((c) => c.week > 0 || c.day > 0 || c.hour > 0)
      .sort((a, b) => b.week - a.week || b.day - a.day || b.hour - a.hour || a.failureClass.localeCompare(b.failureClass))
      .slice(0, TOP_FAILURE_CLASSES),
  };
}

function percent(value: number | null): string {
  return value === null ? 'no data' : `${(value * 100).toFixed(value === 1 ? 0 : 2)}%`;
}

function millis(value: number | null): string {
  return value === null ? 'no data' : `${Math.round(value)} ms`;
}

/** The status as text for a terminal. */
export function formatStatus(status: ServiceStatus, now = Date.now()): string {
  const verdict = status.healthy === true ? 'HEALTHY' : status.healthy === false ? 'UNHEALTHY' : 'UNKNOWN';
  const h = status.healthAlarm;
  const m = status.maintenance;
  const lines = [
    `MCP service ${status.service}: ${verdict} (health alarm ${h.name} is ${h.state} since ${when(h.since)}${h.since ? `, ${ago(h.since, now)}` : ''})`,
    `  maintenance: ${m.open ? `OPEN until ${when(m.until)}${m.since ? ` (since ${when(m.since)})` : ''}` : `closed${m.since ? ` (last window ended ${when(m.since)})` : ''}`}`,
    '',
    'Alarms',
    ...(status.alarms.length === 0
      ? ['  (the health alarm\'s rule names no alarm)']
      : table([['STATE', 'SINCE', 'ALARM', 'REASON'], ...status.alarms.map((a) => [a.state, when(a.since), a.name, a.state === 'OK' ? '' : a.reason ?? ''])])),
    '',
    `Probes (namespace ${status.namespace})`,
    ...table([
      ['WINDOW', 'AVAILABILITY', 'TREND', 'P90 LATENCY', 'TREND', ...(status.originProbed ? ['ORIGIN', 'FRONT DOOR FAILED'] : [])],
      ...(['hour', 'day', 'week'] as const).map((w) => {
        const win = status.metrics[w];
        const origin = status.originProbed ? [percent(win.origin?.availability ?? null), win.origin ? String(win.origin.frontDoorFailures) : 'no data'] : [];
        return [`last ${w}`, percent(win.availability), sparkline(win.availabilitySeries, 0, 1), millis(win.p90LatencyMs), sparkline(win.latencySeries), ...origin];
      }),
    ], new Set([1, 3, 5, 6])),
    ...(status.originProbed
      ? ['  AVAILABILITY is the front door\'s (what clients see); ORIGIN the server\'s behind it (probed after each failed front-door probe); FRONT DOOR FAILED counts runs where the front door failed while the origin answered (or AWS WAF blocked the probe).']
      : []),
    '',
    'Top failure classes',
    ...(status.failureClasses.length === 0
      ? ['  none in the last week']
      : table([['CLASS', 'HOUR', 'DAY', 'WEEK'], ...status.failureClasses.map((c) => [c.failureClass, String(c.hour), String(c.day), String(c.week)])], new Set([1, 2, 3]))),
  ];
  return `${lines.join('\n')}\n`;
}
