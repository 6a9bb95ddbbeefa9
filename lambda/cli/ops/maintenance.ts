/**
 * Maintenance windows in CloudWatch, exactly as src/contract/operations.ts defines them: opening
 * writes the open value of now at every minute of the window, closing writes the close value of
 * now at every remaining minute, and a minute is in maintenance when its latest command (the
 * Maximum) is an open. Shared by `mcp-probe maintenance` and the deploy gate.
 */
import { GetMetricDataCommand, PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { allPages, awsCall } from './aws';
import { CANARY_DIMENSIONS } from '../../../src/contract/canary-env';
import { inMaintenance, MAINTENANCE_MAX_MINUTES, MAINTENANCE_METRIC, maintenanceCommandTime, maintenanceValue } from '../../../src/contract/operations';

/** The most datapoints (MetricDatum entries) one PutMetricData request accepts. */
export const PUT_METRIC_DATA_MAX_ITEMS = 1000;

const MINUTE_MS = 60_000;

/** Which service's window, in which namespace. */
export interface MaintenanceTarget {
  readonly cloudwatch: CloudWatchClient;
  readonly namespace: string;
  readonly serviceName: string;
}

/** The state of a service's maintenance window at a moment. */
export interface MaintenanceState {
  /** True when the current minute is in maintenance. */
  readonly open: boolean;
  /** Open: the first minute of the window (null when it began over an hour ago). Closed: the end of the last window of the past hour, else null. */
  readonly since: string | null;
  /** Open: when the window ends by itself (end of its last minute). Closed: null. */
  readonly until: string | null;
  /** When the window was opened (the open command's time), when open. */
  readonly openedAt: string | null;
}

/** A write to the window. */
export interface MaintenanceWrite {
  /** The command's time, the value written. */
  readonly at: string;
  /** The first and last minute written. */
  readonly from: string;
  readonly to: string;
  /** Datapoints written, and in how many requests. */
  readonly datapoints: number;
  readonly requests: number;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The minutes a window of `minutes` opened at `now` covers: the current minute through now + minutes. */
export function windowMinutes(now: number, minutes: number): number[] {
  const first = floorMinute(now);
  return Array.from({ length: minutes + 1 }, (_, i) => first + i * MINUTE_MS);
}

async function write(target: MaintenanceTarget, action: 'open' | 'close', minutes: number, now: number, batchSize: number): Promise<MaintenanceWrite> {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAINTENANCE_MAX_MINUTES) {
    throw new RangeError(`a maintenance window lasts 1 to ${MAINTENANCE_MAX_MINUTES} minutes, not ${minutes}`);
  }
  const seconds = Math.floor(now / 1000);
  const value = maintenanceValue(action, seconds);
  const data: MetricDatum[] = windowMinutes(now, minutes).map((t) => ({
    MetricName: MAINTENANCE_METRIC,
    Dimensions: [{ Name: CANARY_DIMENSIONS.SERVICE_NAME, Value: target.serviceName }],
    Timestamp: new Date(t),
    Value: value,
  }));
  let requests = 0;
  for (let i = 0; i < data.length; i += batchSize) {
    const batch = data.slice(i, i + batchSize);
    await awsCall('cloudwatch:PutMetricData', () => target.cloudwatch.send(new PutMetricDataCommand({ Namespace: target.namespace, MetricData: batch })));
    requests++;
  }
  return {
    at: new Date(seconds * 1000).toISOString(),
    from: data[0].Timestamp!.toISOString(),
    to: data[data.length - 1].Timestamp!.toISOString(),
    datapoints: data.length,
    requests,
  };
}

/** Opens (or extends, or reopens) the window for `minutes` from now. */
export function openWindow(target: MaintenanceTarget, minutes: number, now = Date.now(),
  batchSize = PUT_METRIC_DATA_MAX_ITEMS): Promise<MaintenanceWrite> {
  return write(target, 'open', minutes, now, batchSize);
}

/** Closes the window: every minute from now to the furthest a window can reach. */
export function closeWindow(target: MaintenanceTarget, now = Date.now(), batchSize = PUT_METRIC_DATA_MAX_ITEMS): Promise<MaintenanceWrite> {
  return write(target, 'close', MAINTENANCE_MAX_MINUTES, now, batchSize);
}

/** A GetMetricData result merged over its pages: values by timestamp (ms). */
export type Series = Map<number, number>;

/**
 * GetMetricData over every page, results merged by query id.
 *
 * @returns each query id's datapoints by timestamp
 */
export async function getMetricData(cloudwatch: CloudWatchClient, input: Omit<ConstructorParameters<typeof GetMetricDataCommand>[0], 'NextToken'>): Promise<Map<string, Series>> {
  const pages = await allPages(async (token) => {
    const out = await awsCall('cloudwatch:GetMetricData', () => cloudwatch.send(new GetMetricDataCommand({ ...input, ...(token ? { NextToken: token } : {}) })));
    return { page: out.MetricDataResults ?? [], next: out.NextToken };
  });
  const merged = new Map<string, Series>();
  for (const result of pages.flat()) {
    const series = merged.get(result.Id ?? '') ?? new Map<number, number>();
    (result.Timestamps ?? []).forEach((t, i) => {
      const v = result.Values?.[i];
      if (v !== undefined) series.set(t.getTime(), v);
    });
    merged.set(result.Id ?? '', series);
  }
  return merged;
}

/** Reads the window around `now`: the past hour and the next two hours, minute by minute. */
export async function readWindow(target: MaintenanceTarget, now = Date.now()): Promise<MaintenanceState> {
  const current = floorMinute(now);
  const start = current - 60 * MINUTE_MS;
  const end = current + (MAINTENANCE_MAX_MINUTES + 1) * MINUTE_MS;
  const stat = (id: string, metric: string) => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: target.namespace, MetricName: metric, Dimensions: [{ Name: CANARY_DIMENSIONS.SERVICE_NAME, Value: target.serviceName }] },
      Period: 60,
      Stat: 'Maximum',
    },
  });
  const data = await getMetricData(target.cloudwatch, {
    StartTime: new Date(start),
    EndTime: new Date(end),
    MetricDataQueries: [stat('m', MAINTENANCE_METRIC)],
  });
  const latest = data.get('m') ?? new Map<number, number>();
  // MAINTENANCE_EXPRESSION, per minute.
  const inWindow = (t: number) => inMaintenance(latest.get(t));
  const iso = (t: number) => new Date(t).toISOString();
  if (inWindow(current)) {
    let first = current;
    while (first - MINUTE_MS >= start && inWindow(first - MINUTE_MS)) first -= MINUTE_MS;
    let last = current;
    while (last + MINUTE_MS < end && inWindow(last + MINUTE_MS)) last += MINUTE_MS;
    const openedAt = iso(maintenanceCommandTime(latest.get(current)!) * 1000);
    return { open: true, since: first === start ? null : iso(first), until: iso(last + MINUTE_MS), openedAt };
  }
  let previous: number | undefined;
  for (let t = current - MINUTE_MS; t >= start; t -= MINUTE_MS) {
    if (inWindow(t)) {
      previous = t;
      break;
    }
  }
  return { open: false, since: previous === undefined ? null : iso(previous + MINUTE_MS), until: null, openedAt: null };
}
