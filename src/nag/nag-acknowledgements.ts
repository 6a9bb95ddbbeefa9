import { Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { McpAppRunnerService } from '../app-runner/app-runner-service';
import { McpCanary } from '../canary/canary';
import { McpExpressService } from '../express/express-service';
import { McpFargateService } from '../fargate/fargate-service';
import { McpLambdaService } from '../lambda/lambda-service';
import { McpServiceMonitoring } from '../monitoring/service-monitoring';
import { McpWebFunctionService } from '../web-function/web-function-service';
import { managedPolicyFindings, resolvedProperty, wildcardFindings } from './private/nag-findings';

/** One cdk-nag finding acknowledged by {@link McpNagAcknowledgements}: what, where and why. */
export interface McpNagAcknowledgement {
  /** The cdk-nag rule id with its finding, as `Validations.acknowledge` takes it, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;

  /** The path of the construct the acknowledgement is recorded on (it covers that construct's children). */
  readonly constructPath: string;

  /** Why the finding is there by design. */
  readonly reason: string;
}

/** `AwsSolutions-IAM5[Resource::*]`: a statement on `Resource: *`. */
const WILDCARD_RESOURCE = 'AwsSolutions-IAM5[Resource::*]';

/** The AWS managed policy of API Gateway's account-level logging role, as cdk-nag names it. */
const API_GATEWAY_LOGS_POLICY = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]';

/** The AWS managed policy Express Mode requires on its infrastructure role, as cdk-nag names it. */
const EXPRESS_INFRASTRUCTURE_POLICY = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices]';

/** The reasons, one per by-design finding. */
const REASONS = {
  deployGate: 'cloudwatch:PutMetricData (the deploy gate\'s maintenance window) supports no resource-level permissions; a cloudwatch:namespace condition limits it to the probe namespace.',
  canaryVpc: 'Lambda creates the canary\'s network interfaces in the VPC with its role; the EC2 network-interface Describe actions support no resource-level permissions.',
  serverVpc: 'Lambda creates the server function\'s network interfaces in the VPC with its role; the EC2 network-interface actions support no resource-level permissions.',
  pullImage: 'ecr:GetAuthorizationToken, which the role needs to pull the image from ECR, supports no resource-level permissions.',
  xray: 'The X-Ray write actions (PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no resource-level permissions.',
  publicLoadBalancer: 'The load balancer is internet-facing on purpose: MCP clients reach it on its listener port only; the tasks admit the load balancer only.',
  internalLoadBalancer: 'The load balancer is internal and admits the VPC\'s CIDR block on its listener port (a CloudFormation reference cdk-nag cannot evaluate, so it reports it as open); the tasks admit the load balancer only.',
  accessLogs: 'Load balancer access logs are opt-in (accessLogBucket, which needs a concrete region); with a bucket this finding is gone.',
  environment: 'The container\'s environment is plain configuration (PORT and the environment prop); secrets go through the secrets prop, and names that look like secrets raise cdk-mcp:secretInEnvironment.',
  expressInfrastructure: 'Express Mode requires this AWS managed policy on its infrastructure role; AWS maintains it as the service adds resources it manages.',
  codeBucket: 'aws-cdk-lib stages Web Function code in this per-stack bucket (Web Functions read zips only from a versioned bucket the Lambda service may read); it holds only deployment packages written by CloudFormation.',
  apiRequestValidation: 'The REST API is a Lambda proxy in front of one MCP endpoint: the server validates every JSON-RPC request against its own tool schemas, which API Gateway request models cannot express.',
  apiAuthorization: 'Authorization passes through the front door to the MCP server, which authenticates requests itself (OAuth bearer tokens per the MCP authorization spec, or its own scheme); a Cognito authorizer would refuse tokens of any other authorization server.',
  apiCloudWatchRole: 'API Gateway writes access and execution logs with its account-level CloudWatch Logs role, which aws-cdk-lib creates with the AWS managed policy AmazonAPIGatewayPushToCloudWatchLogs that API Gateway documents for it.',
  domainChange: 'The App Runner custom-domain handler polls route53:GetChange for the change it submitted; change ids exist only at run time, and a change has no other resource to scope by.',
  domainWaiter: 'aws-cdk-lib\'s Provider framework creates its waiter state machine\'s role and grants it lambda:InvokeFunction on the framework\'s isComplete and onTimeout functions and their versions; the Provider has no prop to narrow it.',
  domainWaiterLogs: 'The waiter state machine of aws-cdk-lib\'s Provider framework only calls the isComplete function every 30 seconds while an App Runner custom domain is created or changed; both functions log every poll, logging its executions would need a log-delivery statement on Resource: *, and the Provider has no X-Ray prop.',
  geoRestriction: 'MCP clients call from their vendors\' clouds and from users anywhere (Claude\'s remote connections all come from Anthropic\'s cloud): a country list would block clients, not attackers; the web ACL filters requests.',
  distributionLogs: 'CloudFront access logs are not offered by the MCP front door (standard logs need an ACL-enabled S3 bucket): the web ACL\'s logs (McpWebAcl logging) record every request it sees, the server\'s log group every MCP request, the canary every probe.',
  copyProvider: 'aws-cdk-lib\'s copy provider copies staged Web Function code into the code bucket: it reads the bootstrap assets bucket and writes under web-function/ (object keys are content hashes), and writes its own logs.',
};

