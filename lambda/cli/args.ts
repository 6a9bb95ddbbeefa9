/**
 * Command-line parsing of `mcp-probe`, pure: argv and environment in, probe options or a usage
 * error out. Secrets never come from argv: the bearer token is read from a named variable.
 */
import { AUTH_COMMAND, AUTH_SUMMARY } from './auth';
import { OPS_COMMANDS, OPS_SUMMARIES } from './ops/usage';
import { closest, didYouMean } from './suggest';
import { PROBE_LIMITS } from '../../src/contract/canary-env';
import { checkProbeOptions, describeOptionProblem, type ProbeOptionName, type ProbeOptions, type Transport } from '../probe';
import type { OAuthClientOptions, TokenAuthMethod } from '../probe/types';

/** The usage text printed by `--help`. */
export const USAGE = `Usage: mcp-probe <url> [options]
       mcp-probe <command> <service> [options]

Probes an MCP server as a client would: detects the protocol era, handshakes, lists tools,
optionally calls a read-only sentinel tool, ends its session, and names the first failure.

Commands (each has its own --help; they call AWS with the standard AWS configuration):
${OPS_COMMANDS.map((c) => `  ${c.padEnd(13)} ${OPS_SUMMARIES[c]}`).join('\n')}
  ${AUTH_COMMAND.padEnd(13)} ${AUTH_SUMMARY} No AWS.

Options:
  --json                  Print the result as one JSON object (for pipelines) instead of text.
  --timeout <ms>          Overall deadline in milliseconds (default 10000).
  --expect-tools <a,b>    Comma-separated tool names that must be listed (MISSING_TOOLS if not).
  --expect-hash <hash>    Expected tools hash, as printed by a previous run (SCHEMA_DRIFT if not).
  --call <tool>           Call this read-only tool after listing and print its text result,
                          redacted and cut (TOOL_ERROR, TOOL_CREDENTIALS, TOOL_TIMEOUT if it fails).
  --args <json>           JSON object of arguments for --call (default {}).
  --header 'Name: value'  Extra request header; repeatable. Not for Authorization: use --bearer-env.
  --bearer-env <VAR>      Send "Authorization: Bearer <token>" with the token read from the
                          environment variable VAR (never from the command line).
  --oauth-client-id <id>  Act as an OAuth client (client_credentials): get a token from the
                          authorization server and send it as a bearer token; a 401 to a
                          cached token is retried once with a fresh one.
  --oauth-client-secret-env <VAR>
                          The client secret, read from the environment variable VAR (never
                          from the command line). Required with --oauth-client-id.
  --oauth-scope "<scopes>"
                          Space-separated scopes to ask for (default: the 401 challenge's scope,
                          else the metadata's scopes_supported, else none).
  --oauth-token-url <url> The token endpoint (default: discovered through the protected-resource
                          and authorization-server metadata).
  --oauth-resource <uri>  The RFC 8707 resource sent with the token request (default: the URL).
  --oauth-token-auth basic|post
                          client_secret_basic or client_secret_post (default: basic, or post
                          when the metadata lists only client_secret_post).
  --sigv4 <region>        Sign requests with AWS SigV4 (service lambda) for AWS_IAM Function URLs
                          and IAM Web Function endpoints, with the credentials of the standard
                          AWS chain (environment, --profile / AWS_PROFILE, SSO, config files).
  --sigv4a <region-set>   Sign requests with AWS SigV4a (service lambda, same credentials) for the
                          Region set: '*' (quoted) for every Region, as a multi-Region IAM Web
                          Function endpoint (*.lambda-web.global.on.aws) needs, or Regions
                          separated by commas. Not together with --sigv4.
  --profile <name>        The AWS profile whose credentials --sigv4/--sigv4a sign with
                          (default: AWS_PROFILE, then the default chain).
  --origin <url>          Also probe the origin behind the front door at <url> (the Function URL,
                          the Web Function endpoint, the load balancer), with the same options,
                          and say which side broke: the front door (the origin answers, or AWS
                          WAF blocked the probe) or the origin. Exit status 0 only when both pass.
  --origin-sigv4 <region> Sign the origin's requests with AWS SigV4 (an IAM-only Function URL or
                          Web Function endpoint behind a public front door) instead of the front
                          door's auth; the credentials are those of --sigv4.
  --transport <kind>      auto (default: modern, then legacy, then HTTP+SSE), modern, legacy or sse.
  --max-tool-pages <n>    Most tools/list pages read (default ${PROBE_LIMITS.maxToolPages.default}); a longer list is TOOLS_TRUNCATED.
  --max-response-bytes <n>
                          Largest single response body (default ${PROBE_LIMITS.maxResponseBytes.default}).
  --max-tools-bytes <n>   Largest total of the tools/list responses (default ${PROBE_LIMITS.maxToolsBytes.default});
                          a longer list is TOOLS_TRUNCATED.
  -h, --help              Show this help.
  -V, --version           Print the version of mcp-probe.

Exit status: 0 the server is healthy, 1 the probe failed (see the failure class),
2 bad usage (the message says what to fix).`;

