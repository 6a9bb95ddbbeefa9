/**
 * Names shared by the constructs (synth time) and the operator tools (the `mcp-probe status |
 * maintenance | canary` commands and the deploy gate handler): how a deployed service is found,
 * and how a maintenance window is written to CloudWatch.
 *
 * Internal: not exported from the package's public API. No aws-cdk-lib imports (bundled into
 * the CLI and the gate handler).
 */

/**
 * Maintenance windows live in CloudWatch as two metrics in the service's probe namespace, with
 * the `ServiceName` dimension. Opening a window writes `MaintenanceOpenedAt` = the command's time
 * (epoch seconds) at every minute of the window; closing it early writes `MaintenanceClosedAt` =
 * the command's time at every remaining minute. A minute is "in maintenance" when the latest
 * open is newer than the latest close, so a window reopened after a close is open again, and a
 * window ends by itself when its datapoints run out: no process stays running.
 *
 * CloudWatch accepts datapoints up to 2 hours in the future, which bounds one window (extend it
 * by running `maintenance start` again before it ends).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export const MAINTENANCE_METRICS = {
  OPENED_AT: 'MaintenanceOpenedAt',
  CLOSED_AT: 'MaintenanceClosedAt',
} as const;

/** The longest single maintenance window, in minutes (CloudWatch's future-timestamp limit). */
export const MAINTENANCE_MAX_MINUTES = 120;

/**
 * The metric math the maintenance alarm evaluates per minute: 1 in a window, else 0.
 * `opened` and `closed` are the ids of the two metrics above (statistic Maximum, period 60 s).
 */
export const MAINTENANCE_EXPRESSION = 'IF(FILL(opened, 0) > FILL(closed, 0), 1, 0)';

/**
 * The first words of the health (composite) alarm's description, followed by the service name:
 * `MCP service <name> is unhealthy: ...`. The CLI finds a service's health alarm by it.
 */
export const HEALTH_ALARM_DESCRIPTION_PREFIX = 'MCP service ';

/** The CloudWatch namespace of the probe metrics when none is set. */
export { DEFAULT_METRIC_NAMESPACE } from './canary-env';
