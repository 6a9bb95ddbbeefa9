import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Settings every alarm of this library accepts. Each alarm family documents its own defaults at
 * the prop that configures it.
 */
export interface McpAlarmThresholdBase {
  /**
   * Whether to create this alarm at all.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How many breaching datapoints within `evaluationPeriods` put the alarm in ALARM (M of N).
   *
   * @default - per alarm, documented at the prop
   */
  readonly datapointsToAlarm?: number;

  /**
   * How many of the most recent periods are evaluated (N of M of N).
   *
   * @default - per alarm, documented at the prop
   */
  readonly evaluationPeriods?: number;

  /**
   * The length of one datapoint.
   *
   * @default - per alarm, documented at the prop
   */
  readonly period?: Duration;

  /**
   * How a period with no datapoint counts.
   *
   * @default - per alarm: BREACHING for the probe's success (a canary that stopped running is an
   * outage of the monitor), NOT_BREACHING for counts and latencies
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;

  /**
   * Whether this alarm also notifies the alarm topic directly. By default only the composite
   * service-health alarm notifies, so one incident pages once and a maintenance suppressor
   * silences everything.
   *
   * @default false
   */
  readonly actionsEnabled?: boolean;
}

/** An alarm on a count of events (errors, throttles, matching log lines). */
export interface McpCountThreshold extends McpAlarmThresholdBase {
  /**
   * The alarm fires when the count in a period is above this.
   *
   * @default 0
   */
  readonly maxCount?: number;
}

/** An alarm on how much of a limit is used (memory, timeout, concurrency). */
export interface McpUtilizationThreshold extends McpAlarmThresholdBase {
  /**
   * The alarm fires when utilization is above this percentage of the limit.
   *
   * @default - per alarm, documented at the prop
   */
  readonly maxUtilizationPercent?: number;
}

/** An alarm on a latency. */
export interface McpLatencyThreshold extends McpAlarmThresholdBase {
  /**
   * The alarm fires when the latency statistic is above this.
   *
   * @default - per alarm, documented at the prop
   */
  readonly maxLatency?: Duration;
}

/** The alarm on the probe's success. */
export interface McpProbeSuccessThreshold extends McpAlarmThresholdBase {
  /**
   * The alarm fires when the share of passing probes in a period (the Average of `ProbeSuccess`,
   * 0 to 1) is below this. With one probe a minute and one-minute periods, 1 means "the probe
   * failed".
   *
   * @default 1
   */
  readonly minSuccessRate?: number;
}

/** The alarm on the TLS certificate's remaining validity. */
export interface McpCertificateExpiryThreshold extends McpAlarmThresholdBase {
  /**
   * The alarm fires when the certificate expires in fewer days than this.
   *
   * @default 14
   */
  readonly minDaysRemaining?: number;
}
