import { Annotations, Duration, Fn, Token } from 'aws-cdk-lib';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { McpCanary } from './canary';
import { McpSessionMode } from './fargate-service';
import { McpAppRunnerAlarmOptions, McpAppRunnerAlarms } from './monitoring/app-runner-alarms';
import { McpMonitoringOptions } from './monitoring/options';
import { McpServiceMonitoring } from './monitoring/service-monitoring';
import {
  APP_RUNNER_DEFAULT_MAX_INSTANCES,
  APP_RUNNER_MAX_CONCURRENCY,
  APP_RUNNER_MAX_MIN_INSTANCES,
  checkCpuMemory,
  checkEnvironmentNames,
  checkServiceName,
} from './private/app-runner-validation';
import { warnOnSecretLikeEnvironment } from './private/secret-environment';
import { ValidationErrors } from './private/validation';

/** Where App Runner pulls an image from. */
export enum McpAppRunnerImageRepositoryType {
  /** A private Amazon ECR repository, pulled with the service's access role. */
  ECR = 'ECR',

  /** An Amazon ECR Public repository: no access role. */
  ECR_PUBLIC = 'ECR_PUBLIC',
}

/** What a `McpAppRunnerImage` resolves to for a service. */
export interface McpAppRunnerImageConfig {
  /** The image URI App Runner pulls. */
  readonly imageIdentifier: string;

  /** The kind of repository the image is in. */
  readonly repositoryType: McpAppRunnerImageRepositoryType;

  /**
   * The private ECR repository to grant the access role pull rights on.
   *
   * @default - none (public image)
   */
  readonly repository?: ecr.IRepository;

  /**
   * Whether App Runner deploys on its own when a new image is pushed to the same tag.
   *
   * @default false
   */
  readonly autoDeployments?: boolean;
}

/** Options for `McpAppRunnerImage.fromEcrRepository`. */
export interface McpAppRunnerEcrImageOptions {
  /**
   * An image tag or digest (`sha256:...`).
   *
   * @default 'latest'
   */
  readonly tagOrDigest?: string;

  /**
   * Let App Runner deploy on its own whenever a new image is pushed to the tag. Off by default:
   * deployments then happen only through CloudFormation, so the template stays the truth.
   *
   * @default false
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/manage-deploy.html
   */
  readonly autoDeployments?: boolean;
}

/**
 * The MCP server's container image: built from a directory at deploy time, or pulled from ECR or
 * ECR Public. App Runner runs `linux/amd64` images only.
 */
export abstract class McpAppRunnerImage {
  /**
   * An image built from a directory with a Dockerfile at deploy time (synth only stages the
   * directory; no Docker engine is needed to synthesize). Built for `linux/amd64`, the only
   * platform App Runner runs.
   *
   * @param directory the Docker build context
   */
  public static fromAsset(directory: string, options: ecrAssets.DockerImageAssetOptions = {}): McpAppRunnerImage {
    return new AssetImage(directory, options);
  }

  /**
   * An image in a private ECR repository of this account. The service gets an access role that
   * may pull from it.
   *
   * @param repository the repository
   */
  public static fromEcrRepository(repository: ecr.IRepository, options: McpAppRunnerEcrImageOptions = {}): McpAppRunnerImage {
    return new EcrImage(repository, options);
  }

  /**
   * An image in Amazon ECR Public, e.g. `public.ecr.aws/my-org/mcp-server:1.0.0`.
   *
   * @param imageUri the full image URI
   */
  public static fromEcrPublic(imageUri: string): McpAppRunnerImage {
    return new EcrPublicImage(imageUri);
  }

  /** Resolve the image for a service in `scope`. */
  public abstract bind(scope: Construct): McpAppRunnerImageConfig;
}

class AssetImage extends McpAppRunnerImage {
  constructor(private readonly directory: string, private readonly options: ecrAssets.DockerImageAssetOptions) {
    super();
  }

  public bind(scope: Construct): McpAppRunnerImageConfig {
    const platform = this.options.platform;
    if (platform && platform.platform !== ecrAssets.Platform.LINUX_AMD64.platform) {
      throw new Error(
        `McpAppRunnerImage.fromAsset: platform ${platform.platform} is not supported; App Runner runs linux/amd64 images only. Remove the platform option.`,
      );
    }
    const asset = new ecrAssets.DockerImageAsset(scope, 'ImageAsset', {
      ...this.options,
      directory: this.directory,
      platform: ecrAssets.Platform.LINUX_AMD64,
    });
    return {
      imageIdentifier: asset.imageUri,
      repositoryType: McpAppRunnerImageRepositoryType.ECR,
      repository: asset.repository,
      autoDeployments: false,
    };
  }
}

