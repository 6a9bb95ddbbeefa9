import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { McpCanary } from './canary/canary';
import { McpFailureClass } from './canary/canary-enums';
import { McpServiceMonitoring, McpServiceMonitoringProps } from './monitoring/service-monitoring';

/**
 * How the MCP server keeps state between requests.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management
 */
export enum McpSessionMode {
  /**
   * Every request stands alone (no `Mcp-Session-Id`, or one the server does not need to find
   * again). Any task can answer any request, so the service scales out freely. The modern
   * protocol (2026-07-28) is stateless by design.
   */
  STATELESS = 'STATELESS',

  /**
   * The server keeps legacy (2025-era) sessions in memory, keyed by `Mcp-Session-Id`. A request
   * that reaches a task which does not hold its session gets 404 "Session not found", so the
   * target group pins each client to one task with a load-balancer cookie (`lb_cookie`).
   */
  STATEFUL = 'STATEFUL',
}

/**
 * What every MCP service construct of this library offers, whatever runs the server (Lambda,
 * Fargate, App Runner, ...): the MCP endpoint, the canary that probes it, every alarm, the one
 * health alarm that notifies, the topic, and the probe metrics. Write code against it to handle
 * any service kind alike:
 *
 * ```ts
 * declare const services: IMcpService[];
 * for (const s of services) { s.healthAlarm; s.metricProbeSuccess(); s.monitoring.serviceName; }
 * ```
 */
export interface IMcpService extends IConstruct {
  /** The MCP endpoint URL clients connect to (it may hold tokens until deploy). */
  readonly url: string;

  /** The outside-in monitoring: canary, its alarms, the composite health alarm, topic, dashboard. */
  readonly monitoring: McpServiceMonitoring;

  /** The canary that probes `url` over MCP, unless `canary: false`. */
  readonly canary?: McpCanary;

  /** Every alarm the health alarm watches: the canary's, the log alarms, the platform alarms. */
  readonly alarms: cloudwatch.IAlarm[];

  /** The composite alarm that is in ALARM when any alarm in `alarms` is; it notifies `alarmTopic`. */
  readonly healthAlarm: cloudwatch.CompositeAlarm;

  /** The topic the health alarm notifies. */
  readonly alarmTopic: sns.ITopic;

  /** The CloudWatch dashboard, when `dashboard: true`. */
  readonly dashboard?: cloudwatch.Dashboard;

  /**
   * 1 when a probe passed, 0 when it failed (the availability clients see).
   *
   * @default - statistic Average, period 1 minute
   */
  metricProbeSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The total duration of a probe in milliseconds.
   *
   * @default - statistic p90, period 1 minute
   */
  metricProbeLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Failed probes: all of them, or those of one failure class.
   *
   * @default - statistic Sum, period 1 minute
   */
  metricProbeFailures(failureClass?: McpFailureClass, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * The base of every MCP service construct: it implements {@link IMcpService} by forwarding to
 * the service's {@link McpServiceMonitoring}, which a subclass attaches once with
 * `attachMonitoring` after it has created the server. Not meant for direct use; extend it to
 * add a service kind.
 */
export abstract class McpServiceBase extends Construct implements IMcpService {
  /** The MCP endpoint URL clients connect to. */
  public abstract readonly url: string;

  private attachedMonitoring?: McpServiceMonitoring;

  /** The outside-in monitoring: canary, canary and log alarms, the composite health alarm, topic, dashboard. */
  public get monitoring(): McpServiceMonitoring {
    if (!this.attachedMonitoring) {
      throw new Error(`${this.node.path}: the service's monitoring is read before the constructor attached it (a bug in the service construct).`);
    }
    return this.attachedMonitoring;
  }

  /** The canary that probes the endpoint over MCP, unless `canary: false`. */
  public get canary(): McpCanary | undefined {
    return this.monitoring.canary;
  }

  /** Every alarm the health alarm watches: the canary's, the log alarms, the platform alarms. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.monitoring.alarms;
  }

  /** The composite alarm that is in ALARM when any alarm in `alarms` is; it notifies `alarmTopic`. */
  public get healthAlarm(): cloudwatch.CompositeAlarm {
    return this.monitoring.healthAlarm;
  }

  /** The topic the health alarm notifies. */
  public get alarmTopic(): sns.ITopic {
    return this.monitoring.alarmTopic;
  }

  /** The CloudWatch dashboard, when `dashboard: true`. */
  public get dashboard(): cloudwatch.Dashboard | undefined {
    return this.monitoring.dashboard;
  }

  /**
   * 1 when a probe passed, 0 when it failed (the availability clients see).
   *
   * @default - statistic Average, period 1 minute
   */
  public metricProbeSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.monitoring.metricProbeSuccess(props);
  }

  /**
   * The total duration of a probe in milliseconds.
   *
   * @default - statistic p90, period 1 minute
   */
  public metricProbeLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.monitoring.metricProbeLatency(props);
  }

  /**
   * Failed probes: all of them, or those of one failure class.
   *
   * @default - statistic Sum, period 1 minute
   */
  public metricProbeFailures(failureClass?: McpFailureClass, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.monitoring.metricProbeFailures(failureClass, props);
  }

  /**
   * Creates the service's monitoring (construct id `Monitoring`) once; every service calls it
   * after creating its server, then adds its platform alarms to it.
   */
  protected attachMonitoring(props: McpServiceMonitoringProps): McpServiceMonitoring {
    if (this.attachedMonitoring) {
      throw new Error(`${this.node.path}: attachMonitoring was called twice (a bug in the service construct).`);
    }
    this.attachedMonitoring = new McpServiceMonitoring(this, 'Monitoring', props);
    return this.attachedMonitoring;
  }
}
