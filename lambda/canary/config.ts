/**
 * The canary's configuration, parsed from the environment the `McpCanary` construct writes.
 * Pure: takes an environment object, returns a config or throws one error listing every problem,
 * each naming the variable, the value and the fix. What is the environment's own (required
 * variables, JSON and list syntax, the auth mode) is checked here; every rule about a probe option
 * (URL, transport, hash, limits, headers, Regions) is the option check's (../probe/options),
 * worded here with the variable's name.
 */
import { CANARY_AUTH_MODES, CANARY_ENV, CANARY_ORIGIN_AUTH_ENV, CanaryAuthMode, type CanaryAuthVariables } from '../../src/contract/canary-env';
import { HEADER_NAME_DESCRIPTION, isHeaderName } from '../../src/contract/http-names';
import { DEFAULT_SIGNING_SERVICE } from '../../src/contract/signing';
import { checkProbeOptions, type OptionProblem, type ProbeOptionName, type ProbeOptions, type Transport } from '../probe';
import { isJsonObject, jsonTypeOf } from '../probe/json';

/** How the canary authenticates, resolved from the environment. */
export type CanaryAuthConfig =
  | { readonly mode: 'none' }
  | { readonly mode: 'bearer-secret'; readonly secretArn: string; readonly jsonField?: string }
  | { readonly mode: 'header-secret'; readonly headerName: string; readonly secretArn: string; readonly jsonField?: string }
  | { readonly mode: 'sigv4'; readonly region: string; readonly service: string }
  | { readonly mode: 'sigv4a'; readonly regionSet: readonly string[]; readonly service: string };

/** Everything one canary run needs, except secrets (read at run time). */
export interface CanaryConfig {
  readonly url: string;
  readonly serviceName: string;
  readonly metricNamespace: string;
  readonly deadlineMs: number;
  readonly transport: Transport;
  readonly expectTools?: string[];
  readonly expectHash?: string;
  readonly call?: { readonly name: string; readonly arguments: Record<string, unknown> };
  readonly headers?: Record<string, string>;
  readonly auth: CanaryAuthConfig;
  /**
   * The origin behind the front door at `url`, probed after a failed probe of `url`, with its
   * own auth (the auth of `url` when the environment names none).
   */
  readonly origin?: { readonly url: string; readonly auth: CanaryAuthConfig };
  /** Whether the phase latencies, tool count and certificate days are metrics too (else log only). */
  readonly detailedMetrics: boolean;
  /** An https certificate expiring in fewer whole days fails the probe; absent: no check. */
  readonly minCertDays?: number;
  /** Probe limits set by the environment (absent: the probe's defaults, {@link PROBE_LIMITS}). */
  readonly maxToolPages?: number;
  readonly maxResponseBytes?: number;
  readonly maxToolsBytes?: number;
}

/** Each limit variable and the probe option it sets. */
const LIMIT_VARIABLES = {
  maxToolPages: CANARY_ENV.MAX_TOOL_PAGES,
  maxResponseBytes: CANARY_ENV.MAX_RESPONSE_BYTES,
  maxToolsBytes: CANARY_ENV.MAX_TOOLS_BYTES,
} as const;

/** A configuration error: the canary's environment is wrong. The run fails as a function error. */
export class CanaryConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid MCP canary configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'CanaryConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The probe's `sigv4` option for a signing auth mode (`sigv4`, `sigv4a`), as the canary and the
 * deploy gate sign; undefined for the other modes.
 */
export function signingOptions(auth: CanaryAuthConfig): ProbeOptions['sigv4'] {
  if (auth.mode === 'sigv4') return { region: auth.region, service: auth.service };
  if (auth.mode === 'sigv4a') return { algorithm: 'sigv4a', regionSet: [...auth.regionSet], service: auth.service };
  return undefined;
}

/**
 * Parses the canary's environment.
 *
 * @throws CanaryConfigError listing every problem
 */
