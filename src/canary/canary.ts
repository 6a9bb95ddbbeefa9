import * as path from 'path';
import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { McpCanaryAuth } from './canary-auth';
import { McpProbePhase, McpTransport } from './canary-enums';
import { checkHeaderName, PROBE_HEADERS } from './private/canary-headers';
import { scheduleIntervalMinutes } from './private/canary-validation';
import { probeFailuresMetric, probeMetric } from './private/probe-metrics';
import { McpProbeFailuresMetricOptions } from './probe-metric-options';
import {
  CANARY_ENV,
  CANARY_METRICS,
  CANARY_PHASE_METRICS,
  CANARY_TIMEOUT_MARGIN_SECONDS,
  CanaryPhase,
  DEFAULT_METRIC_NAMESPACE,
  LAMBDA_MAX_TIMEOUT_SECONDS,
  originAuthVariable,
} from '../contract/canary-env';
import { isToolsHash, TOOLS_HASH_FORMAT_DESCRIPTION } from '../contract/tools-hash-format';
import { createFunctionLogs } from '../private/function-logs';
import { grantVpcNetworkInterfaces } from '../private/lambda-vpc';
import { checkEnvironmentSize } from '../private/limits';
import { fitSecurityGroupDescriptions } from '../private/path-texts';
import { checkServiceNameUnique } from '../private/service-name-twins';
import { isDuration, ValidationErrors } from '../private/validation';

const PHASE_TIMINGS: { readonly [phase in McpProbePhase]: CanaryPhase } = {
  [McpProbePhase.CONNECT]: 'connectMs',
  [McpProbePhase.TLS]: 'tlsMs',
  [McpProbePhase.HANDSHAKE]: 'handshakeMs',
  [McpProbePhase.TOOLS_LIST]: 'toolsListMs',
  [McpProbePhase.TOOL_CALL]: 'toolCallMs',
};

/** Properties of an {@link McpCanary}. */
export interface McpCanaryProps {
  /**
   * The MCP endpoint to probe, e.g. `https://abc.lambda-url.us-east-1.on.aws/mcp`. Tokens are
   * allowed (a Function URL, a load balancer DNS name).
   */
  readonly url: string;

  /**
   * The name of the monitored service: the value of the `ServiceName` metric dimension. 1 to 255
   * letters, digits, spaces or `. _ - # :`, no leading or trailing space. Never the URL
   * (dimensions must stay low cardinality and free of secrets).
   * Unique in the account and Region per `metricNamespace`: two services or canaries with one
   * name write the same probe metrics and fire each other's alarms. Synth fails on such a pair in
   * one app and environment, and warns (`cdk-mcp:serviceNameNotUnique`) for two
   * environment-agnostic stacks of one stage; stacks of other apps are out of its sight.
   */
  readonly serviceName: string;

  /**
   * When to probe.
   *
   * @default events.Schedule.rate(Duration.minutes(1))
   */
  readonly schedule?: events.Schedule;

  /**
   * How long one probe may take before it counts as a `TIMEOUT` failure. The default sits just
   * under API Gateway's 29 s integration timeout, so a slow cold start shows as the probe's own
   * timeout and not as a 504. The canary function's timeout is the deadline plus 10 seconds.
   *
   * @default Duration.seconds(28)
   */
  readonly deadline?: Duration;

  /**
   * Tool names that must be listed by `tools/list`; a missing one fails the probe with `MISSING_TOOLS`.
   *
   * @default - any non-empty tool list passes
   */
  readonly expectedTools?: string[];

  /**
   * The expected hash of the tool schemas, as printed by `mcp-probe` (`sha256:`, optional, then 16
   * to 64 hex digits: a prefix of the digest); a different hash fails the probe with `SCHEMA_DRIFT`.
   *
   * @default - schemas are not compared
   */
  readonly expectedToolsHash?: string;

  /**
   * A read-only tool to call on every run (`tools/call`), to test the server end to end. It must
   * have no side effects: it runs once per schedule tick, forever.
   *
   * @default - no tool is called
   */
  readonly sentinelTool?: string;

