import { Annotations, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, IDependable } from 'constructs';
import { McpDeployGate } from './deploy-gate';
import { McpMonitoringOptions } from './options';
import { McpToolMetricsOptions } from './tool-metrics-options';
import { McpCanary } from '../canary/canary';
import { McpCanaryAuth } from '../canary/canary-auth';
import { McpProbePhase } from '../canary/canary-enums';
import { McpProbeFailuresMetricOptions } from '../canary/probe-metric-options';
import { AlarmFactory } from './private/alarm-factory';
import { countAlarm, expiryAlarm, LatencyUnit, latencyAlarm, successAlarm, utilizationAlarm } from './private/alarm-families';
import { AlarmSet } from './private/alarm-set';
import { CREDENTIAL_ERROR_PATTERN } from './private/log-patterns';
import {
  DURATION_VALUE, perToolPatterns, TOOL_DIMENSION_VALUE, TOOL_NAME, TOOL_PATTERNS, TOOL_QUERIES,
} from './private/tool-patterns';
import { probeFailuresMetric, probeMetric } from '../canary/private/probe-metrics';
import { CANARY_DIMENSIONS, CANARY_METRICS, DEFAULT_METRIC_NAMESPACE } from '../contract/canary-env';
import { MAINTENANCE_EXPRESSION, MAINTENANCE_METRIC } from '../contract/operations';
import { REQUEST_RECORD, REQUEST_RECORD_MARKER } from '../contract/request-record';
import { checkServiceNameUnique } from '../private/service-name-twins';
import { ValidationErrors } from '../private/validation';

/** Properties of an {@link McpServiceMonitoring}. */
export interface McpServiceMonitoringProps extends McpMonitoringOptions {
  /**
   * The name of the monitored service: the `ServiceName` metric dimension and a segment of the
   * log-metric namespace: 1 to 255 letters, digits, spaces or `. _ - # :`, no leading or trailing
   * space, never a URL.
   * Unique in the account and Region per `metricNamespace`: two services or canaries with one
   * name write the same probe metrics and fire each other's alarms. Synth fails on such a pair in
   * one app and environment, and warns (`cdk-mcp:serviceNameNotUnique`) for two
   * environment-agnostic stacks of one stage; stacks of other apps are out of its sight.
   */
  readonly serviceName: string;

  /** The MCP endpoint URL the canary probes (tokens allowed). */
  readonly url: string;

  /**
   * The origin behind the front door at `url` (the Function URL, the Web Function endpoint, the
   * load balancer, ...). When given, the canary probes it after a failed probe of `url`, so the
   * result says which side broke (see `McpFrontDoorOptions.canaryProbesOrigin`).
   *
   * @default - the origin is not probed
   */
  readonly originUrl?: string;

  /**
   * How the canary authenticates to `originUrl` (an origin behind CloudFront or API Gateway is
   * often IAM-only while the front door is public).
   *
   * @default - the canary's `canaryAuth`
   */
  readonly originAuth?: McpCanaryAuth;

  /**
   * The server's log group, searched for AWS credential failures in tool calls and read for the
   * request records (`toolMetrics`).
   *
   * @default - no log-based alarms
   */
  readonly serverLogGroup?: logs.ILogGroup;

  /**
   * Platform alarms of the hosting service (load balancer, container, function), included in the
   * service-health composite alarm and in `alarms`. More can be added with `addAlarm`.
   *
   * @default - none
   */
  readonly platformAlarms?: cloudwatch.IAlarm[];

  /**
   * The VPC to run the canary in, for a private endpoint.
   *
   * @default - the canary is not in a VPC
   */
  readonly canaryVpc?: ec2.IVpc;

  /**
   * Where to place the canary in `canaryVpc`.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly canaryVpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the canary in `canaryVpc`.
   *
   * @default - a new security group with all outbound traffic allowed
   */
  readonly canarySecurityGroups?: ec2.ISecurityGroup[];

  /**
   * A value that changes with every deployment of the server, so the deploy gate runs on each.
   *
   * @default - the URL (the gate then runs when the URL changes only)
   */
  readonly deployGateTrigger?: string;

  /**
   * What must be live before the deploy gate probes (the alias, the ECS service, ...).
   *
   * @default - nothing beyond the canary
   */
  readonly deployGateDependencies?: IDependable[];
}

