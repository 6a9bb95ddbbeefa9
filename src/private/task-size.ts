import { Token } from 'aws-cdk-lib';
import { ProblemId, ValidationErrors } from './validation';

/** The CPU and memory sizes a container platform accepts, for {@link checkTaskSize}. */
export interface TaskSizes {
  /** The platform in messages: `a Fargate size`, `an Express Mode size`. */
  readonly sizeName: string;
  /** The `cpu` values the platform accepts. */
  readonly cpuValues: readonly number[];
  /** The `memoryLimitMiB` values it accepts with `cpu` (none for an unknown cpu). */
  readonly memoryChoices: (cpu: number) => readonly number[];
  /** The choices as the message lists them. */
  readonly describe: (choices: readonly number[]) => string;
  /** The rules' ids, for a cpu it does not accept and a memory it does not accept with that cpu. */
  readonly ids: { readonly cpu: ProblemId; readonly memory: ProblemId };
}

/**
 * `cpu` is one the platform accepts and `memoryLimitMiB` one it accepts with that cpu (Fargate and
 * ECS Express Mode have one table each). Skipped while either is a token.
 */
export function checkTaskSize(errors: ValidationErrors, cpu: number, memoryLimitMiB: number, sizes: TaskSizes): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memoryLimitMiB)) {
    return;
  }
  const choices = sizes.memoryChoices(cpu);
  if (choices.length === 0) {
    errors.check(sizes.ids.cpu, false, `cpu must be one of ${sizes.cpuValues.join(', ')} (got ${cpu}); 1024 is one vCPU.`);
    return;
  }
  errors.check(sizes.ids.memory, choices.includes(memoryLimitMiB),
    `memoryLimitMiB ${memoryLimitMiB} is not ${sizes.sizeName} for cpu ${cpu}: use ${sizes.describe(choices)} MiB, or change cpu.`);
}