  /**
   * The arguments of the sentinel tool call, as a JSON object string, e.g. `'{"city":"Paris"}'`.
   *
   * @default '{}'
   */
  readonly sentinelToolArguments?: string;

  /**
   * The MCP transport to speak.
   *
   * @default McpTransport.AUTO
   */
  readonly transport?: McpTransport;

  /**
   * Extra, non-secret request headers (they are stored in the function's environment). A name is
   * an HTTP header name (an RFC 9110 token: letters, digits and ``! # $ % & ' * + - . ^ _ ` | ~``),
   * a value one line. Use `auth` for credentials: `Authorization`, names that look like
   * credentials (`X-Api-Key`, `...Token...`, `Cookie`, ...) and the headers the probe sets itself
   * (`Content-Type`, `Accept`, `Host`, `Mcp-Session-Id`, ...) are rejected.
   *
   * @default - no extra headers
   */
  readonly headers?: { [name: string]: string };

  /**
   * How the canary authenticates.
   *
   * @default McpCanaryAuth.none()
   */
  readonly auth?: McpCanaryAuth;

  /**
   * The origin behind the front door at `url` (the Function URL behind API Gateway, the Web
   * Function endpoint or load balancer behind CloudFront), with the rules of `url`. When the
   * probe of `url` fails, the canary probes the origin too, and its log line says which side
   * broke (`FailedSide`: `front-door` when the origin answers or AWS WAF blocked the probe,
   * `origin` when the origin fails too), publishes `OriginProbeSuccess` and, when the front door
   * is the side, `FrontDoorFailures`. Both probes share `deadline`: the front door's may take two
   * thirds of it, the origin's what is left (all of it but the front door's time when that one
   * fails fast). The deploy gate probes the origin after a failed deployment likewise.
   *
   * @default - the origin is not probed
   */
  readonly originUrl?: string;

  /**
   * How the canary authenticates to `originUrl`: an origin behind CloudFront or API Gateway is
   * often IAM-only (`McpCanaryAuth.sigV4(functionUrl)`, `sigV4ForWebFunction(endpoint)`) while
   * the front door is public. Granted like `auth` (secret read, `lambda:InvokeFunctionUrl`,
   * `lambda:InvokeWebFunctionEndpoint`). Only with `originUrl`.
   *
   * @default - the origin is probed with `auth`
   */
  readonly originAuth?: McpCanaryAuth;

  /**
   * The VPC to run the canary in, to probe a private endpoint.
   *
   * @default - not in a VPC (the endpoint must be reachable from the internet)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where to place the canary in `vpc`. Only with `vpc`.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the canary in `vpc`. Only with `vpc`.
   *
   * @default - a new security group with all outbound traffic allowed
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The CloudWatch namespace of the probe metrics: 1 to 255 letters, digits, spaces or
   * `. _ - / # :`, no leading or trailing space, not starting with `AWS/`.
   *
   * @default 'MCP'
   */
  readonly metricNamespace?: string;

  /**
   * Also publish the phase latencies (`ConnectLatency` ... `ToolCallLatency`), `ToolCount` and
   * `CertDaysRemaining` as metrics. They are always in the canary's log line for Logs Insights;
   * as metrics they cost $0.30 a month each (CloudWatch custom metrics).
   *
   * @default false
   */
  readonly detailedMetrics?: boolean;

  /**
   * Fail the probe (`TLS_ERROR`) when the https certificate expires in fewer whole days than
   * this, so the probe alarm pages before clients see an expired certificate. 1 to 365.
   *
   * @default - no check (the service constructs set 14 for https URLs)
   */
  readonly minCertificateDays?: number;

