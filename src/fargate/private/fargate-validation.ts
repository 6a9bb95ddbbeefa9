import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
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
  errors.throwIfAny();
}

function validateTask(errors: ValidationErrors, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  const { cpu, memoryLimitMiB } = settings;
  if (!Token.isUnresolved(cpu) && !Token.isUnresolved(memoryLimitMiB)) {
    const choices = fargateMemoryChoices(cpu);
    if (choices.length === 0) {
      errors.check(false, `cpu must be one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')} (got ${cpu}); 1024 is one vCPU.`);
    } else {
      errors.check(
        choices.includes(memoryLimitMiB),
        `memoryLimitMiB ${memoryLimitMiB} is not a Fargate size for cpu ${cpu}: use ${describeChoices(choices)} MiB, or change cpu.`,
      );
    }
  }
  errors.integerInRange('containerPort', settings.containerPort, 1, 65535);
  const serviceName = props.serviceName;
  errors.check(
    serviceName === undefined || Token.isUnresolved(serviceName) || /^[A-Za-z0-9_-]{1,255}$/.test(serviceName),
    `serviceName must be 1 to 255 letters, digits, hyphens or underscores (got "${serviceName}"), e.g. "orders-mcp".`,
  );
  const canaryUrl = props.canaryUrl;
  errors.check(
    canaryUrl === undefined || Token.isUnresolved(canaryUrl) || /^https?:\/\/[^\s/]+(\/\S*)?$/.test(canaryUrl),
    `canaryUrl must be an http:// or https:// URL (got "${canaryUrl}"), e.g. https://mcp.example.com/mcp.`,
  );
  durationInRange(errors, 'stopTimeout', props.stopTimeout, 2, 120, 'Fargate waits at most 2 minutes after SIGTERM.');
  // The ECS Exec agent writes to the container's root file system.
  // https://github.com/aws/containers-roadmap/issues/1359
  errors.check(
    !(props.enableExecuteCommand && props.readonlyRootFilesystem === true),
    'readonlyRootFilesystem is true but enableExecuteCommand is on: the ECS Exec agent must write to the root file system and fails on a read-only one. ' +
      'Remove readonlyRootFilesystem (it then defaults to false with ECS Exec), or turn ECS Exec off.',
  );
  const user = props.user;
  errors.check(
    user === undefined || Token.isUnresolved(user) || !/^(root|0)(:|$)/.test(user),
    `user must not be root (got "${user}"): leave user unset to run as the image's USER, or name an unprivileged user of the image, e.g. "node" or "1000:1000".`,
  );
  for (const name of Object.keys(props.secrets ?? {})) {
    errors.check(
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
      `secrets key "${name}" is not a valid environment variable name: use letters, digits and underscores, not starting with a digit.`,
    );
    errors.check(
      (props.environment ?? {})[name] === undefined,
      `${name} is set in both environment and secrets: keep it in secrets only (its value would otherwise be in the template).`,
    );
  }
}

function validateLoadBalancing(errors: ValidationErrors, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  errors.path('mcpPath', settings.mcpPath);
  errors.path('healthCheckPath', settings.healthCheckPath);
  errors.check(
    Token.isUnresolved(settings.healthCheckPath) || Token.isUnresolved(settings.mcpPath) || settings.healthCheckPath !== settings.mcpPath,
    `healthCheckPath must not be the MCP path (got ${settings.healthCheckPath}): a GET there answers 405 or 406, so every task would be marked unhealthy. ` +
      'Point it at a health path such as /healthz.',
  );
  durationInRange(errors, 'idleTimeout', props.idleTimeout, 1, 4000, 'the load balancer accepts 1 to 4000 seconds.');
  durationInRange(errors, 'deregistrationDelay', props.deregistrationDelay, 0, 3600, 'the target group accepts 0 to 3600 seconds.');
  durationInRange(errors, 'healthCheckGracePeriod', props.healthCheckGracePeriod, 0, 2_147_483_647, 'use 0 or more seconds.');
  errors.check(
    props.sslPolicy === undefined || settings.tls,
    'sslPolicy applies to the HTTPS listener only, and there is none: pass certificate (or domainName with domainZone), or remove sslPolicy.',
  );
  errors.check(
    props.accessLogPrefix === undefined || props.accessLogBucket !== undefined,
    `accessLogPrefix is set (got "${props.accessLogPrefix}") but accessLogBucket is not: pass the bucket, or remove the prefix.`,
  );
}

function validateSessions(errors: ValidationErrors, props: McpFargateServiceProps, settings: ResolvedFargateSettings): void {
  const maxTasks = props.maxTaskCount ?? settings.desiredCount;
  if (settings.stateful && !settings.stickiness && !Token.isUnresolved(maxTasks)) {
    errors.check(
      maxTasks <= 1,
      `sessionMode is STATEFUL with up to ${maxTasks} tasks and stickiness: false: requests of one session would reach tasks that do not hold it ` +
        'and get 404 "Session not found". Remove stickiness: false (stickiness is on by default for stateful servers), run one task, or make the server stateless.',
    );
  }
  errors.check(
    props.stickinessDuration === undefined || settings.stickiness,
    'stickinessDuration is set but stickiness is off: set sessionMode: McpSessionMode.STATEFUL or stickiness: true, or remove stickinessDuration.',
  );
  durationInRange(errors, 'stickinessDuration', props.stickinessDuration, 1, 7 * 86_400, 'the load balancer cookie lasts 1 second to 7 days.');
}

