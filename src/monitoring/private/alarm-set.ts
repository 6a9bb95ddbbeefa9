/**
 * The alarms of one construct, the way cdk-monitoring-constructs' `Monitoring` base holds them:
 * one `add` per alarm with the spec its family made from the user's thresholds, the list of what
 * was created, registration with the service monitoring (through the factory: the composite
 * alarm), the construct's dashboard widgets, and every threshold problem collected and thrown
 * once with the construct's name and path. Used by composition: a public alarms construct keeps a
 * set and exposes its `alarms` (jsii forbids a public class extending an unexported base).
 * Internal.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AlarmFactory, AlarmSpec } from './alarm-factory';
import { AlarmMeaning, countAlarm } from './alarm-families';
import { ValidationErrors } from '../../private/validation';
import { McpCountThreshold } from '../thresholds';

/** A metric filter per pattern, all counting into one metric of the log-metric namespace. */
export interface LogCountSource {
  /** The log group to filter; without one, no filter and no alarm (its thresholds are still checked). */
  readonly logGroup?: logs.ILogGroup;
  /** Filter construct id -> filter pattern. */
  readonly patterns: { readonly [filterId: string]: string };
  readonly metricName: string;
  /** What one matching event adds. @default '1' */
  readonly metricValue?: string;
  /** @default cloudwatch.Unit.COUNT */
  readonly unit?: cloudwatch.Unit;
}

/** What platform alarms join: the service monitoring (`McpServiceMonitoring`). */
export interface AlarmHome {
  /** The factory whose alarms join the monitoring's composite alarm. */
  readonly _alarmFactory: AlarmFactory;
  /** The namespace of metrics derived from the server's logs. */
  readonly logMetricNamespace: string;
  /** The service dashboard, when there is one. */
  readonly dashboard?: cloudwatch.Dashboard;
}

/** The alarms of one construct. */
export class AlarmSet {
  /**
   * The platform alarms of an alarms construct: created with the monitoring's factory (so they
   * join its composite alarm), widgets on its dashboard, log metrics in its log-metric namespace.
   */
  public static forPlatform(scope: Construct, constructName: string, monitoring: AlarmHome): AlarmSet {
    return new AlarmSet(scope, constructName, monitoring._alarmFactory, monitoring.logMetricNamespace, monitoring.dashboard);
  }

  /** Every alarm created, in creation order. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  /** Problems with the construct's settings, thrown together by {@link finish}. */
  public readonly errors: ValidationErrors;

  constructor(
    private readonly scope: Construct,
    constructName: string,
    private readonly factory: AlarmFactory,
    /** The namespace of metrics derived from logs. */
    public readonly logMetricNamespace: string,
    private readonly dashboard?: cloudwatch.Dashboard,
  ) {
    this.errors = new ValidationErrors(constructName, scope);
  }

  /**
   * Creates the alarm a family made, unless it is disabled (or not opted in) or `when` is false.
   * Its thresholds are checked in every case: a bad setting of an alarm that is off is still a
   * mistake the user wants to hear of.
   *
   * @param when whether the service has what the alarm watches (a URL, a reservation, ...)
   */
  public add(spec: AlarmSpec, when = true): cloudwatch.Alarm | undefined {
    const alarm = this.factory.createAlarm(this.scope, when ? spec : { ...spec, enabled: false }, this.errors);
    if (alarm) {
      this.alarms.push(alarm);
    }
    return alarm;
  }

  /**
   * Metric filters on a log group, and the alarm `family` makes on the metric they publish
   * (`statistic` over five minutes). Creates neither when the alarm is off (a filter nobody
   * watches is a custom metric paid for nothing).
   */
  public addLogMetric(
    source: LogCountSource,
    family: (metric: cloudwatch.Metric) => AlarmSpec,
    statistic: string = cloudwatch.Stats.SUM,
  ): cloudwatch.Alarm | undefined {
    const metric = this.logMetric(source.metricName, statistic);
    const logGroup = source.logGroup;
    const spec = family(metric);
    if (logGroup !== undefined && spec.enabled && spec.problems.length === 0) {
      for (const [filterId, pattern] of Object.entries(source.patterns)) {
        new logs.MetricFilter(this.scope, filterId, {
          logGroup,
          filterPattern: logs.FilterPattern.literal(pattern),
          metricNamespace: this.logMetricNamespace,
          metricName: source.metricName,
          metricValue: source.metricValue ?? '1',
          unit: source.unit ?? cloudwatch.Unit.COUNT,
        });
      }
    }
    return this.add(spec, logGroup !== undefined);
  }

  /**
   * Log lines counted by one metric filter per pattern into `metricName`, and the count alarm on
   * them (above `maxCount`).
   */
  public addLogCount(
    logGroup: logs.ILogGroup | undefined,
    patterns: LogCountSource['patterns'],
    metricName: string,
    thresholds: McpCountThreshold | undefined,
    meaning: Omit<AlarmMeaning, 'metric'>,
  ): cloudwatch.Alarm | undefined {
    return this.addLogMetric({ logGroup, patterns, metricName }, (metric) => countAlarm({ ...meaning, metric }, thresholds));
  }

  /** A metric {@link addLogMetric} publishes, read with `statistic` over five minutes. */
  public logMetric(metricName: string, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: this.logMetricNamespace, metricName, statistic, period: Duration.minutes(5) });
  }

  /**
   * Ends the construct's alarms: throws every problem recorded, once, naming the construct and
   * its path; then adds the construct's widgets to the service dashboard, when there is one
   * (they are built only then).
   */
  public finish(widgets: () => cloudwatch.IWidget[]): void {
    this.errors.throwIfAny();
    this.dashboard?.addWidgets(...widgets());
  }
}
