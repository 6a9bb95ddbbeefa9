import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { countAlarm, LatencyUnit, latencyAlarm } from '../monitoring/private/alarm-families';
import { AlarmSet } from '../monitoring/private/alarm-set';
import { createContainerFatalErrorsAlarm, createEcsTaskAlarms, missingTasks } from '../monitoring/private/ecs-alarms';
import { McpServiceMonitoring } from '../monitoring/service-monitoring';
import { McpCountThreshold, McpLatencyThreshold, McpUtilizationThreshold } from '../monitoring/thresholds';

/** The ECS and load balancer alarms of a Fargate-hosted MCP server. */
export interface McpFargateAlarmOptions {
  /**
   * The service's average CPU utilization.
   *
   * @default - not created (opt-in: `{ enabled: true }`, predicts slowness the probe latency alarm sees); then Average above 80% for 3 of 3 five-minute datapoints
   */
  readonly cpuAlarm?: McpUtilizationThreshold;

  /**
   * The service's average memory utilization (a task above 100% is killed).
   *
   * @default - not created (opt-in: `{ enabled: true }`, predicts the task kills the running-tasks alarm sees); then Average above 80% for 3 of 3 five-minute datapoints
   */
  readonly memoryAlarm?: McpUtilizationThreshold;

  /**
   * Fewer tasks running than desired (crash loops, failed deploys, capacity): `DesiredTaskCount`
   * minus `RunningTaskCount` from Container Insights, above `maxCount` missing tasks. Needs
   * Container Insights on the cluster; without it the alarm has no data and stays OK.
   *
   * @default - more than 0 tasks missing for 5 of 5 one-minute datapoints
   */
  readonly runningTasksAlarm?: McpCountThreshold;

  /**
   * 5xx responses from the tasks (`HTTPCode_Target_5XX_Count`).
   *
   * @default - Sum above 0 for 1 of 1 five-minute datapoints
   */
  readonly target5xxAlarm?: McpCountThreshold;

  /**
   * 5xx responses of the load balancer itself (`HTTPCode_ELB_5XX_Count`: 502 bad gateway, 503 no
   * healthy target, 504 target timeout).
   *
   * @default - not created (opt-in: `{ enabled: true }`: its 503s are the lost tasks the running-tasks alarm sees, its 502s and 504s fail the probe); then Sum above 0 for 1 of 1 five-minute datapoints
   */
  readonly elb5xxAlarm?: McpCountThreshold;

  /**
   * Tasks failing the target group's health check (`UnHealthyHostCount`).
   *
   * @default - not created (opt-in: `{ enabled: true }`: the running-tasks and load balancer 5xx alarms see failing tasks); then Maximum above 0 for 3 of 3 one-minute datapoints
   */
  readonly unhealthyHostsAlarm?: McpCountThreshold;

  /**
   * Time until the tasks start answering (`TargetResponseTime`; SSE responses count until their
   * headers, not the whole stream).
   *
   * @default - not created (opt-in: `{ enabled: true }`: the probe latency alarm sees slowness); then p90 above 5 seconds for 3 of 3 five-minute datapoints
   */
  readonly targetResponseTimeAlarm?: McpLatencyThreshold;

  /**
   * Connections the load balancer rejected because it reached its connection limit
   * (`RejectedConnectionCount`).
   *
   * @default - not created (opt-in: `{ enabled: true }`: the load balancer 5xx alarm and the probe see a saturated load balancer); then Sum above 0 for 1 of 1 five-minute datapoints
   */
  readonly rejectedConnectionsAlarm?: McpCountThreshold;

  /**
   * Fatal errors in the container logs: crashes of the server process (V8 fatal errors, uncaught
   * exceptions, Python tracebacks, Go panics) and JSON lines at level fatal or critical.
   *
   * @default - not created (opt-in: `{ enabled: true }`: a crash stops the task, which the running-tasks alarm sees); then matching log lines above 0 for 1 of 1 five-minute datapoints
   */
  readonly fatalErrorsAlarm?: McpCountThreshold;
}

