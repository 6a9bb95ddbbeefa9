/**
 * The probe's option checks, the one home of every rule about a {@link ProbeOptions} value. Pure:
 * options in, problems out. A problem is structured (which option, the value as it may be shown,
 * what is wrong, the fix) so each caller words it in its user's terms: the CLI names its flags,
 * the canary its environment variables, the library its option paths.
 */
import { jsonTypeOf, previewJson } from './json';
import { describeUrl } from './redact';
import { credentialsFromEnv } from './sigv4';
import type { ProbeOptions } from './types';
import { PROBE_LIMITS, type ProbeLimit } from '../../src/contract/canary-env';
import { HEADER_NAME_DESCRIPTION, isHeaderName } from '../../src/contract/http-names';
import { isRegionSet, REGION_NAME } from '../../src/contract/signing';
import { isToolsHash, TOOLS_HASH_FORMAT_DESCRIPTION } from '../../src/contract/tools-hash-format';
import { isTransport, TRANSPORTS } from '../../src/contract/transports';

/** An option of {@link ProbeOptions}, by its path. */
export type ProbeOptionName =
  | 'url'
  | 'transport'
  | 'timeoutMs'
  | 'connectTimeoutMs'
  | 'maxResponseBytes'
  | 'maxToolPages'
  | 'maxToolsBytes'
  | 'expectHash'
  | 'call.name'
  | 'call.arguments'
  | 'headers'
  | 'bearerToken'
  | 'oauth'
  | 'oauth.clientId'
  | 'oauth.clientSecret'
  | 'oauth.scope'
  | 'oauth.tokenUrl'
  | 'oauth.resource'
  | 'oauth.tokenAuth'
  | 'sigv4'
  | 'sigv4.algorithm'
  | 'sigv4.region'
  | 'sigv4.regionSet'
  | 'sigv4.service';

/** One problem with one option. */
export interface OptionProblem {
  /** The option at fault. */
  readonly option: ProbeOptionName;
  /** The value given, safe to show (URLs without credentials or query values); absent where the value must not be shown. */
  readonly shown?: string;
  /** What is wrong, read after the option's name and value: `must be a whole number from 1 to 1000`. */
  readonly what: string;
  /** What to do instead, when {@link what} does not say it. @default - none */
  readonly fix?: string;
}

/** The longest probe deadline, in milliseconds: 15 minutes, the longest a Lambda function runs. */
export const MAX_TIMEOUT_MS = 900_000;

/** What Node.js can send in a header value: tab, visible ASCII and latin-1, no control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A bearer token (RFC 6750 b64token, and the visible ASCII real tokens use). */
const BEARER_TOKEN = /^[\x21-\x7e]+$/;
/** An AWS signing name (`lambda`, `execute-api`). */
const SIGNING_NAME = /^[a-z0-9-]+$/;

/**
 * Checks probe options.
 *
 * @param options the options to check
 * @param env the environment SigV4 credentials are read from when `sigv4.credentials` is not
 *   given; undefined skips the credentials check (a caller that checks configuration before the
 *   credentials exist, as the canary's environment parser)
 * @returns one problem per fault, empty when the options are valid
 */
export function checkProbeOptions(options: ProbeOptions, env: NodeJS.ProcessEnv | undefined): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const add = (problem: OptionProblem) => problems.push(problem);
  // URLs are described without credentials or query values: messages must not echo secrets.
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    add({ option: 'url', shown: describeUrl(String(options.url)), what: 'is not a valid URL: give an absolute http:// or https:// URL' });
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
    add({ option: 'url', shown: describeUrl(options.url), what: `uses ${url.protocol}: only http:// and https:// are supported` });
  }
  if (options.transport !== undefined && !isTransport(options.transport)) {
    add({ option: 'transport', shown: JSON.stringify(options.transport), what: 'is unknown', fix: `use one of ${TRANSPORTS.join(', ')}` });
  }
  for (const option of ['timeoutMs', 'connectTimeoutMs'] as const) {
    const value = options[option];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= MAX_TIMEOUT_MS)) {
      add({ option, shown: JSON.stringify(value), what: `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}` });
    }
  }
  for (const option of ['maxResponseBytes', 'maxToolPages', 'maxToolsBytes'] as const) {
    const value = options[option];
    const limit: ProbeLimit = PROBE_LIMITS[option];
    if (value !== undefined && !(Number.isInteger(value) && value >= limit.min && value <= limit.max)) {
      add({ option, shown: JSON.stringify(value), what: `must be a whole number from ${limit.min} to ${limit.max}` });
    }
  }
  if (options.expectHash !== undefined && (typeof options.expectHash !== 'string' || !isToolsHash(options.expectHash))) {
    add({ option: 'expectHash', shown: previewJson(options.expectHash, 80), what: 'is not a tools hash', fix: `give ${TOOLS_HASH_FORMAT_DESCRIPTION}, such as sha256:0123456789abcdef` });
  }
  if (options.call && (typeof options.call.name !== 'string' || options.call.name === '')) {
    add({ option: 'call.name', what: 'must be the non-empty name of a read-only tool' });
  }
  if (options.call?.arguments !== undefined && (typeof options.call.arguments !== 'object' || options.call.arguments === null || Array.isArray(options.call.arguments))) {
    add({ option: 'call.arguments', shown: previewJson(options.call.arguments, 80), what: `must be a JSON object, not ${jsonTypeOf(options.call.arguments)}` });
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!isHeaderName(name)) add({ option: 'headers', what: `has ${JSON.stringify(name)}, which is not a valid header name (${HEADER_NAME_DESCRIPTION})` });
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      add({ option: 'headers', what: `value for ${name} must be a string of printable ASCII or latin-1 characters, without line breaks or control characters` });
    }
  }
  if (options.bearerToken !== undefined && (typeof options.bearerToken !== 'string' || !BEARER_TOKEN.test(options.bearerToken))) {
    add({ option: 'bearerToken', what: 'must be a non-empty token of printable ASCII characters, without spaces, line breaks or non-ASCII characters' });
  }
  if (options.sigv4) problems.push(...checkSigning(options.sigv4, env));
  if (options.oauth) problems.push(...checkOAuth(options));
  return problems;
}