  /**
   * A KMS key to encrypt the canary's log group with. The construct adds the key policy statement
   * CloudWatch Logs needs (principal `logs.<region>.amazonaws.com`); for an imported key it warns
   * (`cdk-mcp:logKeyPolicyNotModified`) with the statement to add.
   *
   * @default - encrypted with CloudWatch Logs' own key
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * Retention of the canary's own log group (one line per run).
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Whether the schedule is enabled. A disabled canary writes no metrics: its success alarm,
   * which treats missing data as breaching, fires.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/** Header names `headers` cannot set: the probe's own, and `Authorization`, which belongs to `auth`. */
const RESERVED_HEADERS: { readonly [lowerCaseName: string]: string } = {
  ...PROBE_HEADERS,
  authorization: 'use the `auth` prop (McpCanaryAuth.bearerTokenFromSecret or McpCanaryAuth.sigV4) so no credential lands in the template',
};

/**
 * A scheduled MCP protocol probe of one endpoint: an EventBridge rule invokes a small Lambda
 * function that speaks MCP to the URL (handshake, `tools/list`, an optional sentinel
 * `tools/call`) and writes one Embedded Metric Format log line per run. No CloudWatch API call,
 * no `cloudwatch:PutMetricData` permission.
 *
 * Usable alone for any MCP URL; every service construct of this library attaches one. It is the
 * probe and its metrics only: no alarm, topic or `alarmEmails`. For alarms and notifications
 * (e-mail, or Slack and Teams through AWS Chatbot on its topic) use `McpServiceMonitoring`, which
 * creates this canary, its alarms, a composite health alarm and the topic for any URL.
 */
export class McpCanary extends Construct {
  /** The canary function. */
  public readonly function: lambda.IFunction;

  /** The canary function's log group (one EMF line per run, plus Lambda's platform records). */
  public readonly logGroup: logs.ILogGroup;

  /** The EventBridge rule that invokes the canary on its schedule. */
  public readonly rule: events.Rule;

  /** The canary function's execution role. */
  public readonly role: iam.IRole;

  /** The `ServiceName` dimension of the probe metrics. */
  public readonly serviceName: string;

  /** The CloudWatch namespace of the probe metrics. */
  public readonly metricNamespace: string;

  /** The probe deadline. */
  public readonly deadline: Duration;

  /** The origin the canary probes after a failed probe of `url`, when one is configured. */
  public readonly originUrl?: string;

  private readonly probeProps: McpCanaryProps & { readonly deadline: Duration; readonly metricNamespace: string; readonly auth: McpCanaryAuth };

  constructor(scope: Construct, id: string, props: McpCanaryProps) {
    super(scope, id);

    const deadline = props.deadline ?? Duration.seconds(28);
    const metricNamespace = props.metricNamespace ?? DEFAULT_METRIC_NAMESPACE;
    const auth = props.auth ?? McpCanaryAuth.none();
    this.validate(props, deadline, metricNamespace);

    this.serviceName = props.serviceName;
    this.metricNamespace = metricNamespace;
    this.deadline = deadline;
    this.originUrl = props.originUrl;
    const twins = new ValidationErrors('McpCanary', this);
    checkServiceNameUnique(this, this, (c) => c instanceof McpCanary
      && c.serviceName === this.serviceName && c.metricNamespace === this.metricNamespace, twins, 'canaries');
    twins.throwIfAny();
    const timeout = Duration.seconds(Math.ceil(deadline.toSeconds({ integral: false })) + CANARY_TIMEOUT_MARGIN_SECONDS);

    const { logGroup, role } = createFunctionLogs(this, {
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
      roleDescription: 'Execution role of an MCP canary: writes its own log group, reads its auth secret if any',
    });
    this.logGroup = logGroup;
    if (props.vpc) {
      grantVpcNetworkInterfaces(role);
    }
    this.role = role;

    this.probeProps = { ...props, deadline, metricNamespace, auth };
    const environment = this._probeEnvironment(role);
    assertEnvironmentFits(this, environment);

    const fn = new lambda.Function(this, 'Function', {
      description: 'MCP protocol canary: probes one MCP endpoint and writes one EMF metrics line per run',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'lambda', 'canary', 'handler')),
      handler: 'index.handler',
      // The latest Node.js runtime (cdk-nag AwsSolutions-L1); the bundle targets Node.js 22 and runs unchanged on it.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      role,
      environment,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // No reserved concurrency: Lambda refuses reservations that leave fewer than 10 unreserved,
      // which breaks deploys on new accounts. The deadline-below-schedule check and the
      // no-retry, one-minute-max-age target keep runs from piling up instead.
      // A failed or throttled run is not retried: the next tick is the retry, and a stale probe measures nothing.
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
    });
    // The role's policy must exist before the function: Lambda checks VPC permissions on create.
    fn.node.addDependency(role);
    // In a VPC, Lambda names the group it creates after the path: cut under a deep path.
    fitSecurityGroupDescriptions(fn);
    this.function = fn;