export function parseCanaryConfig(env: Env): CanaryConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      problems.push(`${name} is not set; it is written by the McpCanary construct (redeploy the stack).`);
      return '';
    }
    return value;
  };

  const url = required(CANARY_ENV.URL);
  const serviceName = required(CANARY_ENV.SERVICE_NAME);
  const metricNamespace = required(CANARY_ENV.METRIC_NAMESPACE);
  const deadlineText = required(CANARY_ENV.DEADLINE_MS);
  const deadlineMs = Number(deadlineText);
  if (deadlineText !== '' && !(Number.isInteger(deadlineMs) && deadlineMs > 0)) {
    problems.push(`${CANARY_ENV.DEADLINE_MS} is '${deadlineText}'; it must be a positive whole number of milliseconds.`);
  }

  const transport = (env[CANARY_ENV.TRANSPORT] ?? 'auto') as Transport;

  const expectTools = parseJson(env, CANARY_ENV.EXPECTED_TOOLS, problems, (v): v is string[] =>
    Array.isArray(v) && v.every((t) => typeof t === 'string' && t !== ''), 'a JSON array of tool names');
  const headers = parseJson(env, CANARY_ENV.HEADERS, problems, (v): v is Record<string, string> =>
    isJsonObject(v) && Object.values(v).every((h) => typeof h === 'string'), 'a JSON object of header names to string values', (v) =>
    (isJsonObject(v) ? `the value of ${Object.entries(v).filter(([, h]) => typeof h !== 'string').map(([name, h]) => `${JSON.stringify(name.slice(0, 60))} is ${jsonTypeOf(h)}`).join(', ')}` : `it is ${jsonTypeOf(v)}`));

  let call: CanaryConfig['call'];
  const sentinel = env[CANARY_ENV.SENTINEL_TOOL];
  if (sentinel !== undefined && sentinel !== '') {
    // Any JSON here: that it is an object is the option check's rule (call.arguments).
    const args = parseJson(env, CANARY_ENV.SENTINEL_TOOL_ARGUMENTS, problems, (_v): _v is Record<string, unknown> => true, 'a JSON object of tool arguments');
    call = { name: sentinel, arguments: args ?? {} };
  } else if (env[CANARY_ENV.SENTINEL_TOOL_ARGUMENTS] !== undefined) {
    problems.push(`${CANARY_ENV.SENTINEL_TOOL_ARGUMENTS} is set but ${CANARY_ENV.SENTINEL_TOOL} is not; name the tool to call.`);
  }

  const expectHash = nonEmpty(env[CANARY_ENV.EXPECTED_TOOLS_HASH])?.trim();
  const limits: { -readonly [K in keyof typeof LIMIT_VARIABLES]?: number } = {};
  for (const [option, name] of Object.entries(LIMIT_VARIABLES) as Array<[keyof typeof LIMIT_VARIABLES, string]>) {
    const text = nonEmpty(env[name]);
    // Not a whole number: NaN, which the option check reports with the limits.
    if (text !== undefined) limits[option] = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  }
  const auth = parseAuth(env, problems, CANARY_ENV);
  const originUrl = nonEmpty(env[CANARY_ENV.ORIGIN_URL])?.trim();
  const originAuthNames = env[CANARY_ORIGIN_AUTH_ENV.AUTH_MODE] !== undefined ? CANARY_ORIGIN_AUTH_ENV : CANARY_ENV;
  const originAuth = originAuthNames === CANARY_ENV ? auth : parseAuth(env, problems, originAuthNames);
  if (originUrl === undefined && env[CANARY_ORIGIN_AUTH_ENV.AUTH_MODE] !== undefined) {
    problems.push(`${CANARY_ORIGIN_AUTH_ENV.AUTH_MODE} is set but ${CANARY_ENV.ORIGIN_URL} is not; the origin's auth needs the origin (redeploy the stack).`);
  }

  const detailedText = (env[CANARY_ENV.DETAILED_METRICS] ?? 'false').trim().toLowerCase();
  if (detailedText !== 'true' && detailedText !== 'false') {
    problems.push(`${CANARY_ENV.DETAILED_METRICS} is '${detailedText.slice(0, 20)}'; use true or false.`);
  }
  const minCertText = nonEmpty(env[CANARY_ENV.MIN_CERT_DAYS])?.trim();
  if (minCertText !== undefined && !(/^\d+$/.test(minCertText) && Number(minCertText) >= 1 && Number(minCertText) <= 365)) {
    problems.push(`${CANARY_ENV.MIN_CERT_DAYS} is '${minCertText.slice(0, 20)}'; it must be a whole number of days from 1 to 365.`);
  }

  problems.push(...optionProblems(env, { url, transport, expectHash, call, headers, limits, auth }));
  if (originUrl !== undefined) {
    problems.push(...optionProblems(env, { url: originUrl, transport, limits: {}, auth: originAuth }, originAuthNames, CANARY_ENV.ORIGIN_URL)
      .filter((problem) => !problems.includes(problem)));
  }
  if (problems.length > 0) {
    throw new CanaryConfigError(problems);
  }
  return {
    url,
    serviceName,
    metricNamespace,
    deadlineMs,
    transport,
    ...(expectTools ? { expectTools } : {}),
    ...(expectHash ? { expectHash } : {}),
    ...(call ? { call } : {}),
    ...(headers ? { headers } : {}),
    auth,
    ...(originUrl !== undefined ? { origin: { url: originUrl, auth: originAuth } } : {}),
    detailedMetrics: detailedText === 'true',
    ...(minCertText !== undefined ? { minCertDays: Number(minCertText) } : {}),
    ...limits,
  };
}

