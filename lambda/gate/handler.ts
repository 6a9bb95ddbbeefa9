/**
 * The deploy gate: the `onEvent` handler of a CDK custom-resource Provider framework. On Create
 * and Update it opens a maintenance window for the service, probes it with the canary's
 * configuration until a probe passes or the gate's time runs out (with backoff), closes the
 * window, and throws when no probe passed: the framework answers CloudFormation FAILED with the
 * message (failure class, redacted message, what to check), which fails the resource and rolls
 * the deployment back. Delete succeeds at once. See src/contract/gate.ts.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  GATE_DEFAULT_MAX_WAIT_MS, GATE_DEFAULT_RETRY_BASE_MS, GATE_ENV, GATE_MAX_RETRY_DELAY_MS, GATE_RESPONSE_DATA,
  GATE_TIMEOUT_MARGIN_MS, gatePhysicalResourceId,
} from '../../src/contract/gate';
import { MAINTENANCE_MAX_MINUTES } from '../../src/contract/operations';
import { withAuth } from '../canary/auth';
import { BearerTokenCache, sdkGetSecretString, type GetSecretString } from '../canary/bearer-token';
import { parseCanaryConfig, type CanaryAuthConfig, type CanaryConfig } from '../canary/config';
import { describeSide } from '../canary/side';
import { closeWindow, openWindow, type MaintenanceTarget } from '../cli/ops/maintenance';
import { nextStep, oneLine, probe as runProbe, validateProbeOptions, type ProbeOptions, type ProbeResult } from '../probe';

/** The fields of a Provider framework onEvent event the gate reads. */
export interface GateEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly StackId?: string;
  readonly ResourceProperties?: Record<string, unknown>;
}

/** The Provider framework's onEvent answer. */
export interface GateResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** The part of the Lambda context the gate uses. */
export interface GateContext {
  getRemainingTimeInMillis?(): number;
}

/** What the gate talks to; tests replace parts. */
export interface GateDeps {
  readonly cloudwatch?: () => CloudWatchClient;
  readonly probe?: (options: ProbeOptions) => Promise<ProbeResult>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** The stack's status, to recognise a rollback; undefined when unknown. */
  readonly stackStatus?: (stackId: string) => Promise<string | undefined>;
  readonly getSecretString?: GetSecretString;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (record: Record<string, unknown>) => void;
}

/** The gate's own settings, besides the canary's. */
export interface GateSettings {
  readonly maxWaitMs: number;
  readonly retryBaseMs: number;
  readonly maintenance: boolean;
}

/**
 * Parses the gate's own variables.
 *
 * @throws naming the variable and the fix
 */
export function parseGateSettings(env: NodeJS.ProcessEnv): GateSettings {
  const ms = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`Invalid MCP deploy gate configuration: ${name} is '${text}'; it must be a positive whole number of milliseconds.`);
    return value;
  };
  const maintenance = (env[GATE_ENV.MAINTENANCE] ?? 'true').trim().toLowerCase();
  if (maintenance !== 'true' && maintenance !== 'false') {
    throw new Error(`Invalid MCP deploy gate configuration: ${GATE_ENV.MAINTENANCE} is '${env[GATE_ENV.MAINTENANCE]}'; use true or false.`);
  }
  return {
    maxWaitMs: ms(GATE_ENV.MAX_WAIT_MS, GATE_DEFAULT_MAX_WAIT_MS),
    retryBaseMs: ms(GATE_ENV.RETRY_BASE_MS, GATE_DEFAULT_RETRY_BASE_MS),
    maintenance: maintenance === 'true',
  };
}

/** The probe options of the canary's configuration for `url`, auth resolved as the canary does (../canary/auth). */
async function gateProbeOptions(
  config: CanaryConfig, url: string, auth: CanaryAuthConfig, tokens: BearerTokenCache,
): Promise<{ options: ProbeOptions; secrets: string[] }> {
  const { transport, deadlineMs: timeoutMs, expectTools, expectHash, call, headers } = config;
  const base: ProbeOptions = {
    url,
    transport,
    timeoutMs,
    expectTools,
    expectHash,
    headers,
    call: call && { name: call.name, arguments: call.arguments },
  };
  for (const key of Object.keys(base) as Array<keyof ProbeOptions>) if (base[key] === undefined) delete base[key];
  const { options, secrets } = await withAuth(base, auth, tokens);
  const problems = validateProbeOptions(options);
  if (problems.length > 0) throw new Error(`Invalid MCP deploy gate configuration:\n- ${problems.join('\n- ')}`);
  return { options, secrets };
}

interface StackModule {
  CloudFormationClient: new (config: Record<string, unknown>) => { send(command: unknown): Promise<{ Stacks?: Array<{ StackStatus?: string }> }> };
  DescribeStacksCommand: new (input: { StackName: string }) => unknown;
}

/** DescribeStacks with the SDK of the Lambda runtime (not a dependency of the package); undefined when unavailable. */
async function sdkStackStatus(stackId: string): Promise<string | undefined> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require('@aws-sdk/client-cloudformation') as StackModule;
    const out = await new sdk.CloudFormationClient({ maxAttempts: 3 }).send(new sdk.DescribeStacksCommand({ StackName: stackId }));
    return out.Stacks?.[0]?.StackStatus;
  } catch {
    return undefined;
  }
}

