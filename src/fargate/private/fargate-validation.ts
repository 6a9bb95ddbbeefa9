import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { checkDomainOptions } from '../../front-door/private/domain-checks';
import { checkRegionalWebAcl } from '../../front-door/private/regional-web-acl';
import { checkEcsServiceName } from '../../private/ecs-names';
import { checkSecretsNotInEnvironment } from '../../private/secret-names';
import { checkPortEnvironment } from '../../private/server-start';
import { ValidationErrors, describeValue } from '../../private/validation';
import { McpFargateScalingMetric, McpFargateServiceProps } from '../fargate-service-props';

/** The props of `McpFargateService` after defaults, as validation and the construct see them. */
export interface ResolvedFargateSettings {
  readonly containerPort: number;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly desiredCount: number;
  readonly mcpPath: string;
  readonly healthCheckPath: string;
  readonly stateful: boolean;
  readonly stickiness: boolean;
  /** An HTTPS listener will exist (a certificate, or one created for domainName + domainZone). */
  readonly tls: boolean;
  readonly publicLoadBalancer: boolean;
  readonly readonlyRootFilesystem: boolean;
  /** NAT gateways of the VPC the construct creates (used only when it creates one). */
  readonly natGateways: number;
}

/**
 * The memory sizes (MiB) Fargate accepts for each CPU size (Linux tasks).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
interface MemoryRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** Sizes below `min` that are also allowed. */
  readonly extra?: number[];
}