/** What {@link optionProblems} checks: the values parsed from the environment. */
interface ParsedOptions {
  readonly url: string;
  readonly transport: Transport;
  readonly expectHash?: string;
  readonly call?: CanaryConfig['call'];
  readonly headers?: Record<string, string>;
  readonly limits: Pick<ProbeOptions, 'maxToolPages' | 'maxResponseBytes' | 'maxToolsBytes'>;
  readonly auth: CanaryAuthConfig;
}

/**
 * The option check (../probe/options) over the values parsed from the environment, each problem
 * naming its variable. Credentials are not checked: the function's role supplies them at run time.
 */
function optionProblems(
  env: Env, parsed: ParsedOptions, authNames: CanaryAuthVariables = CANARY_ENV, urlVariable: string = CANARY_ENV.URL,
): string[] {
  const { url, transport, expectHash, call, headers, limits, auth } = parsed;
  const options: ProbeOptions = { url, transport, ...limits };
  if (expectHash) options.expectHash = expectHash;
  if (call) options.call = call;
  if (headers) options.headers = headers;
  const sigv4 = signingOptions(auth);
  // An empty Region is already reported (neither variable set).
  if (sigv4 && !(auth.mode === 'sigv4' && auth.region === '')) options.sigv4 = sigv4;
  const regionVariable = env[authNames.SIGV4_REGION] ? authNames.SIGV4_REGION : 'AWS_REGION';
  const names: Partial<Record<ProbeOptionName, string>> = {
    'url': urlVariable,
    'transport': CANARY_ENV.TRANSPORT,
    'expectHash': CANARY_ENV.EXPECTED_TOOLS_HASH,
    'call.name': CANARY_ENV.SENTINEL_TOOL,
    'call.arguments': CANARY_ENV.SENTINEL_TOOL_ARGUMENTS,
    'headers': CANARY_ENV.HEADERS,
    'sigv4.region': regionVariable,
    'sigv4.regionSet': authNames.SIGV4A_REGION_SET,
    'sigv4.service': authNames.SIGV4_SERVICE,
    ...LIMIT_VARIABLES,
  };
  // The values shown: the variable's text, for the variables that never hold a secret.
  const shownVariables: ReadonlyArray<ProbeOptionName> = [
    'transport', 'sigv4.region', 'sigv4.regionSet', 'sigv4.service', ...Object.keys(LIMIT_VARIABLES) as ProbeOptionName[],
  ];
  const describe = (problem: OptionProblem): string => {
    const name = names[problem.option] ?? problem.option;
    const text = shownVariables.includes(problem.option) ? env[name] : undefined;
    // The URL is shown as the check describes it (without credentials or query values).
    const value = text !== undefined ? `'${text.trim().slice(0, 80)}'` : problem.option === 'url' ? problem.shown : undefined;
    // The Region set is this variable's own syntax: a comma list.
    const what = problem.option === 'sigv4.regionSet' ? 'must be * or comma-separated Region names such as us-east-1,eu-west-1' : problem.what;
    return value !== undefined
      ? `${name} is ${value}; ${problem.fix ?? `it ${what}`}.`
      : `${name} ${what}${problem.fix ? `; ${problem.fix}` : ''}.`;
  };
  // An empty URL is already reported (not set).
  return checkProbeOptions(options, undefined).filter((problem) => !(problem.option === 'url' && url === '')).map(describe);
}

