/**
 * The alarms of one kind as a table: one row per alarm option, keyed by the option's name, each
 * row naming the alarm's family and its meaning once. The option's name is the alarm's `propName`
 * (for error messages) and the name of the alarms construct's field that holds it, so the
 * thresholds are passed once, by the table, and never beside the alarm. Model:
 * cdk-monitoring-constructs' alarm factories, which take the threshold struct once. Internal.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmSpec } from './alarm-factory';
import {
  AlarmMeaning,
  countAlarm,
  expiryAlarm,
  LatencyUnit,
  latencyAlarm,
  saturationAlarm,
  successAlarm,
  utilizationAlarm,
  UtilizationOptions,
} from './alarm-families';
import { AlarmSet, LogCountSource } from './alarm-set';
import { McpCertificateExpiryThreshold, McpCountThreshold, McpLatencyThreshold, McpProbeSuccessThreshold, McpUtilizationThreshold } from '../thresholds';

/** What a row decides: the alarm's meaning, less the `propName` the table's key gives it. */
export interface RowMeaning extends Omit<AlarmMeaning, 'propName'> {
  /**
   * Whether the service has what the alarm watches (a URL, a reservation, a log group). When false
   * the alarm is not created; its thresholds are still checked.
   *
   * @default true
   */
  readonly when?: boolean;
}

/** One alarm of a table: creates it in `set` from the thresholds of option `propName`. */
export type AlarmRow<T> = (set: AlarmSet, propName: string, thresholds: T | undefined) => cloudwatch.Alarm | undefined;

/** A row per key of the alarm options `O`; a key that `O` has not, or one left out, does not compile. */
export type AlarmTable<O> = { readonly [K in keyof Required<O>]: AlarmRow<NonNullable<O[K]>> };

/** The alarms a table made, by option name (the field names of the alarms construct). */
export type MadeAlarms<O> = { -readonly [K in keyof O]?: cloudwatch.Alarm };

/**
 * Every alarm of `table` in `set`, in the table's order, each from the option of its key in
 * `options`. Returns them by option name: an alarms construct keeps each in the field of that
 * name (`Object.assign(this, addTable(...))`).
 */
export function addTable<O extends object>(set: AlarmSet, table: AlarmTable<O>, options: O): MadeAlarms<O> {
  const made: MadeAlarms<O> = {};
  for (const propName of Object.keys(table) as Array<keyof O & string>) {
    made[propName] = table[propName](set, propName, options[propName] ?? undefined);
  }
  return made;
}

/** A row from a family that takes the meaning and the thresholds. */
function row<T>(meaning: RowMeaning, family: (meaning: AlarmMeaning, thresholds: T | undefined) => AlarmSpec): AlarmRow<T> {
  return (set, propName, thresholds) => set.add(family({ ...meaning, propName }, thresholds), meaning.when ?? true);
}

/** Counts of bad events above `maxCount` (see `countAlarm`). */
export function count(meaning: RowMeaning): AlarmRow<McpCountThreshold> {
  return row(meaning, countAlarm);
}

/** A value above `maxUtilizationPercent` of a limit (see `utilizationAlarm`). */
export function utilization(meaning: RowMeaning, options: UtilizationOptions): AlarmRow<McpUtilizationThreshold> {
  return row(meaning, (m, t) => utilizationAlarm(m, t, options));
}

/** CPU or memory saturation, opt-in (see `saturationAlarm`). */
export function saturation(meaning: Omit<RowMeaning, 'datapointsToAlarm' | 'evaluationPeriods' | 'optIn'>): AlarmRow<McpUtilizationThreshold> {
  return row(meaning, saturationAlarm);
}

/** A latency above `maxLatency` in the metric's `unit` (see `latencyAlarm`). */
export function latency(meaning: RowMeaning, defaultLatency: Duration, unit: LatencyUnit): AlarmRow<McpLatencyThreshold> {
  return row(meaning, (m, t) => latencyAlarm(m, t, defaultLatency, unit));
}

/** The probe's success rate below `minSuccessRate` (see `successAlarm`). */
export function success(meaning: RowMeaning): AlarmRow<McpProbeSuccessThreshold> {
  return row(meaning, successAlarm);
}

/** Days remaining below `minDaysRemaining` (see `expiryAlarm`). */
export function expiry(meaning: RowMeaning): AlarmRow<McpCertificateExpiryThreshold> {
  return row(meaning, expiryAlarm);
}

/**
 * Log lines counted by one metric filter per pattern of `source`, and the count alarm on them
 * (the filters only when the alarm is on and `source` has a log group).
 */
export function logCount(source: LogCountSource, meaning: Omit<RowMeaning, 'metric' | 'when'>): AlarmRow<McpCountThreshold> {
  return (set, propName, thresholds) => set.addLogMetric(source, (metric) => countAlarm({ ...meaning, propName, metric }, thresholds));
}

/**
 * A utilization alarm on a metric the filters of `source` publish, read with `statistic`:
 * `meaning` turns that metric into what the alarm watches.
 */
export function logUtilization(
  source: LogCountSource,
  statistic: string,
  meaning: (published: cloudwatch.Metric) => Omit<RowMeaning, 'when'>,
  options: UtilizationOptions,
): AlarmRow<McpUtilizationThreshold> {
  return (set, propName, thresholds) =>
    set.addLogMetric(source, (metric) => utilizationAlarm({ ...meaning(metric), propName }, thresholds, options), statistic);
}
