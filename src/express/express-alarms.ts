import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { McpEcsTaskAlarmOptions } from '../monitoring/platform-alarm-options';
import { AlarmSet } from '../monitoring/private/alarm-set';
import { addTable } from '../monitoring/private/alarm-table';
import { containerFatalErrors, ecsTaskAlarms, missingTasks } from '../monitoring/private/ecs-alarms';
import { McpServiceMonitoring } from '../monitoring/service-monitoring';
import { McpCountThreshold } from '../monitoring/thresholds';

/**
 * The ECS alarms of an MCP server on ECS Express Mode.
 *
 * No load balancer alarms: Express Mode creates and owns the Application Load Balancer, may share
 * it between Express services, and moves traffic between two target groups on every canary
 * deployment (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-update-full.html),
 * so no stable `LoadBalancer`/`TargetGroup` dimension pair belongs to this service at synth time.
 * The canary's probe alarms cover what 5xx and response-time alarms would.
 */
export interface McpExpressAlarmOptions extends McpEcsTaskAlarmOptions {
  /**
   * Fatal errors in the container logs: crashes of the server process and JSON lines at level
   * fatal or critical.
   *
   * @default - matching log lines above 0 for 1 of 1 five-minute datapoints
   */
  readonly fatalErrorsAlarm?: McpCountThreshold;
}

/** Properties of {@link McpExpressAlarms}. */
export interface McpExpressAlarmsProps extends McpExpressAlarmOptions {
  /** The service monitoring the alarms join (its composite alarm, topic, list and dashboard). */
  readonly monitoring: McpServiceMonitoring;

  /** The name of the ECS cluster the Express service runs in (the `ClusterName` dimension). */
  readonly clusterName: string;

  /** The name of the Express service (the `ServiceName` dimension). */
  readonly serviceName: string;

  /**
   * The container logs.
   *
   * @default - no log-based alarm
   */
  readonly serverLogGroup?: logs.ILogGroup;
}

/**
 * The platform alarms of an MCP server on ECS Express Mode: CPU and memory utilization, running
 * tasks below desired, and fatal errors in the container logs. Every alarm joins the service
 * monitoring's composite alarm.
 */
export class McpExpressAlarms extends Construct {
  /** Every alarm created here. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** CPU utilization, unless disabled. */
  public readonly cpuAlarm?: cloudwatch.Alarm;

  /** Memory utilization, unless disabled. */
  public readonly memoryAlarm?: cloudwatch.Alarm;

  /** Running tasks below desired, unless disabled. */
  public readonly runningTasksAlarm?: cloudwatch.Alarm;

  /** Fatal errors in the container logs, when a log group is given, unless disabled. */
  public readonly fatalErrorsAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: McpExpressAlarmsProps) {
    super(scope, id);
    const alarms = AlarmSet.forPlatform(this, 'McpExpressAlarms', props.monitoring);
    this.alarms = alarms.alarms;
    Object.assign(this, addTable<McpExpressAlarmOptions>(alarms, {
      ...ecsTaskAlarms({
        cpuMetric: ecsMetric(props, 'CPUUtilization', Duration.minutes(5)),
        memoryMetric: ecsMetric(props, 'MemoryUtilization', Duration.minutes(5)),
        missingTasks: missingTasks(props.clusterName, props.serviceName, Duration.minutes(1)),
        firstChecks: {
          cpu: 'which tool calls run hot in the container logs; raise maxTaskCount or cpu.',
          memory: 'memory per task in Container Insights; raise memoryLimitMiB or find the leak.',
          runningTasks: 'the Express service\'s deployments and the stopped tasks\' "stopped reason" in the ECS console (image pull, secrets, out of memory, failing health check), then the container logs.',
        },
      }),
      fatalErrorsAlarm: containerFatalErrors(props.serverLogGroup, false),
    }, props));

    alarms.finish(() => [
      new cloudwatch.GraphWidget({
        title: 'Task CPU and memory (%)',
        left: [ecsMetric(props, 'CPUUtilization', Duration.minutes(1)), ecsMetric(props, 'MemoryUtilization', Duration.minutes(1))],
        leftYAxis: { min: 0, max: 100 },
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Tasks missing', left: [missingTasks(props.clusterName, props.serviceName, Duration.minutes(1))], width: 12 }),
    ]);
  }
}

/**
 * A metric of the Express service (dimensions ClusterName and ServiceName): `AWS/ECS` service
 * metrics, or Container Insights task counts.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
 */
function ecsMetric(props: McpExpressAlarmsProps, metricName: string, period: Duration, namespace = 'AWS/ECS'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap: { ClusterName: props.clusterName, ServiceName: props.serviceName },
    statistic: cloudwatch.Stats.AVERAGE,
    period,
  });
}
