import { CfnOutput } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { McpCanary } from './canary/canary';
import { McpProbeFailuresMetricOptions } from './canary/probe-metric-options';
import { STACK_OUTPUT_SUFFIXES } from './contract/stack-outputs';
import { McpServiceMonitoring, McpServiceMonitoringProps } from './monitoring/service-monitoring';
import { describePath, OUTPUT_DESCRIPTION_MAX } from './private/limits';

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
 * declare const bucket: s3.IBucket;
 * for (const s of services) { s.healthAlarm; s.metricProbeSuccess(); s.monitoring.serviceName; bucket.grantRead(s); }
 * ```
 *
 * Every service is an `iam.IGrantable`: its `grantPrincipal` is the role the server runs as, so
 * a grant on the service (`bucket.grantRead(service)`) gives the server's code that access.
 */
export interface IMcpService extends IConstruct, iam.IGrantable {
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
   * Failed probes: all of them, or those of one failure class (`props.failureClass`).
   *
   * @default - statistic Sum, period 1 minute, all failure classes
   */
  metricProbeFailures(props?: McpProbeFailuresMetricOptions): cloudwatch.Metric;
}

/**
 * Properties every MCP service construct shares beyond monitoring; each kind's props extend it.
 */
export interface McpServiceBaseProps {
  /**
   * Write CloudFormation outputs for the service, shown after `cdk deploy` and read by
   * `mcp-probe status|maintenance|canary --stack <stack>`: the MCP endpoint URL
   * (`<id>McpUrl`), the service name the operator commands take (`<id>McpServiceName`) and the
   * name of the health alarm (`<id>McpHealthAlarm`). Their logical ids come from the service's
   * construct path, so two services in one stack write distinct outputs. No output holds a
   * secret. CloudFormation allows 200 outputs in a template; every service writes 3.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html (200 outputs)
   * @default true
   */
  readonly stackOutputs?: boolean;
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

  /**
   * The principal the server runs as (the Lambda or Web Function execution role, the Fargate or
   * Express task role, the App Runner instance role): grants on the service land on its policy.
   */
  public abstract readonly grantPrincipal: iam.IPrincipal;

  private attachedMonitoring?: McpServiceMonitoring;

  private readonly stackOutputs: boolean;

  /**
   * @param props what every kind shares (pass the kind's whole props)
   */
  constructor(scope: Construct, id: string, props: McpServiceBaseProps = {}) {
    super(scope, id);
    this.stackOutputs = props.stackOutputs ?? true;
  }

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
   * Failed probes: all of them, or those of one failure class (`props.failureClass`).
   *
   * @default - statistic Sum, period 1 minute, all failure classes
   */
  public metricProbeFailures(props?: McpProbeFailuresMetricOptions): cloudwatch.Metric {
    return this.monitoring.metricProbeFailures(props);
  }

  /**
   * Creates the service's monitoring (construct id `Monitoring`) once, and the stack outputs
   * unless `stackOutputs: false`; every service calls it after creating its server, then adds
   * its platform alarms to it.
   */
  protected attachMonitoring(props: McpServiceMonitoringProps): McpServiceMonitoring {
    if (this.attachedMonitoring) {
      throw new Error(`${this.node.path}: attachMonitoring was called twice (a bug in the service construct).`);
    }
    const monitoring = new McpServiceMonitoring(this, 'Monitoring', props);
    this.attachedMonitoring = monitoring;
    if (this.stackOutputs) {
      this.writeStackOutputs(props.url, monitoring);
    }
    return monitoring;
  }

  /**
   * The outputs of src/contract/stack-outputs.ts, children of this construct: their logical ids
   * are this construct's path followed by the suffix (and CDK's hash), distinct per service.
   */
  private writeStackOutputs(url: string, monitoring: McpServiceMonitoring): void {
    const describe = (what: string) => describePath(what, this.node.path, OUTPUT_DESCRIPTION_MAX);
    new CfnOutput(this, STACK_OUTPUT_SUFFIXES.URL, {
      value: url,
      description: describe('The MCP endpoint URL of '),
    });
    new CfnOutput(this, STACK_OUTPUT_SUFFIXES.SERVICE_NAME, {
      value: monitoring.serviceName,
      description: describe('The service name mcp-probe status|maintenance|canary take (the ServiceName of the probe metrics) for '),
    });
    new CfnOutput(this, STACK_OUTPUT_SUFFIXES.HEALTH_ALARM, {
      value: monitoring.healthAlarm.alarmName,
      description: describe('The health alarm (composite, it notifies) of '),
    });
  }
}