const FARGATE_MEMORY_BY_CPU: { readonly [cpu: number]: MemoryRange } = {
  256: { min: 1024, max: 2048, step: 1024, extra: [512] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** The memory sizes Fargate accepts with `cpu`, ascending. */
export function fargateMemoryChoices(cpu: number): number[] {
  const range = FARGATE_MEMORY_BY_CPU[cpu];
  if (!range) {
    return [];
  }
  const sizes = [...(range.extra ?? [])];
  for (let size = range.min; size <= range.max; size += range.step) {
    sizes.push(size);
  }
  return sizes;
}

/** Checks every prop of `McpFargateService` and throws once with all problems. */
export function validateFargateServiceProps(scope: Construct, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  const errors = new ValidationErrors('McpFargateService', scope);
  validateTask(errors, props, settings);
  validateLoadBalancing(errors, props, settings);
  validateSessions(errors, props, settings);
  validateNetworkAndDomain(errors, scope, props);
  validateCreatedVpc(errors, props, settings);
  validateScaling(errors, props, settings);
  checkPortEnvironment(errors, props.environment, 'containerPort', settings.containerPort);
  errors.throwIfAny();
}

function validateTask(errors: ValidationErrors, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  const { cpu, memoryLimitMiB } = settings;
  if (!Token.isUnresolved(cpu) && !Token.isUnresolved(memoryLimitMiB)) {
    const choices = fargateMemoryChoices(cpu);
    if (choices.length === 0) {
      errors.check('cdk-mcp:fargateCpu', false, `cpu must be one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')} (got ${cpu}); 1024 is one vCPU.`);
    } else {
      errors.check(
        'cdk-mcp:fargateMemory',
        choices.includes(memoryLimitMiB),
        `memoryLimitMiB ${memoryLimitMiB} is not a Fargate size for cpu ${cpu}: use ${describeChoices(choices)} MiB, or change cpu.`,
      );
    }
  }
  errors.integerInRange('containerPort', settings.containerPort, 1, 65535);
  checkEcsServiceName(errors, props.serviceName);
  errors.durationInRange('stopTimeout', props.stopTimeout, Duration.seconds(2), Duration.minutes(2), { wholeSeconds: true, why: 'Fargate waits at most 2 minutes after SIGTERM' });
  // The ECS Exec agent writes to the container's root file system.
  // https://github.com/aws/containers-roadmap/issues/1359
  errors.check(
    'cdk-mcp:execNeedsWritableRoot',
    !(props.enableExecuteCommand && props.readonlyRootFilesystem === true),
    'readonlyRootFilesystem is true but enableExecuteCommand is on: the ECS Exec agent must write to the root file system and fails on a read-only one. ' +
      'Remove readonlyRootFilesystem (it then defaults to false with ECS Exec), or turn ECS Exec off.',
  );
  const user = props.user;
  errors.check(
    'cdk-mcp:rootUser',
    user === undefined || Token.isUnresolved(user) || !/^(root|0)(:|$)/.test(user),
    `user must not be root (got "${user}"): leave user unset to run as the image's USER, or name an unprivileged user of the image, e.g. "node" or "1000:1000".`,
  );
  errors.environmentNames('secrets', props.secrets);
  checkSecretsNotInEnvironment(errors, props.secrets, props.environment);
}

function validateLoadBalancing(errors: ValidationErrors, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  errors.path('mcpPath', settings.mcpPath);
  errors.path('healthCheckPath', settings.healthCheckPath);
  errors.notMcpPath('healthCheckPath', settings.healthCheckPath, settings.mcpPath, 'so the target group would mark every task unhealthy');
  errors.durationInRange('idleTimeout', props.idleTimeout, Duration.seconds(1), Duration.seconds(4000), { wholeSeconds: true, why: 'the load balancer\'s limits' });
  errors.durationInRange('deregistrationDelay', props.deregistrationDelay, Duration.seconds(0), Duration.seconds(3600),
    { wholeSeconds: true, why: 'the target group\'s limits' });
  errors.durationInRange('healthCheckGracePeriod', props.healthCheckGracePeriod, Duration.seconds(0), Duration.seconds(2_147_483_647),
    { wholeSeconds: true, why: 'the ECS service\'s limits' });
  errors.check(
    'cdk-mcp:sslPolicyWithoutHttps',
    props.sslPolicy === undefined || settings.tls,
    'sslPolicy applies to the HTTPS listener only, and there is none: pass certificate (or domainName with domainZone), or remove sslPolicy.',
  );
  errors.check(
    'cdk-mcp:accessLogPrefixWithoutBucket',
    props.accessLogPrefix === undefined || props.accessLogBucket !== undefined,
    `accessLogPrefix is set (got "${props.accessLogPrefix}") but accessLogBucket is not: pass the bucket, or remove the prefix.`,
  );
}

function validateSessions(errors: ValidationErrors, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  const maxTasks = props.maxTaskCount ?? settings.desiredCount;
  if (settings.stateful && !settings.stickiness && !Token.isUnresolved(maxTasks)) {
    errors.check(
      'cdk-mcp:statefulWithoutStickiness',
      maxTasks <= 1,
      `sessionMode is STATEFUL with up to ${maxTasks} tasks and stickiness: false: requests of one session would reach tasks that do not hold it ` +
        'and get 404 "Session not found". Remove stickiness: false (stickiness is on by default for stateful servers), run one task, or make the server stateless.',
    );
  }
  errors.check(
    'cdk-mcp:stickinessDurationWithoutStickiness',
    props.stickinessDuration === undefined || settings.stickiness,
    'stickinessDuration is set but stickiness is off: set sessionMode: McpSessionMode.STATEFUL or stickiness: true, or remove stickinessDuration.',
  );
  errors.durationInRange('stickinessDuration', props.stickinessDuration, Duration.seconds(1), Duration.days(7),
    { wholeSeconds: true, why: 'the load balancer cookie lasts 1 second to 7 days' });
}

function validateNetworkAndDomain(errors: ValidationErrors, scope: Construct, props: McpFargateServiceProps): void {
  errors.check(
    'cdk-mcp:vpcAndCluster',
    props.vpc === undefined || props.cluster === undefined,
    'vpc and cluster are both set: the service runs in the cluster\'s VPC. Pass only cluster, or only vpc (a cluster is then created).',
  );
  checkDomainOptions(errors, props, { defaultHost: 'https://<load balancer DNS name>', dnsTarget: 'the load balancer' });
  checkRegionalWebAcl(errors, scope, props.webAcl, 'the load balancer');
  if (props.accessLogBucket) {
    errors.check(
      'cdk-mcp:accessLogBucketNeedsRegion',
      !Token.isUnresolved(Stack.of(scope).region),
      'accessLogBucket needs a stack with a concrete region (the bucket policy names the region\'s load balancer account): ' +
        'give the stack env: { region: ... }, or remove accessLogBucket.',
    );
  }
}

/** `natGateways` shapes the VPC the construct creates; without NAT the tasks need public IPs. */
function validateCreatedVpc(errors: ValidationErrors, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  const nat = props.natGateways;
  if (nat === undefined || Token.isUnresolved(nat)) {
    return;
  }
  const given = props.vpc !== undefined ? 'vpc' : props.cluster !== undefined ? 'cluster' : undefined;
  if (given) {
    errors.check(
      'cdk-mcp:natGatewaysWithOwnVpc',
      false,
      `natGateways is ${describeValue(nat)} but ${given} is given: natGateways shapes only the VPC the construct creates. ` +
        `Remove natGateways (give your VPC the NAT gateways or VPC endpoints the tasks need), or remove ${given}.`,
    );
    return;
  }
  if (typeof nat !== 'number' || !Number.isInteger(nat) || nat < 0 || nat > 2) {
    errors.check(
      'cdk-mcp:natGatewaysRange',
      false,
      `natGateways must be 0, 1 or 2 (got ${describeValue(nat)}): the VPC the construct creates has two Availability Zones and at most one NAT gateway in each.`,
    );
    return;
  }
  if (nat !== 0) {
    return;
  }
  errors.check(
    'cdk-mcp:noNatWithoutPublicIp',
    props.assignPublicIp !== false,
    'natGateways is 0 but assignPublicIp is false: without a NAT gateway the tasks run in public subnets, where only a public IP address takes them to ECR, ' +
      'CloudWatch Logs and Secrets Manager, so no task could pull its image. Remove assignPublicIp (it defaults to true with natGateways: 0), or remove natGateways for one NAT gateway.',
  );
  const type = props.taskSubnets?.subnetType;
  errors.check(
    'cdk-mcp:noNatPrivateSubnets',
    type === undefined || type === ec2.SubnetType.PUBLIC,
    `natGateways is 0 but taskSubnets selects subnetType ${JSON.stringify(type)}: the VPC created without a NAT gateway has public subnets only. ` +
      'Remove taskSubnets (the tasks then run in the public subnets with public IPs), or remove natGateways for private subnets behind one NAT gateway.',
  );
  errors.check(
    'cdk-mcp:noNatInternalCanary',
    settings.publicLoadBalancer || props.canaryUrl !== undefined || props.canary === false,
    'natGateways is 0 but publicLoadBalancer is false: the canary of an internal load balancer runs in the VPC\'s private subnets, and the VPC created without a NAT gateway ' +
      'has none (a Lambda function in a public subnet has no route out). Remove natGateways (one NAT gateway), set publicLoadBalancer: true, or pass canaryUrl ' +
      '(a front door the canary reaches from outside the VPC) or canary: false.',
  );
}

function validateScaling(errors: ValidationErrors, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  errors.integerInRange('desiredCount', settings.desiredCount, 1, Number.MAX_SAFE_INTEGER);
  const scalingOnly: Array<[string, unknown]> = [
    ['minTaskCount', props.minTaskCount],
    ['scalingMetric', props.scalingMetric],
    ['targetRequestsPerTask', props.targetRequestsPerTask],
    ['targetCpuUtilizationPercent', props.targetCpuUtilizationPercent],
    ['scaleOutCooldown', props.scaleOutCooldown],
    ['scaleInCooldown', props.scaleInCooldown],
  ];
  if (props.maxTaskCount === undefined) {
    for (const [name, value] of scalingOnly) {
      errors.check('cdk-mcp:scalingWithoutMaxTaskCount', value === undefined, `${name} is set but maxTaskCount is not: auto scaling is on only with maxTaskCount. Set maxTaskCount, or remove ${name}.`);
    }
    return;
  }
  const min = props.minTaskCount ?? settings.desiredCount;
  const max = props.maxTaskCount;
  errors.integerInRange('minTaskCount', props.minTaskCount, 1, Number.MAX_SAFE_INTEGER);
  errors.integerInRange('maxTaskCount', max, 1, Number.MAX_SAFE_INTEGER);
  errors.notAbove('minTaskCount', min, 'maxTaskCount', max);
  if (![min, max, settings.desiredCount].some((n) => Token.isUnresolved(n))) {
    errors.check(
      'cdk-mcp:desiredCountOutsideScaling',
      settings.desiredCount >= min && settings.desiredCount <= max,
      `desiredCount (${settings.desiredCount}) must lie between minTaskCount (${min}) and maxTaskCount (${max}): set desiredCount within them, or widen them.`,
    );
  }
  const metric = props.scalingMetric ?? McpFargateScalingMetric.REQUEST_COUNT;
  if (metric === McpFargateScalingMetric.REQUEST_COUNT) {
    errors.check(
      'cdk-mcp:cpuTargetWithRequestScaling',
      props.targetCpuUtilizationPercent === undefined,
      'targetCpuUtilizationPercent is set but scalingMetric is REQUEST_COUNT: set scalingMetric: McpFargateScalingMetric.CPU_UTILIZATION, or use targetRequestsPerTask.',
    );
    errors.integerInRange('targetRequestsPerTask', props.targetRequestsPerTask, 1, Number.MAX_SAFE_INTEGER, 'requests per minute');
  } else {
    errors.check(
      'cdk-mcp:requestTargetWithCpuScaling',
      props.targetRequestsPerTask === undefined,
      'targetRequestsPerTask is set but scalingMetric is CPU_UTILIZATION: set scalingMetric: McpFargateScalingMetric.REQUEST_COUNT, or use targetCpuUtilizationPercent.',
    );
    errors.integerInRange('targetCpuUtilizationPercent', props.targetCpuUtilizationPercent, 10, 90, 'percent');
  }
  errors.durationInRange('scaleOutCooldown', props.scaleOutCooldown, Duration.seconds(0), Duration.days(1), { wholeSeconds: true, why: 'use up to one day' });
  errors.durationInRange('scaleInCooldown', props.scaleInCooldown, Duration.seconds(0), Duration.days(1), { wholeSeconds: true, why: 'use up to one day' });
}

function describeChoices(choices: number[]): string {
  if (choices.length <= 4) {
    return choices.join(', ');
  }
  return `${choices[0]}, ${choices[1]}, ... ${choices[choices.length - 1]} (steps of ${choices[2] - choices[1]})`;
}
