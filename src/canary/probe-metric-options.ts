import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { McpFailureClass } from './canary-enums';

/**
 * Options of `metricProbeFailures` (on every service, {@link McpServiceMonitoring} and
 * {@link McpCanary}): the usual metric options, and the failure class to count alone.
 *
 * ```ts
 * declare const service: IMcpService;
 * service.metricProbeFailures({ failureClass: McpFailureClass.GATEWAY_TIMEOUT, period: Duration.minutes(5) });
 * ```
 */
export interface McpProbeFailuresMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Count only the failures of this class (the `FailureClass` dimension, as `mcp-probe` names
   * them: `TIMEOUT`, `GATEWAY_TIMEOUT`, `TOOL_CREDENTIALS`, ...).
   *
   * @default - all failures (the metric with the `ServiceName` dimension alone)
   */
  readonly failureClass?: McpFailureClass;
}