    const schedule = props.schedule ?? events.Schedule.rate(Duration.minutes(1));
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Invokes the MCP canary',
      schedule,
      enabled: props.enabled ?? true,
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 0 })],
    });

    const everyMinutes = scheduleIntervalMinutes(schedule.expressionString);
    if (everyMinutes !== undefined && timeout.toSeconds({ integral: false }) > everyMinutes * 60) {
      Annotations.of(this).addWarningV2('cdk-mcp:canaryRunsOverlapSchedule',
        `McpCanary: the canary may run for up to ${timeout.toSeconds()} s (deadline ${deadline.toSeconds({ integral: false })} s + ${CANARY_TIMEOUT_MARGIN_SECONDS} s) `
        + `but is scheduled ${everyMinutes === 1 ? 'every minute' : `as often as every ${everyMinutes} min`} (${schedule.expressionString}); overlapping runs probe the same endpoint twice and skew its latency. Shorten \`deadline\` or lengthen \`schedule\`.`);
    }
    warnSecretOverPlainHttp(this, auth, props.url);
    if (props.originUrl !== undefined) {
      warnSecretOverPlainHttp(this, props.originAuth ?? auth, props.originUrl);
    }
  }

  /**
   * The environment that configures a probe exactly as this canary's: target, expectations,
   * headers and auth (granting `grantee` what the auth needs). The deploy gate runs with it.
   *
   * @internal
   */
  public _probeEnvironment(grantee: iam.IGrantable): { [key: string]: string } {
    const props = this.probeProps;
    const environment: { [key: string]: string } = {
      [CANARY_ENV.URL]: props.url,
      [CANARY_ENV.SERVICE_NAME]: props.serviceName,
      [CANARY_ENV.METRIC_NAMESPACE]: props.metricNamespace,
      [CANARY_ENV.DEADLINE_MS]: String(props.deadline.toMilliseconds()),
      [CANARY_ENV.TRANSPORT]: props.transport ?? McpTransport.AUTO,
      ...props.auth._bind(grantee),
    };
    if (props.originUrl !== undefined) {
      environment[CANARY_ENV.ORIGIN_URL] = props.originUrl;
      // The origin's own auth under the origin's variable names; without one, the handler uses `auth`.
      for (const [name, value] of Object.entries(props.originAuth?._bind(grantee) ?? {})) {
        environment[originAuthVariable(name)] = value;
      }
    }
    if (props.expectedTools && props.expectedTools.length > 0) {
      environment[CANARY_ENV.EXPECTED_TOOLS] = toJson(this, props.expectedTools);
    }
    if (props.expectedToolsHash !== undefined) {
      environment[CANARY_ENV.EXPECTED_TOOLS_HASH] = props.expectedToolsHash;
    }
    if (props.sentinelTool !== undefined) {
      environment[CANARY_ENV.SENTINEL_TOOL] = props.sentinelTool;
      environment[CANARY_ENV.SENTINEL_TOOL_ARGUMENTS] = props.sentinelToolArguments ?? '{}';
    }
    if (props.headers && Object.keys(props.headers).length > 0) {
      environment[CANARY_ENV.HEADERS] = toJson(this, props.headers);
    }
    if (props.detailedMetrics) {
      environment[CANARY_ENV.DETAILED_METRICS] = 'true';
    }
    if (props.minCertificateDays !== undefined) {
      environment[CANARY_ENV.MIN_CERT_DAYS] = String(props.minCertificateDays);
    }

    return environment;
  }

  /**
   * Where the canary runs (VPC, subnets, security groups), for functions that probe like it.
   *
   * @internal
   */
  public get _vpcPlacement(): { vpc?: ec2.IVpc; vpcSubnets?: ec2.SubnetSelection; securityGroups?: ec2.ISecurityGroup[] } {
    const { vpc, vpcSubnets, securityGroups } = this.probeProps;
    return { vpc, vpcSubnets, securityGroups };
  }

  /**
   * A metric of this canary, dimensioned by `ServiceName`.
   *
   * @param metricName one of the canary's EMF metric names, e.g. `ProbeSuccess`
   * @default - statistic Average, period 1 minute
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return probeMetric(this.metricNamespace, this.serviceName, metricName, props);
  }

  /**
   * 1 when a probe passed, 0 when it failed. The Average over a period is the availability seen
   * by clients; a period with no datapoint means the canary did not run.
   *
   * @default - statistic Average, period 1 minute
   */
  public metricProbeSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(CANARY_METRICS.PROBE_SUCCESS, props);
  }

  /**
   * The total duration of a probe, in milliseconds (failed probes included).
   *
   * @default - statistic p90, period 1 minute
   */
  public metricProbeLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(CANARY_METRICS.PROBE_LATENCY, { statistic: cloudwatch.Stats.p(90), ...props });
  }

  /**
   * The duration of one phase of a probe, in milliseconds. A phase that did not run (TLS on http,
   * the tool call without a sentinel tool, anything after the failing step) has no datapoint.
   *
   * @default - statistic p90, period 1 minute
   */
  public metricPhaseLatency(phase: McpProbePhase, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(CANARY_PHASE_METRICS[PHASE_TIMINGS[phase]], { statistic: cloudwatch.Stats.p(90), ...props });
  }

  /**
   * The number of tools the server listed.
   *
   * @default - statistic Minimum, period 1 minute
   */
  public metricToolCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(CANARY_METRICS.TOOL_COUNT, { statistic: cloudwatch.Stats.MINIMUM, ...props });
  }

  /**
   * Days until the endpoint's TLS certificate expires (https targets only).
   *
   * @default - statistic Minimum, period 1 hour
   */
  public metricCertDaysRemaining(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(CANARY_METRICS.CERT_DAYS_REMAINING, {
      statistic: cloudwatch.Stats.MINIMUM,
      period: Duration.hours(1),
      ...props,
    });
  }

  /**
   * 1 when the probe of the origin (`originUrl`) passed, 0 when it failed. The origin is probed
   * only after a failed probe of `url`, so a period without a datapoint is a period in which the
   * front door passed (or no origin is configured).
   *
   * @default - statistic Average, period 1 minute
   */
  public metricOriginProbeSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(CANARY_METRICS.ORIGIN_PROBE_SUCCESS, props);
  }

  /**
   * Runs whose failed side is the front door: the probe of `url` failed while the origin passed,
   * or AWS WAF blocked it. Published only then.
   *
   * @default - statistic Sum, period 1 minute
   */
  public metricFrontDoorFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(CANARY_METRICS.FRONT_DOOR_FAILURES, { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * Failed probes: all of them, or those of one failure class (`props.failureClass`: `TIMEOUT`,
   * `GATEWAY_TIMEOUT`, `TOOL_CREDENTIALS`, ... as named by the probe and `mcp-probe`).
   *
   * @default - statistic Sum, period 1 minute, all failure classes
   */
  public metricProbeFailures(props?: McpProbeFailuresMetricOptions): cloudwatch.Metric {
    return probeFailuresMetric(this.metricNamespace, this.serviceName, props);
  }


  private validate(props: McpCanaryProps, deadline: Duration, metricNamespace: string): void {
    const errors = new ValidationErrors('McpCanary', this);
    errors.metricServiceName('serviceName', props.serviceName);
    errors.metricNamespace('metricNamespace', metricNamespace);
    checkUrl(errors, 'url', props.url);
    if (props.originUrl !== undefined) {
      checkUrl(errors, 'originUrl', props.originUrl);
      errors.check('cdk-mcp:originUrlSameAsUrl', Token.isUnresolved(props.originUrl) || Token.isUnresolved(props.url) || props.originUrl !== props.url,
        `originUrl is "${props.originUrl}", the same as url: the origin is what stands behind the front door at url. Give the origin's own URL (the Function URL, the endpoint, the load balancer), or remove originUrl.`);
    }
    errors.check('cdk-mcp:originAuthWithoutOriginUrl', props.originAuth === undefined || props.originUrl !== undefined,
      'originAuth is set but originUrl is not: originAuth is how the canary reaches the origin. Give originUrl, or remove originAuth.');

    const maxDeadline = LAMBDA_MAX_TIMEOUT_SECONDS - CANARY_TIMEOUT_MARGIN_SECONDS;
    errors.durationInRange('deadline', deadline, Duration.seconds(1), Duration.seconds(maxDeadline),
      { why: `Lambda's 15 minutes minus the canary's ${CANARY_TIMEOUT_MARGIN_SECONDS} s margin` });
    errors.check('cdk-mcp:deadlineToken', !isDuration(deadline) || !deadline.isUnresolved(),
      'deadline is a token; the canary\'s Lambda timeout is derived from it at synth time. Pass a concrete Duration, e.g. Duration.seconds(28).');

    for (const [i, tool] of (props.expectedTools ?? []).entries()) {
      errors.check('cdk-mcp:expectedToolEmpty', Token.isUnresolved(tool) || tool.trim() !== '',
        `expectedTools[${i}] is empty ("${tool}"): list tool names as the server registers them.`);
    }
    const hash = props.expectedToolsHash;
    errors.check('cdk-mcp:expectedToolsHashFormat', hash === undefined || Token.isUnresolved(hash) || isToolsHash(hash),
      `expectedToolsHash is "${hash}", which is not a tools hash: use ${TOOLS_HASH_FORMAT_DESCRIPTION} as toolsHash.`);

    const sentinel = props.sentinelTool;
    errors.check('cdk-mcp:sentinelToolEmpty', sentinel === undefined || Token.isUnresolved(sentinel) || sentinel.trim() !== '',
      `sentinelTool is empty ("${sentinel}"): name a read-only tool, or omit it.`);
    if (props.sentinelToolArguments !== undefined) {
      errors.check('cdk-mcp:sentinelArgumentsWithoutTool', sentinel !== undefined,
        'sentinelToolArguments is set but sentinelTool is not: name the tool to call, or remove sentinelToolArguments.');
      checkJsonObject(errors, 'sentinelToolArguments', props.sentinelToolArguments);
    }

    for (const [name, value] of Object.entries(props.headers ?? {})) {
      if (checkHeaderName(errors, 'headers key', name, RESERVED_HEADERS)) {
        errors.check('cdk-mcp:credentialHeader', !SECRET_HEADER_NAME.test(name), `headers sets "${name}", which looks like a credential: headers are stored in plain text in the template and the function's environment. `
          + `Store the value in Secrets Manager and use \`auth: McpCanaryAuth.headerFromSecret('${name}', secret)\`.`);
      }
      errors.check('cdk-mcp:headerValueLineBreak', Token.isUnresolved(value) || !/[\r\n\0]/.test(value),
        `headers["${name}"] contains a line break or NUL (got ${JSON.stringify(value)}): header values must be single-line.`);
    }

    errors.check('cdk-mcp:vpcPlacementWithoutVpc', props.vpc !== undefined || (props.vpcSubnets === undefined && (props.securityGroups ?? []).length === 0),
      'vpcSubnets or securityGroups is set without vpc: pass the VPC that holds them, or remove them.');
    errors.integerInRange('minCertificateDays', props.minCertificateDays, 1, 365, 'days');
    errors.throwIfAny();
  }
}

/** JSON of a prop value: plain when it holds no token, else resolved at synth. */
function toJson(scope: Construct, value: unknown): string {
  const json = JSON.stringify(value);
  return Token.isUnresolved(json) ? Stack.of(scope).toJsonString(value) : json;
}

/** Fails at synth when the configuration cannot fit in a Lambda environment (it would fail at deploy). */
function assertEnvironmentFits(scope: Construct, environment: { [key: string]: string }): void {
  const errors = new ValidationErrors('McpCanary', scope);
  checkEnvironmentSize(errors, 'the canary\'s configuration (its environment variables)', environment,
    'Shorten `headers`, `expectedTools` or `sentinelToolArguments` (use `expectedToolsHash` to pin a long tool list).');
  errors.throwIfAny();
}

/**
 * Header names that carry credentials: API keys, tokens, secrets, passwords, cookies, the
 * `X-Auth...` family and proxy credentials.
 */
const SECRET_HEADER_NAME = /(api[-_]?key|token|secret|passw(or)?d|cookie|^x-auth|^proxy-authorization$|credential|signature|session-key)/i;

/** Query parameter names that carry credentials (API keys, tokens, signatures, passwords). */
const SECRET_QUERY_NAME = /^(api[-_]?key|apikey|key|token|access[-_]?token|id[-_]?token|auth|auth[-_]?token|secret|client[-_]?secret|password|passwd|signature|sig|x-amz-signature|x-amz-credential|x-amz-security-token|code)$/i;

/** Warns when a secret (bearer token, secret header) would be sent over plain http. */
function warnSecretOverPlainHttp(scope: Construct, auth: McpCanaryAuth, url: string): void {
  if ((auth._mode === 'bearer-secret' || auth._mode === 'header-secret') && !Token.isUnresolved(url) && url.startsWith('http://')) {
    Annotations.of(scope).addWarningV2('cdk-mcp:canaryBearerOverPlainHttp',
      `McpCanary: the ${auth._mode === 'bearer-secret' ? 'bearer token' : 'secret header'} is sent in clear text to ${url}. Use an https URL.`);
  }
}

/** A URL the canary probes (`url`, `originUrl`): absolute http(s), no credentials in it. Tokens are not checked. */
function checkUrl(errors: ValidationErrors, propName: string, url: string): void {
  if (Token.isUnresolved(url)) {
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    errors.check('cdk-mcp:urlFormat', false, `${propName} is "${url}", which is not an absolute URL: use e.g. https://example.com/mcp.`);
    return;
  }
  errors.check('cdk-mcp:urlScheme', parsed.protocol === 'https:' || parsed.protocol === 'http:',
    `${propName} is "${url}": the scheme must be https (or http for a private endpoint), e.g. https://example.com/mcp.`);
  // The messages name the credentials, never their values.
  errors.check('cdk-mcp:urlCredentials', parsed.username === '' && parsed.password === '',
    `${propName} carries credentials (user:password@): remove them and use the auth prop.`);
  const secretParameters = [...new Set([...parsed.searchParams.keys()].filter((name) => SECRET_QUERY_NAME.test(name)))];
  errors.check('cdk-mcp:urlSecretQuery', secretParameters.length === 0,
    `${propName} has the query parameter(s) ${secretParameters.join(', ')}, which look like credentials: the URL is stored in plain text in the template and the function's environment. `
      + 'Remove them, store the key in Secrets Manager and send it in a header: `auth: McpCanaryAuth.headerFromSecret(\'X-Api-Key\', secret)` '
      + '(or McpCanaryAuth.bearerTokenFromSecret for an Authorization: Bearer token).');
}

/** A prop that holds a JSON object (tool arguments). Tokens are not checked. */
function checkJsonObject(errors: ValidationErrors, propName: string, text: string): void {
  if (Token.isUnresolved(text)) {
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    errors.check('cdk-mcp:toolArgumentsJson', false, `${propName} is not valid JSON (${(e as Error).message}): pass a JSON object string such as '{"city":"Paris"}'.`);
    return;
  }
  errors.check('cdk-mcp:toolArgumentsNotObject', typeof value === 'object' && value !== null && !Array.isArray(value),
    `${propName} is ${text}: tool arguments must be a JSON object such as '{"city":"Paris"}'.`);
}