/** What the command line asks for. */
export type ParsedArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
    readonly kind: 'run';
    readonly json: boolean;
    readonly options: ProbeOptions;
    /** The AWS profile to sign with (`--profile`); unset: the default chain (AWS_PROFILE included). */
    readonly profile?: string;
    /** The probe of the origin behind the front door (`--origin`), when asked for. */
    readonly origin?: ProbeOptions;
  }
  | { readonly kind: 'usage-error'; readonly message: string };

/** The size and page flags, each bound to its probe option and limits. */
const LIMIT_FLAGS = {
  '--max-tool-pages': 'maxToolPages',
  '--max-response-bytes': 'maxResponseBytes',
  '--max-tools-bytes': 'maxToolsBytes',
} as const;

/** The flag that sets each probe option, for the option check's messages. */
const OPTION_FLAGS: Partial<Record<ProbeOptionName, string>> = {
  'url': '<url>',
  'transport': '--transport',
  'timeoutMs': '--timeout',
  'expectHash': '--expect-hash',
  'call.name': '--call',
  'call.arguments': '--args',
  'headers': '--header',
  // Read as "--sigv4 region "Mars" is not an AWS region name".
  'sigv4.region': '--sigv4 region',
  'sigv4': '--sigv4',
  'oauth': '--oauth-client-id',
  'oauth.clientId': '--oauth-client-id',
  'oauth.scope': '--oauth-scope',
  'oauth.tokenUrl': '--oauth-token-url',
  'oauth.resource': '--oauth-resource',
  'oauth.tokenAuth': '--oauth-token-auth',
  ...Object.fromEntries(Object.entries(LIMIT_FLAGS).map(([flag, option]) => [option, flag])),
};

/** The flags of the OAuth client. */
const OAUTH_FLAGS = ['--oauth-client-id', '--oauth-client-secret-env', '--oauth-scope', '--oauth-token-url', '--oauth-resource', '--oauth-token-auth'];

const VALUE_FLAGS = new Set([
  '--timeout', '--expect-tools', '--expect-hash', '--call', '--args', '--header', '--bearer-env', '--sigv4', '--sigv4a', '--profile', '--transport',
  '--origin', '--origin-sigv4',
  ...Object.keys(LIMIT_FLAGS),
  ...OAUTH_FLAGS,
]);

/** Every flag of the probe, for the did-you-mean of an unknown one. */
const ALL_FLAGS = [...VALUE_FLAGS, '--json', '--help', '--version'];

/**
 * A first word that is a mistyped command rather than a URL: `statuss svc`, `canry`. A URL has a
 * scheme (`://`); a word close to a command with no scheme is taken for the command.
 */
function unknownCommand(positional: readonly string[]): string | undefined {
  const first = positional[0];
  if (first === undefined || first.includes('://') || first.includes('/')) return undefined;
  const match = closest(first, [...OPS_COMMANDS, AUTH_COMMAND]);
  if (match !== undefined) return `unknown command ${JSON.stringify(first)}; did you mean ${JSON.stringify(match)}?`;
  if (positional.length > 1) {
    return `unknown command ${JSON.stringify(first)}: the commands are ${OPS_COMMANDS.join(', ')}; to probe a server, give its URL (mcp-probe https://example.com/mcp)`;
  }
  return undefined;
}