/** The ids aws-cdk-lib gives the constructs that stage Web Function code in a stack. */
const WEB_FUNCTION_CODE_BUCKET_ID = 'AWSCDKWebFunctionAssetBucket';
const WEB_FUNCTION_COPY_PROVIDER_PREFIX = 'Custom::S3ObjectCopy';

/**
 * The cdk-nag (`AwsSolutionsChecks`) findings a cdk-mcp construct causes by design, acknowledged
 * with their reasons through aws-cdk-lib's `Validations.of(construct).acknowledge(...)`.
 *
 * The library acknowledges nothing by itself: call the method of your service kind, after the
 * service is configured, to acknowledge exactly the findings its configuration has, each on the
 * construct that causes it (a role, a load balancer, its security group, the task definition),
 * never on the stack or the service as a whole. A finding your own code adds (another statement
 * on `Resource: *`, a bucket of yours) stays reported. Each method returns what it acknowledged.
 *
 * ```ts
 * const service = new McpFargateService(stack, 'Mcp', { image, deployGate: true });
 * McpNagAcknowledgements.acknowledgeFargateService(service);
 * ```
 *
 * @see https://github.com/cdklabs/cdk-nag
 */
export class McpNagAcknowledgements {
  /**
   * Acknowledge the by-design findings of an `McpLambdaService`: its monitoring's (see
   * `acknowledgeMonitoring`); in a VPC, `AwsSolutions-IAM5[Resource::*]` on the server
   * function's role (the network-interface actions); with a front door (`domainName` or
   * `webAcl`), on `restApi` `AwsSolutions-APIG2` (no request validation: a proxy),
   * `AwsSolutions-APIG4` and `AwsSolutions-COG4` (no authorizer: the server authenticates), and
   * `AwsSolutions-IAM4` on its CloudWatch role (API Gateway's logging policy). Without `webAcl`,
   * `AwsSolutions-APIG3` (no web ACL on the stage) stays reported.
   */
  public static acknowledgeLambdaService(service: McpLambdaService): McpNagAcknowledgement[] {
    const acks = McpNagAcknowledgements.acknowledgeMonitoring(service.monitoring);
    if (service.serverFunction.isBoundToVpc) acks.push(...wildcardResource(service.serverFunction.role, REASONS.serverVpc));
    const api = service.restApi;
    if (api) {
      acks.push(acknowledge(api, 'AwsSolutions-APIG2', REASONS.apiRequestValidation));
      acks.push(acknowledge(api, 'AwsSolutions-APIG4', REASONS.apiAuthorization));
      acks.push(acknowledge(api, 'AwsSolutions-COG4', REASONS.apiAuthorization));
      const role = api.node.tryFindChild('CloudWatchRole');
      if (role && managedPolicyFindings(role).includes(API_GATEWAY_LOGS_POLICY)) {
        acks.push(acknowledge(role, API_GATEWAY_LOGS_POLICY, REASONS.apiCloudWatchRole));
      }
    }
    return acks;
  }

