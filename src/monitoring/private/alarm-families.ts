/**
 * One small function per alarm family: each decides the comparison, the threshold from its
 * struct, and the missing-data treatment. Internal.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AlarmFactory, AlarmMetric, AlarmSpec } from './alarm-factory';
import {
  McpCertificateExpiryThreshold,
  McpCountThreshold,
  McpLatencyThreshold,
  McpProbeSuccessThreshold,
  McpUtilizationThreshold,
} from '../thresholds';

/** The parts of an alarm the caller decides: which metric, and what the alarm means. */
export interface AlarmMeaning {
  readonly id: string;
  /** The prop that configures this alarm, for error messages: `throttlesAlarm`. */
  readonly propName: string;
  readonly metric: AlarmMetric;
  readonly summary: string;
  readonly firstCheck: string;
  /** Default M of N. */
  readonly datapointsToAlarm?: number;
  readonly evaluationPeriods?: number;
}

/** Counts of bad events: above `maxCount` (default 0); no events is fine. */
export function countAlarm(meaning: AlarmMeaning, thresholds: McpCountThreshold = {}): AlarmSpec {
  const maxCount = thresholds.maxCount ?? 0;
  requireNonNegative(`${meaning.propName}.maxCount`, maxCount);
  return {
    ...spec(meaning, 1, 1),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    threshold: maxCount,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
}

/**
 * A value against a limit: the metric is in percent (a math expression over the raw value), or
 * in the limit's unit (then `limit` scales the threshold).
 */
export function utilizationAlarm(
  meaning: AlarmMeaning,
  thresholds: McpUtilizationThreshold,
  defaultPercent: number,
  limit: number,
  unit: string,
): AlarmSpec {
  const percent = thresholds.maxUtilizationPercent ?? defaultPercent;
  if (!Token.isUnresolved(percent) && (percent <= 0 || percent > 100)) {
    throw new Error(`\`${meaning.propName}.maxUtilizationPercent\` is ${percent}; use a percentage above 0 and at most 100.`);
  }
  return {
    ...spec(meaning, 1, 1),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    threshold: Token.isUnresolved(limit) ? limit : round((limit * percent) / 100),
    thresholdUnit: unit,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
}

/** A latency above `maxLatency`; the metric is in milliseconds. */
export function latencyAlarm(meaning: AlarmMeaning, thresholds: McpLatencyThreshold, defaultLatency: Duration): AlarmSpec {
  const maxLatency = thresholds.maxLatency ?? defaultLatency;
  return {
    ...spec(meaning, 3, 3),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    threshold: maxLatency.toMilliseconds(),
    thresholdUnit: ' ms',
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
}

/** The probe's success rate below `minSuccessRate`; missing data is breaching (the monitor is down). */
export function successAlarm(meaning: AlarmMeaning, thresholds: McpProbeSuccessThreshold): AlarmSpec {
  const minSuccessRate = thresholds.minSuccessRate ?? 1;
  if (!Token.isUnresolved(minSuccessRate) && (minSuccessRate <= 0 || minSuccessRate > 1)) {
    throw new Error(`\`${meaning.propName}.minSuccessRate\` is ${minSuccessRate}; use a fraction above 0 and at most 1 (1 = every probe must pass).`);
  }
  return {
    ...spec(meaning, 3, 3),
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    threshold: minSuccessRate,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  };
}

/** Days remaining below `minDaysRemaining`. */
export function expiryAlarm(meaning: AlarmMeaning, thresholds: McpCertificateExpiryThreshold): AlarmSpec {
  const minDaysRemaining = thresholds.minDaysRemaining ?? 14;
  requireNonNegative(`${meaning.propName}.minDaysRemaining`, minDaysRemaining);
  return {
    ...spec(meaning, 1, 1),
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    threshold: minDaysRemaining,
    thresholdUnit: ' days',
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
}

/** A metric filter per pattern, all counting into one metric. */
export interface LogCountSource {
  readonly logGroup: logs.ILogGroup;
  /** Filter construct id -> filter pattern. */
  readonly patterns: { readonly [filterId: string]: string };
  readonly metricNamespace: string;
  readonly metricName: string;
}

/**
 * Metric filters on a log group and a count alarm on what they count. Creates nothing when the
 * alarm is disabled (a filter nobody watches is a custom metric paid for nothing).
 */
export function createLogCountAlarm(
  scope: Construct,
  factory: AlarmFactory,
  source: LogCountSource,
  meaning: Omit<AlarmMeaning, 'metric'>,
  thresholds: McpCountThreshold = {},
): cloudwatch.Alarm | undefined {
  if (thresholds.enabled === false) {
    return undefined;
  }
  for (const [filterId, pattern] of Object.entries(source.patterns)) {
    new logs.MetricFilter(scope, filterId, {
      logGroup: source.logGroup,
      filterPattern: logs.FilterPattern.literal(pattern),
      metricNamespace: source.metricNamespace,
      metricName: source.metricName,
      metricValue: '1',
      unit: cloudwatch.Unit.COUNT,
    });
  }
  const metric = new cloudwatch.Metric({
    namespace: source.metricNamespace,
    metricName: source.metricName,
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
  });
  return factory.createAlarm(scope, countAlarm({ ...meaning, metric }, thresholds), thresholds);
}

function spec(meaning: AlarmMeaning, defaultDatapoints: number, defaultPeriods: number) {
  return {
    id: meaning.id,
    propName: meaning.propName,
    metric: meaning.metric,
    summary: meaning.summary,
    firstCheck: meaning.firstCheck,
    datapointsToAlarm: meaning.datapointsToAlarm ?? defaultDatapoints,
    evaluationPeriods: meaning.evaluationPeriods ?? defaultPeriods,
  };
}

function requireNonNegative(propName: string, value: number): void {
  if (!Token.isUnresolved(value) && !(value >= 0)) {
    throw new Error(`\`${propName}\` is ${value}; use a number of at least 0.`);
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
