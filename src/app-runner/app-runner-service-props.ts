import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { McpAppRunnerAlarmOptions } from './app-runner-alarms';
import { McpAppRunnerImage, McpAppRunnerSecret } from './app-runner-source';
import { McpFrontDoorOptions } from '../front-door/front-door-options';
import { McpMonitoringOptions } from '../monitoring/options';
import { McpServiceBaseProps, McpSessionMode } from '../service';

/** Properties of the App Runner service that runs the MCP server. */
export interface McpAppRunnerServiceOptions {
  /**
   * The port the server listens on inside the container. The construct sets `PORT` to it.
   *
   * @default 8080
   */
  readonly port?: number;

  /**
   * The path of the MCP endpoint on the server; `url` points at it.
   *
   * @default '/mcp'
   */
  readonly mcpPath?: string;

  /**
   * The path App Runner's HTTP health check requests. It must answer 200 without MCP headers, so
   * it must not be the MCP path (a GET there answers 405 or 406).
   *
   * @default '/healthz'
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/manage-configure-healthcheck.html
   */
  readonly healthCheckPath?: string;

  /**
   * Time between health checks, 1 to 20 seconds.
   *
   * @default Duration.seconds(10)
   */
  readonly healthCheckInterval?: Duration;

  /**
   * How long a health check may take before it fails, 1 to 20 seconds.
   *
   * @default Duration.seconds(5)
   */
  readonly healthCheckTimeout?: Duration;

  /**
   * Consecutive passing checks before an instance counts as healthy, 1 to 20.
   *
   * @default 1
   */
  readonly healthCheckHealthyThreshold?: number;

  /**
   * Consecutive failing checks before an instance is replaced, 1 to 20.
   *
   * @default 3
   */
  readonly healthCheckUnhealthyThreshold?: number;

  /**
   * CPU units of each instance (1024 = 1 vCPU): 256, 512, 1024, 2048 or 4096. Together with
   * `memoryLimitMiB` it must form an App Runner instance size (0.25 vCPU: 512 or 1024 MiB;
   * 0.5 vCPU: 1024; 1 vCPU: 2048, 3072 or 4096; 2 vCPU: 4096 or 6144; 4 vCPU: 8192, 10240 or
   * 12288); anything else is a synth-time error.
   *
   * @default 1024
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/architecture.html
   */
  readonly cpu?: number;

  /**
   * Memory of each instance in MiB (see `cpu` for the valid combinations).
   *
   * @default 2048
   */
  readonly memoryLimitMiB?: number;

  /**
   * Instances App Runner keeps provisioned (idle ones are billed for memory only), 1 to 25.
   *
   * @default 1
   */
  readonly minInstances?: number;

  /**
   * The most instances App Runner scales out to, at least `minInstances`. App Runner's default
   * quota allows 25 per service (adjustable). Must be 1 for a `McpSessionMode.STATEFUL` server.
   *
   * @default 25
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/manage-autoscaling.html
   */
  readonly maxInstances?: number;

  /**
   * Concurrent requests per instance above which App Runner adds an instance, 1 to 200. A
   * long-running MCP request (an SSE stream, a slow tool call) holds its slot until it ends.
   *
   * @default 100
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/manage-autoscaling.html
   */
  readonly maxConcurrency?: number;

  /**
   * How the server keeps state. App Runner has no session affinity: with more than one instance,
   * a legacy session's requests land on instances that never saw it and clients get intermittent
   * 404 "Session not found". `STATEFUL` is therefore a synth-time error unless `maxInstances` is
   * 1, and it raises the acknowledgeable warning `cdk-mcp:appRunnerStatefulSessions` (every
   * deployment and instance replacement drops all sessions; the 120 s request cap cuts a
   * session's GET stream). Prefer a stateless server.
   *
   * @default McpSessionMode.STATELESS
   */
  readonly sessionMode?: McpSessionMode;

  /**
   * Plain, non-secret configuration for the server. Never put secrets here: use `secrets`.
   *
   * @default - only `PORT`
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets the server reads from its environment, resolved by App Runner from Secrets Manager or
   * Systems Manager Parameter Store when an instance starts (runtime environment secrets). The
   * instance role gets read access to each.
   *
   * @default - no secrets
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/env-variable.html
   */
  readonly secrets?: { [name: string]: McpAppRunnerSecret };