/** Properties of {@link McpFargateAlarms}. */
export interface McpFargateAlarmsProps extends McpFargateAlarmOptions {
  /** The service monitoring the alarms join (its composite alarm, topic, list and dashboard). */
  readonly monitoring: McpServiceMonitoring;

  /** The ECS service that runs the MCP server. */
  readonly service: ecs.FargateService;

  /** The load balancer in front of the service. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;

  /** The target group of the service's tasks. */
  readonly targetGroup: elbv2.IApplicationTargetGroup;

  /**
   * The container logs (awslogs, one event per line).
   *
   * @default - no log-based alarm
   */
  readonly serverLogGroup?: logs.ILogGroup;
}

/**
 * The platform alarms of an MCP server on ECS Fargate behind an Application Load Balancer: CPU
 * and memory utilization, running tasks below desired, target and load balancer 5xx, unhealthy
 * hosts, target response time, rejected connections, and fatal errors in the container logs.
 * Every alarm joins the service monitoring's composite alarm.
 */
export class McpFargateAlarms extends Construct {
  /** Every alarm created here. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** CPU utilization, unless disabled. */
  public readonly cpuAlarm?: cloudwatch.Alarm;

  /** Memory utilization, unless disabled. */
  public readonly memoryAlarm?: cloudwatch.Alarm;

  /** Running tasks below desired, unless disabled. */
  public readonly runningTasksAlarm?: cloudwatch.Alarm;

  /** Target 5xx responses, unless disabled. */
  public readonly target5xxAlarm?: cloudwatch.Alarm;

  /** Load balancer 5xx responses, unless disabled. */
  public readonly elb5xxAlarm?: cloudwatch.Alarm;

  /** Unhealthy targets, unless disabled. */
  public readonly unhealthyHostsAlarm?: cloudwatch.Alarm;

  /** Target response time, unless disabled. */
  public readonly targetResponseTimeAlarm?: cloudwatch.Alarm;

  /** Rejected connections, unless disabled. */
  public readonly rejectedConnectionsAlarm?: cloudwatch.Alarm;

