import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { McpFargateAlarmOptions } from './fargate-alarms';
import { McpFrontDoorOptions } from '../front-door/front-door-options';
import { McpMonitoringOptions } from '../monitoring/options';
import { McpServiceBaseProps, McpSessionMode } from '../service';

/** The metric that drives task auto scaling. */
export enum McpFargateScalingMetric {
  /**
   * `ALBRequestCountPerTarget`: requests per task per minute. Follows the MCP traffic directly,
   * including I/O-bound tool calls that keep CPU low.
   */
  REQUEST_COUNT = 'REQUEST_COUNT',

  /** The service's average CPU utilization. For CPU-bound tools. */
  CPU_UTILIZATION = 'CPU_UTILIZATION',
}

/** Where and how the server's tasks run. */
export interface McpFargateTaskOptions {
  /**
   * The server's container image: `ecs.ContainerImage.fromAsset(dir)` (built and pushed at
   * deploy time, for `cpuArchitecture` unless its `platform` is set), `fromRegistry(name)` or
   * `fromEcrRepository(repo, tag)`. The image must serve `mcpPath` and `healthCheckPath` on
   * `containerPort`.
   */
  readonly image: ecs.ContainerImage;

  /**
   * The port the server listens on inside the container. The construct sets `PORT` to it in the
   * container's environment (a contradicting `environment.PORT` is a synth error), so a server
   * that listens on `$PORT` needs nothing else. A server with a fixed port: set this to it.
   *
   * @default 8080
   */
  readonly containerPort?: number;

  /**
   * CPU units of the task (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
   *
   * @default 256
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
   */
  readonly cpu?: number;

  /**
   * Memory of the task in MiB; each `cpu` value allows a range of sizes.
   *
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * The CPU architecture of the task. It must match the image. An image from
   * `ecs.ContainerImage.fromAsset(dir)` without `platform` is built for this architecture
   * (`linux/arm64` or `linux/amd64`), not the deploying machine's; a `platform` that contradicts
   * it is a synth error. The platform of an image built elsewhere (`fromDockerImageAsset`,
   * `fromEcrRepository`, `fromRegistry`) cannot be read: build it for this architecture (for a
   * `DockerImageAsset` made outside the service the construct warns,
   * `cdk-mcp:imageAssetPlatformUnchecked`).
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * Plain, non-secret configuration for the server. Never put secrets here: use `secrets`.
   *
   * @default - no variables
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets injected into the container as environment variables by ECS at task start
   * (`ecs.Secret.fromSecretsManager(secret, field?)` or `fromSsmParameter`). The values never
   * appear in the template or the task definition; the execution role gets read access.
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
   * How long the container may take to exit after SIGTERM before it is killed. The server should
   * finish in-flight requests within it (the example server drains for up to 20 seconds).
   * Between 2 seconds and 2 minutes.
   *
   * @default Duration.seconds(60)
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-stopTimeout
   */
  readonly stopTimeout?: Duration;

  /**
   * How long the server's logs are kept. Also how long the canary's and the deploy gate's logs
   * are kept, unless `canaryLogRetention` says otherwise, so one compliance setting covers every
   * log group of the service.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A KMS key to encrypt the log groups the service creates with: the server's, the flow logs'
   * of the VPC it creates, and the canary's (unless `canaryLogEncryptionKey` names another). The key policy gets the statement CloudWatch Logs needs (for a
   * key defined in the app; for an imported key a warning says what to add).
   *
   * @default - CloudWatch Logs' own encryption
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * Allow `aws ecs execute-command` into running tasks (ECS Exec). Adds the SSM messages
   * permissions to the task role. ECS Exec needs a writable root file system (its agent writes
   * there), so it turns the `readonlyRootFilesystem` default off.
   *
   * @default false
   * @see https://github.com/aws/containers-roadmap/issues/1359
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * Give the container read-only access to its root file system; an empty task volume is
   * mounted writable at `/tmp` for scratch files. Fargate creates that volume owned by root with
   * mode 0755, so a server that runs as a non-root user and writes to `/tmp` needs its image to
   * declare `VOLUME ["/tmp"]` (ECS then copies the image's `/tmp`, whose owner and permissions
   * the Dockerfile sets, into the volume), as the example server's Dockerfile does. Set `false`
   * for an image that writes elsewhere on its file system.
   *
   * @default - true, unless `enableExecuteCommand` is on
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html
   */
  readonly readonlyRootFilesystem?: boolean;

