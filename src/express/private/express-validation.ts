import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkEcsServiceName } from '../../private/ecs-names';
import { checkSecretsNotInEnvironment } from '../../private/secret-names';
import { checkPortEnvironment } from '../../private/server-start';
import { ValidationErrors, ValidationProblem } from '../../private/validation';
import { McpExpressScalingMetric, McpExpressServiceProps } from '../express-service-props';

/** The props of `McpExpressService` after defaults, as validation and the construct see them. */
export interface ResolvedExpressSettings {
  readonly containerPort: number;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly mcpPath: string;
  readonly healthCheckPath: string;
  readonly stateful: boolean;
  readonly minTaskCount: number;
  readonly maxTaskCount: number;
  readonly scalingMetric: McpExpressScalingMetric;
  readonly scalingTargetValue: number;
}

/**
 * The memory sizes (MiB) Express Mode accepts for each CPU size. Express Mode runs its tasks on
 * Fargate (express-service-work: "requiresCompatibilities: FARGATE") with CPU from 256 to 4096
 * units; the memory ranges are Fargate's for those sizes. Not confirmed for Express Mode beyond
 * that: a pair outside this table is a synth error, so a table too narrow fails loudly here
 * rather than at deploy.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
const EXPRESS_MEMORY_BY_CPU: { readonly [cpu: number]: readonly number[] } = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

function range(min: number, max: number, step: number): number[] {
  const sizes: number[] = [];
  for (let size = min; size <= max; size += step) sizes.push(size);
  return sizes;
}

/** The memory sizes Express Mode accepts with `cpu`, ascending (empty for an unknown cpu). */
export function expressMemoryChoices(cpu: number): readonly number[] {
  return EXPRESS_MEMORY_BY_CPU[cpu] ?? [];
}

/**
 * Checks every prop of `McpExpressService` and throws once with all problems.
 *
 * @param networkProblems what `resolveExpressNetwork` found wrong with `vpc`, `taskSubnets` and `publicEndpoint`
 */
export function validateExpressServiceProps(
  scope: Construct,
  props: McpExpressServiceProps,
  settings: ResolvedExpressSettings,
  networkProblems: readonly ValidationProblem[],
): void {
  const errors = new ValidationErrors('McpExpressService', scope);
  validateTask(errors, props, settings);
  validatePaths(errors, settings);
  errors.addProblems(networkProblems);
  validateNetwork(errors, props);
  validateScaling(errors, props, settings);
  checkPortEnvironment(errors, props.environment, 'containerPort', settings.containerPort);
  errors.throwIfAny();
}

function validateTask(errors: ValidationErrors, props: McpExpressServiceProps, settings: ResolvedExpressSettings): void {
  const { cpu, memoryLimitMiB } = settings;
  if (!Token.isUnresolved(cpu) && !Token.isUnresolved(memoryLimitMiB)) {
    const choices = expressMemoryChoices(cpu);
    if (choices.length === 0) {
      errors.check('cdk-mcp:expressCpu', false, `cpu must be one of ${Object.keys(EXPRESS_MEMORY_BY_CPU).join(', ')} (got ${cpu}); 1024 is one vCPU.`);
    } else {
      errors.check(
        'cdk-mcp:expressMemory',
        choices.includes(memoryLimitMiB),
        `memoryLimitMiB ${memoryLimitMiB} is not an Express Mode size for cpu ${cpu}: use one of ${choices.join(', ')} MiB, or change cpu.`,
      );
    }
  }
  errors.integerInRange('containerPort', settings.containerPort, 1, 65535);
  // The canary checks canaryUrl, the monitoring the metric rules of the name.
  checkEcsServiceName(errors, props.serviceName);
  errors.environmentNames('environment', props.environment);
  errors.environmentNames('secrets', props.secrets);
  checkSecretsNotInEnvironment(errors, props.secrets, props.environment);
}

function validatePaths(errors: ValidationErrors, settings: ResolvedExpressSettings): void {
  errors.path('mcpPath', settings.mcpPath);
  errors.path('healthCheckPath', settings.healthCheckPath);
  errors.notMcpPath('healthCheckPath', settings.healthCheckPath, settings.mcpPath, 'so the managed load balancer\'s health check would mark every task unhealthy');
}

function validateNetwork(errors: ValidationErrors, props: McpExpressServiceProps): void {
  // The subnets and the endpoint's scheme: private/express-network.ts. Up to five security groups
  // per task (awsvpc): https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html
  errors.check(
    'cdk-mcp:securityGroupsCount',
    props.securityGroups === undefined || props.securityGroups.length <= 5,
    `securityGroups has ${props.securityGroups?.length} groups: a task accepts at most 5. Pass at most 5 (combine rules into fewer groups).`,
  );
}

function validateScaling(errors: ValidationErrors, props: McpExpressServiceProps, settings: ResolvedExpressSettings): void {
  const { minTaskCount: min, maxTaskCount: max } = settings;
  errors.integerInRange('minTaskCount', props.minTaskCount, 1, Number.MAX_SAFE_INTEGER);
  errors.integerInRange('maxTaskCount', props.maxTaskCount, 1, Number.MAX_SAFE_INTEGER);
  errors.notAbove('minTaskCount', min, 'maxTaskCount', max);
  if (settings.stateful && !Token.isUnresolved(max)) {
    // The ExpressGatewayService API has no stickiness or session-affinity setting
    // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExpressGatewayServiceConfiguration.html).
    errors.check(
      'cdk-mcp:expressStatefulScaling',
      max <= 1,
      `sessionMode is STATEFUL with up to ${max} tasks: Express Mode's load balancer has no session affinity, so requests of one session would reach tasks ` +
        'that do not hold it and get 404 "Session not found". Run one task (minTaskCount and maxTaskCount 1), make the server stateless, ' +
        'or use McpFargateService, whose target group pins clients to a task.',
    );
  }
  if (settings.scalingMetric === McpExpressScalingMetric.REQUEST_COUNT) {
    errors.integerInRange('scalingTargetValue', props.scalingTargetValue, 1, Number.MAX_SAFE_INTEGER, 'requests per task per minute');
  } else {
    errors.integerInRange('scalingTargetValue', props.scalingTargetValue, 10, 90, 'percent');
  }
}
