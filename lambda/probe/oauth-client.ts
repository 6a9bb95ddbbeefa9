/**
 * The probe as an OAuth client (`client_credentials`, as the MCP spec's machine clients and the
 * TypeScript SDK's ClientCredentialsProvider do): a token from the authorization server, cached
 * until shortly before it expires, sent as `Authorization: Bearer`; a 401 to a cached token is
 * retried once with a fresh one. Pure apart from the injected {@link OAuthFetch} and
 * {@link TokenCache}, so the canary can keep its cache in module state across warm invocations.
 *
 * The token request sends `resource` (RFC 8707) on every request, "regardless of whether
 * authorization servers support it" (MCP spec,
 * https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization), and
 * authenticates with `client_secret_basic` or `client_secret_post` (RFC 6749 §2.3.1,
 * https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1).
 */
import { createHash } from 'node:crypto';
import { PROBE_CLIENT_INFO } from './drivers';
import { discover } from './oauth-discovery';
import { nodeFetch, type OAuthFetch } from './oauth-http';
import { firstRefusal } from './oauth-verdicts';
import { oneLine, redact } from './redact';
import type { Failure, OAuthClientOptions, ProbeOptions, ProbeResult, TokenAuthMethod } from './types';
import { failureLine } from './verdicts';
import { layerOf } from '../../src/contract/failure-classes';

/** A token as cached: the value and when to stop using it (epoch ms, already shortened by the refresh margin). */
export interface CachedToken {
  readonly accessToken: string;
  readonly refreshAt: number;
}

/** Where tokens are kept between probes (the canary: module state, across warm invocations). */
export interface TokenCache {
  get(key: string): CachedToken | undefined;
  set(key: string, token: CachedToken): void;
  delete(key: string): void;
}

/** A {@link TokenCache} in a Map. */
export class MemoryTokenCache implements TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  public get(key: string): CachedToken | undefined {
    return this.tokens.get(key);
  }
  public set(key: string, token: CachedToken): void {
    this.tokens.set(key, token);
  }
  public delete(key: string): void {
    this.tokens.delete(key);
  }
}

/** What the OAuth client uses beyond the options: both injectable. */
export interface OAuthDependencies {
  /** @default - a new {@link MemoryTokenCache} (one probe: no reuse) */
  readonly tokenCache?: TokenCache;
  /** @default - {@link nodeFetch} under the probe's deadline */
  readonly fetch?: OAuthFetch;
  /** The clock. @default Date.now */
  readonly now?: () => number;
}

/** Lifetime assumed for a token answer without `expires_in`: 5 minutes, Cognito's shortest access token. */
export const DEFAULT_TOKEN_LIFETIME_S = 300;
/** The most a token is refreshed before it expires: 60 s, or a tenth of a shorter lifetime. */
export const MAX_REFRESH_MARGIN_S = 60;

/** When to stop using a token issued at `now` that lives `expiresIn` seconds. */
export function refreshAt(now: number, expiresIn: number): number {
  const margin = Math.min(MAX_REFRESH_MARGIN_S, expiresIn / 10);
  return now + Math.max(0, expiresIn - margin) * 1000;
}

/** The cache key of a client: everything that changes the token, the secret only as a digest. */
export function tokenCacheKey(url: string, oauth: OAuthClientOptions): string {
  const secret = createHash('sha256').update(oauth.clientSecret).digest('hex').slice(0, 16);
  return JSON.stringify([url, oauth.tokenUrl ?? '', oauth.clientId, secret, oauth.scope ?? '', oauth.resource ?? '', oauth.tokenAuth ?? '']);
}

/** The body and headers of a `client_credentials` token request. */
export function tokenRequest(
  oauth: OAuthClientOptions,
  method: TokenAuthMethod,
  resource: string,
  scope: string | undefined,
): { headers: Record<string, string>; body: string } {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scope) form.set('scope', scope);
  form.set('resource', resource);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'accept': 'application/json' };
  if (method === 'post') {
    form.set('client_id', oauth.clientId);
    form.set('client_secret', oauth.clientSecret);
  } else {
    // RFC 6749 §2.3.1: each part form-urlencoded before base64.
    const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
    headers.authorization = `Basic ${Buffer.from(`${encode(oauth.clientId)}:${encode(oauth.clientSecret)}`).toString('base64')}`;
  }
  return { headers, body: form.toString() };
}

