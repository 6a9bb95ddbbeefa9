import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { McpSaturationAlarmOptions } from '../monitoring/platform-alarm-options';
import { LatencyUnit } from '../monitoring/private/alarm-families';
import { AlarmSet } from '../monitoring/private/alarm-set';
import { addTable, AlarmTable, count, latency, saturation, utilization } from '../monitoring/private/alarm-table';
import { McpServiceMonitoring } from '../monitoring/service-monitoring';
import { McpCountThreshold, McpLatencyThreshold, McpUtilizationThreshold } from '../monitoring/thresholds';

/**
 * The App Runner platform alarms of an App Runner-hosted MCP server (namespace `AWS/AppRunner`):
 * the CPU and memory alarms of every kind on instances, and App Runner's own.
 */
export interface McpAppRunnerAlarmOptions extends McpSaturationAlarmOptions {
  /**
   * Requests answered with a 5xx status: the server's own errors, and App Runner's when it cannot
   * reach a healthy instance.
   *
   * @default - 5xxStatusResponses Sum above 0 for 2 of 3 five-minute datapoints
   */
  readonly http5xxAlarm?: McpCountThreshold;

  /**
   * Slow requests. Long-lived GET streams of stateful sessions (cut by App Runner at 120 s) count
   * as slow requests too.
   *
   * @default - not created (opt-in: `{ enabled: true }`: the probe latency alarm sees slowness); then RequestLatency p90 above 10 seconds for 3 of 3 five-minute datapoints
   */
  readonly latencyAlarm?: McpLatencyThreshold;

  /**
   * Active instances at the service's `maxInstances`: App Runner cannot scale out any further, and
   * requests beyond `maxConcurrency` per instance queue and then get 429. `maxUtilizationPercent`
   * is the share of `maxInstances` that counts (100: at the maximum). Only when the service can
   * scale (`maxInstances` above `minInstances`).
   *
   * @default - ActiveInstances Minimum at or above maxInstances for 3 of 3 five-minute datapoints
   */
  readonly instancesAtMaxAlarm?: McpUtilizationThreshold;
}

/**
 * What the App Runner alarms read of a service: its `AWS/AppRunner` metrics and instance bounds.
 * `McpAppRunnerService` implements it.
 */