/**
 * The outside-in monitoring every MCP service construct composes: an {@link McpCanary} probing
 * the endpoint, alarms on what it measures, a log alarm for AWS credential failures, one
 * composite "service health" alarm over all of them (the only alarm that notifies, unless an
 * alarm asks for `actionsEnabled`), an SNS topic, and an optional dashboard.
 *
 * Use it alone to watch an MCP server this app does not deploy (a partner's, a SaaS endpoint):
 * `new McpServiceMonitoring(this, 'Watch', { url, serviceName, alarmEmails })`. Subscribe chat
 * channels to `alarmTopic` (aws-cdk-lib's `aws-chatbot`) for Slack or Microsoft Teams.
 */
export class McpServiceMonitoring extends Construct {
  /** The canary, unless `canary: false`. */
  public readonly canary?: McpCanary;

  /** Every alarm watched by the service-health alarm: the canary's, the log alarms, the platform alarms. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  /** The composite alarm that is in ALARM when any alarm in `alarms` is; it carries the actions. */
  public readonly healthAlarm: cloudwatch.CompositeAlarm;

  /** The topic the service-health alarm notifies. */
  public readonly alarmTopic: sns.ITopic;

  /** The dashboard, when `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  /** `ProbeSuccess` below the minimum rate (missing data breaching), unless disabled. */
  public readonly probeFailureAlarm?: cloudwatch.Alarm;

  /** `ProbeLatency` p90 above the maximum, unless disabled. */
  public readonly probeLatencyAlarm?: cloudwatch.Alarm;

  /** `CertDaysRemaining` below the minimum (https URLs only), unless disabled. */
  public readonly certificateExpiryAlarm?: cloudwatch.Alarm;

  /**
   * `FrontDoorFailures` above the maximum: the front door fails while the origin answers (or AWS
   * WAF blocks the probe). Only when the canary probes an origin (`originUrl`), unless disabled.
   */
  public readonly frontDoorAlarm?: cloudwatch.Alarm;

  /** Errors of the canary function itself, unless disabled. */
  public readonly canaryErrorsAlarm?: cloudwatch.Alarm;

  /** AWS credential failures in the server's logs, when a log group is given, unless disabled. */
  public readonly credentialErrorsAlarm?: cloudwatch.Alarm;

  /**
   * In ALARM while a maintenance window is open (`mcp-probe maintenance start <service>`, or a
   * deploy gate at work); it suppresses the health alarm's actions unless
   * `alarmActionsSuppressor` names another alarm. It notifies nobody itself.
   */
  public readonly maintenanceAlarm: cloudwatch.Alarm;

  /** Per-tool metrics, alarm and saved queries from the server's request records, when the service has a log group (unless `toolMetrics.enabled: false`). */
  public readonly toolMetrics?: McpToolMetrics;

  /** The deploy gate, when `deployGate: true`. */
  public readonly deployGate?: McpDeployGate;

  /** The `ServiceName` of the probe metrics. */
  public readonly serviceName: string;

  /** The namespace of the probe metrics. */
  public readonly metricNamespace: string;

  /** The namespace of the metrics derived from the server's logs: `<metricNamespace>/<serviceName>`. */
  public readonly logMetricNamespace: string;

  private readonly factory: AlarmFactory;

  private readonly detailedMetrics: boolean;

