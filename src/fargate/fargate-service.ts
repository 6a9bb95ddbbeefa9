import { Annotations, Duration, Size, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { McpCanary } from './canary';
import { McpFargateAlarmOptions, McpFargateAlarms } from './monitoring/fargate-alarms';
import { McpMonitoringOptions } from './monitoring/options';
import { McpServiceMonitoring } from './monitoring/service-monitoring';
import { ResolvedFargateSettings, validateFargateServiceProps } from './private/fargate-validation';
import { warnOnSecretLikeEnvironment } from './private/secret-environment';

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
   * deploy time), `fromRegistry(name)` or `fromEcrRepository(repo, tag)`. The image must serve
   * `mcpPath` and `healthCheckPath` on `containerPort`.
   */
  readonly image: ecs.ContainerImage;

  /**
   * The port the server listens on inside the container. The construct does not set `PORT` for
   * the server: the image must listen there (the example server's image sets `PORT=8080`).
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
   * The CPU architecture of the task. It must match the image: an asset image is built for the
   * deploying machine's architecture unless its `platform` is set.
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
   * How long the server's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Allow `aws ecs execute-command` into running tasks (ECS Exec). Adds the SSM messages
   * permissions to the task role.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
}

/** Properties for `McpFargateService`. */
export interface McpFargateServiceProps extends McpFargateTaskOptions, McpMonitoringOptions, McpFargateAlarmOptions {
  /**
   * The ECS service's name, also the `ServiceName` of the probe metrics and a segment of the
   * log-metric namespace. Letters, digits, hyphens and underscores.
   *
   * @default - a name CloudFormation generates; the metrics use it
   */
  readonly serviceName?: string;

  /**
   * The URL the canary probes instead of `url`: a public front door in front of the load
   * balancer (a CloudFront distribution, a custom domain you manage).
   *
   * @default - `url`; for an internal load balancer the canary then runs in the VPC
   */
  readonly canaryUrl?: string;

  /**
   * The VPC to run in. Give `vpc` or `cluster`, not both.
   *
   * @default - a new VPC with two Availability Zones, one NAT gateway and flow logs (unless `cluster` is given)
   */
  readonly vpc?: ec2.IVpc;

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
   * @default - the VPC's private subnets with egress
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * Give each task a public IP address: needed only when tasks run in public subnets (no NAT) and
   * must pull images or reach AWS APIs over the internet. Inbound traffic still comes only from
   * the load balancer.
   *
   * @default false
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
   * The path of the target group's health check. It must answer 200 when the task can serve, and
   * must not be the MCP path: a GET there answers 405 or 406, which would mark every task
   * unhealthy.
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
   * A certificate for HTTPS. With it the listener is HTTPS on 443 and HTTP on 80 redirects
   * there.
   *
   * @default - a new DNS-validated certificate when `domainName` and `domainZone` are given, else plain HTTP
   */
  readonly certificate?: acm.ICertificate;

  /**
   * A custom domain for the service; `url` uses it. Needs `domainZone` (an alias record and, unless
   * `certificate` is given, a certificate are created) or `certificate` (you manage DNS).
   *
   * @default - the load balancer's DNS name
   */
  readonly domainName?: string;

  /**
   * The hosted zone of `domainName`.
   *
   * @default - no DNS record
   */
  readonly domainZone?: route53.IHostedZone;

  /**
   * The TLS policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS
   */
  readonly sslPolicy?: elbv2.SslPolicy;

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

/** The container's name in the task definition. */
const CONTAINER_NAME = 'Server';

/**
 * An MCP server on ECS Fargate behind an Application Load Balancer, for servers that need
 * long-lived processes, in-memory sessions or no cold starts.
 *
 * Modelled on `ApplicationLoadBalancedFargateService`, with MCP defaults: the health check on a
 * real health path (never the MCP endpoint), stateless by default and stickiness when stateful,
 * draining long enough for in-flight requests, an idle timeout that suits SSE, secrets as
 * container secrets, separate least-privilege task and execution roles, a deployment circuit
 * breaker with rollback, Container Insights, and tasks that accept traffic from the load
 * balancer only.
 *
 * Watched like every service of this library: an `McpCanary` probes the URL over MCP, ECS and
 * load balancer alarms (CPU, memory, running tasks, 5xx, unhealthy hosts, response time, rejected
 * connections) and log alarms (credential failures, crashes) feed one composite health alarm that
 * notifies a topic and honours a maintenance-window suppressor.
 */
export class McpFargateService extends Construct implements iam.IGrantable, ec2.IConnectable {
  /** The ECS service. */
  public readonly service: ecs.FargateService;

  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  /** The server's container. */
  public readonly container: ecs.ContainerDefinition;