/** `post` when the metadata lists `client_secret_post` and not `client_secret_basic`; else `basic` (RFC 8414's default). */
export function chooseTokenAuth(methods: unknown): TokenAuthMethod {
  const list = Array.isArray(methods) ? methods.map(String) : [];
  return list.includes('client_secret_post') && !list.includes('client_secret_basic') ? 'post' : 'basic';
}

/** A token, whether it came from the token endpoint just now, or why there is none. */
export type TokenOutcome = { readonly token: string; readonly fresh: boolean } | { readonly failure: Failure };

/**
 * A `client_credentials` access token for a probe of `url`: the cached one while it is fresh,
 * else one from the token endpoint (discovered when not given), cached.
 *
 * @param url the MCP endpoint
 * @param oauth the client
 * @param deps fetch, cache and clock
 * @param forceFresh skip the cache (after a 401 to the cached token)
 */
export async function accessToken(
  url: string,
  oauth: OAuthClientOptions,
  deps: Required<OAuthDependencies>,
  forceFresh = false,
): Promise<TokenOutcome> {
  const key = tokenCacheKey(url, oauth);
  const cached = deps.tokenCache.get(key);
  if (!forceFresh && cached && cached.refreshAt > deps.now()) return { token: cached.accessToken, fresh: false };
  deps.tokenCache.delete(key);
  let tokenUrl = oauth.tokenUrl;
  let scope = oauth.scope;
  let method = oauth.tokenAuth;
  if (tokenUrl === undefined) {
    const found = await discover(url, deps.fetch);
    const refusal = firstRefusal(found.steps, true) ?? (found.protected ? undefined : {
      failureClass: 'OAUTH_METADATA_MISSING' as const,
      message: `OAuth discovery: ${found.steps[0]?.detail ?? 'no challenge'}; give the token endpoint with --oauth-token-url (oauth.tokenUrl)`,
    });
    if (refusal) return { failure: refusal };
    tokenUrl = String(found.authorizationServer!.token_endpoint);
    scope ??= found.scopes?.join(' ') || undefined;
    method ??= chooseTokenAuth(found.authorizationServer!.token_endpoint_auth_methods_supported);
  }
  const endpoint = new URL(tokenUrl);
  const request = tokenRequest(oauth, method ?? 'basic', oauth.resource ?? url, scope);
  const issued = deps.now();
  const answer = await deps.fetch({ method: 'POST', url: endpoint, ...request });
  const where = `the token endpoint ${endpoint.origin}${endpoint.pathname}`;
  const fail = (message: string): TokenOutcome => ({ failure: { failureClass: 'OAUTH_TOKEN_REQUEST_FAILED', message: `${where} ${message}` } });
  if ('failure' in answer) return fail(`did not answer: ${answer.failure.failureClass}: ${answer.failure.message}`);
  const body = answer.json !== null && typeof answer.json === 'object' ? answer.json as Record<string, unknown> : undefined;
  if (answer.status !== 200 || !body || typeof body.access_token !== 'string' || body.access_token === '') {
    const error = typeof body?.error === 'string' ? ` ${body.error.slice(0, 80)}` : '';
    const description = typeof body?.error_description === 'string' ? ` (${JSON.stringify(body.error_description.slice(0, 200))})` : '';
    const what = answer.status === 200 ? 'answered 200 without an access_token' : `answered HTTP ${answer.status}${error}${description}`;
    return fail(`${what} to the client_credentials request of client ${JSON.stringify(oauth.clientId.slice(0, 80))} (${method ?? 'basic'} auth${scope ? `, scope "${scope.slice(0, 200)}"` : ''}, resource ${oauth.resource ?? url})`);
  }
  if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') {
    return fail(`issued a ${JSON.stringify(body.token_type.slice(0, 40))} token; the probe sends Bearer tokens only`);
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
  deps.tokenCache.set(key, { accessToken: body.access_token, refreshAt: refreshAt(issued, expiresIn) });
  return { token: body.access_token, fresh: true };
}