  /**
   * A command that overrides the image's start command.
   *
   * @default - the image's CMD/ENTRYPOINT
   */
  readonly startCommand?: string;

  /**
   * The role the server runs with (assumed by `tasks.apprunner.amazonaws.com`): what its tools may
   * call in AWS. Extend it with `grantPrincipal` / `addToRolePolicy`.
   *
   * @default - a new role with no permissions beyond reading `secrets` (and writing X-Ray traces
   * when `tracing` is on)
   */
  readonly instanceRole?: iam.IRole;

  /**
   * A VPC for the server's outbound traffic, to reach private resources (databases, internal
   * APIs) through a VPC connector. All outbound traffic then goes through the VPC: the server
   * reaches the internet (and AWS APIs) only through a NAT gateway or VPC endpoints there.
   * Inbound traffic still comes through the public App Runner URL.
   *
   * @default - no VPC connector; outbound traffic goes straight to the internet
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/network-vpc.html
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of the VPC connector (only with `vpc`).
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the VPC connector (only with `vpc`).
   *
   * @default - a new security group that allows all outbound traffic (see `allowAllOutbound`)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Let the server send traffic anywhere through the VPC connector's new security group (only
   * with `vpc` and without `securityGroups`). With `false` it allows outbound HTTPS (TCP 443)
   * only, what AWS APIs use; App Runner pulls the image and reads the secrets itself, outside
   * the connector. Open other destinations through `connections`
   * (`db.connections.allowDefaultPortFrom(service.connections!)` adds the egress rule too). DNS
   * through the VPC resolver is never filtered by security groups.
   *
   * @default true
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/network-vpc.html
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
   */
  readonly allowAllOutbound?: boolean;

  /**
   * AWS X-Ray tracing through App Runner's observability configuration. The server must emit
   * traces with the AWS Distro for OpenTelemetry; the instance role may write them.
   *
   * @default false
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/monitor-xray.html
   */
  readonly tracing?: boolean;

  /**
   * A name for the App Runner service (4 to 40 letters, digits, `-`, `_`, starting with a letter
   * or digit), unique in the account
   * and region (App Runner requires it), also the `ServiceName` of the probe metrics: a canary
   * elsewhere with this name in the same account, Region and `metricNamespace` would write the
   * same probe metrics and fire this service's alarms. Synth fails on such a pair in one app and
   * environment, and warns (`cdk-mcp:serviceNameNotUnique`) for two environment-agnostic stacks
   * of one stage; stacks of other apps are out of its sight.
   *
   * @default - a name generated by CloudFormation
   */
  readonly serviceName?: string;
}

/**
 * Properties for `McpAppRunnerService`.
 *
 * Monitoring (`McpMonitoringOptions`) is on by default: an `McpCanary` probes `url` over MCP, and
 * the App Runner platform alarms (`McpAppRunnerAlarmOptions`) join the composite service-health
 * alarm. `credentialErrorsAlarm` does not apply: App Runner creates the server's log groups
 * itself, named after the service ID, after the service exists, so no metric filter is attached.
 *
 * The front door (`McpFrontDoorOptions`): `domainName` with `domainZone` associates the domain
 * with the service (App Runner's `AssociateCustomDomain`, through a custom resource), writes App
 * Runner's certificate-validation records and a CNAME to the service in the zone, and waits up
 * to 45 minutes for the domain to be active; `url` is then `https://<domainName><mcpPath>`, and
 * the canary probes it and, after a failure, the service's default URL. App Runner issues the
 * domain's certificate itself, so `certificate` is an error, and so is `domainName` without
 * `domainZone`. `webAcl` (scope `REGIONAL`) is associated with the service.
 */
export interface McpAppRunnerServiceProps
  extends McpAppRunnerServiceOptions, McpServiceBaseProps, McpMonitoringOptions, McpAppRunnerAlarmOptions, McpFrontDoorOptions {
  /** The server's container image. */
  readonly image: McpAppRunnerImage;
}