  /**
   * The user the container runs as (`name`, `uid`, `name:group`, `uid:gid`, ...), which must
   * exist in the image when given by name. Not `root` or `0`.
   *
   * @default - the image's `USER` (root when the image sets none)
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-user
   */
  readonly user?: string;

  /**
   * Let the tasks send traffic anywhere. With `false` their security group allows outbound
   * HTTPS (TCP 443) only, which is all Fargate needs through the task's network interface (image
   * pulls from ECR, CloudWatch Logs, Secrets Manager) and what AWS APIs use; grant other
   * destinations through `connections` (`db.connections.allowDefaultPortFrom(service)` adds the
   * egress rule too). DNS through the VPC resolver is never filtered by security groups.
   *
   * @default true
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
   */
  readonly allowAllOutbound?: boolean;
}

/** Properties for `McpFargateService`. */
export interface McpFargateServiceProps
  extends McpFargateTaskOptions, McpServiceBaseProps, McpMonitoringOptions, McpFargateAlarmOptions, McpFrontDoorOptions {
  /**
   * The ECS service's name, also the `ServiceName` of the probe metrics and a segment of the
   * log-metric namespace: 1 to 255 letters, digits, hyphens and underscores (ECS's rule).
   * Unique in the account and Region per `metricNamespace`: two services or canaries with one
   * name write the same probe metrics and fire each other's alarms. Synth fails on such a pair in
   * one app and environment, and warns (`cdk-mcp:serviceNameNotUnique`) for two
   * environment-agnostic stacks of one stage; stacks of other apps are out of its sight.
   *
   * @default - a name CloudFormation generates; the metrics use it
   */
  readonly serviceName?: string;

  /**
   * The VPC to run in. Give `vpc` or `cluster`, not both.
   *
   * @default - a new VPC with two Availability Zones, `natGateways` NAT gateways (one by default) and flow logs (unless `cluster` is given)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The NAT gateways of the VPC the construct creates: 0, 1, or 2 (one per Availability Zone).
   * Only without `vpc` and `cluster`: the egress of a VPC you give is yours to choose.
   *
   * The tasks need a way out to start at all: Fargate pulls the image from ECR, writes the logs to
   * CloudWatch Logs and reads the secrets from Secrets Manager through the task's network interface.
   *
   * - `1`: the tasks run in private subnets without public IP addresses and go out through one NAT
   *   gateway: $0.045 an hour ($32.85 a month) plus $0.045 per GB it processes, plus its Elastic IP
   *   address ($3.65 a month) in us-east-1. Should its Availability Zone fail, the tasks in the
   *   other zone lose their egress too.
   * - `2`: a NAT gateway in each Availability Zone, so egress survives the loss of one; twice the price.
   * - `0`: no NAT gateway and no private subnets. The tasks run in the public subnets with a public
   *   IPv4 address each (`assignPublicIp` defaults to `true`), which is how they reach ECR, Logs and
   *   Secrets Manager; their security group still admits only the load balancer, on the container
   *   port. Each address costs $0.005 an hour ($3.65 a month per running task). The cheapest safe
   *   choice for a public load balancer: interface VPC endpoints for isolated subnets
   *   (ecr.api, ecr.dkr, logs, secretsmanager) cost $0.01 per endpoint and Availability Zone an
   *   hour, $58.40 a month for the four in two zones, more than one NAT gateway. Not with an internal
   *   load balancer whose canary runs in the VPC: a Lambda function in a public subnet has no route
   *   out (a synth-time error).
   *
   * Switching between 0 and 1 keeps the public subnets, so the load balancer stays; the tasks move
   * to the other subnets in a rolling deployment.
   *
   * @default 1
   * @see https://aws.amazon.com/vpc/pricing/
   * @see https://aws.amazon.com/privatelink/pricing/
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
   */
  readonly natGateways?: number;

  /**
   * The ECS cluster to run in. Container Insights should be on in it: the running-tasks alarm
   * reads its metrics.
   *
   * @default - a new cluster with Container Insights in `vpc`
   */
  readonly cluster?: ecs.ICluster;

  /**
   * Where the tasks run.
   *
   * @default - the VPC's private subnets with egress; the public subnets of the VPC the construct creates with `natGateways: 0`
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * Give each task a public IP address: needed only when tasks run in public subnets (no NAT) and
   * must pull images or reach AWS APIs over the internet. Inbound traffic still comes only from
   * the load balancer. Each address costs $0.005 an hour ($3.65 a month).
   *
   * @default - false; true in the VPC the construct creates with `natGateways: 0`
   * @see https://aws.amazon.com/vpc/pricing/
   */
  readonly assignPublicIp?: boolean;

  /**
   * How many tasks run (the initial count when auto scaling is on). With two or more, a deploy
   * or the loss of one Availability Zone never takes the server down.
   *
   * @default 2
   */
  readonly desiredCount?: number;

  /**
   * Whether the load balancer faces the internet. An internal load balancer accepts traffic
   * from the VPC's CIDR only, and the canary then runs inside the VPC.
   *
   * @default true
   */
  readonly publicLoadBalancer?: boolean;

  /**
   * The path of the MCP endpoint on the server; `url` points at it.
   *
   * @default '/mcp'
   */
  readonly mcpPath?: string;

  /**
   * The path of the target group's health check. It must answer a 2xx (`200-299`) when the task
   * can serve, and must not be the MCP path: a GET there answers 405 or 406, which would mark
   * every task unhealthy. A server without `/healthz`: point this at a path it answers 2xx on
   * without MCP headers.
   *
   * @default '/healthz'
   */
  readonly healthCheckPath?: string;

  /**
   * How long after a task starts its failing health checks are ignored.
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * How long the load balancer lets in-flight requests on a deregistered task finish (deploys,
   * scale-in) before it stops the task. Long-lived SSE streams hold the task this long.
   * At most 1 hour.
   *
   * @default Duration.seconds(120)
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
   */
  readonly deregistrationDelay?: Duration;

  /**
   * The load balancer's idle timeout: a connection (an SSE stream included) with no bytes in
   * either direction for this long is closed. It must stay well above the interval of the
   * server's SSE keep-alives (15 seconds in the MCP SDKs), and below the server's HTTP keep-alive
   * timeout (the example server's is 65 seconds), or the load balancer reuses connections the
   * server is closing and answers 502. Between 1 and 4000 seconds.
   *
   * @default Duration.seconds(60)
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
   */
  readonly idleTimeout?: Duration;

  /**
   * How the server keeps state. `STATEFUL` turns on target-group stickiness.
   *
   * @default McpSessionMode.STATELESS
   */
  readonly sessionMode?: McpSessionMode;

  /**
   * Pin each client to one task with the load balancer's `AWSALB` cookie. Only clients that keep
   * cookies stick. A stateful server with more than one task and no stickiness is an error.
   *
   * @default - true for `McpSessionMode.STATEFUL`, false otherwise
   */
  readonly stickiness?: boolean;

  /**
   * How long the stickiness cookie pins a client to a task; should be at least the server's
   * session lifetime. Between 1 second and 7 days.
   *
   * @default Duration.hours(1)
   */
  readonly stickinessDuration?: Duration;

  /**
   * The TLS policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Turn on the load balancer's deletion protection: CloudFormation (and anyone else) cannot
   * delete it until it is turned off again, so `cdk destroy` of the stack fails while it is on.
   * For production stacks; Control Tower control CT.ELASTICLOADBALANCING.PR.5 requires it.
   *
   * @default false
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection
   */
  readonly loadBalancerDeletionProtection?: boolean;

  /**
   * A bucket for the load balancer's access logs (often required by compliance rules such as
   * cdk-nag `AwsSolutions-ELB2`). It must use SSE-S3 encryption, and the stack must have a
   * concrete region.
   *
   * @default - no access logs
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * The key prefix of the access logs in `accessLogBucket`.
   *
   * @default - no prefix
   */
  readonly accessLogPrefix?: string;

  /**
   * The smallest number of tasks auto scaling keeps. Only with `maxTaskCount`.
   *
   * @default - `desiredCount`
   */
  readonly minTaskCount?: number;

  /**
   * The largest number of tasks auto scaling may run. Setting it turns auto scaling on.
   *
   * @default - no auto scaling: `desiredCount` tasks
   */
  readonly maxTaskCount?: number;

  /**
   * What auto scaling tracks.
   *
   * @default McpFargateScalingMetric.REQUEST_COUNT
   */
  readonly scalingMetric?: McpFargateScalingMetric;

  /**
   * The target of request-count scaling: requests per task per minute.
   *
   * @default 600
   */
  readonly targetRequestsPerTask?: number;

  /**
   * The target of CPU scaling, in percent.
   *
   * @default 60
   */
  readonly targetCpuUtilizationPercent?: number;

  /**
   * How long after a scale-out another scale-out may start.
   *
   * @default Duration.seconds(60)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * How long after a scale-in another scale-in may start.
   *
   * @default Duration.seconds(300)
   */
  readonly scaleInCooldown?: Duration;
}
