import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { McpEcsTaskAlarmOptions } from '../monitoring/platform-alarm-options';
import { LatencyUnit } from '../monitoring/private/alarm-families';
import { AlarmSet } from '../monitoring/private/alarm-set';
import { addTable, AlarmTable, count, latency } from '../monitoring/private/alarm-table';
import { containerFatalErrors, ecsTaskAlarms, missingTasks } from '../monitoring/private/ecs-alarms';
import { McpServiceMonitoring } from '../monitoring/service-monitoring';
import { McpCountThreshold, McpLatencyThreshold } from '../monitoring/thresholds';

/**
 * The ECS and load balancer alarms of a Fargate-hosted MCP server: the task alarms every ECS kind
 * has, and the load balancer's.
 */
export interface McpFargateAlarmOptions extends McpEcsTaskAlarmOptions {
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
    Object.assign(this, addTable<McpFargateAlarmOptions>(alarms, fargateAlarmTable(props), props));
    alarms.finish(() => dashboardWidgets(props));
  }
}

/** The Fargate alarms, in creation order: what each watches and means. */
function fargateAlarmTable(props: McpFargateAlarmsProps): AlarmTable<McpFargateAlarmOptions> {
  const sumOverFiveMinutes = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
  const { service, loadBalancer, targetGroup } = props;
  return {
    ...ecsTaskAlarms({
      cpuMetric: service.metricCpuUtilization({ period: Duration.minutes(5), statistic: cloudwatch.Stats.AVERAGE }),
      memoryMetric: service.metricMemoryUtilization({ period: Duration.minutes(5), statistic: cloudwatch.Stats.AVERAGE }),
      missingTasks: missingTasks(service.cluster.clusterName, service.serviceName, Duration.minutes(1)),
      firstChecks: {
        cpu: 'which tool calls run hot in the container logs and RequestCountPerTarget; scale out (maxTaskCount) or give tasks more cpu.',
        memory: 'memory per task in Container Insights and the number of open sessions (stateful servers hold them in memory); raise memoryLimitMiB or find the leak.',
        runningTasks: 'the service\'s events and the stopped tasks\' "stopped reason" in the ECS console (image pull, secrets, out of memory, failing health check), then the container logs.',
      },
    }),
    target5xxAlarm: count({
      id: 'Target5xx',
      metric: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, sumOverFiveMinutes),
      summary: 'The MCP server answers requests with 5xx errors',
      firstCheck: 'the container logs for errors around the alarm time (lines with status >= 500), then the downstream services the tools call.',
    }),
    elb5xxAlarm: count({
      id: 'LoadBalancer5xx',
      metric: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, sumOverFiveMinutes),
      summary: 'The MCP server\'s load balancer answers 5xx itself (502 bad gateway, 503 no healthy target, 504 timeout)',
      firstCheck: 'HealthyHostCount and the unhealthy-hosts alarm (503), the idle timeout against the server\'s keep-alive timeout (502), and long silent requests (504); access logs show which.',
      optIn: true,
    }),
    unhealthyHostsAlarm: count({
      id: 'UnhealthyHosts',
      metric: targetGroup.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      summary: 'MCP server tasks fail the load balancer\'s health check',
      firstCheck: 'the health check path on a task (it must answer 200 within 5 seconds), the container logs, and CPU or memory saturation.',
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
      optIn: true,
    }),
    // TargetResponseTime is in seconds.
    targetResponseTimeAlarm: latency({
      id: 'TargetResponseTime',
      metric: targetGroup.metrics.targetResponseTime({ period: Duration.minutes(5), statistic: cloudwatch.Stats.p(90) }),
      summary: 'The MCP server is slow to answer',
      firstCheck: 'the slowest requests in the access logs or container logs, CPU utilization, and the downstream services slow tools call.',
      optIn: true,
    }, Duration.seconds(5), LatencyUnit.SECONDS),
    rejectedConnectionsAlarm: count({
      id: 'RejectedConnections',
      metric: loadBalancer.metrics.rejectedConnectionCount(sumOverFiveMinutes),
      summary: 'The MCP server\'s load balancer rejects connections: it reached its connection limit',
      firstCheck: 'ActiveConnectionCount and long-lived SSE streams that never close; clients that open a connection per request.',
      optIn: true,
    }),
    fatalErrorsAlarm: containerFatalErrors(props.serverLogGroup, true),
  };
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
