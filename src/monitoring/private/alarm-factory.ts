/**
 * The mechanics every alarm of this library shares: derived names, descriptions that say what
 * failed and where to look first, defaults applied once, optional direct actions. Internal: the
 * meaning of each alarm (metric, comparison, missing data) lives in one small function per family.
 */
import { Duration, Names, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ValidationErrors, ValidationProblem } from '../../private/validation';
import { McpAlarmThresholdBase } from '../thresholds';

/** A metric an alarm can watch, with a period that can be overridden. */
export type AlarmMetric = cloudwatch.Metric | cloudwatch.MathExpression;

/** The meaning of one alarm, decided by its family, with the user's thresholds it was made from. */
export interface AlarmSpec {
  /** Construct id of the alarm, PascalCase and stable (a public contract). */
  readonly id: string;
  /** The prop that configures this alarm, for error messages: `throttlesAlarm`. */
  readonly propName: string;
  /** What is watched. Its period is the default period. */
  readonly metric: AlarmMetric;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly threshold: number;
  /** Unit of the threshold for the description, e.g. ` ms`, `%`. */
  readonly thresholdUnit?: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** What failed, as a sentence fragment: "MCP probe failing". */
  readonly summary: string;
  /** Where to look first. */
  readonly firstCheck: string;
  /** The user's settings of this alarm (M of N, period, missing data, actions). */
  readonly thresholds: McpAlarmThresholdBase;
  /** Whether the alarm is created: `enabled`, or for an opt-in alarm `enabled: true`. */
  readonly enabled: boolean;
  /** What is wrong with the user's thresholds, each naming the setting, the value and the fix. */
  readonly problems: readonly ValidationProblem[];
}

/** What the factory needs from its monitoring construct. */
export interface AlarmFactoryProps {
  /** Service name for descriptions. */
  readonly serviceName: string;
  /** Actions of alarms with `actionsEnabled: true` (the alarm topic). */
  readonly action: cloudwatch.IAlarmAction;
  /** Called with every alarm created, to register it (list, composite alarm, dashboard). */
  readonly onAlarm: (alarm: cloudwatch.Alarm) => void;
}

const OPERATOR_TEXT: { readonly [op: string]: string } = {
  [cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD]: '>',
  [cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD]: '>=',
  [cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD]: '<',
  [cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD]: '<=',
};

/** Creates alarms with the library's conventions. */
export class AlarmFactory {
  constructor(private readonly props: AlarmFactoryProps) {}

  /**
   * Creates one alarm in `scope`, or nothing when the spec is not enabled. A problem with the
   * thresholds (the family's, or M of N and period) is recorded in `errors`, and no alarm is made:
   * the caller throws them all at once.
   */
  public createAlarm(scope: Construct, spec: AlarmSpec, errors: ValidationErrors): cloudwatch.Alarm | undefined {
    const thresholds = spec.thresholds;
    const evaluationPeriods = thresholds.evaluationPeriods ?? spec.evaluationPeriods;
    const datapointsToAlarm = thresholds.datapointsToAlarm ?? Math.min(spec.datapointsToAlarm, evaluationPeriods);
    const problems = [...spec.problems, ...thresholdProblems(spec.propName, evaluationPeriods, datapointsToAlarm, thresholds.period)];
    errors.addProblems(problems);
    if (!spec.enabled || problems.length > 0) {
      return undefined;
    }

    const metric = thresholds.period ? spec.metric.with({ period: thresholds.period }) : spec.metric;
    const period = metric.period;
    const alarm = new cloudwatch.Alarm(scope, spec.id, {
      metric,
      comparisonOperator: spec.comparisonOperator,
      threshold: spec.threshold,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: thresholds.treatMissingData ?? spec.treatMissingData,
      alarmDescription: describe(this.props.serviceName, spec, metric, datapointsToAlarm, evaluationPeriods, period),
    });
    // A readable name derived from the construct path: stable across synths, unique per stack and path.
    (alarm.node.defaultChild as cloudwatch.CfnAlarm).alarmName = alarmNameOf(alarm);
    if (thresholds.actionsEnabled === true) {
      alarm.addAlarmAction(this.props.action);
      alarm.addOkAction(this.props.action);
    }
    this.props.onAlarm(alarm);
    return alarm;
  }
}

/** The physical name of an alarm: the stack name and construct path, with a hash for uniqueness. */
export function alarmNameOf(construct: Construct): string {
  return Names.uniqueResourceName(construct, { maxLength: 255, separator: '-' });
}

function thresholdProblems(
  propName: string, evaluationPeriods: number, datapointsToAlarm: number, period: Duration | undefined,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    problems.push({ id: 'cdk-mcp:alarmEvaluationPeriods', message: `\`${propName}.evaluationPeriods\` is ${evaluationPeriods}; use a whole number of at least 1.` });
  }
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    problems.push({
      id: 'cdk-mcp:alarmDatapointsToAlarm',
      message: `\`${propName}.datapointsToAlarm\` is ${datapointsToAlarm}; use a whole number from 1 to evaluationPeriods (${evaluationPeriods}).`,
    });
  }
  if (period !== undefined && !period.isUnresolved()) {
    const seconds = period.toSeconds({ integral: false });
    if (![10, 20, 30].includes(seconds) && (seconds < 60 || seconds % 60 !== 0)) {
      problems.push({
        id: 'cdk-mcp:alarmPeriod',
        message: `\`${propName}.period\` is ${period.toHumanString()}; CloudWatch accepts 10, 20 or 30 seconds or a multiple of 60 seconds.`,
      });
    }
    if (!Number.isNaN(seconds) && seconds * evaluationPeriods > 86_400 * 7) {
      problems.push({
        id: 'cdk-mcp:alarmEvaluationWindow',
        message: `\`${propName}\`: period x evaluationPeriods is ${seconds * evaluationPeriods} s; CloudWatch evaluates at most 7 days. Lower one of them.`,
      });
    }
  }
  return problems;
}

function describe(
  serviceName: string,
  spec: AlarmSpec,
  metric: AlarmMetric,
  datapointsToAlarm: number,
  evaluationPeriods: number,
  period: Duration,
): string {
  const config = metric.toMetricConfig();
  const watched = config.metricStat
    ? `${config.metricStat.metricName} ${config.metricStat.statistic}`
    : config.mathExpression?.expression ?? 'metric';
  const threshold = Token.isUnresolved(spec.threshold) ? 'the threshold' : `${spec.threshold}${spec.thresholdUnit ?? ''}`;
  return `${spec.summary} (MCP service ${serviceName}). `
    + `Fires when ${watched} ${OPERATOR_TEXT[spec.comparisonOperator] ?? spec.comparisonOperator} ${threshold} `
    + `in ${datapointsToAlarm} of ${evaluationPeriods} periods of ${period.toHumanString()}. `
    + `First check: ${spec.firstCheck}`;
}