/** The OAuth client's options: an id and a secret, URLs that are URLs, one way to authenticate. */
function checkOAuth(options: ProbeOptions): OptionProblem[] {
  const oauth = options.oauth!;
  const problems: OptionProblem[] = [];
  if (options.bearerToken !== undefined || options.sigv4 !== undefined) {
    problems.push({ option: 'oauth', what: `cannot be combined with ${options.bearerToken !== undefined ? 'a bearer token' : 'SigV4 signing'}: both set the Authorization header`, fix: 'give one way to authenticate' });
  }
  if (typeof oauth.clientId !== 'string' || oauth.clientId === '' || !HEADER_VALUE.test(oauth.clientId)) {
    problems.push({ option: 'oauth.clientId', what: 'must be a non-empty client id of printable characters' });
  }
  if (typeof oauth.clientSecret !== 'string' || oauth.clientSecret === '') {
    problems.push({ option: 'oauth.clientSecret', what: 'must be the non-empty client secret' });
  }
  if (oauth.scope !== undefined && (typeof oauth.scope !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(oauth.scope))) {
    problems.push({ option: 'oauth.scope', shown: previewJson(oauth.scope, 80), what: 'must be scope tokens separated by single spaces (RFC 6749 §3.3)' });
  }
  for (const option of ['tokenUrl', 'resource'] as const) {
    const value = oauth[option];
    if (value === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hash !== '') {
      problems.push({ option: `oauth.${option}`, shown: describeUrl(String(value)), what: 'must be an absolute http:// or https:// URL without a fragment' });
    }
  }
  if (oauth.tokenAuth !== undefined && oauth.tokenAuth !== 'basic' && oauth.tokenAuth !== 'post') {
    problems.push({ option: 'oauth.tokenAuth', shown: JSON.stringify(oauth.tokenAuth), what: 'is unknown', fix: 'use basic (client_secret_basic) or post (client_secret_post)' });
  }
  return problems;
}

function checkSigning(sigv4: NonNullable<ProbeOptions['sigv4']>, env: NodeJS.ProcessEnv | undefined): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const algorithm = sigv4.algorithm ?? 'sigv4';
  if (algorithm !== 'sigv4' && algorithm !== 'sigv4a') {
    problems.push({ option: 'sigv4.algorithm', shown: JSON.stringify(algorithm), what: 'is unknown', fix: 'use sigv4 (one Region) or sigv4a (a Region set, * for all)' });
  } else if (algorithm === 'sigv4' && !REGION_NAME.test(sigv4.region ?? '')) {
    problems.push({ option: 'sigv4.region', shown: JSON.stringify(sigv4.region), what: 'is not an AWS region name such as us-east-1' });
  } else if (algorithm === 'sigv4a') {
    const regionSet = sigv4.regionSet ?? ['*'];
    if (!Array.isArray(regionSet) || !isRegionSet(regionSet)) {
      problems.push({ option: 'sigv4.regionSet', shown: previewJson(regionSet, 80), what: "must be a non-empty list of AWS region names such as us-east-1, or ['*'] for every Region" });
    }
  }
  if (sigv4.service !== undefined && !SIGNING_NAME.test(String(sigv4.service))) {
    problems.push({ option: 'sigv4.service', shown: JSON.stringify(sigv4.service), what: 'is not an AWS signing name such as lambda' });
  }
  if (env !== undefined && !sigv4.credentials && !credentialsFromEnv(env)) {
    problems.push({ option: 'sigv4', what: 'needs credentials', fix: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment' });
  }
  return problems;
}

/**
 * A problem as one line naming the option: `<name> <value> <what>: <fix>`.
 *
 * @param problem the problem
 * @param name the option's name as the user set it (a flag, a variable) @default the option's path
 * @param given the value as the user wrote it, shown instead of the checked one @default the value checked
 */
export function describeOptionProblem(problem: OptionProblem, name: string = problem.option, given?: string): string {
  const shown = given ?? problem.shown;
  return `${name}${shown === undefined ? '' : ` ${shown}`} ${problem.what}${problem.fix ? `: ${problem.fix}` : ''}`;
}

/**
 * Checks probe options and returns one message per problem (empty when valid). Each message
 * names the option (as `describe` words it), the value given and the fix.
 *
 * @param options the options to check
 * @param env the environment SigV4 credentials are read from when not given; undefined skips that check
 * @param describe words one problem @default {@link describeOptionProblem}, naming option paths
 */
export function validateProbeOptions(
  options: ProbeOptions,
  env: NodeJS.ProcessEnv | undefined = process.env,
  describe: (problem: OptionProblem) => string = (problem) => describeOptionProblem(problem),
): string[] {
  return checkProbeOptions(options, env).map(describe);
}