  constructor(scope: Construct, id: string, props: McpServiceMonitoringProps) {
    super(scope, id);
    this.serviceName = props.serviceName;
    this.metricNamespace = props.metricNamespace ?? DEFAULT_METRIC_NAMESPACE;
    this.logMetricNamespace = `${this.metricNamespace}/${this.serviceName}`;
    this.detailedMetrics = props.canaryDetailedMetrics ?? false;
    this.validate(props);

    this.alarmTopic = props.alarmTopic ?? this.createTopic(props.alarmTopicEncryptionKey);
    for (const email of props.alarmEmails ?? []) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    const action = new cw_actions.SnsAction(this.alarmTopic);
    this.factory = new AlarmFactory({
      serviceName: this.serviceName,
      action,
      onAlarm: (alarm) => this.addAlarm(alarm),
    });
    // The canary and log alarms; each registers itself through the factory.
    const alarms = new AlarmSet(this, 'McpServiceMonitoring', this.factory, this.logMetricNamespace);

    const https = !Token.isUnresolved(props.url) && props.url.startsWith('https://');
    const certificateCheck = (Token.isUnresolved(props.url) || https) && props.certificateExpiryAlarm?.enabled !== false;
    if (props.canary ?? true) {
      this.canary = new McpCanary(this, 'Canary', {
        detailedMetrics: props.canaryDetailedMetrics,
        minCertificateDays: certificateCheck ? props.certificateExpiryAlarm?.minDaysRemaining ?? 14 : undefined,
        url: props.url,
        serviceName: props.serviceName,
        schedule: props.canarySchedule,
        deadline: props.canaryDeadline,
        expectedTools: props.canaryExpectedTools,
        expectedToolsHash: props.canaryExpectedToolsHash,
        sentinelTool: props.canarySentinelTool,
        sentinelToolArguments: props.canarySentinelToolArguments,
        transport: props.canaryTransport,
        headers: props.canaryHeaders,
        auth: props.canaryAuth,
        originUrl: props.originUrl,
        originAuth: props.originAuth,
        metricNamespace: this.metricNamespace,
        vpc: props.canaryVpc,
        vpcSubnets: props.canaryVpcSubnets,
        securityGroups: props.canarySecurityGroups,
        logRetention: props.canaryLogRetention,
        logEncryptionKey: props.canaryLogEncryptionKey,
      });
      this.probeFailureAlarm = alarms.add(successAlarm({
        id: 'ProbeFailing',
        propName: 'probeFailureAlarm',
        metric: this.canary.metricProbeSuccess(),
        summary: 'The MCP probe is failing: clients cannot complete the handshake or list tools',
        firstCheck: 'the canary log group (one JSON line per run with failureClass and message) and the ProbeFailures metric by FailureClass; a missing datapoint means the canary itself did not run (see its Errors and the schedule rule). Then the server\'s logs.',
      }, props.probeFailureAlarm));
      this.probeLatencyAlarm = alarms.add(latencyAlarm({
        id: 'ProbeLatency',
        propName: 'probeLatencyAlarm',
        metric: this.canary.metricProbeLatency({ period: Duration.minutes(5) }),
        summary: 'The MCP probe is slow',
        firstCheck: 'the phase latencies (ConnectLatency, TlsLatency, HandshakeLatency, ToolsListLatency, ToolCallLatency) to see which step is slow; cold starts show in HandshakeLatency, then the server\'s duration and concurrency.',
      }, props.probeLatencyAlarm, Duration.seconds(10), LatencyUnit.MILLISECONDS));
      this.frontDoorAlarm = alarms.add(countAlarm({
        id: 'FrontDoorFailing',
        propName: 'frontDoorAlarm',
        metric: this.canary.metricFrontDoorFailures(),
        summary: 'The front door (CloudFront/API Gateway/WAF/DNS) fails while the origin answers: clients cannot reach a working server',
        firstCheck: 'the canary log line\'s probe.message and probe.origin (FailedSide front-door): a BLOCKED_BY_WAF class means the web ACL\'s sampled requests (terminatingRuleId); '
          + 'else the distribution\'s or API\'s recent changes (origin settings, behaviors, stage), the custom domain\'s DNS record and certificate.',
        datapointsToAlarm: 3,
        evaluationPeriods: 3,
      }, props.frontDoorAlarm), props.originUrl !== undefined);
      if (certificateCheck && (props.canaryDetailedMetrics ?? false)) {
        this.certificateExpiryAlarm = alarms.add(expiryAlarm({
          id: 'CertificateExpiring',
          propName: 'certificateExpiryAlarm',
          metric: this.canary.metricCertDaysRemaining(),
          summary: 'The TLS certificate of the MCP endpoint expires soon',
          firstCheck: 'the certificate of the custom domain in ACM (renewal status, DNS validation records); AWS-managed endpoints renew on their own.',
        }, props.certificateExpiryAlarm));
      }
      // Opt-in: a run that errors writes no ProbeSuccess datapoint, which ProbeFailing treats as breaching.
      this.canaryErrorsAlarm = alarms.add(countAlarm({
        id: 'CanaryErrors',
        propName: 'canaryErrorsAlarm',
        metric: this.canary.function.metricErrors({ period: Duration.minutes(15), statistic: cloudwatch.Stats.SUM }),
        summary: 'The MCP canary function fails (a configuration error or a bug, not a probe failure)',
        firstCheck: 'the canary function\'s log group for the error (an unreadable auth secret, a missing permission, an invalid setting).',
        optIn: true,
      }, props.canaryErrorsAlarm));
    } else {
      Annotations.of(this).addWarningV2('cdk-mcp:canaryDisabled',
        // A generated service name is a token until deploy: word the warning without it.
        `The MCP canary of ${Token.isUnresolved(this.serviceName) ? 'this service' : `service '${this.serviceName}'`} is disabled (canary: false). `
        + 'Platform metrics stay green while clients get protocol errors; '
        + 'keep the canary on, or acknowledge this warning if another monitor probes the endpoint over MCP.');
    }

    this.credentialErrorsAlarm = alarms.addLogCount(props.serverLogGroup, { CredentialErrorsFilter: CREDENTIAL_ERROR_PATTERN }, 'AwsCredentialErrors', props.credentialErrorsAlarm, {
      id: 'CredentialErrors',
      propName: 'credentialErrorsAlarm',
      summary: 'AWS credential failures in the MCP server\'s tool calls (AccessDenied, expired or unauthorized credentials)',
      firstCheck: 'the server\'s log group for AccessDeniedException / ExpiredTokenException: the action and resource named there are missing from the server\'s role, or its credentials expired.',
    });
    alarms.finish(() => []);

    for (const alarm of props.platformAlarms ?? []) {
      this.addAlarm(alarm);
    }

    this.maintenanceAlarm = this.createMaintenanceAlarm();

    this.healthAlarm = new cloudwatch.CompositeAlarm(this, 'ServiceHealth', {
      alarmRule: { renderAlarmRule: () => Lazy.string({ produce: () => this.renderHealthRule() }) },
      alarmDescription: `MCP service ${this.serviceName} is unhealthy: at least one of its alarms is in ALARM. `
        + 'First check: the alarm list below this composite in the CloudWatch console; each alarm says what failed and where to look.',
      actionsSuppressor: props.alarmActionsSuppressor ?? this.maintenanceAlarm,
      // Suppression starts as soon as the window alarm is in ALARM, and holds one evaluation
      // period after it ends, so the health alarm's state changes of the deploy itself stay quiet.
      actionsSuppressorWaitPeriod: Duration.minutes(1),
      actionsSuppressorExtensionPeriod: Duration.minutes(2),
    });
    this.healthAlarm.addAlarmAction(action);
    this.healthAlarm.addOkAction(action);

    if (props.deployGate ?? false) {
      if (!this.canary) {
        ValidationErrors.fail('cdk-mcp:deployGateWithoutCanary', 'McpServiceMonitoring',
          'deployGate: true needs the canary (canary: true): the gate probes with its configuration. Turn the canary on, or remove deployGate.', this);
      }
      this.deployGate = new McpDeployGate(this, 'DeployGate', {
        canary: this.canary,
        trigger: props.deployGateTrigger ?? props.url,
        dependencies: props.deployGateDependencies,
        timeout: props.deployGateTimeout,
        logRetention: props.canaryLogRetention,
      });
    }

    if (props.dashboard ?? false) {
      this.dashboard = this.createDashboard();
    }

    if (props.serverLogGroup && (props.toolMetrics?.enabled ?? true)) {
      this.toolMetrics = new McpToolMetrics(this, 'ToolMetrics', { ...props.toolMetrics, monitoring: this, logGroup: props.serverLogGroup });
    }
  }

