/**
 * The MCP canary Lambda handler: configuration from the environment, one probe, one EMF line on
 * stdout. A failing probe is a datapoint, not an error: the handler throws only for configuration
 * errors and bugs, so the function's `Errors` metric means "the monitor is broken".
 */
import { withAuth } from './auth';
import { BearerTokenCache, sdkGetSecretString } from './bearer-token';
import { CanaryConfig, parseCanaryConfig } from './config';
import { buildEmfRecord, EmfRecord } from './emf';
import { FRONT_DOOR_DEADLINE_SHARE } from '../../src/contract/canary-env';
import { probe, validateProbeOptions, type ProbeOptions, type ProbeResult, type Transport } from '../probe';

/** The part of the Lambda context the handler uses. */
export interface CanaryContext {
  getRemainingTimeInMillis?(): number;
}

/** Time kept back from the Lambda timeout to write the log line after a probe that ran to its deadline. */
export const WRITE_RESERVE_MS = 1_500;

const tokens = new BearerTokenCache(sdkGetSecretString());
/** The origin's own cache: a second secret would otherwise evict the front door's token every run. */
const originTokens = new BearerTokenCache(sdkGetSecretString());

/**
 * Runs one probe and writes its EMF line. With an origin configured, a failed probe of the front
 * door is followed by a probe of the origin, within the same deadline: the front door's probe
 * may take {@link FRONT_DOOR_DEADLINE_SHARE} of it, the origin's what is left.
 *
 * @returns the record written (for tests and manual invocations)
 * @throws for configuration errors (an invalid environment, an unreadable secret), never for a failing probe
 */
export async function handler(_event?: unknown, context?: CanaryContext): Promise<EmfRecord> {
  const startedAt = Date.now();
  const config = parseCanaryConfig(process.env);
  const budgetMs = probeBudgetMs(config, context);
  const frontDoorMs = config.origin ? Math.max(1, Math.floor(budgetMs * FRONT_DOOR_DEADLINE_SHARE)) : budgetMs;
  const { options, secrets } = await probeOptions(config, frontDoorMs);
  const probeStarted = Date.now();
  const result = failExpiringCertificate(config, await eras.probe(options, probe));
  let origin: ProbeResult | undefined;
  if (!result.ok && config.origin) {
    const leftMs = Math.max(1, budgetMs - (Date.now() - probeStarted));
    const authenticated = await withAuth({ ...baseOptions(config, leftMs), url: config.origin.url }, config.origin.auth, originTokens);
    checkOptions(authenticated.options);
    secrets.push(...authenticated.secrets);
    origin = await originEras.probe(authenticated.options, probe);
  }
  const record = buildEmfRecord(config, result, startedAt, secrets, origin);
  writeLine(JSON.stringify(record));
  return record;
}

/**
 * The era an auto-mode canary detected, remembered across the warm invocations of one Lambda
 * environment: auto mode against a legacy server spends a round trip on the modern attempt every
 * run, which the remembered era saves. A run in the remembered era that fails in the protocol layer
 * (the server changed eras, say) is retried at once in auto mode within what is left of the
 * deadline, and any failure forgets the era, so the next run detects again.
 */
export class EraMemory {
  private era?: Exclude<Transport, 'auto'>;

  /** The era remembered, if any. */
  public get remembered(): Exclude<Transport, 'auto'> | undefined {
    return this.era;
  }

  /** Runs `run` as the configured transport asks, using and updating the remembered era. */
  public async probe(options: ProbeOptions, run: (o: ProbeOptions) => Promise<ProbeResult>): Promise<ProbeResult> {
    if ((options.transport ?? 'auto') !== 'auto') {
      return run(options);
    }
    const started = Date.now();
    let result: ProbeResult;
    if (this.era !== undefined) {
      result = await run({ ...options, transport: this.era });
      const left = (options.timeoutMs ?? 10_000) - (Date.now() - started);
      if (!result.ok && result.layer === 'protocol' && left > 0) {
        result = await run({ ...options, transport: 'auto', timeoutMs: left });
      }
    } else {
      result = await run(options);
    }
    this.era = result.ok && result.era !== null ? result.era : undefined;
    return result;
  }
}

const eras = new EraMemory();
/** The origin may speak another era than the front door shows (a proxy that translates): its own memory. */
const originEras = new EraMemory();

/**
 * A passing probe of an https endpoint whose certificate expires in fewer than
 * `config.minCertDays` days becomes a `TLS_ERROR` failure: the probe alarm then pages days before
 * clients see an expired certificate, with no metric and alarm of its own. Pure.
 */
export function failExpiringCertificate(config: CanaryConfig, result: ProbeResult): ProbeResult {
  const days = result.certDaysRemaining;
  if (!result.ok || config.minCertDays === undefined || days === null || days >= config.minCertDays) {
    return result;
  }
  return {
    ...result,
    ok: false,
    failureClass: 'TLS_ERROR',
    layer: 'transport',
    message: `the TLS certificate expires in ${days} day(s), under the canary's minimum of ${config.minCertDays}: renew it `
      + '(ACM: check the renewal status and the DNS validation records of the custom domain).',
  };
}

/** The probe's time: the configured deadline, capped by what Lambda has left (less the time to write the line). */
function probeBudgetMs(config: CanaryConfig, context?: CanaryContext): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  return remaining === undefined
    ? config.deadlineMs
    : Math.max(1, Math.min(config.deadlineMs, Math.floor(remaining - WRITE_RESERVE_MS)));
}

/** The probe options of the configuration, without auth. */
function baseOptions(config: CanaryConfig, timeoutMs: number): ProbeOptions {
  return {
    url: config.url,
    transport: config.transport,
    timeoutMs,
    ...(config.expectTools ? { expectTools: config.expectTools } : {}),
    ...(config.expectHash ? { expectHash: config.expectHash } : {}),
    ...(config.call ? { call: { name: config.call.name, arguments: config.call.arguments } } : {}),
    ...(config.headers ? { headers: config.headers } : {}),
    ...(config.maxToolPages !== undefined ? { maxToolPages: config.maxToolPages } : {}),
    ...(config.maxResponseBytes !== undefined ? { maxResponseBytes: config.maxResponseBytes } : {}),
    ...(config.maxToolsBytes !== undefined ? { maxToolsBytes: config.maxToolsBytes } : {}),
  };
}

/** @throws when the options are invalid (a configuration error) */
function checkOptions(options: ProbeOptions): void {
  const problems = validateProbeOptions(options);
  if (problems.length > 0) {
    throw new Error(`Invalid MCP canary configuration:\n- ${problems.join('\n- ')}`);
  }
}

/**
 * The probe options of the front door's probe: auth resolved.
 *
 * @throws when the options are invalid (a configuration error)
 */
async function probeOptions(config: CanaryConfig, timeoutMs: number): Promise<{ options: ProbeOptions; secrets: string[] }> {
  const { options, secrets } = await withAuth(baseOptions(config, timeoutMs), config.auth, tokens);
  checkOptions(options);
  return { options, secrets: [...secrets] };
}

/**
 * Writes one line to stdout directly. With Lambda's JSON log format, `console.log` wraps its
 * argument in a JSON envelope (`{"message": "..."}`), which hides the EMF keys from CloudWatch;
 * raw stdout lines reach the log stream as they are.
 */
function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}
