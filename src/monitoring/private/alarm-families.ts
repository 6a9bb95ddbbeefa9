/**
 * One small function per alarm family: each takes the user's threshold struct once and decides
 * the comparison, the threshold in the metric's unit, the missing-data treatment and the default
 * M of N. What varies between alarms of one family (a latency in milliseconds or seconds, a
 * limit, `>` or `>=`) is stated by the caller. Internal.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmMetric, AlarmSpec } from './alarm-factory';
import type { ValidationProblem } from '../../private/validation';
import { McpAlarmThresholdBase, McpCertificateExpiryThreshold, McpCountThreshold, McpLatencyThreshold, McpProbeSuccessThreshold, McpUtilizationThreshold } from '../thresholds';

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
  /**
   * Off unless the user sets `enabled: true`. Opt-in alarms are those whose failures another
   * default alarm already catches (or that only predict one), kept off by default so a monitored
   * endpoint stays within its cost budget (README "What it costs").
   */
  readonly optIn?: boolean;
}

/** The unit of a latency metric, stated where the alarm is made. */
export enum LatencyUnit {
  MILLISECONDS = 'MILLISECONDS',
  SECONDS = 'SECONDS',
}

/** Counts of bad events: above `maxCount` (default 0); no events is fine. */
export function countAlarm(meaning: AlarmMeaning, thresholds: McpCountThreshold = {}): AlarmSpec {
  const maxCount = thresholds.maxCount ?? 0;
  return spec(meaning, thresholds, 1, nonNegative(`${meaning.propName}.maxCount`, maxCount), { comparisonOperator: GT, threshold: maxCount });
}

/** How a utilization alarm compares, stated at its call. */
export interface UtilizationOptions {
  /** `maxUtilizationPercent` when the user sets none. */
  readonly defaultPercent: number;
  /**
   * The limit in the metric's unit: the threshold is this share of it. 100 for a metric in
   * percent (the threshold is then the percentage itself).
   */
  readonly limit: number;
  /** The metric's unit, for the description: `%`, ` ms`, ` instances`. */
  readonly unit: string;
  /** `>` (the default) or `>=`, for a metric that never exceeds its limit. */
  readonly comparison?: cloudwatch.ComparisonOperator;
  /** Round the threshold up to a whole number of at least 1 (counts of instances). */
  readonly wholeNumber?: boolean;
}

/** A value against a limit, above `maxUtilizationPercent` of it. */
export function utilizationAlarm(meaning: AlarmMeaning, thresholds: McpUtilizationThreshold = {}, options: UtilizationOptions): AlarmSpec {
  const percent = thresholds.maxUtilizationPercent ?? options.defaultPercent;
  const valid = Token.isUnresolved(percent) || (percent > 0 && percent <= 100);
  const problems: ValidationProblem[] = valid ? [] : [{
    id: 'cdk-mcp:alarmMaxUtilizationPercent',
    message: `\`${meaning.propName}.maxUtilizationPercent\` is ${percent}; use a percentage above 0 and at most 100.`,
  }];
  return spec(meaning, thresholds, 1, problems, {
    comparisonOperator: options.comparison ?? GT,
    threshold: shareOf(options.limit, percent, options.wholeNumber ?? false),
    thresholdUnit: options.unit,
  });
}

/**
 * CPU or memory saturation, opt-in: a metric in percent above `maxUtilizationPercent` (default 80)
 * for 3 of 3 periods.
 */
export function saturationAlarm(meaning: Omit<AlarmMeaning, 'datapointsToAlarm' | 'evaluationPeriods' | 'optIn'>, thresholds?: McpUtilizationThreshold): AlarmSpec {
  return utilizationAlarm({ ...meaning, datapointsToAlarm: 3, evaluationPeriods: 3, optIn: true }, thresholds, { defaultPercent: 80, limit: 100, unit: '%' });
}

/** A latency above `maxLatency`, in the metric's unit. */
export function latencyAlarm(meaning: AlarmMeaning, thresholds: McpLatencyThreshold = {}, defaultLatency: Duration, unit: LatencyUnit): AlarmSpec {
  const maxLatency = thresholds.maxLatency ?? defaultLatency;
  const seconds = unit === LatencyUnit.SECONDS;
  return spec(meaning, thresholds, 3, [], {
    comparisonOperator: GT,
    threshold: seconds ? maxLatency.toSeconds({ integral: false }) : maxLatency.toMilliseconds(),
    thresholdUnit: seconds ? ' s' : ' ms',
  });
}

/** The probe's success rate below `minSuccessRate`; missing data is breaching (the monitor is down). */
export function successAlarm(meaning: AlarmMeaning, thresholds: McpProbeSuccessThreshold = {}): AlarmSpec {
  const minSuccessRate = thresholds.minSuccessRate ?? 1;
  const valid = Token.isUnresolved(minSuccessRate) || (minSuccessRate > 0 && minSuccessRate <= 1);
  const problems: ValidationProblem[] = valid ? [] : [{
    id: 'cdk-mcp:alarmMinSuccessRate',
    message: `\`${meaning.propName}.minSuccessRate\` is ${minSuccessRate}; use a fraction above 0 and at most 1 (1 = every probe must pass).`,
  }];
  return spec(meaning, thresholds, 3, problems, {
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    threshold: minSuccessRate,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
}

/** Days remaining below `minDaysRemaining`. */
export function expiryAlarm(meaning: AlarmMeaning, thresholds: McpCertificateExpiryThreshold = {}): AlarmSpec {
  const minDaysRemaining = thresholds.minDaysRemaining ?? 14;
  const problems = nonNegative(`${meaning.propName}.minDaysRemaining`, minDaysRemaining);
  return spec(meaning, thresholds, 1, problems, { comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, threshold: minDaysRemaining, thresholdUnit: ' days' });
}

/** What a family decides: how the metric compares with the threshold, and what no data means. */
interface Decision {
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly threshold: number;
  readonly thresholdUnit?: string;
  /** @default NOT_BREACHING */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;

/** What every family shares: the meaning, the user's settings, whether it is on, default M of N; then the family's decision. */
function spec(
  meaning: AlarmMeaning, thresholds: McpAlarmThresholdBase, defaultMofN: number, problems: ValidationProblem[], decision: Decision,
): AlarmSpec {
  return {
    ...decision,
    treatMissingData: decision.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    id: meaning.id,
    propName: meaning.propName,
    metric: meaning.metric,
    summary: meaning.summary,
    firstCheck: meaning.firstCheck,
    datapointsToAlarm: meaning.datapointsToAlarm ?? defaultMofN,
    evaluationPeriods: meaning.evaluationPeriods ?? defaultMofN,
    thresholds,
    enabled: meaning.optIn === true ? thresholds.enabled === true : thresholds.enabled !== false,
    problems,
  };
}

/** The threshold at `percent` of `limit`: the limit itself while either is a token. */
function shareOf(limit: number, percent: number, wholeNumber: boolean): number {
  if (Token.isUnresolved(limit) || Token.isUnresolved(percent)) {
    return Token.isUnresolved(limit) ? limit : percent;
  }
  const share = (limit * percent) / 100;
  return wholeNumber ? Math.max(1, Math.ceil(share)) : Math.round(share * 100) / 100;
}

function nonNegative(propName: string, value: number): ValidationProblem[] {
  return Token.isUnresolved(value) || value >= 0 ? [] : [{ id: 'cdk-mcp:alarmThresholdNegative', message: `\`${propName}\` is ${value}; use a number of at least 0.` }];
}