  /** The maintenance-window alarm: the metric math of src/contract/operations.ts, one datapoint a minute. */
  private createMaintenanceAlarm(): cloudwatch.Alarm {
    const latestCommand = new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName: MAINTENANCE_METRIC,
      dimensionsMap: { [CANARY_DIMENSIONS.SERVICE_NAME]: this.serviceName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
    });
    const inWindow = new cloudwatch.MathExpression({
      expression: MAINTENANCE_EXPRESSION,
      usingMetrics: { m: latestCommand },
      period: Duration.minutes(1),
      label: 'In maintenance (1 = yes)',
    });
    return new cloudwatch.Alarm(this, 'MaintenanceWindow', {
      metric: inWindow,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No datapoint means no window: the window ends by itself when its datapoints run out.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `MCP service ${this.serviceName}: a maintenance window is open (mcp-probe maintenance status ${this.serviceName}). `
        + 'While it is in ALARM the health alarm notifies nobody. Not an incident: it suppresses, it never pages.',
      actionsEnabled: false,
    });
  }

  /**
   * 1 when a probe passed, 0 when it failed (the availability clients see). Works with the
   * canary off too (for a canary run elsewhere with the same `serviceName` and namespace).
   *
   * @default - statistic Average, period 1 minute
   */
  public metricProbeSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return probeMetric(this.metricNamespace, this.serviceName, CANARY_METRICS.PROBE_SUCCESS, props);
  }

  /**
   * The total duration of a probe in milliseconds.
   *
   * @default - statistic p90, period 1 minute
   */
  public metricProbeLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return probeMetric(this.metricNamespace, this.serviceName, CANARY_METRICS.PROBE_LATENCY, { statistic: cloudwatch.Stats.p(90), ...props });
  }

  /**
   * 1 when the probe of the origin passed, 0 when it failed; published only by runs that probed
   * it (after a failed probe of the front door, with `originUrl`).
   *
   * @default - statistic Average, period 1 minute
   */
  public metricOriginProbeSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return probeMetric(this.metricNamespace, this.serviceName, CANARY_METRICS.ORIGIN_PROBE_SUCCESS, props);
  }

  /**
   * Runs whose failed side is the front door (it failed while the origin passed, or AWS WAF
   * blocked the probe).
   *
   * @default - statistic Sum, period 1 minute
   */
  public metricFrontDoorFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return probeMetric(this.metricNamespace, this.serviceName, CANARY_METRICS.FRONT_DOOR_FAILURES, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * Failed probes: all of them, or those of one failure class (`props.failureClass`).
   *
   * @default - statistic Sum, period 1 minute, all failure classes
   */
  public metricProbeFailures(props?: McpProbeFailuresMetricOptions): cloudwatch.Metric {
    return probeFailuresMetric(this.metricNamespace, this.serviceName, props);
  }

  /**
   * Watches one more alarm: adds it to `alarms` and to the service-health composite alarm.
   * Service constructs call this for their platform alarms.
   */
  public addAlarm(alarm: cloudwatch.IAlarm): void {
    if (!this.alarms.includes(alarm)) {
      this.alarms.push(alarm);
    }
  }

  /**
   * The factory for alarms with this service's conventions (names, descriptions, actions).
   *
   * @internal
   */
  public get _alarmFactory(): AlarmFactory {
    return this.factory;
  }

  private renderHealthRule(): string {
    if (this.alarms.length === 0) {
      return cloudwatch.AlarmRule.fromBoolean(false).renderAlarmRule();
    }
    const rules = this.alarms.map((alarm) => cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM));
    return cloudwatch.AlarmRule.anyOf(...rules).renderAlarmRule();
  }

  private createTopic(key: kms.IKey | undefined): sns.ITopic {
    const cloudwatchPrincipal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    if (key) {
      // CloudWatch publishes to an encrypted topic only with these on the key.
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
      const added = key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudwatchPrincipal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }), true);
      if (!added.statementAdded) {
        Annotations.of(this).addWarningV2('cdk-mcp:alarmTopicKeyPolicy',
          'alarmTopicEncryptionKey is an imported key, whose policy the construct cannot change: allow the principal cloudwatch.amazonaws.com '
          + 'kms:Decrypt and kms:GenerateDataKey* on it, or no alarm notification is delivered.');
      }
    }
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'MCP service alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [cloudwatchPrincipal],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    return topic;
  }

  private createDashboard(): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({
      title: `${this.serviceName}: alarms`,
      // The live list: alarms added later (platform alarms) are rendered at synth time.
      alarms: this.alarms,
      width: 20,
      height: 4,
    }), new cloudwatch.AlarmStatusWidget({
      title: 'Maintenance window',
      alarms: [this.maintenanceAlarm],
      width: 4,
      height: 4,
    }));
    const canary = this.canary;
    if (canary) {
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Probe success (1 = pass)',
          left: [canary.metricProbeSuccess({ label: 'ProbeSuccess' })],
          leftYAxis: { min: 0, max: 1 },
          width: 6,
        }),
        // The origin is probed only after a failed front-door probe: its points sit under the gaps of ProbeSuccess.
        ...(canary.originUrl !== undefined ? [new cloudwatch.GraphWidget({
          title: 'Front door vs origin (1 = pass; origin probed when the front door fails)',
          left: [
            canary.metricProbeSuccess({ label: 'Front door (ProbeSuccess)' }),
            canary.metricOriginProbeSuccess({ label: 'Origin (OriginProbeSuccess)' }),
          ],
          leftYAxis: { min: 0, max: 1 },
          width: 6,
        })] : []),
        new cloudwatch.GraphWidget({
          title: 'Probe latency by phase (p90, ms)',
          left: [
            canary.metricProbeLatency({ label: 'Total' }),
            ...(this.detailedMetrics ? Object.values(McpProbePhase).map((phase) => canary.metricPhaseLatency(phase, { label: phase })) : []),
          ],
          width: 6,
        }),
        // ToolCount is a metric with detailed metrics only; otherwise the log line carries it.
        ...(this.detailedMetrics ? [new cloudwatch.GraphWidget({
          title: 'Tools listed',
          left: [canary.metricToolCount({ label: 'ToolCount' })],
          leftYAxis: { min: 0 },
          width: 6,
        })] : []),
        new cloudwatch.GraphWidget({
          title: 'Probe failures by class',
          left: [this.failuresByClass(canary)],
          stacked: true,
          width: 6,
        }),
      );
    }
    return dashboard;
  }

  private failuresByClass(canary: McpCanary): cloudwatch.MathExpression {
    const schema = `{"${this.metricNamespace}",ServiceName,FailureClass}`;
    return new cloudwatch.MathExpression({
      expression: `SEARCH('${schema} MetricName="ProbeFailures" ServiceName="${canary.serviceName}"', 'Sum', 60)`,
      usingMetrics: {},
      label: '',
      period: Duration.minutes(1),
    });
  }

  private validate(props: McpServiceMonitoringProps): void {
    const errors = new ValidationErrors('McpServiceMonitoring', this);
    errors.metricServiceName('serviceName', props.serviceName);
    errors.metricNamespace('metricNamespace', this.metricNamespace);
    errors.check('cdk-mcp:logMetricNamespaceLength', Token.isUnresolved(this.logMetricNamespace) || this.logMetricNamespace.length <= 255,
      `metricNamespace + '/' + serviceName is ${this.logMetricNamespace.length} characters (got "${this.logMetricNamespace}"); CloudWatch namespaces hold at most 255. Shorten one of them.`);
    // Two services of one account and Region with the same name share ProbeSuccess{ServiceName}
    // and the log-metric namespace: one would page for the other.
    checkServiceNameUnique(this, this, (c) => c instanceof McpServiceMonitoring
      && c.serviceName === this.serviceName && c.metricNamespace === this.metricNamespace, errors, 'services');
    errors.integerInRange('certificateExpiryAlarm.minDaysRemaining', props.certificateExpiryAlarm?.minDaysRemaining, 1, 365, 'days');
    for (const email of props.alarmEmails ?? []) {
      errors.check('cdk-mcp:alarmEmailFormat', Token.isUnresolved(email) || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email), `alarmEmails contains "${email}", which is not an e-mail address: pass addresses such as "oncall@example.com".`);
    }
    errors.throwIfAny();
  }

}