/** A result for a probe that stopped before it spoke MCP (invalid options, no token). */
export function stoppedResult(failure: Failure, started: number, secrets: readonly string[]): ProbeResult {
  return {
    ok: false,
    failureClass: failure.failureClass,
    layer: layerOf(failure.failureClass),
    era: null,
    protocolVersion: null,
    server: null,
    toolCount: null,
    tools: [],
    toolsHash: null,
    httpStatus: null,
    frontDoor: null,
    certDaysRemaining: null,
    timings: { connectMs: null, tlsMs: null, handshakeMs: null, toolsListMs: null, toolCallMs: null, totalMs: Date.now() - started },
    message: oneLine(failureLine(failure, null), secrets),
    traceId: null,
  };
}

/**
 * Runs a probe as an OAuth client: a token (cached or fresh), the probe with it, once more with
 * a fresh token when a cached one got 401; a fresh token refused (401, or 403
 * `insufficient_scope`) is OAUTH_TOKEN_REJECTED.
 *
 * @param options the probe's options, `oauth` set
 * @param deps the token cache, fetch and clock
 * @param once one probe run with a bearer token
 */
export async function probeWithOAuth(
  options: ProbeOptions & { oauth: OAuthClientOptions },
  deps: OAuthDependencies,
  once: (options: ProbeOptions) => Promise<ProbeResult>,
): Promise<ProbeResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = started + timeoutMs;
  const { oauth, ...rest } = options;
  const secrets = [oauth.clientSecret];
  const all: Required<OAuthDependencies> = {
    tokenCache: deps.tokenCache ?? new MemoryTokenCache(),
    fetch: deps.fetch ?? nodeFetch({ deadline, userAgent: `${PROBE_CLIENT_INFO.name}/${PROBE_CLIENT_INFO.version}`, ...(options.ca ? { ca: options.ca } : {}) }),
    now: deps.now ?? Date.now,
  };
  const run = async (forceFresh: boolean): Promise<{ result: ProbeResult; fresh: boolean }> => {
    const got = await accessToken(options.url, oauth, all, forceFresh);
    if ('failure' in got) return { result: stoppedResult(got.failure, started, secrets), fresh: true };
    secrets.push(got.token);
    const remaining = Math.max(1, deadline - Date.now());
    const result = await once({ ...rest, bearerToken: got.token, timeoutMs: remaining });
    return { result, fresh: got.fresh };
  };
  let { result, fresh } = await run(false);
  if (result.failureClass === 'AUTH_REQUIRED' && !fresh) ({ result, fresh } = await run(true));
  const refused = result.failureClass === 'AUTH_REQUIRED'
    || (result.failureClass === 'FORBIDDEN' && /insufficient_scope/.test(result.message));
  if (refused) {
    const said = /rejected by the server as ([^;]*)/.exec(result.message)?.[1];
    const why = result.failureClass === 'AUTH_REQUIRED'
      ? `answered HTTP ${result.httpStatus ?? 401} to a token the authorization server had just issued${said ? ` (${said})` : ''}`
      : 'refused the token for its scope (403 insufficient_scope)';
    result = {
      ...result,
      failureClass: 'OAUTH_TOKEN_REJECTED',
      layer: layerOf('OAUTH_TOKEN_REJECTED'),
      message: `OAUTH_TOKEN_REJECTED: the server ${why}; the token was asked for resource ${oauth.resource ?? options.url}${oauth.scope ? ` and scope "${oauth.scope}"` : ''}: check the audience, issuer and scopes the server expects`,
    };
  }
  const message = oneLine(redact(result.message, secrets), secrets);
  return { ...result, message, timings: { ...result.timings, totalMs: Date.now() - started } };
}