export interface IMcpAppRunnerService {
  /** The fewest instances the service keeps. */
  readonly minInstances: number;
  /** The most instances the service scales to. */
  readonly maxInstances: number;
  /** HTTP requests the service received. @default - Sum over 5 minutes */
  metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** 4xx responses. @default - Sum over 5 minutes */
  metric4xxStatusResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** 5xx responses. @default - Sum over 5 minutes */
  metric5xxStatusResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Request latency in milliseconds. @default - p90 over 5 minutes */
  metricRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Active instances. @default - Maximum over 5 minutes */
  metricActiveInstances(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** CPU utilization in percent. @default - Average over 5 minutes */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Memory utilization in percent. @default - Average over 5 minutes */
  metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Concurrent requests per instance. @default - Maximum over 5 minutes */
  metricConcurrency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** Properties of {@link McpAppRunnerAlarms}. */
export interface McpAppRunnerAlarmsProps extends McpAppRunnerAlarmOptions {
  /** The service monitoring the alarms join (its composite alarm, topic, list and dashboard). */
  readonly monitoring: McpServiceMonitoring;

  /** The App Runner service that runs the MCP server. */
  readonly service: IMcpAppRunnerService;
}

/**
 * The App Runner platform alarms of an MCP server: 5xx responses, request latency, CPU and memory
 * utilization, and active instances at the configured maximum. Every alarm joins the service
 * monitoring's composite alarm; the dashboard, when there is one, gets the App Runner metrics.
 */
export class McpAppRunnerAlarms extends Construct {
  /** Every alarm created here. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** 5xx responses, unless disabled. */
  public readonly http5xxAlarm?: cloudwatch.Alarm;

  /** Request latency, unless disabled. */
  public readonly latencyAlarm?: cloudwatch.Alarm;

  /** CPU utilization, unless disabled. */
  public readonly cpuAlarm?: cloudwatch.Alarm;

  /** Memory utilization, unless disabled. */
  public readonly memoryAlarm?: cloudwatch.Alarm;

  /** Active instances at the maximum, when the service can scale, unless disabled. */
  public readonly instancesAtMaxAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: McpAppRunnerAlarmsProps) {
    super(scope, id);
    const alarms = AlarmSet.forPlatform(this, 'McpAppRunnerAlarms', props.monitoring);
    this.alarms = alarms.alarms;
    Object.assign(this, addTable<McpAppRunnerAlarmOptions>(alarms, appRunnerAlarmTable(props.service), props));
    alarms.finish(() => dashboardWidgets(props.service));
  }
}

/** The App Runner alarms, in creation order: what each watches and means. */
function appRunnerAlarmTable(service: IMcpAppRunnerService): AlarmTable<McpAppRunnerAlarmOptions> {
  const fiveMinutes = Duration.minutes(5);
  return {
    http5xxAlarm: count({
      id: 'Http5xx',
      metric: service.metric5xxStatusResponses({ period: fiveMinutes }),
      summary: 'The MCP server on App Runner answers with 5xx responses',
      firstCheck: 'the application log group (/aws/apprunner/<service>/<id>/application) for errors around the alarm time, then the service log group for failed health checks and instance replacements.',
      datapointsToAlarm: 2,
      evaluationPeriods: 3,
    }),
    // RequestLatency is in milliseconds.
    latencyAlarm: latency({
      id: 'RequestLatency',
      metric: service.metricRequestLatency({ period: fiveMinutes }),
      summary: 'The MCP server on App Runner answers slowly',
      firstCheck: 'CPUUtilization and Concurrency (a saturated instance queues requests), then the slowest tool calls in the application logs and the services they call. Requests longer than 120 s are cut by App Runner.',
      optIn: true,
    }, Duration.seconds(10), LatencyUnit.MILLISECONDS),
    cpuAlarm: saturation({
      id: 'CpuUtilization',
      metric: service.metricCpuUtilization({ period: fiveMinutes }),
      summary: 'The MCP server\'s App Runner instances run hot on CPU',
      firstCheck: 'Requests and Concurrency per instance: lower maxConcurrency so App Runner scales out sooner, or raise cpu.',
    }),
    memoryAlarm: saturation({
      id: 'MemoryUtilization',
      metric: service.metricMemoryUtilization({ period: fiveMinutes }),
      summary: 'The MCP server\'s App Runner instances use most of their memory',
      firstCheck: 'memory growth over time (a leak, or sessions kept in memory) in the application logs; raise memoryLimitMiB before instances are replaced for lack of memory.',
    }),
    // "At the maximum" is >=: ActiveInstances never exceeds maxInstances outside deployments.
    instancesAtMaxAlarm: utilization({
      id: 'InstancesAtMaximum',
      metric: service.metricActiveInstances({ statistic: cloudwatch.Stats.MINIMUM, period: fiveMinutes }),
      summary: 'The MCP server on App Runner runs at its maximum instance count and cannot scale out further; extra requests queue and then get 429',
      firstCheck: 'Requests and 4xxStatusResponses (429s) against Concurrency: raise maxInstances (and the App Runner instance quota), or raise maxConcurrency if the instances have CPU and memory to spare.',
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
      when: canScale(service.minInstances, service.maxInstances),
    }, {
      defaultPercent: 100,
      limit: service.maxInstances,
      unit: ' instances',
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      wholeNumber: true,
    }),
  };
}

/** Whether the service has room to scale, so reaching the maximum means something. */
function canScale(minInstances: number, maxInstances: number): boolean {
  return Token.isUnresolved(minInstances) || Token.isUnresolved(maxInstances) || maxInstances > minInstances;
}

function dashboardWidgets(service: IMcpAppRunnerService): cloudwatch.IWidget[] {
  const minute = { period: Duration.minutes(1) };
  return [
    new cloudwatch.GraphWidget({
      title: 'App Runner requests and errors',
      left: [service.metricRequests({ ...minute, label: 'Requests' })],
      right: [
        service.metric4xxStatusResponses({ ...minute, label: '4xx' }),
        service.metric5xxStatusResponses({ ...minute, label: '5xx' }),
      ],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'App Runner request latency (ms)',
      left: [
        service.metricRequestLatency({ ...minute, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
        service.metricRequestLatency({ ...minute, statistic: cloudwatch.Stats.p(90), label: 'p90' }),
        service.metricRequestLatency({ ...minute, statistic: cloudwatch.Stats.p(99), label: 'p99' }),
      ],
      leftAnnotations: [{ value: 120_000, label: 'request cap (120 s)' }],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'App Runner CPU and memory (%)',
      left: [
        service.metricCpuUtilization({ ...minute, label: 'CPU' }),
        service.metricMemoryUtilization({ ...minute, label: 'Memory' }),
      ],
      leftYAxis: { min: 0, max: 100 },
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'App Runner instances and concurrency',
      left: [service.metricActiveInstances({ ...minute, label: 'ActiveInstances' })],
      leftAnnotations: Token.isUnresolved(service.maxInstances) ? [] : [{ value: service.maxInstances, label: 'maxInstances' }],
      right: [service.metricConcurrency({ ...minute, label: 'Concurrency' })],
      width: 6,
    }),
  ];
}