  /** Fatal errors in the container logs, when a log group is given, unless disabled. */
  public readonly fatalErrorsAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: McpFargateAlarmsProps) {
    super(scope, id);
    const alarms = AlarmSet.forPlatform(this, 'McpFargateAlarms', props.monitoring);
    this.alarms = alarms.alarms;
    const fiveMinutes = Duration.minutes(5);
    const oneMinute = Duration.minutes(1);
    const { service, loadBalancer, targetGroup } = props;

    const tasks = createEcsTaskAlarms(alarms, {
      cpuMetric: service.metricCpuUtilization({ period: fiveMinutes, statistic: cloudwatch.Stats.AVERAGE }),
      memoryMetric: service.metricMemoryUtilization({ period: fiveMinutes, statistic: cloudwatch.Stats.AVERAGE }),
      missingTasks: missingTasks(service.cluster.clusterName, service.serviceName, oneMinute),
      cpuAlarm: props.cpuAlarm,
      memoryAlarm: props.memoryAlarm,
      runningTasksAlarm: props.runningTasksAlarm,
      firstChecks: {
        cpu: 'which tool calls run hot in the container logs and RequestCountPerTarget; scale out (maxTaskCount) or give tasks more cpu.',
        memory: 'memory per task in Container Insights and the number of open sessions (stateful servers hold them in memory); raise memoryLimitMiB or find the leak.',
        runningTasks: 'the service\'s events and the stopped tasks\' "stopped reason" in the ECS console (image pull, secrets, out of memory, failing health check), then the container logs.',
      },
    });
    this.cpuAlarm = tasks.cpu;
    this.memoryAlarm = tasks.memory;
    this.runningTasksAlarm = tasks.runningTasks;

    this.target5xxAlarm = alarms.add(countAlarm({
      id: 'Target5xx',
      propName: 'target5xxAlarm',
      metric: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
      summary: 'The MCP server answers requests with 5xx errors',
      firstCheck: 'the container logs for errors around the alarm time (lines with status >= 500), then the downstream services the tools call.',
    }, props.target5xxAlarm));

    this.elb5xxAlarm = alarms.add(countAlarm({
      id: 'LoadBalancer5xx',
      propName: 'elb5xxAlarm',
      metric: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
      summary: 'The MCP server\'s load balancer answers 5xx itself (502 bad gateway, 503 no healthy target, 504 timeout)',
      firstCheck: 'HealthyHostCount and the unhealthy-hosts alarm (503), the idle timeout against the server\'s keep-alive timeout (502), and long silent requests (504); access logs show which.',
      optIn: true,
    }, props.elb5xxAlarm));

    this.unhealthyHostsAlarm = alarms.add(countAlarm({
      id: 'UnhealthyHosts',
      propName: 'unhealthyHostsAlarm',
      metric: targetGroup.metrics.unhealthyHostCount({ period: oneMinute, statistic: cloudwatch.Stats.MAXIMUM }),
      summary: 'MCP server tasks fail the load balancer\'s health check',
      firstCheck: 'the health check path on a task (it must answer 200 within 5 seconds), the container logs, and CPU or memory saturation.',
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
      optIn: true,
    }, props.unhealthyHostsAlarm));

    // TargetResponseTime is in seconds.
    this.targetResponseTimeAlarm = alarms.add(latencyAlarm({
      id: 'TargetResponseTime',
      propName: 'targetResponseTimeAlarm',
      metric: targetGroup.metrics.targetResponseTime({ period: fiveMinutes, statistic: cloudwatch.Stats.p(90) }),
      summary: 'The MCP server is slow to answer',
      firstCheck: 'the slowest requests in the access logs or container logs, CPU utilization, and the downstream services slow tools call.',
      optIn: true,
    }, props.targetResponseTimeAlarm, Duration.seconds(5), LatencyUnit.SECONDS));

    this.rejectedConnectionsAlarm = alarms.add(countAlarm({
      id: 'RejectedConnections',
      propName: 'rejectedConnectionsAlarm',
      metric: loadBalancer.metrics.rejectedConnectionCount({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
      summary: 'The MCP server\'s load balancer rejects connections: it reached its connection limit',
      firstCheck: 'ActiveConnectionCount and long-lived SSE streams that never close; clients that open a connection per request.',
      optIn: true,
    }, props.rejectedConnectionsAlarm));

    this.fatalErrorsAlarm = createContainerFatalErrorsAlarm(alarms, props.serverLogGroup, props.fatalErrorsAlarm, true);

    alarms.finish(() => dashboardWidgets(props));
  }
}

function dashboardWidgets(props: McpFargateAlarmsProps): cloudwatch.IWidget[] {
  const minute = { period: Duration.minutes(1) };
  const sum = { ...minute, statistic: cloudwatch.Stats.SUM };
  const { service, loadBalancer, targetGroup } = props;
  return [
    new cloudwatch.GraphWidget({
      title: 'Requests and 5xx',
      left: [targetGroup.metrics.requestCount({ ...sum, label: 'Requests' })],
      right: [
        targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { ...sum, label: 'Target 5xx' }),
        loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { ...sum, label: 'ELB 5xx' }),
      ],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Target response time (s)',
      left: [
        targetGroup.metrics.targetResponseTime({ ...minute, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
        targetGroup.metrics.targetResponseTime({ ...minute, statistic: cloudwatch.Stats.p(90), label: 'p90' }),
      ],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Task CPU and memory (%)',
      left: [
        service.metricCpuUtilization({ ...minute, label: 'CPU' }),
        service.metricMemoryUtilization({ ...minute, label: 'Memory' }),
      ],
      leftYAxis: { min: 0, max: 100 },
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Tasks and targets',
      left: [missingTasks(service.cluster.clusterName, service.serviceName, Duration.minutes(1))],
      right: [
        targetGroup.metrics.healthyHostCount({ ...minute, statistic: cloudwatch.Stats.MINIMUM, label: 'Healthy' }),
        targetGroup.metrics.unhealthyHostCount({ ...minute, statistic: cloudwatch.Stats.MAXIMUM, label: 'Unhealthy' }),
      ],
      width: 6,
    }),
  ];
}
