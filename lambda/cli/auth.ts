/**
 * `mcp-probe auth <url>`: walks OAuth discovery as Claude and ChatGPT do (../probe/oauth-discovery)
 * and prints each step with OK or what a client would refuse and the fix. Exit 0 when a client
 * would proceed, 1 when it would refuse, 2 on usage errors. Needs no credentials and sends none.
 */
import { jsonLine } from './format';
import { didYouMean } from './suggest';
import { escapeControls } from '../probe';
import { PROBE_CLIENT_INFO } from '../probe/drivers';
import { discover, type Discovery } from '../probe/oauth-discovery';
import { nodeFetch, type OAuthFetch } from '../probe/oauth-http';
import { firstRefusal } from '../probe/oauth-verdicts';
import { describeUrl } from '../probe/redact';

/** The first word of the command. */
export const AUTH_COMMAND = 'auth';

/** One line for the top-level `--help`. */
export const AUTH_SUMMARY = 'Walk the OAuth discovery chain as Claude and ChatGPT do; print each step, OK or the refusal and its fix.';

/** The usage text of `mcp-probe auth --help`. */
export const AUTH_USAGE = `Usage: mcp-probe auth <url> [options]

Walks the MCP authorization discovery chain the way Claude and ChatGPT do, without credentials:
an unauthenticated request and its 401 challenge (WWW-Authenticate: Bearer resource_metadata=...;
API Gateway's renamed x-amzn-remapped-www-authenticate is named as such), the protected-resource
metadata (the challenge's URL, else /.well-known/oauth-protected-resource/<path>, then the root)
and its "resource", the authorization-server metadata in the spec's order (RFC 8414 and OpenID
Connect, path-inserted then path-appended), its issuer, S256 in code_challenge_methods_supported,
dynamic client registration or client ID metadata documents, the RFC 9207 iss parameter and the
JWKS. Prints each step with OK, WARN (clients proceed) or FAIL (a client refuses) and the fix.

Options:
  --json                  Print the steps as one JSON object instead of text.
  --timeout <ms>          Overall deadline in milliseconds (default 10000).
  -h, --help              Show this help.

Exit status: 0 a client would proceed, 1 a client would refuse, 2 bad usage.`;

/** What `auth`'s arguments ask for. */
export type AuthArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly url: string; readonly json: boolean; readonly timeoutMs: number }
  | { readonly kind: 'usage-error'; readonly message: string };

const AUTH_FLAGS = ['--json', '--timeout', '--help'];

/** Parses the arguments after `auth`. */
export function parseAuthArgs(argv: readonly string[]): AuthArgs {
  const error = (message: string): AuthArgs => ({ kind: 'usage-error', message });
  const positional: string[] = [];
  let json = false;
  let timeout: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg === '--json') {
      json = true;
    } else if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      timeout = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (timeout === undefined) return error('auth: --timeout needs a value in milliseconds, e.g. --timeout 10000');
    } else if (arg.startsWith('-') && arg !== '-') {
      return error(`auth: unknown option ${arg.split('=')[0]}${didYouMean(arg.split('=')[0], AUTH_FLAGS, false) || '; see mcp-probe auth --help'}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) {
    return error(positional.length === 0 ? 'auth: missing <url>: give the MCP endpoint, e.g. mcp-probe auth https://example.com/mcp' : `auth: expected one <url>, got ${positional.length}`);
  }
  let url: URL | undefined;
  try {
    url = new URL(positional[0]);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return error(`auth: <url> ${describeUrl(positional[0])} is not an http:// or https:// URL; give the MCP endpoint, e.g. https://example.com/mcp`);
  }
  const timeoutMs = timeout === undefined ? 10_000 : /^\d+$/.test(timeout) ? Number(timeout) : NaN;
  if (!(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 900_000)) {
    return error(`auth: --timeout ${JSON.stringify(String(timeout).slice(0, 40))} must be a whole number of milliseconds from 1 to 900000`);
  }
  return { kind: 'run', url: url.href, json, timeoutMs };
}

/** The `--json` object of a discovery. */
export function authJson(url: string, discovery: Discovery): Record<string, unknown> {
  const refusal = firstRefusal(discovery.steps, false);
  return {
    url: JSON.parse(describeUrl(url)) as string,
    proceed: refusal === undefined,
    failureClass: refusal?.failureClass ?? 'OK',
    protected: discovery.protected,
    ...(discovery.issuer ? { issuer: discovery.issuer } : {}),
    ...(discovery.scopes ? { scopes: discovery.scopes } : {}),
    steps: discovery.steps,
  };
}

/** The human output of a discovery. */
export function formatAuth(url: string, discovery: Discovery): string {
  const e = escapeControls;
  const lines = [`mcp-probe auth ${e(JSON.parse(describeUrl(url)) as string)}`];
  for (const step of discovery.steps) {
    lines.push(`  ${step.status.toUpperCase().padEnd(5)} ${step.id.padEnd(30)} ${e(step.detail)}`);
    if (step.fix && step.status !== 'ok') lines.push(`        ${''.padEnd(30)} fix: ${e(step.fix)}`);
  }
  const refusal = firstRefusal(discovery.steps, false);
  if (refusal) {
    lines.push(`FAIL ${refusal.failureClass}: a client would refuse at ${discovery.steps.find((s) => s.status === 'fail')!.id}`);
  } else {
    lines.push(discovery.protected ? 'PASS a client would proceed to authorization' : 'PASS the server asks for no authorization: clients connect without OAuth');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `mcp-probe auth` and resolves with its exit status.
 *
 * @param argv the arguments after `auth`
 * @param fetch the HTTP edge @default - node:http(s) under the deadline
 */
export async function runAuth(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, fetch?: OAuthFetch): Promise<number> {
  const parsed = parseAuthArgs(argv);
  if (parsed.kind === 'help') {
    out.write(`${AUTH_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    err.write(`mcp-probe: ${parsed.message}\n`);
    return 2;
  }
  const discovery = await discover(parsed.url, fetch ?? nodeFetch({
    deadline: Date.now() + parsed.timeoutMs,
    userAgent: `${PROBE_CLIENT_INFO.name}/${PROBE_CLIENT_INFO.version}`,
  }));
  out.write(parsed.json ? `${jsonLine(authJson(parsed.url, discovery))}\n` : formatAuth(parsed.url, discovery));
  return firstRefusal(discovery.steps, false) ? 1 : 0;
}
