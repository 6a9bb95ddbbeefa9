import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  McpCertificateExpiryThreshold,
  McpCountThreshold,
  McpLatencyThreshold,
  McpProbeSuccessThreshold,
} from './thresholds';
import type { McpToolMetricsOptions } from './tool-metrics-options';
import { McpCanaryAuth } from '../canary/canary-auth';
import { McpTransport } from '../canary/canary-enums';

/**
 * Monitoring settings shared by every MCP service construct (Lambda, Fargate, App Runner): the
 * canary, its alarms, where alarms go, and the dashboard. Service props extend this interface.
 */
export interface McpMonitoringOptions {
  /**
   * Whether to probe the service with an {@link McpCanary}. Turning it off leaves the service
   * watched by platform signals only, which stay green while every client gets protocol errors;
   * it raises the acknowledgeable warning `cdk-mcp:canaryDisabled`.
   *
   * @default true
   */
  readonly canary?: boolean;

  /**
   * When the canary probes.
   *
   * @default events.Schedule.rate(Duration.minutes(1))
   */
  readonly canarySchedule?: events.Schedule;

  /**
   * The probe deadline (see {@link McpCanaryProps.deadline}).
   *
   * @default Duration.seconds(28)
   */
  readonly canaryDeadline?: Duration;

  /**
   * Tool names the canary requires in `tools/list`.
   *
   * @default - any non-empty tool list passes
   */
  readonly canaryExpectedTools?: string[];

  /**
   * The expected tool-schema hash, as printed by `mcp-probe`: `sha256:` (optional) followed by
   * 16 to 64 hex digits.
   *
   * @default - schemas are not compared
   */
  readonly canaryExpectedToolsHash?: string;

  /**
   * A read-only tool the canary calls on every run.
   *
   * @default - no tool is called
   */
  readonly canarySentinelTool?: string;

  /**
   * Arguments of the sentinel tool call, as a JSON object string.
   *
   * @default '{}'
   */
  readonly canarySentinelToolArguments?: string;

  /**
   * The MCP transport the canary speaks.
   *
   * @default McpTransport.AUTO
   */
  readonly canaryTransport?: McpTransport;

  /**
   * Extra, non-secret headers the canary sends, with the rules of `McpCanaryProps.headers`
   * (HTTP header names; no credentials and none of the headers the probe sets itself).
   *
   * @default - no extra headers
   */
  readonly canaryHeaders?: { [name: string]: string };

  /**
   * How the canary authenticates.
   *
   * @default - the service's own choice (none for a public endpoint)
   */
  readonly canaryAuth?: McpCanaryAuth;

  /**
   * The CloudWatch namespace of the probe metrics; log-derived metrics go to
   * `<metricNamespace>/<serviceName>`. 1 to 255 letters, digits, spaces or `. _ - / # :`, no
   * leading or trailing space, not starting with `AWS/`; with `/<serviceName>` at most 255
   * characters.
   *
   * @default 'MCP'
   */
  readonly metricNamespace?: string;

  /**
   * The topic the service-health alarm notifies.
   *
   * @default - a new topic that only accepts publishing over TLS, encrypted with a new KMS key
   * that CloudWatch may use
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * E-mail addresses to subscribe to the alarm topic (each must confirm the subscription).
   *
   * @default - no subscriptions
   */
  readonly alarmEmails?: string[];

  /**
   * A KMS key to encrypt the alarm topic the construct creates (SNS server-side encryption),
   * e.g. one key for every service of an account. The construct allows CloudWatch alarms to use
   * it (a key of this app; for an imported key, add the statement yourself: see the README).
   * Ignored when `alarmTopic` is given.
   *
   * @default - the topic is not encrypted at rest: alarm notifications carry alarm names, states
   * and metric values, no secrets, and a customer managed key costs $1 a month (the AWS managed
   * SNS key cannot be used by CloudWatch alarms)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly alarmTopicEncryptionKey?: kms.IKey;

  /**
   * An alarm that, while in ALARM, suppresses the service-health alarm's actions, instead of the
   * built-in maintenance-window alarm (`McpServiceMonitoring.maintenanceAlarm`).
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-suppression.html
   * @default - the service's maintenance-window alarm (open one with `mcp-probe maintenance start`)
   */
  readonly alarmActionsSuppressor?: cloudwatch.IAlarm;

  /**
   * Also publish the probe's phase latencies, tool count and certificate days as metrics (see
   * {@link McpCanaryProps.detailedMetrics}), graph them on the dashboard, and add the
   * `CertificateExpiring` alarm on `CertDaysRemaining`. Off, the certificate is still checked:
   * the probe fails with `TLS_ERROR` when it expires within `certificateExpiryAlarm.minDaysRemaining`.
   *
   * @default false
   */
  readonly canaryDetailedMetrics?: boolean;