/** Properties of an {@link McpToolMetrics}. */
export interface McpToolMetricsProps extends McpToolMetricsOptions {
  /** The monitoring whose alarms, namespace and dashboard the tool metrics join. */
  readonly monitoring: McpServiceMonitoring;

  /** The server's log group, where the request records are written. */
  readonly logGroup: logs.ILogGroup;
}

/** The metric names the tool-metric filters publish in the log-metric namespace. */
const METRICS = { calls: 'ToolCalls', serverErrors: 'ToolServerErrors', duration: 'ToolDuration' } as const;

/** The dimension of the opt-in per-tool metrics. */
const TOOL_DIMENSION = 'ToolName';

/** Per-tool metric filters at most: a log group holds 100 metric filters, and the service has others. */
const MAX_PER_TOOL_FILTERS = 60;

/**
 * Per-tool visibility in CloudWatch from the request records the server writes (one JSON line
 * per MCP request, `docs/per-tool.md`): metric filters for tool calls, server errors and
 * duration (no dimensions: 2 metrics published while there is traffic, the errors metric only
 * in hours with errors), an opt-in alarm on the error rate across all tools, Logs Insights saved
 * queries under `<serviceName>/`, and a dashboard section when the service has a dashboard.
 * Opt-in: per-tool metrics for named tools, and a Contributor Insights rule.
 *
 * `McpServiceMonitoring` creates one on the server's log group (`toolMetrics` option).
 */