class EcrImage extends McpAppRunnerImage {
  constructor(private readonly repository: ecr.IRepository, private readonly options: McpAppRunnerEcrImageOptions) {
    super();
  }

  public bind(_scope: Construct): McpAppRunnerImageConfig {
    return {
      imageIdentifier: this.repository.repositoryUriForTagOrDigest(this.options.tagOrDigest ?? 'latest'),
      repositoryType: McpAppRunnerImageRepositoryType.ECR,
      repository: this.repository,
      autoDeployments: this.options.autoDeployments ?? false,
    };
  }
}

class EcrPublicImage extends McpAppRunnerImage {
  constructor(private readonly imageUri: string) {
    super();
  }

  public bind(_scope: Construct): McpAppRunnerImageConfig {
    if (!Token.isUnresolved(this.imageUri) && !this.imageUri.startsWith('public.ecr.aws/')) {
      throw new Error(
        `McpAppRunnerImage.fromEcrPublic: "${this.imageUri}" is not an ECR Public image; App Runner pulls public images from public.ecr.aws only. ` +
          'Use a public.ecr.aws/... URI, or push the image to ECR and use fromEcrRepository.',
      );
    }
    return {
      imageIdentifier: this.imageUri,
      repositoryType: McpAppRunnerImageRepositoryType.ECR_PUBLIC,
      autoDeployments: false,
    };
  }
}

/**
 * A secret handed to the server as a runtime environment secret: App Runner resolves it when an
 * instance starts, so the value never appears in the template or the service configuration.
 */
export abstract class McpAppRunnerSecret {
  /**
   * A Secrets Manager secret, whole or one field of a JSON secret. Import secrets by their complete
   * ARN (`Secret.fromSecretCompleteArn`) so App Runner gets the full ARN.
   *
   * @param secret the secret
   * @param field a top-level key of a JSON secret @default - the whole secret value
   */
  public static fromSecretsManager(secret: secretsmanager.ISecret, field?: string): McpAppRunnerSecret {
    return new SecretsManagerSecret(secret, field);
  }

  /**
   * A Systems Manager parameter (`String` or `SecureString`) in this account.
   *
   * @param parameter the parameter
   */
  public static fromSsmParameter(parameter: ssm.IParameter): McpAppRunnerSecret {
    return new SsmParameterSecret(parameter);
  }

  /** The ARN App Runner resolves (with `:<field>::` appended for a JSON field). */
  public abstract readonly arn: string;

  /** Allow a principal (the service's instance role) to read the value. */
  public abstract grantRead(grantee: iam.IGrantable): iam.Grant;
}

class SecretsManagerSecret extends McpAppRunnerSecret {
  public readonly arn: string;

  constructor(private readonly secret: secretsmanager.ISecret, field?: string) {
    super();
    if (field !== undefined && !Token.isUnresolved(field) && (field === '' || field.includes(':'))) {
      throw new Error(`McpAppRunnerSecret.fromSecretsManager: field "${field}" must be a non-empty JSON key without ":".`);
    }
    // App Runner takes the full ARN (with the random suffix) when there is one: a partial ARN
    // followed by `:<field>::` is ambiguous.
    const arn = secret.secretFullArn ?? secret.secretArn;
    this.arn = field === undefined ? arn : `${arn}:${field}::`;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.secret.grantRead(grantee);
  }
}

class SsmParameterSecret extends McpAppRunnerSecret {
  public readonly arn: string;

  constructor(private readonly parameter: ssm.IParameter) {
    super();
    this.arn = parameter.parameterArn;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.parameter.grantRead(grantee);
  }
}

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
   * @default - a new security group that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * AWS X-Ray tracing through App Runner's observability configuration. The server must emit
   * traces with the AWS Distro for OpenTelemetry; the instance role may write them.
   *
   * @default false
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/monitor-xray.html
   */
  readonly tracing?: boolean;

  /**
   * A name for the App Runner service (4 to 40 letters, digits, `-`, `_`), unique in the account
   * and region.
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
 */
export interface McpAppRunnerServiceProps extends McpAppRunnerServiceOptions, McpMonitoringOptions, McpAppRunnerAlarmOptions {
  /** The server's container image. */
  readonly image: McpAppRunnerImage;
}