/** Makes the onEvent handler. */
export function createGateHandler(deps: GateDeps = {}): (event: GateEvent, context?: GateContext) => Promise<GateResponse> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const probe = deps.probe ?? runProbe;
  const log = deps.log ?? ((record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`));
  const tokens = new BearerTokenCache(deps.getSecretString ?? sdkGetSecretString());
  const originTokens = new BearerTokenCache(deps.getSecretString ?? sdkGetSecretString());
  let cloudwatch: CloudWatchClient | undefined;

  return async (event, context) => {
    const env = deps.env ?? process.env;
    const config = parseCanaryConfig(env);
    const physicalId = event.PhysicalResourceId ?? gatePhysicalResourceId(config.serviceName);
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
    const settings = parseGateSettings(env);

    const status = event.StackId ? await (deps.stackStatus ?? sdkStackStatus)(event.StackId) : undefined;
    if (status !== undefined && /ROLLBACK_IN_PROGRESS$/.test(status)) {
      log({ event: 'gate-skipped', service: config.serviceName, stackStatus: status });
      return { PhysicalResourceId: physicalId, Data: { [GATE_RESPONSE_DATA.ATTEMPTS]: '0', [GATE_RESPONSE_DATA.MESSAGE]: `skipped: the stack is in ${status}`, [GATE_RESPONSE_DATA.TOOLS_HASH]: '' } };
    }

    const started = now();
    const remaining = context?.getRemainingTimeInMillis?.();
    const budget = Math.min(settings.maxWaitMs, remaining === undefined ? Infinity : remaining - GATE_TIMEOUT_MARGIN_MS);
    const deadline = started + Math.max(1, budget);
    const { options, secrets } = await gateProbeOptions(config, config.url, config.auth, tokens);

    const target: MaintenanceTarget | undefined = settings.maintenance
      ? {
        cloudwatch: (cloudwatch ??= deps.cloudwatch?.() ?? new CloudWatchClient({ maxAttempts: 3 })),
        namespace: config.metricNamespace,
        serviceName: config.serviceName,
      }
      : undefined;
    if (target) {
      const minutes = Math.min(MAINTENANCE_MAX_MINUTES, Math.ceil((deadline - started) / 60_000) + 1);
      try {
        await openWindow(target, minutes, started);
      } catch (e) {
        throw new Error(`MCP deploy gate for ${config.serviceName}: could not open the maintenance window: ${(e as Error).message}`);
      }
    }

    let attempts = 0;
    let result: ProbeResult;
    let side = '';
    try {
      for (;;) {
        attempts++;
        result = await probe({ ...options, timeoutMs: Math.max(1, Math.min(config.deadlineMs, deadline - now())) });
        log({ event: 'gate-probe', service: config.serviceName, attempt: attempts, ok: result.ok, failureClass: result.failureClass, message: oneLine(result.message, secrets) });
        if (result.ok) break;
        const delay = Math.min(settings.retryBaseMs * 2 ** (attempts - 1), GATE_MAX_RETRY_DELAY_MS);
        if (now() + delay >= deadline) break;
        await sleep(delay);
      }
      if (!result.ok && config.origin) {
        // The origin's probe runs in the one canary deadline the gate function's timeout holds
        // beyond the probing time (deploy-gate.ts), capped by what Lambda has left.
        const left = context?.getRemainingTimeInMillis?.();
        const timeoutMs = Math.max(1, Math.min(config.deadlineMs, left === undefined ? Infinity : left - GATE_TIMEOUT_MARGIN_MS));
        const origin = await gateProbeOptions(config, config.origin.url, config.origin.auth, originTokens);
        secrets.push(...origin.secrets);
        const originResult = await probe({ ...origin.options, timeoutMs });
        log({ event: 'gate-origin-probe', service: config.serviceName, ok: originResult.ok, failureClass: originResult.failureClass, message: oneLine(originResult.message, secrets) });
        side = ` ${oneLine(describeSide(result, originResult), secrets, 400)}.`;
      }
    } finally {
      if (target) {
        await closeWindow(target, now()).catch((e: Error) => log({ event: 'gate-close-failed', service: config.serviceName, message: e.message }));
      }
    }

    const message = oneLine(result.message, secrets);
    if (!result.ok) {
      const seconds = Math.round((now() - started) / 1000);
      const next = result.failureClass === 'OK' ? '' : ` Next: ${oneLine(nextStep(result.failureClass, result.frontDoor, result.message), secrets, 300)}`;
      throw new Error(`MCP deploy gate: ${config.serviceName} failed its probe ${attempts} time(s) over ${seconds} s (${result.layer} layer): ${message}.${side}${next}`);
    }
    return {
      PhysicalResourceId: physicalId,
      Data: { [GATE_RESPONSE_DATA.ATTEMPTS]: String(attempts), [GATE_RESPONSE_DATA.MESSAGE]: message, [GATE_RESPONSE_DATA.TOOLS_HASH]: result.toolsHash ?? '' },
    };
  };
}

/** The Provider framework's onEvent entry point. */
export const handler = createGateHandler();