export class McpToolMetrics extends Construct {
  /** Every alarm created here. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** Server errors among tool calls above the rate, when `errorRateAlarm.enabled` is true. */
  public readonly errorRateAlarm?: cloudwatch.Alarm;

  /** The Logs Insights saved queries. */
  public readonly queries: logs.QueryDefinition[] = [];

  /** The Contributor Insights rule, when `contributorInsights: true`. */
  public readonly insightRule?: cloudwatch.CfnInsightRule;

  private readonly namespace: string;
  private readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: McpToolMetricsProps) {
    super(scope, id);
    const monitoring = props.monitoring;
    this.namespace = monitoring.logMetricNamespace;
    this.logGroup = props.logGroup;
    const alarms = AlarmSet.forPlatform(this, 'McpToolMetrics', monitoring);
    this.alarms = alarms.alarms;
    const tools = props.tools ?? [];
    const threshold = props.errorRateAlarm ?? {};
    const percent = threshold.maxErrorRatePercent ?? 5;
    const minCalls = threshold.minCalls ?? 10;
    validate(alarms, tools, percent, minCalls);

    type Dimensions = { [k: string]: string };
    const filter = (filterId: string, pattern: string, metricName: string, value: string, unit: cloudwatch.Unit, dimensions?: Dimensions) =>
      new logs.MetricFilter(this, filterId, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricNamespace: this.namespace,
        metricName,
        metricValue: value,
        unit,
        dimensions,
      });
    filter('ToolCallsFilter', TOOL_PATTERNS.calls, METRICS.calls, '1', cloudwatch.Unit.COUNT);
    filter('ToolServerErrorsFilter', TOOL_PATTERNS.serverErrors, METRICS.serverErrors, '1', cloudwatch.Unit.COUNT);
    filter('ToolDurationFilter', TOOL_PATTERNS.duration, METRICS.duration, DURATION_VALUE, cloudwatch.Unit.MILLISECONDS);
    if (tools.every((t) => Token.isUnresolved(t) || TOOL_NAME.test(t))) {
      const perTool = { [TOOL_DIMENSION]: TOOL_DIMENSION_VALUE };
      const kinds = [
        ['calls', '1', cloudwatch.Unit.COUNT],
        ['serverErrors', '1', cloudwatch.Unit.COUNT],
        ['duration', DURATION_VALUE, cloudwatch.Unit.MILLISECONDS],
      ] as const;
      for (const [kind, value, unit] of kinds) {
        perToolPatterns(kind, tools).forEach((pattern, i) =>
          filter(`PerTool${METRICS[kind]}Filter${i + 1}`, pattern, METRICS[kind], value, unit, perTool));
      }
    }

    const rate = new cloudwatch.MathExpression({
      // No datapoint below minCalls: IF without an else value drops the timestamp.
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html (IF, FILL)
      expression: `IF(calls >= ${minCalls}, 100 * FILL(errors, 0) / calls)`,
      usingMetrics: { calls: this.metricToolCalls(), errors: this.metricToolServerErrors() },
      period: Duration.minutes(5),
      label: 'Tool server error rate (%)',
    });
    this.errorRateAlarm = alarms.add(utilizationAlarm({
      id: 'ToolErrorRate',
      propName: 'toolMetrics.errorRateAlarm',
      metric: rate,
      summary: `Tool calls fail: more than ${percent}% server errors among at least ${minCalls} calls`,
      firstCheck: `the saved query "${monitoring.serviceName}/tools failing most" (Logs Insights) for the tool and error type, then that tool's records by trace id.`,
      datapointsToAlarm: 2,
      evaluationPeriods: 3,
      // Opt-in: its 2 metrics ($0.20) would take the defaults past $2.00 a month (docs/cost.md).
      optIn: true,
    }, { ...threshold, maxUtilizationPercent: percent > 0 && percent <= 100 ? percent : 5 }, { defaultPercent: 5, limit: 100, unit: '%' }));

    const queries: Array<[string, string, readonly string[]]> = [
      ['PerToolQuery', 'tools: calls, errors, p95 per tool', TOOL_QUERIES.perTool],
      ['FailingMostQuery', 'tools failing most', TOOL_QUERIES.failingMost],
      ['SlowestQuery', 'slowest tools', TOOL_QUERIES.slowest],
      ['TraceQuery', 'one trace id\'s requests', TOOL_QUERIES.trace],
      ['PerClientQuery', 'requests per client', TOOL_QUERIES.perClient],
    ];
    for (const [queryId, name, lines] of queries) {
      this.queries.push(new logs.QueryDefinition(this, queryId, {
        queryDefinitionName: `${monitoring.serviceName}/${name}`,
        queryString: new WrittenQuery(lines),
        logGroups: [props.logGroup],
      }));
    }

    if (props.contributorInsights ?? false) {
      this.insightRule = new cloudwatch.CfnInsightRule(this, 'ToolCallsRule', {
        ruleName: `${monitoring.serviceName}-tool-calls`,
        ruleState: 'ENABLED',
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html
        ruleBody: Stack.of(this).toJsonString({
          Schema: { Name: 'CloudWatchLogRule', Version: 1 },
          LogGroupNames: [props.logGroup.logGroupName],
          LogFormat: 'JSON',
          Contribution: {
            Keys: [TOOL_DIMENSION_VALUE],
            Filters: [
              { Match: `$.${REQUEST_RECORD.MARKER}`, In: [REQUEST_RECORD_MARKER] },
              { Match: `$.${REQUEST_RECORD.METHOD}`, In: ['tools/call'] },
              { Match: `$.${REQUEST_RECORD.TOOL_REGISTERED}`, In: [true] },
            ],
          },
          AggregateOn: 'Count',
        }),
      });
    }

    alarms.finish(() => this.widgets(tools));
  }

  /**
   * Tool calls, all tools, or one tool of `tools` (`toolName`).
   *
   * @default - statistic Sum, period 5 minutes
   */
  public metricToolCalls(props?: cloudwatch.MetricOptions, toolName?: string): cloudwatch.Metric {
    return this.metric(METRICS.calls, cloudwatch.Stats.SUM, props, toolName);
  }

  /**
   * Server errors among tool calls (JSON-RPC errors other than the client-fault codes, and tool
   * errors of registered tools), all tools or one tool of `tools`.
   *
   * @default - statistic Sum, period 5 minutes
   */
  public metricToolServerErrors(props?: cloudwatch.MetricOptions, toolName?: string): cloudwatch.Metric {
    return this.metric(METRICS.serverErrors, cloudwatch.Stats.SUM, props, toolName);
  }

  /**
   * The duration of tool calls in milliseconds, all tools or one tool of `tools`.
   *
   * @default - statistic p95, period 5 minutes
   */
  public metricToolDuration(props?: cloudwatch.MetricOptions, toolName?: string): cloudwatch.Metric {
    return this.metric(METRICS.duration, cloudwatch.Stats.p(95), props, toolName);
  }

  private metric(metricName: string, statistic: string, props: cloudwatch.MetricOptions | undefined, toolName?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      statistic,
      period: Duration.minutes(5),
      dimensionsMap: toolName === undefined ? undefined : { [TOOL_DIMENSION]: toolName },
      ...props,
    });
  }

  private widgets(tools: string[]): cloudwatch.IWidget[] {
    const logGroupNames = [this.logGroup.logGroupName];
    const table = (title: string, lines: readonly string[]) => new cloudwatch.LogQueryWidget({
      title, logGroupNames, queryLines: [...lines], view: cloudwatch.LogQueryVisualizationType.TABLE, width: 12, height: 6,
    });
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'Tool calls and server errors (all tools)',
        left: [this.metricToolCalls({ label: 'Calls' }), this.metricToolServerErrors({ label: 'Server errors' })],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Tool-call duration (p95, ms)',
        left: [this.metricToolDuration({ label: 'p95' })],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      ...(this.errorRateAlarm ? [new cloudwatch.AlarmWidget({ title: 'Tool server error rate (%)', alarm: this.errorRateAlarm, width: 8 })] : []),
      table('Calls, errors, p95 per tool (Logs Insights)', TOOL_QUERIES.perTool),
      table('Tools failing most (Logs Insights)', TOOL_QUERIES.failingMost),
    ];
    if (tools.length > 0) {
      widgets.push(new cloudwatch.GraphWidget({
        title: 'Tool-call duration per tool (p95, ms)',
        left: tools.map((t) => this.metricToolDuration({ label: t }, t)),
        width: 24,
      }));
    }
    return widgets;
  }
}