/** Environment variables the construct owns; setting them in `environment` is an error. */
const RESERVED_ENVIRONMENT: { [name: string]: string } = {
  PORT: 'it is set from the port prop',
};

/** App Runner's hard limit on one request, streams included. */
const APP_RUNNER_REQUEST_TIMEOUT = Duration.seconds(120);

/**
 * An MCP server on AWS App Runner, for accounts that already use App Runner.
 *
 * App Runner stopped accepting new customers on 2026-04-30; existing accounts keep running and
 * deploying services. New accounts should use `McpFargateService` (or ECS Express Mode). The
 * construct says so in the acknowledgeable synth-time warning `cdk-mcp:appRunnerClosedToNewCustomers`.
 *
 * Built on the stable `aws_apprunner` L1 resources: the service with an HTTP health check on a
 * real health path, an auto scaling configuration, an optional VPC connector and X-Ray
 * observability configuration, an access role to pull private images, and a least-privilege
 * instance role that reads the runtime environment secrets.
 *
 * App Runner's limits, where they bite: every request, SSE streams included, is cut after
 * 120 seconds, so long-running tool calls and standalone GET streams end there; and requests are
 * spread over instances with no affinity, so stateful session servers must run on one instance.
 */
export class McpAppRunnerService extends Construct implements iam.IGrantable {
  /** App Runner's limit on one request (SSE streams included): 120 seconds. */
  public static readonly REQUEST_TIMEOUT: Duration = APP_RUNNER_REQUEST_TIMEOUT;

  /** The App Runner service. */
  public readonly service: apprunner.CfnService;

  /** The service's auto scaling configuration. */
  public readonly autoScalingConfiguration: apprunner.CfnAutoScalingConfiguration;

  /** The VPC connector, when `vpc` is set. */
  public readonly vpcConnector?: apprunner.CfnVpcConnector;

  /** The X-Ray observability configuration, when `tracing` is on. */
  public readonly observabilityConfiguration?: apprunner.CfnObservabilityConfiguration;

  /** The network connections of the VPC connector, when `vpc` is set (allow them into your databases). */
  public readonly connections?: ec2.Connections;

  /** The role the server runs with. */
  public readonly instanceRole: iam.IRole;

  /** The role App Runner pulls a private ECR image with; none for ECR Public images. */
  public readonly accessRole?: iam.IRole;

  /** The instance role: grant it what the server's tools need. */
  public readonly grantPrincipal: iam.IPrincipal;

  /** The App Runner service ARN. */
  public readonly serviceArn: string;

  /** The App Runner service ID. */
  public readonly serviceId: string;

  /** The App Runner service name (the `ServiceName` dimension of `AWS/AppRunner` metrics). */
  public readonly serviceName: string;

  /** The service's default domain, e.g. `abc123.us-east-1.awsapprunner.com`. */
  public readonly serviceDomain: string;

  /** The MCP endpoint URL: `https://<serviceDomain><mcpPath>`. */
  public readonly url: string;

  /**
   * The log group App Runner writes the server's stdout and stderr to
   * (`/aws/apprunner/<name>/<id>/application`). App Runner creates it; its retention is App
   * Runner's (never expire) unless changed.
   */
  public readonly applicationLogGroup: logs.ILogGroup;

  /** Minimum instances. */
  public readonly minInstances: number;

  /** Maximum instances. */
  public readonly maxInstances: number;

  /** Concurrent requests per instance before scaling out. */
  public readonly maxConcurrency: number;

  /** How the server keeps state. */
  public readonly sessionMode: McpSessionMode;

  /** The outside-in monitoring: canary, alarms, composite health alarm, topic, dashboard. */
  public readonly monitoring: McpServiceMonitoring;

  /** The App Runner platform alarms (5xx, latency, CPU, memory, instances at the maximum). */
  public readonly platformAlarms: McpAppRunnerAlarms;

  /** The canary that probes `url` over MCP, unless `canary: false`. */
  public readonly canary?: McpCanary;

  /** Every alarm the service-health alarm watches: the canary's and the App Runner platform alarms. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** The composite alarm that is in ALARM when any alarm in `alarms` is; it carries the actions. */
  public readonly healthAlarm: cloudwatch.CompositeAlarm;

  /** The topic the service-health alarm notifies. */
  public readonly alarmTopic: sns.ITopic;