  /**
   * How long the canary's (and the deploy gate's) logs are kept: one JSON line per probe.
   *
   * @default - the service's `logRetention` for the kinds that have one (Lambda, Web Function,
   * Fargate, Express), else logs.RetentionDays.ONE_MONTH
   */
  readonly canaryLogRetention?: logs.RetentionDays;

  /**
   * A KMS key to encrypt the canary's log group with (`McpCanaryProps.logEncryptionKey`).
   *
   * @default - encrypted with CloudWatch Logs' own key
   */
  readonly canaryLogEncryptionKey?: kms.IKey;

  /**
   * Probe the endpoint during every CloudFormation deployment of the service, after the new
   * version is live, with the canary's configuration and auth, retrying for up to
   * `deployGateTimeout`; when it does not pass, the deployment fails and CloudFormation rolls
   * the stack back. The gate opens a maintenance window while it runs, so deploy blips do not
   * page. Needs the canary (`canary: true`).
   *
   * @default false
   */
  readonly deployGate?: boolean;

  /**
   * How long the deploy gate keeps probing a new deployment before it fails it (cold starts,
   * task start-up and health checks included). Between 30 seconds and 13 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly deployGateTimeout?: Duration;

  /**
   * Whether to create a CloudWatch dashboard with the probe and platform metrics side by side
   * ($3 per dashboard per month beyond the free tier).
   *
   * @default false
   */
  readonly dashboard?: boolean;

  /**
   * The "probe failing" alarm on `ProbeSuccess`. Missing data is breaching: a canary that stopped
   * running is an outage of the monitor.
   *
   * @default - Average below 1 for 3 of 3 one-minute datapoints, missing data breaching
   */
  readonly probeFailureAlarm?: McpProbeSuccessThreshold;

  /**
   * The "probe slow" alarm on `ProbeLatency`.
   *
   * @default - p90 above 10 seconds for 3 of 3 five-minute datapoints, missing data not breaching
   */
  readonly probeLatencyAlarm?: McpLatencyThreshold;

  /**
   * When the https certificate counts as expiring. By default the probe itself fails
   * (`TLS_ERROR`, so the probe alarm pages) when it expires within `minDaysRemaining`; with
   * `canaryDetailedMetrics` a separate `CertificateExpiring` alarm on `CertDaysRemaining` is added
   * too. `enabled: false` turns both off. Only for https URLs.
   *
   * @default - the probe fails under 14 days; with detailed metrics also Minimum below 14 days for 1 of 1 one-hour datapoints
   */
  readonly certificateExpiryAlarm?: McpCertificateExpiryThreshold;

  /**
   * The alarm on the canary function's own errors (configuration errors such as an unreadable
   * secret, or bugs; a failing probe is not an error). Opt-in (`{ enabled: true }`): a canary run
   * that errors writes no `ProbeSuccess` datapoint, which the probe alarm already treats as
   * breaching; this alarm only tells "the canary is broken" apart from "the service is down".
   *
   * @default - not created; with `enabled: true`, Errors Sum above 0 for 1 of 1 fifteen-minute datapoints
   */
  readonly canaryErrorsAlarm?: McpCountThreshold;

  /**
   * The "front door failing" alarm on `FrontDoorFailures`: the front door (CloudFront, API
   * Gateway, AWS WAF, DNS, the custom domain's certificate) fails while the origin behind it
   * answers, or AWS WAF blocks the probe. Only when the canary probes an origin (a front door,
   * `canaryUrl`, `canaryProbesOrigin`). The probe alarm fires too; this one says where to look.
   *
   * @default - Sum above 0 for 3 of 3 one-minute datapoints, missing data not breaching
   */
  readonly frontDoorAlarm?: McpCountThreshold;

  /**
   * The alarm on AWS credential failures (`AccessDeniedException`, `ExpiredTokenException`,
   * "not authorized to perform", expired security tokens) in the server's logs, usually from tool
   * calls that use AWS SDKs. Only when the service has a log group.
   *
   * @default - matching log lines above 0 for 1 of 1 five-minute datapoints, missing data not breaching
   */
  readonly credentialErrorsAlarm?: McpCountThreshold;

  /**
   * Per-tool visibility from the request records the server writes (`docs/per-tool.md`): metric
   * filters on the server's log group for tool calls, server errors and duration, an alarm on the
   * error rate across all tools, Logs Insights saved queries, dashboard widgets; per-tool metrics
   * and Contributor Insights opt-in. Only for services with a log group.
   *
   * @default - on, with the defaults of {@link McpToolMetricsOptions}
   */
  readonly toolMetrics?: McpToolMetricsOptions;
}