/** A query string as written: `logs.QueryString` cannot hold a comment line. */
class WrittenQuery extends logs.QueryString {
  constructor(private readonly lines: readonly string[]) {
    super();
  }

  public toString(): string {
    return this.lines.join('\n| ').replace(/^(# [^\n]*)\n\| /, '$1\n');
  }
}

function validate(alarms: AlarmSet, tools: string[], percent: number, minCalls: number): void {
  const errors = alarms.errors;
  for (const tool of tools) {
    errors.check('cdk-mcp:toolMetricsToolName', Token.isUnresolved(tool) || TOOL_NAME.test(tool),
      `toolMetrics.tools contains "${tool}", which is not an MCP tool name: use 1 to 128 letters, digits, '_', '-' or '.' (the name the server registers).`);
  }
  const valid = tools.filter((t) => !Token.isUnresolved(t) && TOOL_NAME.test(t));
  const filters = (['calls', 'serverErrors', 'duration'] as const).reduce((n, kind) => n + perToolPatterns(kind, valid).length, 0);
  errors.check('cdk-mcp:toolMetricsToolCount', filters <= MAX_PER_TOOL_FILTERS,
    `toolMetrics.tools lists ${tools.length} tools, which take ${filters} metric filters (patterns hold 1,024 characters); at most ${MAX_PER_TOOL_FILTERS} of the 100 a log group allows. List fewer tools (the saved queries and the dashboard show every tool).`);
  errors.check('cdk-mcp:toolMetricsDuplicateTool', new Set(tools).size === tools.length,
    `toolMetrics.tools lists a tool twice (${tools.filter((t, i) => tools.indexOf(t) !== i).join(', ')}); list each tool once.`);
  errors.check('cdk-mcp:toolErrorRatePercent', Token.isUnresolved(percent) || (percent > 0 && percent <= 100),
    `toolMetrics.errorRateAlarm.maxErrorRatePercent is ${percent}; use a percentage above 0 and at most 100.`);
  errors.check('cdk-mcp:toolErrorRateMinCalls', Token.isUnresolved(minCalls) || (Number.isInteger(minCalls) && minCalls >= 1),
    `toolMetrics.errorRateAlarm.minCalls is ${minCalls}; use a whole number of calls of at least 1.`);
}