  /** The cluster the service runs in. */
  public readonly cluster: ecs.ICluster;

  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** The listener that forwards to the tasks (HTTPS with a certificate, else HTTP). */
  public readonly listener: elbv2.ApplicationListener;

  /** The target group of the tasks. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;

  /** The server's log group (the awslogs driver writes one event per line). */
  public readonly logGroup: logs.ILogGroup;

  /** The role the server's code runs with. */
  public readonly taskRole: iam.IRole;

  /** The role ECS uses to pull the image, write logs and read secrets. */
  public readonly executionRole: iam.IRole;

  /** The certificate of the HTTPS listener, if any. */
  public readonly certificate?: acm.ICertificate;

  /** The auto scaling of the task count, when `maxTaskCount` is set. */
  public readonly scalableTaskCount?: ecs.ScalableTaskCount;

  /** The MCP endpoint URL: scheme, the domain name or load balancer DNS name, and `mcpPath`. */
  public readonly url: string;

  /** The session mode the service is configured for. */
  public readonly sessionMode: McpSessionMode;

  /** The task role: grants to the service go to the server's code. */
  public readonly grantPrincipal: iam.IPrincipal;

  /** The outside-in monitoring: canary, canary and log alarms, the composite health alarm, topic, dashboard. */
  public readonly monitoring: McpServiceMonitoring;

  /** The ECS and load balancer alarms. */
  public readonly platformAlarms: McpFargateAlarms;

  /** The canary that probes the service over MCP, unless `canary: false`. */
  public readonly canary?: McpCanary;

  /** Every alarm the health alarm watches: the canary's, the log alarms, the platform alarms. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** The composite alarm that is in ALARM when any alarm in `alarms` is; it notifies `alarmTopic`. */
  public readonly healthAlarm: cloudwatch.CompositeAlarm;

  /** The topic the health alarm notifies. */
  public readonly alarmTopic: sns.ITopic;

