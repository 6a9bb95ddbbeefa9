/**
 * Names shared by the constructs (synth time) and the operator tools (the `mcp-probe status |
 * maintenance | canary` commands and the deploy gate handler): how a deployed service is found,
 * and how a maintenance window is written to CloudWatch.
 *
 * Internal: not exported from the package's public API. No aws-cdk-lib imports (bundled into
 * the CLI and the gate handler).
 */

/**
 * Maintenance windows live in CloudWatch as one metric in the service's probe namespace, with the
 * `ServiceName` dimension, written ahead of time so no process stays running: opening a window
 * writes {@link maintenanceValue}('open', now) at every minute of the window, closing it early
 * writes {@link maintenanceValue}('close', now) at every remaining minute. Values grow with the
 * command's time and a close is odd, an open even, so the Maximum of a minute is its latest command
 * and the minute is in maintenance when that is an open: a window reopened after a close is open
 * again, and a window ends by itself when its datapoints run out. One metric keeps the alarm at
 * $0.10 a month.
 *
 * CloudWatch accepts datapoints up to 2 hours in the future, which bounds one window (extend it
 * by running `maintenance start` again before it ends).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export const MAINTENANCE_METRIC = 'MaintenanceWindow';

/** The longest single maintenance window, in minutes (CloudWatch's future-timestamp limit). */
export const MAINTENANCE_MAX_MINUTES = 120;

/** The value a command writes: 2 x its time in epoch seconds, plus 1 for a close. */
export function maintenanceValue(action: 'open' | 'close', epochSeconds: number): number {
  return 2 * Math.floor(epochSeconds) + (action === 'close' ? 1 : 0);
}

/** Whether a minute whose Maximum is `value` is in maintenance (its latest command opened). */
export function inMaintenance(value: number | undefined): boolean {
  return value !== undefined && value > 0 && value % 2 === 0;
}

/** The time (epoch seconds) of the command that wrote `value`. */
export function maintenanceCommandTime(value: number): number {
  return Math.floor(value / 2);
}

/**
 * The metric math the maintenance alarm evaluates per minute: 1 in a window, else 0 —
 * {@link inMaintenance} in CloudWatch's terms. `m` is {@link MAINTENANCE_METRIC}, statistic
 * Maximum, period 60 s. FLOOR, FILL, IF and AND are CloudWatch metric-math functions and
 * operators (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html);
 * that an alarm accepts this expression is unconfirmed until a first deploy (nothing is deployed
 * from here): PutMetricAlarm would then reject it and fail the stack, never silently.
 */
export const MAINTENANCE_EXPRESSION = 'IF(FILL(m, 0) > 0 AND FILL(m, 0) - 2 * FLOOR(FILL(m, 0) / 2) == 0, 1, 0)';

/**
 * The first words of the health (composite) alarm's description, followed by the service name:
 * `MCP service <name> is unhealthy: ...`. The CLI finds a service's health alarm by it.
 */
export const HEALTH_ALARM_DESCRIPTION_PREFIX = 'MCP service ';

/** The CloudWatch namespace of the probe metrics when none is set. */
export { DEFAULT_METRIC_NAMESPACE } from './canary-env';
