import { Annotations, Duration, Size, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { McpFargateAlarms, McpFargateAlarmOptions } from './fargate-alarms';
import { McpFargateScalingMetric, McpFargateServiceProps } from './fargate-service-props';
import { FARGATE_ALARM_OPTION_KEYS } from './private/fargate-alarm-option-keys';
import { ResolvedFargateSettings, validateFargateServiceProps } from './private/fargate-validation';
import { imageForArchitecture, warnOnForeignImageAsset } from './private/image-platform';
import { canaryTargets } from '../front-door/private/canary-targets';
import { McpMonitoringOptions } from '../monitoring/options';
import { MONITORING_OPTION_KEYS } from '../monitoring/private/monitoring-option-keys';
import { createEcsTaskRoles } from '../private/ecs-task-roles';
import { describePath, SECURITY_GROUP_DESCRIPTION_MAX } from '../private/limits';
import { allowLogsToUseKey } from '../private/log-encryption';
import { fitSecurityGroupDescriptions, fitVpcNameTags } from '../private/path-texts';
import { pickOptions } from '../private/pick-options';
import { warnOnSecretLikeEnvironment } from '../private/secret-environment';
import { ValidationErrors } from '../private/validation';
import { McpServiceBase, McpSessionMode } from '../service';


/** The container's name in the task definition. */
const CONTAINER_NAME = 'Server';

/** The task volume mounted writable at /tmp when the root file system is read-only. */
const TMP_VOLUME = 'tmp';

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
 * Network: the tasks run in private subnets behind one NAT gateway by default. In the VPC the
 * construct creates, `natGateways: 0` drops the NAT gateway ($32.85 a month) and runs the tasks in
 * the public subnets with public IP addresses ($3.65 a month each) instead; their security group
 * admits only the load balancer either way.
 *
 * Watched like every service of this library: an `McpCanary` probes the URL over MCP, ECS and
 * load balancer alarms (CPU, memory, running tasks, 5xx, unhealthy hosts, response time, rejected
 * connections) and log alarms (credential failures, crashes) feed one composite health alarm that
 * notifies a topic and honours a maintenance-window suppressor.
 */
export class McpFargateService extends McpServiceBase implements iam.IGrantable, ec2.IConnectable {
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


  /** The ECS and load balancer alarms. */
  public readonly platformAlarms: McpFargateAlarms;


  /** The tasks' security group connections: allow the server to reach a database with `db.connections.allowDefaultPortFrom(service)`. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: McpFargateServiceProps) {
    super(scope, id, props);

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
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? !(props.enableExecuteCommand ?? false),
      natGateways: props.natGateways ?? 1,
    };
    validateFargateServiceProps(this, props, settings);
    this.sessionMode = sessionMode;

    if (props.logEncryptionKey) {
      allowLogsToUseKey(this, props.logEncryptionKey);
    }
    // Without a NAT gateway the created VPC has public subnets only: the tasks run there, with public IPs.
    const withoutNat = props.vpc === undefined && props.cluster === undefined && settings.natGateways === 0;
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc ?? this.createVpc(settings.natGateways, props.logEncryptionKey),
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const vpc = this.cluster.vpc;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
    });
    const roles = createEcsTaskRoles(this, props.taskRole);
    this.executionRole = roles.executionRole;
    this.taskRole = roles.taskRole;
    this.grantPrincipal = this.taskRole;

    const cpuArchitecture = props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: settings.cpu,
      memoryLimitMiB: settings.memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      taskRole: this.taskRole,
      executionRole: this.executionRole,
    });
    this.container = this.taskDefinition.addContainer(CONTAINER_NAME, {
      image: imageForArchitecture(this, props.image, cpuArchitecture),
      essential: true,
      portMappings: [{ containerPort: settings.containerPort, protocol: ecs.Protocol.TCP, name: 'mcp' }],
      // The one server contract: listen on $PORT (https://github.com/cdk-mcp/cdk-mcp#the-server-contract).
      environment: { ...props.environment, PORT: String(settings.containerPort) },
      secrets: props.secrets,
      // The task's memory as the container's hard limit (a single-container task): the limit
      // Control Tower control CT.ECS.PR.7 asks for, at no cost.
      memoryLimitMiB: settings.memoryLimitMiB,
      readonlyRootFilesystem: settings.readonlyRootFilesystem,
      user: props.user,
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
    warnOnForeignImageAsset(this, this.container.imageName, cpuArchitecture);

    if (settings.readonlyRootFilesystem) {
      // An empty bind-mount volume on the task's ephemeral storage, writable at /tmp.
      // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html
      this.taskDefinition.addVolume({ name: TMP_VOLUME });
      this.container.addMountPoints({ sourceVolume: TMP_VOLUME, containerPath: '/tmp', readOnly: false });
    }

    const taskSecurityGroups = props.allowAllOutbound === false ? [this.createHttpsOnlySecurityGroup(vpc)] : undefined;
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: settings.desiredCount,
      vpcSubnets: props.taskSubnets ?? { subnetType: withoutNat ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
      // A public IP is the only way out of a public subnet: the image pull, the logs, the secrets.
      // The service's security group still admits only the load balancer.
      assignPublicIp: props.assignPublicIp ?? withoutNat,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(60),
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      serviceName: props.serviceName,
      securityGroups: taskSecurityGroups,
    });
    // ECS names the group it creates after the path: cut under a deep path.
    fitSecurityGroupDescriptions(this.service);
    this.connections = this.service.connections;

    const loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: describePath('Load balancer of the MCP server ', this.node.path, SECURITY_GROUP_DESCRIPTION_MAX),
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
      deletionProtection: props.loadBalancerDeletionProtection,
    });
    if (props.accessLogBucket) {
      this.loadBalancer.logAccessLogs(props.accessLogBucket, props.accessLogPrefix);
    }
    props.webAcl?.associate(this.loadBalancer.loadBalancerArn);

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
        // The contract says 2xx, as the Web Adapter's readiness check on Lambda reads it.
        healthyHttpCodes: '200-299',
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

    const targetErrors = new ValidationErrors('McpFargateService', this);
    const targets = canaryTargets(targetErrors, props, { url: this.url });
    targetErrors.throwIfAny();
    const canaryUrl = targets.url;
    const canaryInVpc = !settings.publicLoadBalancer && props.canaryUrl === undefined;
    // The user's monitoring options, by name; then what this service derived, which wins.
    this.attachMonitoring({
      ...pickOptions<McpMonitoringOptions>(props, MONITORING_OPTION_KEYS),
      serviceName: props.serviceName ?? this.service.serviceName,
      url: canaryUrl,
      originUrl: targets.originUrl,
      originAuth: targets.originAuth,
      serverLogGroup: this.logGroup,
      canaryLogEncryptionKey: props.canaryLogEncryptionKey ?? props.logEncryptionKey,
      canaryLogRetention: props.canaryLogRetention ?? props.logRetention,
      canaryVpc: canaryInVpc ? vpc : undefined,
      // No certificate to watch on a plain-HTTP URL (the monitoring cannot tell while the URL is a token).
      certificateExpiryAlarm: isPlainHttp(canaryUrl) ? { enabled: false } : props.certificateExpiryAlarm,
      // A new task definition revision is a new deployment; CloudFormation waits for the service
      // to be stable on it before the gate probes, and a failure rolls the service back to the
      // previous revision.
      deployGateTrigger: this.taskDefinition.taskDefinitionArn,
      deployGateDependencies: [this.service, this.listener],
    });
    this.platformAlarms = new McpFargateAlarms(this, 'Alarms', {
      ...pickOptions<McpFargateAlarmOptions>(props, FARGATE_ALARM_OPTION_KEYS),
      monitoring: this.monitoring,
      service: this.service,
      loadBalancer: this.loadBalancer,
      targetGroup: this.targetGroup,
      serverLogGroup: this.logGroup,
    });

    this.addWarnings(props, settings);
  }

  /**
   * The VPC of a service given none: two AZs, `natGateways` NAT gateways, flow logs of rejected
   * traffic. With NAT gateways the default layout (public and private subnets, /18 each); without,
   * the public subnets alone, at the same addresses (cidrMask 18), so switching between the two
   * keeps the public subnets and the load balancer in them (ids and CIDRs unchanged).
   */
  private createVpc(natGateways: number, logEncryptionKey?: kms.IKey): ec2.IVpc {
    // The public subnets (the load balancer's and the NAT gateway's, which have their own
    // addresses) give no public IP to what else starts there (Control Tower control
    // CT.EC2.PR.11). Tasks with assignPublicIp still get one.
    const publicSubnets: ec2.SubnetConfiguration = { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false };
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways,
      subnetConfiguration: natGateways === 0
        ? [{ ...publicSubnets, cidrMask: 18 }]
        : [publicSubnets, { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      flowLogs: {
        FlowLog: {
          trafficType: ec2.FlowLogTrafficType.REJECT,
          destination: logEncryptionKey
            ? ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'FlowLogGroup', { encryptionKey: logEncryptionKey }))
            : undefined,
        },
      },
    });
    fitVpcNameTags(vpc);
    return vpc;
  }

  /** The tasks' security group when `allowAllOutbound` is false: outbound HTTPS only. */
  private createHttpsOnlySecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc,
      description: describePath('Tasks of the MCP server ', this.node.path, SECURITY_GROUP_DESCRIPTION_MAX, ': outbound HTTPS only'),
      allowAllOutbound: false,
    });
    // Everything Fargate does through the task's network interface is HTTPS: image pulls from ECR,
    // CloudWatch Logs, Secrets Manager.
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS: ECR, CloudWatch Logs, Secrets Manager and other AWS APIs');
    return group;
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

