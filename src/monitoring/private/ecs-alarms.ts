import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { countAlarm, saturationAlarm } from './alarm-families';
import { AlarmSet } from './alarm-set';
import { FATAL_LOG_LEVEL_PATTERN, PROCESS_CRASH_PATTERN } from './container-log-patterns';
import { McpCountThreshold, McpUtilizationThreshold } from '../thresholds';

/**
 * The alarms every ECS service of an MCP server has, on Fargate behind the construct's ALB or on
 * ECS Express Mode: task CPU and memory utilization (opt-in), running tasks below desired, and
 * fatal errors in the container logs. One place for their ids, thresholds and meanings; each
 * service passes its own metrics and what its operators check first.
 */
export interface EcsTaskAlarmsInput {
  /** `AWS/ECS` `CPUUtilization` of the service, Average over five minutes. */
  readonly cpuMetric: cloudwatch.Metric;
  /** `AWS/ECS` `MemoryUtilization` of the service, Average over five minutes. */
  readonly memoryMetric: cloudwatch.Metric;
  /** Desired minus running tasks (see {@link missingTasks}). */
  readonly missingTasks: cloudwatch.MathExpression;
  readonly cpuAlarm?: McpUtilizationThreshold;
  readonly memoryAlarm?: McpUtilizationThreshold;
  readonly runningTasksAlarm?: McpCountThreshold;
  /** What to check first, per alarm: the service's own consoles and props. */
  readonly firstChecks: { readonly cpu: string; readonly memory: string; readonly runningTasks: string };
}

/** The alarms {@link createEcsTaskAlarms} made (those not disabled or not opted in). */
export interface EcsTaskAlarms {
  readonly cpu?: cloudwatch.Alarm;
  readonly memory?: cloudwatch.Alarm;
  readonly runningTasks?: cloudwatch.Alarm;
}

/** Creates the CPU, memory and running-tasks alarms of an ECS service in `alarms`. */
export function createEcsTaskAlarms(alarms: AlarmSet, input: EcsTaskAlarmsInput): EcsTaskAlarms {
  return {
    cpu: alarms.add(saturationAlarm({
      id: 'CpuUtilization',
      propName: 'cpuAlarm',
      metric: input.cpuMetric,
      summary: 'The MCP server\'s tasks use most of their CPU: requests queue and slow down',
      firstCheck: input.firstChecks.cpu,
    }, input.cpuAlarm)),
    memory: alarms.add(saturationAlarm({
      id: 'MemoryUtilization',
      propName: 'memoryAlarm',
      metric: input.memoryMetric,
      summary: 'The MCP server\'s tasks use most of their memory; a task above its limit is killed',
      firstCheck: input.firstChecks.memory,
    }, input.memoryAlarm)),
    runningTasks: alarms.add(countAlarm({
      id: 'RunningTasksBelowDesired',
      propName: 'runningTasksAlarm',
      metric: input.missingTasks,
      summary: 'Fewer MCP server tasks run than desired: tasks crash, fail their health check, or cannot start',
      firstCheck: input.firstChecks.runningTasks,
      datapointsToAlarm: 5,
      evaluationPeriods: 5,
    }, input.runningTasksAlarm)),
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
export function createContainerFatalErrorsAlarm(
  alarms: AlarmSet,
  logGroup: logs.ILogGroup | undefined,
  thresholds: McpCountThreshold | undefined,
  optIn: boolean,
): cloudwatch.Alarm | undefined {
  const patterns = { ProcessCrashFilter: PROCESS_CRASH_PATTERN, FatalLogLevelFilter: FATAL_LOG_LEVEL_PATTERN };
  return alarms.addLogCount(logGroup, patterns, 'FatalErrors', thresholds, {
    id: 'FatalErrors',
    propName: 'fatalErrorsAlarm',
    summary: 'The MCP server process crashed or logged a fatal error',
    firstCheck: 'the container log stream around the match (the lines before "Node.js v.." or "FATAL ERROR" hold the stack), and the stopped task\'s exit code.',
    optIn,
  });
}