function validateNetworkAndDomain(errors: ValidationErrors, scope: Construct, props: McpFargateServiceProps): void {
  errors.check(
    props.vpc === undefined || props.cluster === undefined,
    'vpc and cluster are both set: the service runs in the cluster\'s VPC. Pass only cluster, or only vpc (a cluster is then created).',
  );
  errors.check(
    props.domainZone === undefined || props.domainName !== undefined,
    'domainZone is set but domainName is not: pass the domain name to create in the zone (e.g. mcp.example.com), or remove domainZone.',
  );
  errors.check(
    props.certificate === undefined || props.domainName !== undefined,
    'certificate is set but domainName is not: url and the canary would use https://<load balancer DNS name>, which no certificate covers, so every client and ' +
      'every probe fails TLS verification (the canary reports TLS_ERROR every minute). Pass domainName, the name the certificate covers (e.g. mcp.example.com; ' +
      'with domainZone an alias record is created, else point your DNS at the load balancer), or remove certificate.',
  );
  errors.check(
    props.domainName === undefined || props.domainZone !== undefined || props.certificate !== undefined,
    `domainName ${props.domainName} needs domainZone (a record and a certificate are created) or certificate (a certificate for ${props.domainName}; you manage DNS).`,
  );
  if (props.accessLogBucket) {
    errors.check(
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
      false,
      `natGateways is ${describeValue(nat)} but ${given} is given: natGateways shapes only the VPC the construct creates. ` +
        `Remove natGateways (give your VPC the NAT gateways or VPC endpoints the tasks need), or remove ${given}.`,
    );
    return;
  }
  if (typeof nat !== 'number' || !Number.isInteger(nat) || nat < 0 || nat > 2) {
    errors.check(
      false,
      `natGateways must be 0, 1 or 2 (got ${describeValue(nat)}): the VPC the construct creates has two Availability Zones and at most one NAT gateway in each.`,
    );
    return;
  }
  if (nat !== 0) {
    return;
  }
  errors.check(
    props.assignPublicIp !== false,
    'natGateways is 0 but assignPublicIp is false: without a NAT gateway the tasks run in public subnets, where only a public IP address takes them to ECR, ' +
      'CloudWatch Logs and Secrets Manager, so no task could pull its image. Remove assignPublicIp (it defaults to true with natGateways: 0), or remove natGateways for one NAT gateway.',
  );
  const type = props.taskSubnets?.subnetType;
  errors.check(
    type === undefined || type === ec2.SubnetType.PUBLIC,
    `natGateways is 0 but taskSubnets selects subnetType ${JSON.stringify(type)}: the VPC created without a NAT gateway has public subnets only. ` +
      'Remove taskSubnets (the tasks then run in the public subnets with public IPs), or remove natGateways for private subnets behind one NAT gateway.',
  );
  errors.check(
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
      errors.check(value === undefined, `${name} is set but maxTaskCount is not: auto scaling is on only with maxTaskCount. Set maxTaskCount, or remove ${name}.`);
    }
    return;
  }
  const min = props.minTaskCount ?? settings.desiredCount;
  const max = props.maxTaskCount;
  errors.integerInRange('minTaskCount', props.minTaskCount, 1, Number.MAX_SAFE_INTEGER);
  errors.integerInRange('maxTaskCount', max, 1, Number.MAX_SAFE_INTEGER);
  if (![min, max, settings.desiredCount].some((n) => Token.isUnresolved(n))) {
    errors.check(min <= max, `minTaskCount (${min}) must not exceed maxTaskCount (${max}).`);
    errors.check(
      settings.desiredCount >= min && settings.desiredCount <= max,
      `desiredCount (${settings.desiredCount}) must lie between minTaskCount (${min}) and maxTaskCount (${max}).`,
    );
  }
  const metric = props.scalingMetric ?? McpFargateScalingMetric.REQUEST_COUNT;
  if (metric === McpFargateScalingMetric.REQUEST_COUNT) {
    errors.check(
      props.targetCpuUtilizationPercent === undefined,
      'targetCpuUtilizationPercent is set but scalingMetric is REQUEST_COUNT: set scalingMetric: McpFargateScalingMetric.CPU_UTILIZATION, or use targetRequestsPerTask.',
    );
    errors.integerInRange('targetRequestsPerTask', props.targetRequestsPerTask, 1, Number.MAX_SAFE_INTEGER, 'requests per minute');
  } else {
    errors.check(
      props.targetRequestsPerTask === undefined,
      'targetRequestsPerTask is set but scalingMetric is CPU_UTILIZATION: set scalingMetric: McpFargateScalingMetric.REQUEST_COUNT, or use targetCpuUtilizationPercent.',
    );
    errors.integerInRange('targetCpuUtilizationPercent', props.targetCpuUtilizationPercent, 10, 90, 'percent');
  }
  durationInRange(errors, 'scaleOutCooldown', props.scaleOutCooldown, 0, 86_400, 'use up to one day.');
  durationInRange(errors, 'scaleInCooldown', props.scaleInCooldown, 0, 86_400, 'use up to one day.');
}

/** An optional Duration prop must lie in [minSeconds, maxSeconds] and be whole seconds. */
function durationInRange(
  errors: ValidationErrors,
  prop: string,
  value: Duration | undefined,
  minSeconds: number,
  maxSeconds: number,
  why: string,
): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const seconds = value.toSeconds({ integral: false });
  errors.check(
    Number.isInteger(seconds) && seconds >= minSeconds && seconds <= maxSeconds,
    `${prop} must be a whole number of seconds between ${minSeconds} and ${maxSeconds} (got ${value.toHumanString()}): ${why}`,
  );
}

function describeChoices(choices: number[]): string {
  if (choices.length <= 4) {
    return choices.join(', ');
  }
  return `${choices[0]}, ${choices[1]}, ... ${choices[choices.length - 1]} (steps of ${choices[2] - choices[1]})`;
}