/**
 * Parses the arguments of `mcp-probe` (without `node` and the script path).
 *
 * @param argv the arguments
 * @param env the environment (for --bearer-env)
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const error = (message: string): ParsedArgs => ({ kind: 'usage-error', message });
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg === '-V' || arg === '--version') return { kind: 'version' };
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (flag === '--oauth-client-secret') {
      return error('--oauth-client-secret would put the secret on the command line: export it in an environment variable and pass --oauth-client-secret-env VAR');
    }
    if (!VALUE_FLAGS.has(flag)) return error(`unknown option ${flag}${didYouMean(flag, ALL_FLAGS, false) || '; see mcp-probe --help'}`);
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) return error(`${flag} needs a value; see mcp-probe --help`);
    if (flag !== '--header' && values.has(flag)) return error(`${flag} is given twice; give it once`);
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  const command = unknownCommand(positional);
  if (command !== undefined) return error(command);
  if (positional.length !== 1) {
    return error(positional.length === 0 ? 'missing <url>: give the MCP endpoint, e.g. mcp-probe https://example.com/mcp' : `expected one <url>, got ${positional.length}: ${positional.join(' ')}`);
  }
  const one = (flag: string) => values.get(flag)?.[0];
  const options: ProbeOptions = { url: positional[0] };
  // Each option's flag, and the text given for it where showing it is safe: the option check
  // (../probe/options) names the flag, not the option's path.
  const names: Partial<Record<ProbeOptionName, string>> = { ...OPTION_FLAGS };
  const given: Partial<Record<ProbeOptionName, string>> = {};
  const take = (flag: string, option: ProbeOptionName): string | undefined => {
    const text = one(flag);
    if (text !== undefined) given[option] = JSON.stringify(text.slice(0, 80));
    return text;
  };

  const timeout = take('--timeout', 'timeoutMs');
  if (timeout !== undefined) options.timeoutMs = wholeNumber(timeout);
  const expectTools = one('--expect-tools');
  if (expectTools !== undefined) {
    const tools = expectTools.split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (tools.length === 0) return error('--expect-tools needs at least one tool name, e.g. --expect-tools echo,search');
    options.expectTools = tools;
  }
  const expectHash = take('--expect-hash', 'expectHash');
  if (expectHash !== undefined) options.expectHash = expectHash.trim();
  const call = one('--call');
  const args = take('--args', 'call.arguments');
  if (args !== undefined && call === undefined) return error('--args needs --call <tool>: arguments are for the sentinel tool call');
  if (call !== undefined) {
    let parsed: unknown = {};
    if (args !== undefined) {
      try {
        parsed = JSON.parse(args);
      } catch {
        return error(`--args ${JSON.stringify(args)} is not valid JSON; give a JSON object such as '{"query":"ping"}'`);
      }
    }
    options.call = { name: call, arguments: parsed as Record<string, unknown> };
  }
  for (const header of values.get('--header') ?? []) {
    const colon = header.indexOf(':');
    const name = colon === -1 ? '' : header.slice(0, colon).trim();
    if (name === '') return error(`--header ${JSON.stringify(header)} must look like 'Name: value'`);
    if (name.toLowerCase() === 'authorization') {
      return error('--header Authorization would put a secret on the command line: put the token in an environment variable and pass --bearer-env VAR');
    }
    options.headers = { ...options.headers, [name]: header.slice(colon + 1).trim() };
  }
  const bearerEnv = one('--bearer-env');
  if (bearerEnv !== undefined) {
    const token = env[bearerEnv];
    if (!token) return error(`--bearer-env ${bearerEnv}: the environment variable ${bearerEnv} is unset or empty; export the token in it`);
    options.bearerToken = token.trim();
    names.bearerToken = `the token in ${bearerEnv} (--bearer-env)`;
  }
  for (const [flag, option] of Object.entries(LIMIT_FLAGS)) {
    const text = take(flag, option);
    if (text !== undefined) options[option] = wholeNumber(text);
  }
  const sigv4 = take('--sigv4', 'sigv4.region');
  const sigv4a = take('--sigv4a', 'sigv4.regionSet');
  if (sigv4 !== undefined && sigv4a !== undefined) {
    return error('--sigv4 and --sigv4a are both given: give --sigv4 <region> for a Regional endpoint or --sigv4a \'*\' for a multi-Region one, not both');
  }
  if (sigv4 !== undefined) options.sigv4 = { region: sigv4 };
  if (sigv4a !== undefined) {
    options.sigv4 = { algorithm: 'sigv4a', regionSet: sigv4a.split(',').map((r) => r.trim()) };
    names.sigv4 = '--sigv4a';
  }
  const oauth = oauthOptions(one, env);
  if (typeof oauth === 'string') return error(oauth);
  if (oauth !== undefined) {
    options.oauth = oauth.options;
    names['oauth.clientSecret'] = `the secret in ${oauth.secretEnv} (--oauth-client-secret-env)`;
    for (const [option, flag] of [['oauth.scope', '--oauth-scope'], ['oauth.tokenUrl', '--oauth-token-url'], ['oauth.resource', '--oauth-resource'], ['oauth.tokenAuth', '--oauth-token-auth']] as const) {
      const text = one(flag);
      if (text !== undefined) given[option] = JSON.stringify(text.slice(0, 80));
    }
  }
  const transport = take('--transport', 'transport');
  if (transport !== undefined) options.transport = transport as Transport;
  const originUrl = one('--origin');
  const originSigv4 = one('--origin-sigv4');
  if (originSigv4 !== undefined && originUrl === undefined) return error('--origin-sigv4 signs the origin\'s requests: give it with --origin <origin-url>');
  const profile = one('--profile');
  if (profile !== undefined && options.sigv4 === undefined && originSigv4 === undefined) {
    return error('--profile names the AWS credentials to sign with: give it with --sigv4 <region>, --sigv4a <region-set> or --origin-sigv4 <region>');
  }
  // The credentials are not checked here: they come from the AWS chain when the probe runs.
  const problems = checkProbeOptions(options, undefined).map((problem) =>
    problem.option === 'sigv4.regionSet'
      // The Region set is this flag's own syntax: a comma list, and a * the shell would expand.
      ? `--sigv4a ${given['sigv4.regionSet']} is not a Region set: give '*' (quoted, so the shell does not expand it) for every Region, or Region names separated by commas such as us-east-1,eu-west-1`
      : describeOptionProblem(problem, names[problem.option], given[problem.option]));
  if (problems.length > 0) return error(problems.join('; '));
  if (originUrl === undefined) return { kind: 'run', json, options, ...(profile !== undefined ? { profile } : {}) };
  if (originUrl === options.url) return error(`--origin ${JSON.stringify(originUrl.slice(0, 80))} is <url> itself: give the URL of the origin behind the front door (the Function URL, the endpoint, the load balancer)`);
  const origin = originOptions(options, originUrl, originSigv4);
  const originProblems = checkProbeOptions(origin, undefined)
    .filter((problem) => problem.option === 'url' || problem.option.startsWith('sigv4'))
    // The URL is shown as the check describes it (without credentials or query values).
    .map((problem) => problem.option === 'url'
      ? describeOptionProblem(problem, '--origin')
      : describeOptionProblem(problem, '--origin-sigv4 region', JSON.stringify((originSigv4 ?? '').slice(0, 80))));
  if (originProblems.length > 0) return error(originProblems.join('; '));
  return { kind: 'run', json, options, origin, ...(profile !== undefined ? { profile } : {}) };
}

/**
 * The origin's probe: the front door's options at the origin's URL; with `--origin-sigv4`,
 * signed for that Region instead of the front door's auth (a signature takes the Authorization
 * header a bearer token would use).
 */