  /**
   * Acknowledge the by-design findings of an `McpWebFunctionService`: its monitoring's, those
   * on what aws-cdk-lib creates once per stack to stage Web Function code: `AwsSolutions-S1` on
   * the code bucket, `AwsSolutions-IAM4` and `AwsSolutions-IAM5` on the copy provider's role, and
   * its CloudFront front door's `AwsSolutions-CFR1` (no geo restriction) and `AwsSolutions-CFR3`
   * (no access logs). `AwsSolutions-CFR2` (no web ACL) stays reported: pass `webAcl`.
   */
  public static acknowledgeWebFunctionService(service: McpWebFunctionService): McpNagAcknowledgement[] {
    const acks = McpNagAcknowledgements.acknowledgeMonitoring(service.monitoring);
    for (const child of Stack.of(service).node.children) {
      if (child.node.id === WEB_FUNCTION_CODE_BUCKET_ID) {
        acks.push(acknowledge(child, 'AwsSolutions-S1', REASONS.codeBucket));
      } else if (child.node.id.startsWith(WEB_FUNCTION_COPY_PROVIDER_PREFIX)) {
        for (const id of [...managedPolicyFindings(child), ...wildcardFindings(child)]) acks.push(acknowledge(child, id, REASONS.copyProvider));
      }
    }
    acks.push(...frontDoorFindings(service.distribution));
    return acks;
  }

  /**
   * Acknowledge the by-design findings of an `McpFargateService`: its monitoring's;
   * `AwsSolutions-IAM5[Resource::*]` on the execution role (an ECR image); `AwsSolutions-EC23` on
   * the load balancer's security group; `AwsSolutions-ELB2` on the load balancer without
   * `accessLogBucket`; `AwsSolutions-ECS2` on the task definition when the container has
   * environment variables (always: the construct sets `PORT`).
   */
  public static acknowledgeFargateService(service: McpFargateService): McpNagAcknowledgement[] {
    const acks = McpNagAcknowledgements.acknowledgeMonitoring(service.monitoring);
    acks.push(...wildcardResource(service.executionRole, REASONS.pullImage));
    const internal = resolvedProperty(service.loadBalancer, (lb) => lb.scheme) === 'internal';
    for (const group of service.loadBalancer.connections.securityGroups) {
      if (admitsTheWorldOrUnknown(group)) acks.push(acknowledge(group, 'AwsSolutions-EC23', internal ? REASONS.internalLoadBalancer : REASONS.publicLoadBalancer));
    }
    const attributes: any[] = resolvedProperty(service.loadBalancer, (lb) => lb.loadBalancerAttributes) ?? [];
    if (!attributes.some((a) => a.key === 'access_logs.s3.enabled' && a.value === 'true')) {
      acks.push(acknowledge(service.loadBalancer, 'AwsSolutions-ELB2', REASONS.accessLogs));
    }
    const containers: any[] = resolvedProperty(service.taskDefinition, (td) => td.containerDefinitions) ?? [];
    if (containers.some((c) => (c.environment ?? []).length > 0)) {
      acks.push(acknowledge(service.taskDefinition, 'AwsSolutions-ECS2', REASONS.environment));
    }
    return acks;
  }

  /**
   * Acknowledge the by-design findings of an `McpExpressService`: its monitoring's; the AWS
   * managed policy on the infrastructure role (`AwsSolutions-IAM4`); `AwsSolutions-IAM5[Resource::*]`
   * on the execution role (an ECR image); its CloudFront front door's `AwsSolutions-CFR1` and
   * `AwsSolutions-CFR3`, as for a Web Function.
   */
  public static acknowledgeExpressService(service: McpExpressService): McpNagAcknowledgement[] {
    const acks = McpNagAcknowledgements.acknowledgeMonitoring(service.monitoring);
    if (managedPolicyFindings(service.infrastructureRole).includes(EXPRESS_INFRASTRUCTURE_POLICY)) {
      acks.push(acknowledge(service.infrastructureRole, EXPRESS_INFRASTRUCTURE_POLICY, REASONS.expressInfrastructure));
    }
    acks.push(...wildcardResource(service.executionRole, REASONS.pullImage));
    acks.push(...frontDoorFindings(service.distribution));
    return acks;
  }

