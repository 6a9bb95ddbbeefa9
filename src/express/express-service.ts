import { Annotations, Fn, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { McpExpressAlarms, McpExpressAlarmOptions } from './express-alarms';
import { McpExpressScalingMetric, McpExpressServiceProps } from './express-service-props';
import { EXPRESS_ALARM_OPTION_KEYS } from './private/express-alarm-option-keys';
import { createdVpcIsInternal, resolveExpressNetwork } from './private/express-network';
import { ResolvedExpressSettings, validateExpressServiceProps } from './private/express-validation';
import { canaryTargets } from '../front-door/private/canary-targets';
import { CloudFrontFrontDoor, wantsCloudFrontFrontDoor } from '../front-door/private/cloudfront-front-door';
import { McpMonitoringOptions } from '../monitoring/options';
import { MONITORING_OPTION_KEYS } from '../monitoring/private/monitoring-option-keys';
import { createEcsTaskRoles } from '../private/ecs-task-roles';
import { describePath, ROLE_DESCRIPTION_MAX } from '../private/limits';
import { fitVpcNameTags } from '../private/path-texts';
import { pickOptions } from '../private/pick-options';
import { warnOnSecretLikeEnvironment } from '../private/secret-environment';
import { ValidationErrors } from '../private/validation';
import { McpServiceBase, McpSessionMode } from '../service';

/**
 * The AWS managed policy Express Mode's infrastructure role needs: it lets ECS create the load
 * balancer, listener rules, target groups, security groups, certificate and auto scaling.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/infrastructure_IAM_role.html
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRoleforExpressGatewayServices.html
 */
const INFRASTRUCTURE_POLICY = 'service-role/AmazonECSInfrastructureRoleforExpressGatewayServices';

/**
 * An MCP server on Amazon ECS Express Mode (`AWS::ECS::ExpressGatewayService`): ECS runs the
 * container on Fargate and creates and manages the HTTPS load balancer, certificate, target
 * groups, security groups and auto scaling itself. The successor of App Runner for new accounts.
 *
 * MCP defaults on top: the health check on a real health path (never the MCP endpoint), stateless
 * by default (the managed load balancer has no session affinity, so a stateful server runs one
 * task), secrets as container secrets, a log group the construct owns, and separate
 * least-privilege infrastructure, execution and task roles.
 *
 * Network: in the VPC the construct creates, a public endpoint (the tasks in public subnets, with
 * public IP addresses: Express Mode takes the load balancer's scheme from the tasks' subnets and
 * has no public-IP setting), and no NAT gateway, since nothing there needs one. In a VPC you give, the tasks run in its private subnets behind an
 * internal load balancer unless `publicEndpoint: true` or public `taskSubnets` ask otherwise.
 *
 * Container posture: unlike `McpFargateService`, this construct cannot make the root file system
 * read-only, name the container's user or give the container its own memory limit: Express Mode's
 * primary container has no such settings (`CfnExpressGatewayService.ExpressGatewayContainerProperty`,
 * node_modules/aws-cdk-lib/aws-ecs/lib/ecs.generated.d.ts:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-expressgatewayservice-expressgatewaycontainer.html).
 * The container runs as the image's `USER` (set a non-root one in the Dockerfile) and within the
 * task's `memoryLimitMiB`.
 *
 * Watched like every service of this library: an `McpCanary` probes the https URL over MCP, ECS
 * alarms (CPU, memory, running tasks) and log alarms (credential failures, crashes) feed one
 * composite health alarm. Express Mode rolls a failed deployment back by itself (canary
 * deployments with alarm-based rollback:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-update-full.html).
 */
export class McpExpressService extends McpServiceBase implements iam.IGrantable {
  /** The Express service (L1: aws-cdk-lib has no L2 for it). */
  public readonly service: ecs.CfnExpressGatewayService;

  /** The cluster the service runs in (Container Insights on). */
  public readonly cluster: ecs.ICluster;

  /** The server's log group. */
  public readonly logGroup: logs.ILogGroup;

  /** The role ECS uses to create and manage the load balancer, security groups and auto scaling. */
  public readonly infrastructureRole: iam.IRole;

  /** The role ECS uses to pull the image, write logs and read secrets. */
  public readonly executionRole: iam.IRole;

  /** The role the server's code runs with. */
  public readonly taskRole: iam.IRole;

  /** The task role: grants to the service go to the server's code. */
  public readonly grantPrincipal: iam.IPrincipal;

  /**
   * The MCP endpoint URL clients use: https, `domainName` (or the distribution's domain with
   * `webAcl` only) and `mcpPath` behind a front door, else the Express service's endpoint and `mcpPath`.
   */
  public readonly url: string;

  /** The Express service's own MCP URL (https, its endpoint, `mcpPath`): `url` without a front door, its origin with one. */
  public readonly endpointUrl: string;

  /**
   * The CloudFront distribution in front of the service, when `domainName` or `webAcl` is given.
   * The Express URL stays reachable directly (see docs/express.md).
   */
  public readonly distribution?: cloudfront.IDistribution;

  /** The distribution's certificate: `certificate`, or the one created for `domainName` in `domainZone`. */
  public readonly certificate?: acm.ICertificate;

  /** The session mode the service is configured for. */
  public readonly sessionMode: McpSessionMode;

  /**
   * Whether the endpoint faces the internet: the tasks then run in public subnets with public IP
   * addresses (Express Mode takes the load balancer's scheme from the tasks' subnets). False: the
   * tasks run in private subnets behind an internal load balancer.
   */
  public readonly publicEndpoint: boolean;

  /** The ECS alarms. */
  public readonly platformAlarms: McpExpressAlarms;

  constructor(scope: Construct, id: string, props: McpExpressServiceProps) {
    super(scope, id, props);

    const sessionMode = props.sessionMode ?? McpSessionMode.STATELESS;
    const stateful = sessionMode === McpSessionMode.STATEFUL;
    const minTaskCount = props.minTaskCount ?? (stateful ? 1 : 2);
    const scalingMetric = props.scalingMetric ?? McpExpressScalingMetric.REQUEST_COUNT;
    const settings: ResolvedExpressSettings = {
      containerPort: props.containerPort ?? 8080,
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
      mcpPath: props.mcpPath ?? '/mcp',
      healthCheckPath: props.healthCheckPath ?? '/healthz',
      stateful,
      minTaskCount,
      maxTaskCount: props.maxTaskCount ?? minTaskCount,
      scalingMetric,
      scalingTargetValue: props.scalingTargetValue ?? (scalingMetric === McpExpressScalingMetric.REQUEST_COUNT ? 600 : 60),
    };
    const vpc = props.vpc ?? this.createVpc(createdVpcIsInternal(props));
    // The tasks' subnets decide the endpoint's scheme (private/express-network.ts).
    const network = resolveExpressNetwork(vpc, props, props.vpc !== undefined);
    validateExpressServiceProps(this, props, settings, network.problems, network.publicEndpoint);
    const subnets = network.subnets!;
    this.publicEndpoint = network.publicEndpoint;
    this.sessionMode = sessionMode;

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
    });

    this.infrastructureRole = new iam.Role(this, 'InfrastructureRole', {
      // The infrastructure role is assumed by ECS itself (infrastructure_IAM_role.html).
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: describePath('ECS Express Mode infrastructure role of the MCP server ', this.node.path, ROLE_DESCRIPTION_MAX, ': manages its load balancer and auto scaling'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(INFRASTRUCTURE_POLICY)],
    });
    const roles = createEcsTaskRoles(this, props.taskRole);
    this.executionRole = roles.executionRole;
    this.taskRole = roles.taskRole;
    this.grantPrincipal = this.taskRole;

    // Least privilege without the broad AmazonECSTaskExecutionRolePolicy: write to this log
    // group, pull this image, read these secrets.
    this.logGroup.grantWrite(this.executionRole);
    const image = this.bindImage(props.image);
    const secrets = Object.entries(props.secrets ?? {}).map(([name, secret]) => {
      secret.grantRead(this.executionRole);
      return { name, valueFrom: secret.arn };
    });
    // The one server contract: listen on $PORT (https://github.com/cdk-mcp/cdk-mcp#the-server-contract).
    const environment = Object.entries({ ...props.environment, PORT: String(settings.containerPort) }).map(([name, value]) => ({ name, value }));

    // Property shapes: node_modules/aws-cdk-lib/aws-ecs/lib/ecs.generated.d.ts (CfnExpressGatewayServiceProps);
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-expressgatewayservice.html
    // Create-only: ServiceName, Cluster and InfrastructureRoleArn are not in UpdateExpressGatewayService's
    // request ("the infrastructure role cannot be modified after service creation":
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateExpressGatewayService.html), so
    // changing them replaces the service and its Endpoint. The construct keeps all three stable
    // (its own cluster and role); everything else updates in place by a canary deployment.
    this.service = new ecs.CfnExpressGatewayService(this, 'Service', {
      serviceName: props.serviceName,
      cluster: this.cluster.clusterName,
      infrastructureRoleArn: this.infrastructureRole.roleArn,
      executionRoleArn: this.executionRole.roleArn,
      taskRoleArn: this.taskRole.roleArn,
      // Strings in the schema (CFN defaults "256" and "512").
      cpu: String(settings.cpu),
      memory: String(settings.memoryLimitMiB),
      healthCheckPath: settings.healthCheckPath,
      networkConfiguration: {
        // Only subnets and security groups: the schema has no public-IP or scheme setting, so
        // these subnets decide both (private/express-network.ts).
        subnets: subnets.subnetIds,
        // Without security groups Express Mode creates its own with minimal ingress
        // (ECSManagedResourceArns.ServiceSecurityGroups; express-service-work.html).
        securityGroups: props.securityGroups?.map((sg) => sg.securityGroupId),
      },
      // The primary container (CfnExpressGatewayService.ExpressGatewayContainerProperty in
      // node_modules/aws-cdk-lib/aws-ecs/lib/ecs.generated.d.ts) has exactly AwsLogsConfiguration,
      // Command, ContainerPort, Environment, Image, RepositoryCredentials and Secrets: no
      // ReadonlyRootFilesystem, User or container Memory as McpFargateService sets them. The
      // task's Cpu and Memory above are its only size, which Fargate requires and runs the task in
      // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-size-best-practice.html);
      // the image's USER is the user it runs as.
      primaryContainer: {
        image: image.imageName,
        repositoryCredentials: image.repositoryCredentials?.credentialsParameter
          ? { credentialsParameter: image.repositoryCredentials.credentialsParameter }
          : undefined,
        containerPort: settings.containerPort,
        command: props.command,
        environment: environment.length > 0 ? environment : undefined,
        secrets: secrets.length > 0 ? secrets : undefined,
        awsLogsConfiguration: { logGroup: this.logGroup.logGroupName, logStreamPrefix: 'mcp' },
      },
      scalingTarget: {
        minTaskCount: settings.minTaskCount,
        maxTaskCount: settings.maxTaskCount,
        autoScalingMetric: settings.scalingMetric,
        autoScalingTargetValue: settings.scalingTargetValue,
      },
    });
    // The roles' policies must exist before ECS starts tasks and builds the load balancer.
    this.service.node.addDependency(this.executionRole, this.infrastructureRole);

    // The `Endpoint` attribute is the service's HTTPS host name on an AWS domain. Whether it
    // carries a scheme is not documented: removing any "https://" keeps the URL right either way.
    const host = Fn.join('', Fn.split('https://', this.service.attrEndpoint));
    this.endpointUrl = `https://${host}${settings.mcpPath}`;
    let frontDoor: CloudFrontFrontDoor | undefined;
    if (wantsCloudFrontFrontDoor(props)) {
      // CloudFront in front of the Express endpoint, not a certificate and host rule on the managed
      // load balancer: Express Mode has no domain input, does not validate out-of-band changes
      // to its load balancer, and shares it with up to 25 services
      // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-advanced-customization.html).
      // The load balancer routes by host name, so the origin request policy keeps CloudFront's
      // Host (the Express host) and its managed certificate for that host passes CloudFront's check.
      frontDoor = new CloudFrontFrontDoor(this, 'FrontDoor', {
        options: props,
        originDomainName: host,
        mcpPath: settings.mcpPath,
        comment: describePath('MCP server ', this.node.path, 128),
      });
      this.distribution = frontDoor.distribution;
      this.certificate = frontDoor.certificate;
    }
    this.url = frontDoor?.url ?? this.endpointUrl;

    // ServiceArn is arn:aws:ecs:<region>:<account>:service/<cluster>/<name>: the metrics' ServiceName.
    const serviceName = props.serviceName ?? Fn.select(2, Fn.split('/', this.service.attrServiceArn));
    const canaryInVpc = !this.publicEndpoint && props.canaryUrl === undefined;
    // The front door clients use and, after a failure, the Express URL behind it (same auth: it is public).
    const targetErrors = new ValidationErrors('McpExpressService', this);
    const targets = canaryTargets(targetErrors, props, { url: this.url, origin: frontDoor ? { url: this.endpointUrl } : undefined });
    targetErrors.throwIfAny();
    // The user's monitoring options, by name; then what this service derived, which wins.
    this.attachMonitoring({
      ...pickOptions<McpMonitoringOptions>(props, MONITORING_OPTION_KEYS),
      serviceName,
      url: targets.url,
      originUrl: targets.originUrl,
      originAuth: targets.originAuth,
      serverLogGroup: this.logGroup,
      canaryLogRetention: props.canaryLogRetention ?? props.logRetention,
      canaryVpc: canaryInVpc ? vpc : undefined,
      // Private subnets with egress where the VPC has them, else the tasks' own (isolated) subnets.
      canaryVpcSubnets: canaryInVpc
        ? (vpc.privateSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : { subnets: subnets.subnets })
        : undefined,
      // Every update of the Express service changes UpdatedAt, so the gate probes after each one.
      deployGateTrigger: Fn.join('|', [image.imageName, this.service.attrUpdatedAt]),
      deployGateDependencies: [this.service, ...frontDoor?.dependables ?? []],
    });
    this.platformAlarms = new McpExpressAlarms(this, 'Alarms', {
      ...pickOptions<McpExpressAlarmOptions>(props, EXPRESS_ALARM_OPTION_KEYS),
      monitoring: this.monitoring,
      clusterName: this.cluster.clusterName,
      // The metrics' ServiceName dimension: the name given, else the one ECS generated (the
      // service prop of the same name no longer reaches the alarms by a spread).
      serviceName,
      serverLogGroup: this.logGroup,
    });

    this.addWarnings(props, settings);
  }

  /**
   * The VPC of a service given none: two AZs, flow logs of rejected traffic.
   *
   * For a public endpoint, public subnets only and no NAT gateway ($32.85 a month that would serve
   * nothing): the tasks run in the public subnets and reach ECR, CloudWatch Logs and Secrets Manager
   * through their public IPs, and the canary and the deploy gate run outside the VPC (they join it
   * only for an internal endpoint). The subnets keep the default of mapping public IPs: whether
   * Express Mode assigns the tasks theirs itself or through this setting is not documented (its
   * network configuration has no public-IP setting). cidrMask 18 gives them the addresses and ids
   * of the two-group layout below, so switching the endpoint keeps them.
   *
   * For an internal endpoint, private subnets behind one NAT gateway as well (the tasks' egress for
   * the image, logs and secrets, and the canary's), and public subnets (the NAT gateway's only) that
   * map no public IPs (Control Tower control CT.EC2.PR.11).
   */
  private createVpc(internal: boolean): ec2.IVpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: internal ? 1 : 0,
      subnetConfiguration: internal
        ? [
          { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
          { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        ]
        : [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 18 }],
      flowLogs: { FlowLog: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    fitVpcNameTags(vpc);
    return vpc;
  }

  /** Resolve the image as a container definition would, granting the pull to the execution role. */
  private bindImage(image: ecs.ContainerImage): ecs.ContainerImageConfig {
    // ContainerImage.bind only reads taskDefinition.obtainExecutionRole() from the container
    // definition (asset, ECR and registry images alike); Express Mode has no task definition to bind to.
    const binding = { taskDefinition: { obtainExecutionRole: () => this.executionRole } } as unknown as ecs.ContainerDefinition;
    return image.bind(this, binding);
  }

  private addWarnings(props: McpExpressServiceProps, settings: ResolvedExpressSettings): void {
    warnOnSecretLikeEnvironment(this, props.environment, 'the secrets prop (ecs.Secret.fromSecretsManager)');
    if (settings.stateful) {
      Annotations.of(this).addWarningV2(
        'cdk-mcp:expressStatefulSessions',
        'sessionMode is STATEFUL: MCP sessions live in the memory of the single task. Every deployment (Express Mode starts new tasks and shifts traffic) ' +
          'and every task replacement drops them. Prefer sessionMode: McpSessionMode.STATELESS, or McpFargateService with stickiness.',
      );
    } else if (!Token.isUnresolved(settings.maxTaskCount) && settings.maxTaskCount < 2) {
      Annotations.of(this).addWarningV2(
        'cdk-mcp:expressSingleTask',
        'maxTaskCount is 1: the loss of the task or its Availability Zone takes the MCP server down until a new task starts. Use minTaskCount: 2.',
      );
    }
  }
}