/** The auth of `url` (names {@link CANARY_ENV}) or of the origin (names {@link CANARY_ORIGIN_AUTH_ENV}). */
function parseAuth(env: Env, problems: string[], names: CanaryAuthVariables): CanaryAuthConfig {
  const mode = (env[names.AUTH_MODE] ?? 'none') as CanaryAuthMode;
  switch (mode) {
    case 'none':
      return { mode };
    case 'bearer-secret': {
      const secretArn = env[names.AUTH_SECRET_ARN];
      if (!secretArn) {
        problems.push(`${names.AUTH_MODE} is bearer-secret but ${names.AUTH_SECRET_ARN} is not set.`);
      }
      const jsonField = nonEmpty(env[names.AUTH_SECRET_JSON_FIELD]);
      return { mode, secretArn: secretArn ?? '', ...(jsonField ? { jsonField } : {}) };
    }
    case 'header-secret': {
      const headerName = nonEmpty(env[names.AUTH_HEADER_NAME])?.trim() ?? '';
      const secretArn = env[names.AUTH_SECRET_ARN] ?? '';
      if (!isHeaderName(headerName)) {
        problems.push(`${names.AUTH_MODE} is header-secret but ${names.AUTH_HEADER_NAME} is not a header name (${HEADER_NAME_DESCRIPTION}).`);
      }
      if (!secretArn) {
        problems.push(`${names.AUTH_MODE} is header-secret but ${names.AUTH_SECRET_ARN} is not set.`);
      }
      const jsonField = nonEmpty(env[names.AUTH_SECRET_JSON_FIELD]);
      return { mode, headerName, secretArn, ...(jsonField ? { jsonField } : {}) };
    }
    case 'sigv4': {
      const region = env[names.SIGV4_REGION] || env.AWS_REGION || '';
      if (region === '') {
        problems.push(`${names.AUTH_MODE} is sigv4 but neither ${names.SIGV4_REGION} nor AWS_REGION is set.`);
      }
      return { mode, region, service: env[names.SIGV4_SERVICE] || DEFAULT_SIGNING_SERVICE };
    }
    case 'sigv4a': {
      const text = nonEmpty(env[names.SIGV4A_REGION_SET])?.trim() ?? '*';
      const regionSet = text.split(',').map((r) => r.trim());
      return { mode, regionSet, service: env[names.SIGV4_SERVICE] || DEFAULT_SIGNING_SERVICE };
    }
    default:
      problems.push(`${names.AUTH_MODE} is '${mode as string}'; use one of ${CANARY_AUTH_MODES.join(', ')}.`);
      return { mode: 'none' };
  }
}

/**
 * Parses one JSON variable. Problems never echo the value (or JSON.parse's message, which quotes
 * it): the headers variable can carry an API key.
 */
function parseJson<T>(
  env: Env,
  name: string,
  problems: string[],
  check: (v: unknown) => v is T,
  what: string,
  describe?: (v: unknown) => string,
): T | undefined {
  const text = env[name];
  if (text === undefined || text === '') {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const position = /position (\d+)/.exec((e as Error).message)?.[1];
    problems.push(`${name} is not valid JSON (${text.length} characters${position ? `, error at position ${position}` : ''}); it must be ${what}.`);
    return undefined;
  }
  if (!check(value)) {
    problems.push(`${name} is not ${what}${describe ? ` (${describe(value)})` : ` (it is ${jsonTypeOf(value)})`}.`);
    return undefined;
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
