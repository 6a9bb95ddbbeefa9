/**
 * The MCP canary Lambda handler: configuration from the environment, one probe, one EMF line on
 * stdout. A failing probe is a datapoint, not an error: the handler throws only for configuration
 * errors and bugs, so the function's `Errors` metric means "the monitor is broken".
 */
import { BearerTokenCache, sdkGetSecretString } from './bearer-token';
import { CanaryConfig, parseCanaryConfig, signingOptions } from './config';
import { buildEmfRecord, EmfRecord } from './emf';
import { probe, validateProbeOptions, type ProbeOptions, type ProbeResult, type Transport } from '../probe';

/** The part of the Lambda context the handler uses. */
export interface CanaryContext {
  getRemainingTimeInMillis?(): number;
}

/** Time kept back from the Lambda timeout to write the log line after a probe that ran to its deadline. */
export const WRITE_RESERVE_MS = 1_500;

const tokens = new BearerTokenCache(sdkGetSecretString());

/**
 * Runs one probe and writes its EMF line.
 *
 * @returns the record written (for tests and manual invocations)
 * @throws for configuration errors (an invalid environment, an unreadable secret), never for a failing probe
 */
export async function handler(_event?: unknown, context?: CanaryContext): Promise<EmfRecord> {
  const startedAt = Date.now();
  const config = parseCanaryConfig(process.env);
  const { options, secrets } = await probeOptions(config, context);
  const result = failExpiringCertificate(config, await eras.probe(options, probe));
  const record = buildEmfRecord(config, result, startedAt, secrets);
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

/**
 * The probe options of a run: auth resolved, deadline capped by the time Lambda has left.
 *
 * @throws when the options are invalid (a configuration error)
 */
async function probeOptions(config: CanaryConfig, context?: CanaryContext): Promise<{ options: ProbeOptions; secrets: string[] }> {
  const remaining = context?.getRemainingTimeInMillis?.();
  const timeoutMs = remaining === undefined
    ? config.deadlineMs
    : Math.max(1, Math.min(config.deadlineMs, Math.floor(remaining - WRITE_RESERVE_MS)));
  const options: ProbeOptions = {
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
  const secrets: string[] = [];
  if (config.auth.mode === 'bearer-secret') {
    const token = await tokens.token(config.auth.secretArn, config.auth.jsonField);
    options.bearerToken = token;
    secrets.push(token);
  } else if (config.auth.mode === 'header-secret') {
    // The same five-minute cache and checks as the bearer token (a bare value, no spaces).
    const value = await tokens.token(config.auth.secretArn, config.auth.jsonField);
    options.headers = { ...options.headers, [config.auth.headerName]: value };
    secrets.push(value);
  } else if (config.auth.mode === 'sigv4' || config.auth.mode === 'sigv4a') {
    options.sigv4 = signingOptions(config.auth);
  }
  const problems = validateProbeOptions(options);
  if (problems.length > 0) {
    throw new Error(`Invalid MCP canary configuration:\n- ${problems.join('\n- ')}`);
  }
  return { options, secrets };
}

/**
 * Writes one line to stdout directly. With Lambda's JSON log format, `console.log` wraps its
 * argument in a JSON envelope (`{"message": "..."}`), which hides the EMF keys from CloudWatch;
 * raw stdout lines reach the log stream as they are.
 */
function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}