  /** The dashboard, when `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: McpAppRunnerServiceProps) {
    super(scope, id);

    const port = props.port ?? 8080;
    const mcpPath = props.mcpPath ?? '/mcp';
    const healthCheckPath = props.healthCheckPath ?? '/healthz';
    const cpu = props.cpu ?? 1024;
    const memoryLimitMiB = props.memoryLimitMiB ?? 2048;
    const minInstances = props.minInstances ?? 1;
    const maxInstances = props.maxInstances ?? APP_RUNNER_DEFAULT_MAX_INSTANCES;
    const maxConcurrency = props.maxConcurrency ?? 100;
    const sessionMode = props.sessionMode ?? McpSessionMode.STATELESS;
    const healthCheckInterval = props.healthCheckInterval ?? Duration.seconds(10);
    const healthCheckTimeout = props.healthCheckTimeout ?? Duration.seconds(5);
    validateProps(props, {
      port,
      mcpPath,
      healthCheckPath,
      cpu,
      memoryLimitMiB,
      minInstances,
      maxInstances,
      maxConcurrency,
      sessionMode,
      healthCheckInterval,
      healthCheckTimeout,
    });
    this.minInstances = minInstances;
    this.maxInstances = maxInstances;
    this.maxConcurrency = maxConcurrency;
    this.sessionMode = sessionMode;

    const image = props.image.bind(this);

    if (image.repositoryType === McpAppRunnerImageRepositoryType.ECR) {
      const accessRole = new iam.Role(this, 'AccessRole', {
        assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com'),
        description: `Lets App Runner pull the image of the MCP server ${this.node.path}`,
      });
      if (image.repository) {
        image.repository.grantPull(accessRole);
      }
      this.accessRole = accessRole;
    }

    const instanceRole = props.instanceRole ?? new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com'),
      description: `Run-time role of the MCP server ${this.node.path}`,
    });
    this.instanceRole = instanceRole;
    this.grantPrincipal = instanceRole;

    const secrets = props.secrets ?? {};
    for (const secret of Object.values(secrets)) {
      secret.grantRead(instanceRole);
    }

    this.autoScalingConfiguration = new apprunner.CfnAutoScalingConfiguration(this, 'AutoScaling', {
      minSize: minInstances,
      maxSize: maxInstances,
      maxConcurrency,
    });

    if (props.vpc) {
      const securityGroups = props.securityGroups ?? [
        new ec2.SecurityGroup(this, 'SecurityGroup', {
          vpc: props.vpc,
          allowAllOutbound: true,
          description: `Outbound traffic of the MCP server ${this.node.path} (App Runner VPC connector)`,
        }),
      ];
      const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
      this.vpcConnector = new apprunner.CfnVpcConnector(this, 'VpcConnector', {
        subnets: subnets.subnetIds,
        securityGroups: securityGroups.map((sg) => sg.securityGroupId),
      });
      this.connections = new ec2.Connections({ securityGroups });
    }

    if (props.tracing) {
      this.observabilityConfiguration = new apprunner.CfnObservabilityConfiguration(this, 'Observability', {
        traceConfiguration: { vendor: 'AWSXRAY' },
      });
      // X-Ray's write actions support no resource-level scoping.
      instanceRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
          resources: ['*'],
        }),
      );
    }

    const environment = { ...props.environment, PORT: String(port) };
    const service = new apprunner.CfnService(this, 'Resource', {
      serviceName: props.serviceName,
      sourceConfiguration: {
        autoDeploymentsEnabled: image.autoDeployments ?? false,
        authenticationConfiguration: this.accessRole ? { accessRoleArn: this.accessRole.roleArn } : undefined,
        imageRepository: {
          imageIdentifier: image.imageIdentifier,
          imageRepositoryType: image.repositoryType,
          imageConfiguration: {
            port: String(port),
            startCommand: props.startCommand,
            runtimeEnvironmentVariables: Object.entries(environment).map(([name, value]) => ({ name, value })),
            runtimeEnvironmentSecrets: Object.keys(secrets).length > 0
              ? Object.entries(secrets).map(([name, secret]) => ({ name, value: secret.arn }))
              : undefined,
          },
        },
      },
      instanceConfiguration: {
        cpu: String(cpu),
        memory: String(memoryLimitMiB),
        instanceRoleArn: instanceRole.roleArn,
      },
      healthCheckConfiguration: {
        protocol: 'HTTP',
        path: healthCheckPath,
        interval: healthCheckInterval.toSeconds(),
        timeout: healthCheckTimeout.toSeconds(),
        healthyThreshold: props.healthCheckHealthyThreshold ?? 1,
        unhealthyThreshold: props.healthCheckUnhealthyThreshold ?? 3,
      },
      autoScalingConfigurationArn: this.autoScalingConfiguration.attrAutoScalingConfigurationArn,
      networkConfiguration: {
        egressConfiguration: this.vpcConnector
          ? { egressType: 'VPC', vpcConnectorArn: this.vpcConnector.attrVpcConnectorArn }
          : { egressType: 'DEFAULT' },
        ingressConfiguration: { isPubliclyAccessible: true },
      },
      observabilityConfiguration: this.observabilityConfiguration
        ? {
          observabilityEnabled: true,
          observabilityConfigurationArn: this.observabilityConfiguration.attrObservabilityConfigurationArn,
        }
        : undefined,
    });
    // App Runner pulls the image and resolves the secrets while it creates the service: the
    // roles' policies must exist by then, not just the roles.
    if (this.accessRole) {
      service.node.addDependency(this.accessRole);
    }
    // Also for a given role: the secret grants above add policies under it.
    service.node.addDependency(instanceRole);
    this.service = service;

    this.serviceArn = service.attrServiceArn;
    this.serviceId = service.attrServiceId;
    this.serviceDomain = service.attrServiceUrl;
    // CloudFormation returns no name attribute; the ARN is arn:<partition>:apprunner:<region>:<account>:service/<name>/<id>.
    this.serviceName = props.serviceName ?? Fn.select(1, Fn.split('/', Fn.select(5, Fn.split(':', service.attrServiceArn))));
    this.url = `https://${service.attrServiceUrl}${mcpPath}`;
    this.applicationLogGroup = logs.LogGroup.fromLogGroupName(
      this,
      'ApplicationLogGroup',
      Fn.join('', ['/aws/apprunner/', this.serviceName, '/', this.serviceId, '/application']),
    );

    this.monitoring = new McpServiceMonitoring(this, 'Monitoring', {
      ...props,
      serviceName: this.serviceName,
      url: this.url,
    });
    this.platformAlarms = new McpAppRunnerAlarms(this, 'PlatformAlarms', { ...props, monitoring: this.monitoring, service: this });
    this.canary = this.monitoring.canary;
    this.alarms = this.monitoring.alarms;
    this.healthAlarm = this.monitoring.healthAlarm;
    this.alarmTopic = this.monitoring.alarmTopic;
    this.dashboard = this.monitoring.dashboard;

    Annotations.of(this).addWarningV2(
      'cdk-mcp:appRunnerClosedToNewCustomers',
      'AWS App Runner stopped accepting new customers on 2026-04-30. Existing App Runner accounts keep running and deploying services; ' +
        'new accounts cannot create this service and should use McpFargateService (or ECS Express Mode) instead. ' +
        'Acknowledge this warning if this account already uses App Runner.',
    );
    if (sessionMode === McpSessionMode.STATEFUL) {
      Annotations.of(this).addWarningV2(
        'cdk-mcp:appRunnerStatefulSessions',
        'sessionMode is STATEFUL: MCP sessions live in the memory of the single App Runner instance. Every deployment and every instance replacement drops them ' +
          '(clients get 404 "Session not found" and must initialize again), and App Runner cuts every request, the session\'s GET stream included, after 120 seconds. ' +
          'Prefer a stateless server, which can also scale out.',
      );
    }
    warnOnSecretLikeEnvironment(this, props.environment, 'the secrets prop (McpAppRunnerSecret.fromSecretsManager or fromSsmParameter)');
  }

  /**
   * Add a statement to the instance role's policy (when the role is one this construct created or
   * a mutable imported role).
   */
  public addToRolePolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return this.instanceRole.addToPrincipalPolicy(statement);
  }

  /**
   * An `AWS/AppRunner` metric of this service (dimensions `ServiceName` and `ServiceID`).
   *
   * @default - Average over 5 minutes
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/monitor-cw.html
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/AppRunner',
      metricName,
      dimensionsMap: { ServiceName: this.serviceName, ServiceID: this.serviceId },
      ...props,
    });
  }

  /**
   * HTTP requests the service received.
   *
   * @default - Sum over 5 minutes
   */
  public metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Requests', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * Requests answered with a 4xx status (429 when every instance is at `maxConcurrency` and
   * `maxInstances` is reached).
   *
   * @default - Sum over 5 minutes
   */
  public metric4xxStatusResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('4xxStatusResponses', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * Requests answered with a 5xx status (server errors, and App Runner's own errors when it cannot reach an instance).
   *
   * @default - Sum over 5 minutes
   */
  public metric5xxStatusResponses(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('5xxStatusResponses', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * Time to answer a request, in milliseconds.
   *
   * @default - p90 over 5 minutes
   */
  public metricRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('RequestLatency', { statistic: cloudwatch.Stats.p(90), ...props });
  }

  /**
   * Instances serving requests.
   *
   * @default - Maximum over 5 minutes
   */
  public metricActiveInstances(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ActiveInstances', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * CPU utilization of the instances, in percent.
   *
   * @default - Average over 5 minutes
   */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * Memory utilization of the instances, in percent.
   *
   * @default - Average over 5 minutes
   */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MemoryUtilization', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * Concurrent requests being processed.
   *
   * @default - Maximum over 5 minutes
   */
  public metricConcurrency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Concurrency', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }
}

interface ResolvedProps {
  readonly port: number;
  readonly mcpPath: string;
  readonly healthCheckPath: string;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly maxConcurrency: number;
  readonly sessionMode: McpSessionMode;
  readonly healthCheckInterval: Duration;
  readonly healthCheckTimeout: Duration;
}

function validateProps(props: McpAppRunnerServiceProps, resolved: ResolvedProps): void {
  const errors = new ValidationErrors('McpAppRunnerService');
  errors.integerInRange('port', resolved.port, 1, 65535);
  errors.path('mcpPath', resolved.mcpPath);
  errors.path('healthCheckPath', resolved.healthCheckPath);
  errors.check(
    Token.isUnresolved(resolved.healthCheckPath) || Token.isUnresolved(resolved.mcpPath) || resolved.healthCheckPath !== resolved.mcpPath,
    `healthCheckPath must not be the MCP path (got ${resolved.healthCheckPath}): a GET there answers 405 or 406, so App Runner would never see the service healthy. ` +
      'Point it at a health path such as /healthz.',
  );
  for (const [prop, duration] of [['healthCheckInterval', resolved.healthCheckInterval], ['healthCheckTimeout', resolved.healthCheckTimeout]] as const) {
    if (!duration.isUnresolved()) {
      const seconds = duration.toSeconds({ integral: false });
      errors.check(
        Number.isInteger(seconds) && seconds >= 1 && seconds <= 20,
        `${prop} must be a whole number of seconds between 1 and 20 (got ${duration.toHumanString()}).`,
      );
    }
  }
  errors.integerInRange('healthCheckHealthyThreshold', props.healthCheckHealthyThreshold, 1, 20);
  errors.integerInRange('healthCheckUnhealthyThreshold', props.healthCheckUnhealthyThreshold, 1, 20);
  checkCpuMemory(errors, resolved.cpu, resolved.memoryLimitMiB);
  errors.integerInRange('minInstances', resolved.minInstances, 1, APP_RUNNER_MAX_MIN_INSTANCES);
  // No upper bound: the 25-instance limit is an adjustable quota, not a property rule.
  errors.integerInRange('maxInstances', resolved.maxInstances, 1, Number.MAX_SAFE_INTEGER);
  errors.integerInRange('maxConcurrency', resolved.maxConcurrency, 1, APP_RUNNER_MAX_CONCURRENCY);
  const { minInstances, maxInstances } = resolved;
  if (!Token.isUnresolved(minInstances) && !Token.isUnresolved(maxInstances)) {
    errors.check(
      minInstances <= maxInstances,
      `minInstances (${minInstances}) must not exceed maxInstances (${maxInstances}). Raise maxInstances or lower minInstances.`,
    );
  }
  if (resolved.sessionMode === McpSessionMode.STATEFUL) {
    errors.check(
      Token.isUnresolved(maxInstances) || maxInstances === 1,
      `sessionMode is STATEFUL but maxInstances is ${maxInstances}: App Runner has no session affinity, so a session's requests would reach instances that never saw it ` +
        '(intermittent 404 "Session not found"). Set maxInstances: 1, or make the server stateless (the better choice), or use McpFargateService with stickiness.',
    );
  }
  checkServiceName(errors, props.serviceName);
  checkEnvironmentNames(errors, props.environment ?? {}, Object.keys(props.secrets ?? {}), RESERVED_ENVIRONMENT);
  if (!props.vpc) {
    errors.check(!props.vpcSubnets, 'vpcSubnets is set without vpc. Set vpc too, or remove vpcSubnets.');
    errors.check(!props.securityGroups, 'securityGroups is set without vpc: they belong to the VPC connector. Set vpc too, or remove securityGroups.');
  }
  errors.throwIfAny();
}