function originOptions(options: ProbeOptions, url: string, sigv4Region: string | undefined): ProbeOptions {
  if (sigv4Region === undefined) return { ...options, url };
  const { bearerToken: _bearer, sigv4: _signing, ...rest } = options;
  return { ...rest, url, sigv4: { region: sigv4Region } };
}

/**
 * The OAuth client of the command line: undefined without --oauth-client-id, a usage error
 * (naming the flag and the fix) when the flags do not fit together or the secret's variable is
 * unset or empty.
 */
function oauthOptions(
  one: (flag: string) => string | undefined,
  env: NodeJS.ProcessEnv,
): { options: OAuthClientOptions; secretEnv: string } | string | undefined {
  const clientId = one('--oauth-client-id');
  if (clientId === undefined) {
    const stray = OAUTH_FLAGS.find((flag) => one(flag) !== undefined);
    return stray === undefined ? undefined : `${stray} needs --oauth-client-id <id> (and --oauth-client-secret-env <VAR>): it configures the OAuth client`;
  }
  const secretEnv = one('--oauth-client-secret-env');
  if (secretEnv === undefined) return '--oauth-client-id needs --oauth-client-secret-env <VAR>: put the client secret in an environment variable and name it (never the secret on the command line)';
  const secret = env[secretEnv];
  if (!secret || secret.trim() === '') return `--oauth-client-secret-env ${secretEnv}: the environment variable ${secretEnv} is unset or empty; export the client secret in it`;
  if (one('--bearer-env') !== undefined) return '--bearer-env and --oauth-client-id are both given: give a static token (--bearer-env) or an OAuth client, not both';
  const tokenAuth = one('--oauth-token-auth');
  const options: OAuthClientOptions = {
    clientId,
    clientSecret: secret.trim(),
    ...(one('--oauth-scope') !== undefined ? { scope: one('--oauth-scope')!.trim() } : {}),
    ...(one('--oauth-token-url') !== undefined ? { tokenUrl: one('--oauth-token-url')! } : {}),
    ...(one('--oauth-resource') !== undefined ? { resource: one('--oauth-resource')! } : {}),
    ...(tokenAuth !== undefined ? { tokenAuth: tokenAuth as TokenAuthMethod } : {}),
  };
  return { options, secretEnv };
}

/** A flag's text as a whole number, or NaN (which the option check reports) when it is not one. */
function wholeNumber(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : NaN;
}