  /**
   * Acknowledge the by-design findings of an `McpAppRunnerService`: its monitoring's;
   * `AwsSolutions-IAM5[Resource::*]` on the access role (an ECR image) and, with `tracing: true`,
   * on the instance role (the X-Ray write actions); with a custom domain, `AwsSolutions-IAM5` on
   * the domain handler's role (`route53:GetChange` on `change/*`) and on the role of aws-cdk-lib's
   * waiter state machine, and `AwsSolutions-SF1` / `AwsSolutions-SF2` on that state machine.
   */
  public static acknowledgeAppRunnerService(service: McpAppRunnerService): McpNagAcknowledgement[] {
    const acks = McpNagAcknowledgements.acknowledgeMonitoring(service.monitoring);
    if (service.accessRole) acks.push(...wildcardResource(service.accessRole, REASONS.pullImage));
    acks.push(...wildcardResource(service.instanceRole, REASONS.xray));
    for (const node of service.customDomain?.node.scope?.node.findAll() ?? []) {
      if (node instanceof iam.Role) {
        for (const id of wildcardFindings(node)) acks.push(acknowledge(node, id, id.includes(':route53:::change/') ? REASONS.domainChange : REASONS.domainWaiter));
      } else if (node instanceof cr.WaiterStateMachine) {
        acks.push(acknowledge(node, 'AwsSolutions-SF1', REASONS.domainWaiterLogs), acknowledge(node, 'AwsSolutions-SF2', REASONS.domainWaiterLogs));
      }
    }
    return acks;
  }

  /**
   * Acknowledge the by-design findings of an `McpServiceMonitoring` (every service's `monitoring`,
   * or one of your own): `AwsSolutions-IAM5[Resource::*]` on the deploy gate's role
   * (`cloudwatch:PutMetricData`), and its canary's (see `acknowledgeCanary`).
   */
  public static acknowledgeMonitoring(monitoring: McpServiceMonitoring): McpNagAcknowledgement[] {
    const acks = monitoring.canary ? McpNagAcknowledgements.acknowledgeCanary(monitoring.canary) : [];
    if (monitoring.deployGate) acks.push(...wildcardResource(monitoring.deployGate.function.role, REASONS.deployGate));
    return acks;
  }

  /**
   * Acknowledge the by-design findings of an `McpCanary`: in a VPC, `AwsSolutions-IAM5[Resource::*]`
   * on its role (the network-interface actions Lambda needs). Outside a VPC it has none.
   */
  public static acknowledgeCanary(canary: McpCanary): McpNagAcknowledgement[] {
    return canary.function.isBoundToVpc ? wildcardResource(canary.role, REASONS.canaryVpc) : [];
  }

  private constructor() {}
}

/** Acknowledge one finding on one construct, and say so. */
function acknowledge(construct: IConstruct, id: string, reason: string): McpNagAcknowledgement {
  Validations.of(construct).acknowledge({ id, reason });
  return { id, constructPath: construct.node.path, reason };
}

/** The by-design findings of a CloudFront front door: no geo restriction, no access logs. */
function frontDoorFindings(distribution: cloudfront.IDistribution | undefined): McpNagAcknowledgement[] {
  if (distribution === undefined) return [];
  return [
    acknowledge(distribution, 'AwsSolutions-CFR1', REASONS.geoRestriction),
    acknowledge(distribution, 'AwsSolutions-CFR3', REASONS.distributionLogs),
  ];
}

/** `AwsSolutions-IAM5[Resource::*]` on a role this app defines, when its policies have it. */
function wildcardResource(role: iam.IRole | undefined, reason: string): McpNagAcknowledgement[] {
  if (!(role instanceof iam.Role) || !wildcardFindings(role).includes(WILDCARD_RESOURCE)) return [];
  return [acknowledge(role, WILDCARD_RESOURCE, reason)];
}

/**
 * Whether cdk-nag's EC23 reports a security group of this app: an ingress rule from 0.0.0.0/0 or
 * ::/0, or from a CIDR that is a CloudFormation reference (such as a VPC's `CidrBlock`), which the
 * rule cannot evaluate and reports too.
 */
function admitsTheWorldOrUnknown(group: ec2.ISecurityGroup): boolean {
  if (!(group instanceof ec2.SecurityGroup)) return false;
  const ingress: any[] = resolvedProperty(group, (sg) => sg.securityGroupIngress) ?? [];
  return ingress.some((rule) => rule.cidrIp === '0.0.0.0/0' || rule.cidrIpv6 === '::/0'
    || (rule.cidrIp !== undefined && typeof rule.cidrIp !== 'string'));
}