  /** The dashboard, when `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  /** The tasks' security group connections: allow the server to reach a database with `db.connections.allowDefaultPortFrom(service)`. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: McpFargateServiceProps) {
    super(scope, id);

    const sessionMode = props.sessionMode ?? McpSessionMode.STATELESS;
    const settings: ResolvedFargateSettings = {
      containerPort: props.containerPort ?? 8080,
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
      desiredCount: props.desiredCount ?? 2,
      mcpPath: props.mcpPath ?? '/mcp',
      healthCheckPath: props.healthCheckPath ?? '/healthz',
      stateful: sessionMode === McpSessionMode.STATEFUL,
      stickiness: props.stickiness ?? sessionMode === McpSessionMode.STATEFUL,
      tls: props.certificate !== undefined || (props.domainName !== undefined && props.domainZone !== undefined),
      publicLoadBalancer: props.publicLoadBalancer ?? true,
    };
    validateFargateServiceProps(this, props, settings);
    this.sessionMode = sessionMode;

    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc ?? this.createVpc(),
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const vpc = this.cluster.vpc;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `ECS execution role of the MCP server ${this.node.path}: pulls the image, writes logs, reads secrets`,
    });
    this.taskRole = props.taskRole ?? new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Task role of the MCP server ${this.node.path}: what its tools may do`,
    });
    this.grantPrincipal = this.taskRole;

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: settings.cpu,
      memoryLimitMiB: settings.memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      taskRole: this.taskRole,
      executionRole: this.executionRole,
    });
    this.container = this.taskDefinition.addContainer(CONTAINER_NAME, {
      image: props.image,
      essential: true,
      portMappings: [{ containerPort: settings.containerPort, protocol: ecs.Protocol.TCP, name: 'mcp' }],
      environment: props.environment && Object.keys(props.environment).length > 0 ? props.environment : undefined,
      secrets: props.secrets,
      stopTimeout: props.stopTimeout ?? Duration.seconds(60),
      // One event per line (no multiline or datetime merging), so JSON log lines stay whole and
      // filter patterns like { $.level = "error" } match. Non-blocking: a logging hiccup never
      // stalls the server's stdout.
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: 'mcp',
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(25),
      }),
    });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: settings.desiredCount,
      vpcSubnets: props.taskSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: props.assignPublicIp ?? false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(60),
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      serviceName: props.serviceName,
    });
    this.connections = this.service.connections;

    const loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: `Load balancer of the MCP server ${this.node.path}`,
      // Egress only to the tasks, added when they are registered.
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: settings.publicLoadBalancer,
      securityGroup: loadBalancerSecurityGroup,
      idleTimeout: props.idleTimeout ?? Duration.seconds(60),
      dropInvalidHeaderFields: true,
      http2Enabled: true,
    });
    if (props.accessLogBucket) {
      this.loadBalancer.logAccessLogs(props.accessLogBucket, props.accessLogPrefix);
    }

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc,
      port: settings.containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      // Long tool calls and SSE streams load tasks unevenly: send new requests where fewest are open.
      loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
      deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(120),
      stickinessCookieDuration: settings.stickiness ? props.stickinessDuration ?? Duration.hours(1) : undefined,
      healthCheck: {
        enabled: true,
        path: settings.healthCheckPath,
        protocol: elbv2.Protocol.HTTP,
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.targetGroup.addTarget(this.service.loadBalancerTarget({
      containerName: CONTAINER_NAME,
      containerPort: settings.containerPort,
    }));

    this.certificate = props.certificate ?? (settings.tls ? this.createCertificate(props.domainName!, props.domainZone!) : undefined);
    const port = this.certificate ? 443 : 80;
    this.listener = this.loadBalancer.addListener(this.certificate ? 'HttpsListener' : 'HttpListener', {
      port,
      protocol: this.certificate ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      certificates: this.certificate ? [this.certificate] : undefined,
      sslPolicy: this.certificate ? props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS : undefined,
      defaultTargetGroups: [this.targetGroup],
      open: settings.publicLoadBalancer,
    });
    if (this.certificate) {
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443, open: settings.publicLoadBalancer });
    }
    if (!settings.publicLoadBalancer) {
      // Internal: reachable from inside the VPC (clients, the canary), never from 0.0.0.0/0.
      const ports = this.certificate ? [443, 80] : [80];
      for (const p of ports) {
        loadBalancerSecurityGroup.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(p), `MCP clients in the VPC on ${p}`);
      }
    }

    if (props.domainName && props.domainZone) {
      new route53.ARecord(this, 'AliasRecord', {
        zone: props.domainZone,
        recordName: props.domainName,
        target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(this.loadBalancer)),
      });
    }
    const host = props.domainName ?? this.loadBalancer.loadBalancerDnsName;
    this.url = `${this.certificate ? 'https' : 'http'}://${host}${settings.mcpPath}`;

    if (props.maxTaskCount !== undefined) {
      this.scalableTaskCount = this.configureAutoScaling(props, settings);
    }

    const canaryUrl = props.canaryUrl ?? this.url;
    const canaryInVpc = !settings.publicLoadBalancer && props.canaryUrl === undefined;
    this.monitoring = new McpServiceMonitoring(this, 'Monitoring', {
      ...props,
      serviceName: props.serviceName ?? this.service.serviceName,
      url: canaryUrl,
      serverLogGroup: this.logGroup,
      canaryVpc: canaryInVpc ? vpc : undefined,
      // No certificate to watch on a plain-HTTP URL (the monitoring cannot tell while the URL is a token).
      certificateExpiryAlarm: isPlainHttp(canaryUrl) ? { enabled: false } : props.certificateExpiryAlarm,
    });
    this.platformAlarms = new McpFargateAlarms(this, 'Alarms', {
      ...props,
      monitoring: this.monitoring,
      service: this.service,
      loadBalancer: this.loadBalancer,
      targetGroup: this.targetGroup,
      serverLogGroup: this.logGroup,
    });
    this.canary = this.monitoring.canary;
    this.alarms = this.monitoring.alarms;
    this.healthAlarm = this.monitoring.healthAlarm;
    this.alarmTopic = this.monitoring.alarmTopic;
    this.dashboard = this.monitoring.dashboard;

    this.addWarnings(props, settings);
  }

  private createVpc(): ec2.IVpc {
    return new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { FlowLog: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
  }

  private createCertificate(domainName: string, zone: route53.IHostedZone): acm.ICertificate {
    return new acm.Certificate(this, 'Certificate', {
      domainName,
      validation: acm.CertificateValidation.fromDns(zone),
    });
  }

  private configureAutoScaling(props: McpFargateServiceProps, settings: ResolvedFargateSettings): ecs.ScalableTaskCount {
    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minTaskCount ?? settings.desiredCount,
      maxCapacity: props.maxTaskCount!,
    });
    const cooldowns = {
      scaleOutCooldown: props.scaleOutCooldown ?? Duration.seconds(60),
      scaleInCooldown: props.scaleInCooldown ?? Duration.seconds(300),
    };
    if ((props.scalingMetric ?? McpFargateScalingMetric.REQUEST_COUNT) === McpFargateScalingMetric.REQUEST_COUNT) {
      scaling.scaleOnRequestCount('RequestCountScaling', {
        targetGroup: this.targetGroup,
        requestsPerTarget: props.targetRequestsPerTask ?? 600,
        ...cooldowns,
      });
    } else {
      scaling.scaleOnCpuUtilization('CpuScaling', {
        targetUtilizationPercent: props.targetCpuUtilizationPercent ?? 60,
        ...cooldowns,
      });
    }
    return scaling;
  }

  private addWarnings(props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
    if (settings.publicLoadBalancer && !this.certificate) {
      Annotations.of(this).addWarningV2(
        'cdk-mcp:plainHttp',
        'The load balancer is public and listens on plain HTTP: requests, bearer tokens and tool results cross the internet unencrypted. ' +
          'Pass certificate, or domainName with domainZone, for HTTPS (HTTP then redirects), or set publicLoadBalancer: false.',
      );
    }
    const maxTasks = props.maxTaskCount ?? settings.desiredCount;
    if (settings.stateful && settings.stickiness && (Token.isUnresolved(maxTasks) || maxTasks > 1)) {
      Annotations.of(this).addWarningV2(
        'cdk-mcp:statefulNeedsCookies',
        'Stateful sessions across several tasks rely on the AWSALB stickiness cookie: MCP clients that do not keep cookies (the TypeScript SDK\'s fetch does not) ' +
          'reach any task and get 404 "Session not found", and every session on a task ends when it stops. Prefer sessionMode: McpSessionMode.STATELESS, or run one task.',
      );
    }
    warnOnSecretLikeEnvironment(this, props.environment, 'the secrets prop (ecs.Secret.fromSecretsManager)');
    const idle = props.idleTimeout;
    if (idle && !idle.isUnresolved() && idle.toSeconds() < 30) {
      Annotations.of(this).addWarningV2(
        'cdk-mcp:shortIdleTimeout',
        `idleTimeout is ${idle.toHumanString()}: an SSE stream is cut when no byte passes for that long, and MCP SDK servers send keep-alives only every 15 seconds. ` +
          'Use at least 30 seconds (default 60).',
      );
    }
  }
}

/** Whether a URL is a literal http:// URL (tokens count as not known). */
function isPlainHttp(url: string): boolean {
  return url.startsWith('http://');
}

