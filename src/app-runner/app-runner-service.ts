import { Annotations, CustomResource, Duration, Fn } from 'aws-cdk-lib';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { IMcpAppRunnerService, McpAppRunnerAlarms, McpAppRunnerAlarmOptions } from './app-runner-alarms';
import { McpAppRunnerServiceProps } from './app-runner-service-props';
import { McpAppRunnerImageRepositoryType } from './app-runner-source';
import { APP_RUNNER_ALARM_OPTION_KEYS } from './private/app-runner-alarm-option-keys';
import { AppRunnerCustomDomain } from './private/app-runner-custom-domain';
import {
  APP_RUNNER_DEFAULT_MAX_INSTANCES,
  validateAppRunnerServiceProps,
} from './private/app-runner-validation';
import { canaryTargets } from '../front-door/private/canary-targets';
import { McpMonitoringOptions } from '../monitoring/options';
import { MONITORING_OPTION_KEYS } from '../monitoring/private/monitoring-option-keys';
import { describePath, ROLE_DESCRIPTION_MAX, SECURITY_GROUP_DESCRIPTION_MAX } from '../private/limits';
import { pickOptions } from '../private/pick-options';
import { warnOnSecretLikeEnvironment } from '../private/secret-environment';
import { ValidationErrors } from '../private/validation';
import { McpServiceBase, McpSessionMode } from '../service';

/** App Runner's hard limit on one request, streams included. */
const APP_RUNNER_REQUEST_TIMEOUT = Duration.seconds(120);

/**
 * An MCP server on AWS App Runner, for accounts that already use App Runner.
 *
 * App Runner stopped accepting new customers on 2026-04-30; existing accounts keep running and
 * deploying services. New accounts should use `McpExpressService` (ECS Express Mode). The
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
export class McpAppRunnerService extends McpServiceBase implements iam.IGrantable, IMcpAppRunnerService {
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

  /** The MCP endpoint URL: `https://<domainName><mcpPath>` with a custom domain, else `https://<serviceDomain><mcpPath>`. */
  public readonly url: string;

  /**
   * The custom resource that associates `domainName` with the service and writes its DNS records,
   * when `domainName` is set. `getAttString('Status')` is the domain's App Runner status when the
   * resource answered: `ACTIVE`, or `PENDING_CERTIFICATE_DNS_VALIDATION` / `BINDING_CERTIFICATE`
   * when App Runner took longer than the 45 minutes the resource waits (it goes on by itself).
   */
  public readonly customDomain?: CustomResource;

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


  /** The App Runner platform alarms (5xx, latency, CPU, memory, instances at the maximum). */
  public readonly platformAlarms: McpAppRunnerAlarms;


  constructor(scope: Construct, id: string, props: McpAppRunnerServiceProps) {
    super(scope, id, props);

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
    validateAppRunnerServiceProps(this, props, {
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
        description: describePath('Lets App Runner pull the image of the MCP server ', this.node.path, ROLE_DESCRIPTION_MAX),
      });
      if (image.repository) {
        image.repository.grantPull(accessRole);
      }
      this.accessRole = accessRole;
    }

    const instanceRole = props.instanceRole ?? new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com'),
      description: describePath('Run-time role of the MCP server ', this.node.path, ROLE_DESCRIPTION_MAX),
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
      const securityGroups = props.securityGroups ?? [this.createConnectorSecurityGroup(props.vpc, props.allowAllOutbound ?? true)];
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
    const serviceUrl = `https://${service.attrServiceUrl}${mcpPath}`;
    if (props.domainName && props.domainZone) {
      this.customDomain = new AppRunnerCustomDomain(this, 'CustomDomain', {
        serviceArn: service.attrServiceArn,
        domainName: props.domainName,
        zone: props.domainZone,
      }).resource;
    }
    this.url = this.customDomain ? `https://${props.domainName}${mcpPath}` : serviceUrl;
    props.webAcl?.associate(service.attrServiceArn);
    this.applicationLogGroup = logs.LogGroup.fromLogGroupName(
      this,
      'ApplicationLogGroup',
      Fn.join('', ['/aws/apprunner/', this.serviceName, '/', this.serviceId, '/application']),
    );

    // The canary probes the custom domain and, after a failure, the service's own URL (the origin).
    const targetErrors = new ValidationErrors('McpAppRunnerService', this);
    const targets = canaryTargets(targetErrors, props, { url: this.url, origin: this.customDomain ? { url: serviceUrl } : undefined });
    targetErrors.throwIfAny();
    // The user's monitoring options, by name; then what this service derived, which wins.
    this.attachMonitoring({
      ...pickOptions<McpMonitoringOptions>(props, MONITORING_OPTION_KEYS),
      serviceName: this.serviceName,
      url: targets.url,
      originUrl: targets.originUrl,
      originAuth: targets.originAuth,
      // A new image or configuration updates the service in place; the gate probes after the
      // update, and a failure makes CloudFormation update the service back.
      deployGateTrigger: Fn.join('|', [image.imageIdentifier, targets.url]),
      deployGateDependencies: this.customDomain ? [service, this.customDomain] : [service],
    });
    if (this.customDomain) {
      // The canary starts once the custom resource answered (usually with the domain ACTIVE), not
      // while App Runner still validates the domain.
      this.monitoring.canary?.node.addDependency(this.customDomain);
    }
    this.platformAlarms = new McpAppRunnerAlarms(this, 'PlatformAlarms', {
      ...pickOptions<McpAppRunnerAlarmOptions>(props, APP_RUNNER_ALARM_OPTION_KEYS),
      monitoring: this.monitoring,
      service: this,
    });

    Annotations.of(this).addWarningV2(
      'cdk-mcp:appRunnerClosedToNewCustomers',
      'AWS App Runner stopped accepting new customers on 2026-04-30. Existing App Runner accounts keep running and deploying services; ' +
        'new accounts cannot create this service and should use McpExpressService (ECS Express Mode, the service AWS points App Runner users to) instead. ' +
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

  /** The VPC connector's security group: all outbound traffic, or HTTPS only. */
  private createConnectorSecurityGroup(vpc: ec2.IVpc, allowAllOutbound: boolean): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      allowAllOutbound,
      description: describePath('Outbound traffic of the MCP server ', this.node.path, SECURITY_GROUP_DESCRIPTION_MAX, ' (App Runner VPC connector)'),
    });
    if (!allowAllOutbound) {
      group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS: AWS APIs and web services');
    }
    return group;
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
