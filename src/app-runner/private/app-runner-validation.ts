import { Token } from 'aws-cdk-lib';
import { ValidationErrors } from './validation';

/**
 * The CPU and memory combinations App Runner accepts: CPU units (1024 = 1 vCPU) to the memory
 * sizes in MiB allowed with them.
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/dg/architecture.html#architecture.vcpu-memory
 */
export const APP_RUNNER_CPU_MEMORY: { readonly [cpu: number]: readonly number[] } = {
  256: [512, 1024],
  512: [1024],
  1024: [2048, 3072, 4096],
  2048: [4096, 6144],
  4096: [8192, 10240, 12288],
};

/** The most instances App Runner keeps provisioned (`MinSize` is at most 25). */
export const APP_RUNNER_MAX_MIN_INSTANCES = 25;

/** App Runner's default `MaxSize`, also its default instance quota per service (adjustable). */
export const APP_RUNNER_DEFAULT_MAX_INSTANCES = 25;

/** The most concurrent requests one App Runner instance can be configured to take. */
export const APP_RUNNER_MAX_CONCURRENCY = 200;

/** App Runner's service name rule: 4 to 40 characters, letters, digits, `-` and `_`. */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/;

/** An environment variable name a POSIX shell accepts. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;


/** `cpu` and `memoryLimitMiB` must form one of App Runner's instance sizes. */
export function checkCpuMemory(errors: ValidationErrors, cpu: number, memoryLimitMiB: number): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memoryLimitMiB)) {
    return;
  }
  const memories = APP_RUNNER_CPU_MEMORY[cpu];
  if (!memories) {
    errors.check(false, `cpu must be one of ${Object.keys(APP_RUNNER_CPU_MEMORY).join(', ')} CPU units (1024 = 1 vCPU) (got ${cpu}).`);
    return;
  }
  const combinations = Object.entries(APP_RUNNER_CPU_MEMORY)
    .map(([c, ms]) => `${c}: ${ms.join('/')}`)
    .join('; ');
  errors.check(
    memories.includes(memoryLimitMiB),
    `memoryLimitMiB ${memoryLimitMiB} is not available with cpu ${cpu}: App Runner allows ${memories.join(', ')} MiB with ${cpu} CPU units. ` +
      `Valid cpu: memoryLimitMiB combinations are ${combinations}.`,
  );
}

/** An App Runner service name, when one is given. */
export function checkServiceName(errors: ValidationErrors, serviceName: string | undefined): void {
  if (serviceName === undefined || Token.isUnresolved(serviceName)) {
    return;
  }
  errors.check(
    SERVICE_NAME.test(serviceName),
    `serviceName must be 4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit (got "${serviceName}").`,
  );
}

/**
 * Names of runtime environment variables and secrets: valid names, not owned by the construct or
 * App Runner, and no name set twice.
 */
export function checkEnvironmentNames(
  errors: ValidationErrors,
  environment: { [name: string]: string },
  secretNames: string[],
  reserved: { [name: string]: string },
): void {
  for (const [prop, names] of [['environment', Object.keys(environment)], ['secrets', secretNames]] as const) {
    for (const name of names) {
      errors.check(
        ENV_NAME.test(name),
        `${prop} key "${name}" is not a valid environment variable name: use letters, digits and underscores, not starting with a digit.`,
      );
      errors.check(
        !name.toUpperCase().startsWith('AWSAPPRUNNER'),
        `${prop} key "${name}" starts with AWSAPPRUNNER, a prefix App Runner reserves. Rename the variable.`,
      );
      const reason = reserved[name];
      errors.check(!reason, `${prop} must not set ${name}: ${reason}.`);
    }
  }
  for (const name of secretNames) {
    errors.check(
      environment[name] === undefined,
      `${name} is set in both environment and secrets. Keep it in secrets only: a plain variable would expose the value in the template.`,
    );
  }
}

