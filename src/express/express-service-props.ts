import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { McpExpressAlarmOptions } from './express-alarms';
import { McpFrontDoorOptions } from '../front-door/front-door-options';
import { McpMonitoringOptions } from '../monitoring/options';
import { McpServiceBaseProps, McpSessionMode } from '../service';

/**
 * The metric Express Mode's target-tracking auto scaling follows. The values are the ones the
 * ECS API accepts for `ExpressGatewayScalingTarget.autoScalingMetric`.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExpressGatewayScalingTarget.html
 */
export enum McpExpressScalingMetric {
  /**
   * `REQUEST_COUNT_PER_TARGET` (`ALBRequestCountPerTarget`): requests per task per minute.
   * Follows MCP traffic directly, including I/O-bound tool calls that keep CPU low.
   */
  REQUEST_COUNT = 'REQUEST_COUNT_PER_TARGET',

  /** `AVERAGE_CPU`: the service's average CPU utilization, in percent. For CPU-bound tools. */
  CPU_UTILIZATION = 'AVERAGE_CPU',

  /** `AVERAGE_MEMORY`: the service's average memory utilization, in percent. */
  MEMORY_UTILIZATION = 'AVERAGE_MEMORY',
}

/**
 * Properties for `McpExpressService`.
 *
 * With `domainName` or `webAcl` the service stands behind a CloudFront distribution (Express Mode
 * has no custom domain or web ACL input): `url` is the distribution's, and the Express URL stays
 * reachable directly, bypassing the web ACL. See docs/express.md, "Custom domain and WAF".
 */
export interface McpExpressServiceProps extends McpServiceBaseProps, McpMonitoringOptions, McpExpressAlarmOptions, McpFrontDoorOptions {
  /**
   * The server's container image: `ecs.ContainerImage.fromAsset(dir, { platform })` (built and
   * pushed at deploy time; set `platform`, Express Mode runs x86_64 tasks),
   * `fromEcrRepository(repo, tag)` or `fromRegistry(name)`. The image must serve `mcpPath` and
   * `healthCheckPath` on `containerPort`.
   */
  readonly image: ecs.ContainerImage;

  /**
   * The port the server listens on inside the container; the managed load balancer forwards
   * there. The construct sets `PORT` to it in the container's environment (a contradicting
   * `environment.PORT` is a synth error). A server with a fixed port: set this to it.
   *
   * @default 8080
   */
  readonly containerPort?: number;

  /**
   * The command the container runs instead of the image's `CMD`.
   *
   * @default - the image's command
   */
  readonly command?: string[];

  /**
   * CPU units of each task (1024 = 1 vCPU): 256, 512, 1024, 2048 or 4096.
   *
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Memory of each task in MiB; each `cpu` value allows a range of sizes (Fargate's pairs).
   *
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * Plain, non-secret configuration for the server. Never put secrets here: use `secrets`.
   *
   * @default - no variables
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets injected into the container as environment variables by ECS at task start
   * (`ecs.Secret.fromSecretsManager(secret, field?)` or `fromSsmParameter`). The values never
   * appear in the template; the execution role gets read access to exactly these.
   *
   * @default - no secrets
   */
  readonly secrets?: { [name: string]: ecs.Secret };

  /**
   * The role the server's code runs with. Grant it what the tools need (the service is itself
   * `iam.IGrantable`: `bucket.grantRead(service)`).
   *
   * @default - a new role with no permissions
   */
  readonly taskRole?: iam.IRole;

  /**
   * How long the server's logs are kept. Also how long the canary's and the deploy gate's logs
   * are kept, unless `canaryLogRetention` says otherwise, so one compliance setting covers every
   * log group of the service.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A KMS key to encrypt the server's log group with. Its key policy must let the CloudWatch Logs
   * service principal of the region use it.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * The Express service's name, also the `ServiceName` of the metrics: 1 to 255 letters, digits,
   * hyphens and underscores (ECS's rule). Changing it replaces the service (and its URL): the name is create-only.
   * Unique in the account and Region per `metricNamespace`: two services or canaries with one
   * name write the same probe metrics and fire each other's alarms. Synth fails on such a pair in
   * one app and environment, and warns (`cdk-mcp:serviceNameNotUnique`) for two
   * environment-agnostic stacks of one stage; stacks of other apps are out of its sight.
   *
   * @default - a name CloudFormation generates
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateExpressGatewayService.html
   */
  readonly serviceName?: string;

  /**
   * The VPC the tasks run in. A VPC you give keeps the tasks in its private subnets (an internal
   * endpoint) unless `publicEndpoint` or `taskSubnets` says otherwise, or the VPC has public
   * subnets only.
   *
   * @default - a new VPC with two Availability Zones and flow logs: for a public endpoint public
   * subnets only, without a NAT gateway (the tasks reach ECR through their public IPs); with
   * `publicEndpoint: false`, private subnets behind one NAT gateway as well
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where the tasks run. Express Mode puts its managed load balancer in the same subnets and takes
   * its scheme from them (its network configuration has only subnets and security groups): public
   * subnets make the endpoint internet-facing and give the tasks public IP addresses, private
   * subnets make it internal. Select one kind only; without `publicEndpoint` the kind selected
   * decides the endpoint.
   *
   * @default - public subnets for a public endpoint; otherwise the VPC's private subnets with egress
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-expressgatewayservice-expressgatewayservicenetworkconfiguration.html
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the tasks (at most five).
   *
   * @default - the security group Express Mode creates: the minimal ingress its load balancer needs, all outbound traffic
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Whether the endpoint faces the internet. `true` runs the tasks in public subnets, where they
   * get public IP addresses (Express Mode offers no setting to withhold them; its security group
   * admits only the load balancer), behind an internet-facing load balancer. `false` runs them in
   * private subnets behind an internal load balancer, and the canary runs inside the VPC.
   *
   * @default - true in the VPC the construct creates; with `vpc`, true only if `taskSubnets`
   * selects public subnets or the VPC has no other subnets
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-best-practices.html
   */
  readonly publicEndpoint?: boolean;

  /**
   * The path of the MCP endpoint on the server; `url` points at it.
   *
   * @default '/mcp'
   */
  readonly mcpPath?: string;

  /**
   * The path the managed load balancer's health check requests. It must answer 200 when the task
   * can serve, and must not be the MCP path. A server without `/healthz`: point this at a path it
   * answers without MCP headers.
   *
   * @default '/healthz'
   */
  readonly healthCheckPath?: string;

  /**
   * How the server keeps state. Express Mode's load balancer offers no session affinity, so a
   * stateful server may run one task only (use `McpFargateService` for stickiness).
   *
   * @default McpSessionMode.STATELESS
   */
  readonly sessionMode?: McpSessionMode;

  /**
   * The fewest tasks auto scaling keeps. With two or more, a deploy or the loss of one
   * Availability Zone never takes the server down.
   *
   * @default 2 (1 for a stateful server)
   */
  readonly minTaskCount?: number;

  /**
   * The most tasks auto scaling may run.
   *
   * @default - `minTaskCount` (a fixed number of tasks)
   */
  readonly maxTaskCount?: number;

  /**
   * What auto scaling tracks.
   *
   * @default McpExpressScalingMetric.REQUEST_COUNT
   */
  readonly scalingMetric?: McpExpressScalingMetric;

  /**
   * The target of `scalingMetric`: requests per task per minute for `REQUEST_COUNT`, percent for
   * CPU and memory.
   *
   * @default - 600 requests per task per minute, or 60 percent
   */
  readonly scalingTargetValue?: number;
}
