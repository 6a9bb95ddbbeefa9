import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AlarmRow, AlarmTable, count, logCount, saturation } from './alarm-table';
import { FATAL_LOG_LEVEL_PATTERN, PROCESS_CRASH_PATTERN } from './container-log-patterns';
import { McpEcsTaskAlarmOptions } from '../platform-alarm-options';
import { McpCountThreshold } from '../thresholds';

/**
 * The alarms every ECS service of an MCP server has, on Fargate behind the construct's ALB or on
 * ECS Express Mode: task CPU and memory utilization (opt-in) and running tasks below desired. One
 * place for their ids, thresholds and meanings; each service passes its own metrics and what its
 * operators check first.
 */
export interface EcsTaskAlarmsInput {
  /** `AWS/ECS` `CPUUtilization` of the service, Average over five minutes. */
  readonly cpuMetric: cloudwatch.Metric;
  /** `AWS/ECS` `MemoryUtilization` of the service, Average over five minutes. */
  readonly memoryMetric: cloudwatch.Metric;
  /** Desired minus running tasks (see {@link missingTasks}). */
  readonly missingTasks: cloudwatch.MathExpression;
  /** What to check first, per alarm: the service's own consoles and props. */
  readonly firstChecks: { readonly cpu: string; readonly memory: string; readonly runningTasks: string };
}

/** The rows of the CPU, memory and running-tasks alarms of an ECS service, first in its table. */
export function ecsTaskAlarms(input: EcsTaskAlarmsInput): AlarmTable<McpEcsTaskAlarmOptions> {
  return {
    cpuAlarm: saturation({
      id: 'CpuUtilization',
      metric: input.cpuMetric,
      summary: 'The MCP server\'s tasks use most of their CPU: requests queue and slow down',
      firstCheck: input.firstChecks.cpu,
    }),
    memoryAlarm: saturation({
      id: 'MemoryUtilization',
      metric: input.memoryMetric,
      summary: 'The MCP server\'s tasks use most of their memory; a task above its limit is killed',
      firstCheck: input.firstChecks.memory,
    }),
    runningTasksAlarm: count({
      id: 'RunningTasksBelowDesired',
      metric: input.missingTasks,
      summary: 'Fewer MCP server tasks run than desired: tasks crash, fail their health check, or cannot start',
      firstCheck: input.firstChecks.runningTasks,
      datapointsToAlarm: 5,
      evaluationPeriods: 5,
    }),
  };
}

/**
 * Desired minus running tasks of one ECS service, from Container Insights (dimensions
 * ClusterName and ServiceName).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
 */
export function missingTasks(clusterName: string, serviceName: string, period: Duration): cloudwatch.MathExpression {
  const insights = (metricName: string) => new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: clusterName, ServiceName: serviceName },
    statistic: cloudwatch.Stats.AVERAGE,
    period,
  });
  return new cloudwatch.MathExpression({
    expression: 'desired - running',
    usingMetrics: { desired: insights('DesiredTaskCount'), running: insights('RunningTaskCount') },
    label: 'Tasks missing (desired - running)',
    period,
  });
}

/**
 * The fatal-errors alarm over a container log group: a crashed Node.js process or a FATAL log
 * line, counted by two metric filters into one metric.
 *
 * @param optIn whether the alarm is off unless `enabled: true` (the service's default)
 */
export function containerFatalErrors(logGroup: logs.ILogGroup | undefined, optIn: boolean): AlarmRow<McpCountThreshold> {
  const patterns = { ProcessCrashFilter: PROCESS_CRASH_PATTERN, FatalLogLevelFilter: FATAL_LOG_LEVEL_PATTERN };
  return logCount({ logGroup, patterns, metricName: 'FatalErrors' }, {
    id: 'FatalErrors',
    summary: 'The MCP server process crashed or logged a fatal error',
    firstCheck: 'the container log stream around the match (the lines before "Node.js v.." or "FATAL ERROR" hold the stack), and the stopped task\'s exit code.',
    optIn,
  });
}
