/**
 * `mcp-probe canary <service>`: finds the service's canary function, invokes it once and returns
 * the probe result it reports, to be printed exactly as a local probe's.
 */
import { InvokeCommand, ListFunctionsCommand, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { allPages, awsCall } from './aws';
import { CANARY_ENV } from '../../../src/contract/canary-env';
import { oneLine, type ProbeResult } from '../../probe';

/** The canary function was not found, or gave no probe result. */
export class CanaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanaryError';
  }
}

/** A canary function: its name, ARN and the service it probes. */
export interface CanaryFunction {
  readonly name: string;
  readonly arn: string;
  readonly service: string;
}

function serviceOf(fn: FunctionConfiguration): string | undefined {
  return fn.Environment?.Variables?.[CANARY_ENV.SERVICE_NAME];
}

/** Every canary function of the account and region (every ListFunctions page). */
export async function listCanaries(lambda: LambdaClient): Promise<CanaryFunction[]> {
  const pages = await allPages(async (marker) => {
    const out = await awsCall('lambda:ListFunctions', () => lambda.send(new ListFunctionsCommand({ MaxItems: 50, ...(marker ? { Marker: marker } : {}) })));
    return { page: out.Functions ?? [], next: out.NextMarker };
  }, 1000);
  return pages.flat()
    .filter((fn) => serviceOf(fn) !== undefined)
    .map((fn) => ({ name: fn.FunctionName ?? '', arn: fn.FunctionArn ?? fn.FunctionName ?? '', service: serviceOf(fn)! }));
}

/**
 * The canary function of a service.
 *
 * @throws CanaryError when none or several probe it; the message lists what was found
 */
export async function findCanary(lambda: LambdaClient, service: string): Promise<CanaryFunction> {
  const canaries = await listCanaries(lambda);
  const matching = canaries.filter((c) => c.service === service);
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) {
    throw new CanaryError(`${matching.length} canary functions probe ${JSON.stringify(service)}: ${matching.map((c) => c.name).join(', ')}; name one with --function`);
  }
  const services = [...new Set(canaries.map((c) => c.service))].sort();
  throw new CanaryError(services.length === 0
    ? `no MCP canary function found (no function has ${CANARY_ENV.SERVICE_NAME} in its environment): check --region and --profile`
    : `no MCP canary for a service named ${JSON.stringify(service)}; found ${services.length}: ${services.join(', ')}`);
}

/** What one canary run reported. */
export interface CanaryRun {
  /** The target as the canary logs it (no credentials, no query values). */
  readonly target: string;
  readonly result: ProbeResult;
  /**
   * When the canary probed the origin (its probe of the front door failed): the failed side, the
   * sentence naming it, and the origin's result as the canary logged it.
   */
  readonly side?: { readonly failedSide: string | null; readonly message: string; readonly origin: unknown };
}

function isProbeRecord(value: unknown): value is Record<string, unknown> & { target: string; timings: ProbeResult['timings'] } {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.ok === 'boolean' && typeof p.failureClass === 'string' && typeof p.message === 'string'
    && typeof p.timings === 'object' && p.timings !== null && Array.isArray(p.tools);
}

/** The probe result in the canary's EMF record (the `probe` field), in the engine's key order. */
export function probeResultOfRecord(record: unknown): CanaryRun | undefined {
  const p = (record as { probe?: unknown } | null)?.probe;
  if (!isProbeRecord(p)) return undefined;
  const result: ProbeResult = {
    ok: p.ok as boolean,
    failureClass: p.failureClass as ProbeResult['failureClass'],
    layer: (p.layer ?? null) as ProbeResult['layer'],
    era: (p.era ?? null) as ProbeResult['era'],
    protocolVersion: (p.protocolVersion ?? null) as string | null,
    server: (p.server ?? null) as ProbeResult['server'],
    toolCount: (p.toolCount ?? null) as number | null,
    tools: p.tools as string[],
    toolsHash: (p.toolsHash ?? null) as string | null,
    httpStatus: (p.httpStatus ?? null) as number | null,
    frontDoor: (p.frontDoor ?? null) as ProbeResult['frontDoor'],
    certDaysRemaining: (p.certDaysRemaining ?? null) as number | null,
    timings: p.timings,
    message: p.message as string,
    traceId: typeof p.traceId === 'string' ? p.traceId : null,
  };
  const side = typeof p.sideMessage === 'string'
    ? { failedSide: typeof p.failedSide === 'string' ? p.failedSide : null, message: p.sideMessage, origin: p.origin ?? null }
    : undefined;
  return { target: typeof p.target === 'string' ? p.target : '', result, ...(side ? { side } : {}) };
}

/**
 * Invokes the canary once (synchronously, with the log tail) and returns its probe result.
 *
 * @throws CanaryError when the function fails (a configuration error) or returns no probe result
 */
export async function invokeCanary(lambda: LambdaClient, canary: CanaryFunction): Promise<CanaryRun> {
  const out = await awsCall('lambda:InvokeFunction', () => lambda.send(new InvokeCommand({
    FunctionName: canary.arn,
    InvocationType: 'RequestResponse',
    LogType: 'Tail',
    Payload: new TextEncoder().encode('{}'),
  })));
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  let payload: unknown;
  try {
    payload = text === '' ? undefined : JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (out.FunctionError) {
    const error = payload as { errorType?: string; errorMessage?: string } | undefined;
    const tail = out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8').trim().split('\n').slice(-3).join(' | ') : '';
    throw new CanaryError(`the canary function ${canary.name} failed (${out.FunctionError}): ${oneLine(`${error?.errorType ?? 'Error'}: ${error?.errorMessage ?? text}`, [], 400)}${tail ? `; log tail: ${oneLine(tail, [], 400)}` : ''}`);
  }
  const run = probeResultOfRecord(payload);
  if (!run) {
    throw new CanaryError(`the canary function ${canary.name} returned no probe result (expected its EMF record with a "probe" field): ${oneLine(text, [], 200)}`);
  }
  return run;
}
