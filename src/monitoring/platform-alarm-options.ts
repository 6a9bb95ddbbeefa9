import { McpCountThreshold, McpUtilizationThreshold } from './thresholds';

/**
 * The CPU and memory alarms of an MCP server on tasks or instances (ECS Fargate, ECS Express
 * Mode, App Runner): the same metrics (`CPUUtilization`, `MemoryUtilization`, Average, in
 * percent), the same defaults, the same meaning on each kind.
 */
export interface McpSaturationAlarmOptions {
  /**
   * The average CPU utilization of the server's tasks or instances (`CPUUtilization`).
   *
   * @default - not created (opt-in: `{ enabled: true }`, predicts slowness the probe latency alarm sees); then Average above 80% for 3 of 3 five-minute datapoints
   */
  readonly cpuAlarm?: McpUtilizationThreshold;

  /**
   * The average memory utilization of the server's tasks or instances (`MemoryUtilization`; a
   * task or instance above 100% is killed or replaced).
   *
   * @default - not created (opt-in: `{ enabled: true }`, predicts the kills and replacements the running-tasks or 5xx alarm and the probe see); then Average above 80% for 3 of 3 five-minute datapoints
   */
  readonly memoryAlarm?: McpUtilizationThreshold;
}

/** The task alarms of an MCP server on ECS (Fargate behind the construct's load balancer, or Express Mode). */
export interface McpEcsTaskAlarmOptions extends McpSaturationAlarmOptions {
  /**
   * Fewer tasks running than desired (crash loops, failed deploys, capacity): `DesiredTaskCount`
   * minus `RunningTaskCount` from Container Insights, above `maxCount` missing tasks. Needs
   * Container Insights on the cluster (the clusters the constructs create have it); without it the
   * alarm has no data and stays OK.
   *
   * @default - more than 0 tasks missing for 5 of 5 one-minute datapoints
   */
  readonly runningTasksAlarm?: McpCountThreshold;
}
