/**
 * What MCP clients decide at each step of OAuth discovery, pure: where they look for metadata,
 * and whether what they find would make them refuse. ./oauth-discovery does the fetching.
 *
 * Sources: the MCP authorization spec (2025-11-25 and 2026-07-28,
 * https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization), RFC 9728
 * (protected-resource metadata), RFC 8414 (authorization-server metadata), RFC 9207 (`iss`), and
 * what Claude and ChatGPT refuse (../../../shared/reference/OAUTH.md "What Claude, ChatGPT and IDE
 * clients accept": no `S256` in `code_challenge_methods_supported`).
 */
import { isJsonObject } from './json';
import type { Failure } from './types';
import type { FailureClass } from '../../src/contract/failure-classes';

/** How a step went: `ok`, `warn` (clients proceed; something is off), `fail` (a client refuses), `info`. */
export type StepStatus = 'ok' | 'warn' | 'fail' | 'info';

/** The steps of discovery, in the order clients take them. */
export type StepId =
  | 'challenge'
  | 'protected-resource-metadata'
  | 'resource'
  | 'authorization-server-metadata'
  | 'issuer'
  | 'token-endpoint'
  | 'pkce'
  | 'registration'
  | 'iss-parameter'
  | 'jwks';

/** One step of discovery and its verdict. */
export interface DiscoveryStep {
  readonly id: StepId;
  readonly status: StepStatus;
  /** What was found (or not), one line; no secret ever reaches it (metadata is public). */
  readonly detail: string;
  /** What to change, when the step did not pass. @default - none */
  readonly fix?: string;
  /** The failure class of a `fail` step. @default - none */
  readonly failureClass?: FailureClass;
  /**
   * Whether a machine client (`client_credentials`, the probe and the canary) stops here too; a
   * `fail` step that is not is refused by interactive clients only (Claude, ChatGPT: PKCE,
   * registration). @default false
   */
  readonly blocksMachine?: boolean;
}

/** The parameters of a `Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  readonly resourceMetadata?: string;
  readonly scope?: string;
  readonly error?: string;
}

/** Reads the `Bearer` challenge of a `WWW-Authenticate` value; undefined when there is none. */
export function parseBearerChallenge(value: string): BearerChallenge | undefined {
  const start = /(?:^|,\s*)Bearer(?:\s+|$)/i.exec(value);
  if (!start) return undefined;
  const rest = value.slice(start.index + start[0].length);
  const params: Record<string, string> = {};
  const param = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;
  for (let match = param.exec(rest); match; match = param.exec(rest)) {
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return {
    ...(params.resource_metadata ? { resourceMetadata: params.resource_metadata } : {}),
    ...(params.scope !== undefined ? { scope: params.scope } : {}),
    ...(params.error ? { error: params.error } : {}),
  };
}

/** The well-known protected-resource metadata URLs of an MCP URL, path-aware first, then the root (RFC 9728 §3.1). */
export function protectedResourceLocations(target: URL): URL[] {
  const path = target.pathname.replace(/\/$/, '');
  const root = new URL('/.well-known/oauth-protected-resource', target.origin);
  return path === '' ? [root] : [new URL(`/.well-known/oauth-protected-resource${path}`, target.origin), root];
}

/**
 * The authorization-server metadata URLs of an issuer, in the MCP spec's order: RFC 8414
 * path-inserted, OpenID Connect path-inserted, OpenID Connect path-appended; for an issuer
 * without a path, RFC 8414 then OpenID Connect at the root.
 */
export function authorizationServerLocations(issuer: URL): URL[] {
  const path = issuer.pathname.replace(/\/$/, '');
  if (path === '') {
    return [new URL('/.well-known/oauth-authorization-server', issuer.origin), new URL('/.well-known/openid-configuration', issuer.origin)];
  }
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, issuer.origin),
    new URL(`/.well-known/openid-configuration${path}`, issuer.origin),
    new URL(`${path}/.well-known/openid-configuration`, issuer.origin),
  ];
}

/**
 * A resource URI as compared: scheme and host lower-case (URL does it), no fragment, no trailing
 * slash on a path (the spec's canonical form; `https://h` and `https://h/` are the same).
 */
export function canonicalResource(text: string): string | undefined {
  try {
    const url = new URL(text);
    url.hash = '';
    const path = url.pathname.replace(/\/$/, '');
    return `${url.protocol}//${url.host}${path}${url.search}`;
  } catch {
    return undefined;
  }
}

/**
 * Whether the metadata's `resource` names the URL probed: `ok` when equal (RFC 9728 §3.3),
 * `warn` when it names a parent path on the same origin (the TypeScript SDK accepts that, the
 * RFC does not), else `fail`.
 */
export function resourceVerdict(named: unknown, probed: string): DiscoveryStep {
  const fix = `set "resource" in the protected-resource metadata to ${probed}, the URL clients use (the custom domain, not the origin behind it)`;
  if (typeof named !== 'string' || named === '') {
    return { id: 'resource', status: 'fail', failureClass: 'OAUTH_METADATA_MISSING', blocksMachine: true, detail: 'the protected-resource metadata names no "resource" (RFC 9728 §2 requires it)', fix };
  }
  const want = canonicalResource(probed);
  const got = canonicalResource(named);
  if (got !== undefined && got === want) return { id: 'resource', status: 'ok', detail: `"resource" is ${named}, the URL probed` };
  if (got !== undefined && want !== undefined && (want.startsWith(`${got}/`) || got === new URL(want).origin)) {
    return { id: 'resource', status: 'warn', detail: `"resource" is ${named}, a parent of the URL probed (${probed}): the TypeScript SDK accepts it, RFC 9728 §3.3 asks for the same URL`, fix };
  }
  return {
    id: 'resource',
    status: 'fail',
    failureClass: 'OAUTH_RESOURCE_MISMATCH',
    blocksMachine: true,
    detail: `"resource" is ${JSON.stringify(named.slice(0, 200))}, not the URL probed (${probed}): clients refuse metadata for another resource (RFC 9728 §3.3)`,
    fix,
  };
}

/** The checks of an authorization server's metadata document, in the order clients apply them. */
export function authorizationServerVerdicts(metadata: Record<string, unknown>, issuer: string): DiscoveryStep[] {
  const steps: DiscoveryStep[] = [];
  const list = (name: string): string[] | undefined => (Array.isArray(metadata[name]) ? (metadata[name] as unknown[]).map(String) : undefined);
  const reject = 'OAUTH_AS_METADATA_REJECTED' as const;
  if (metadata.issuer === issuer) {
    steps.push({ id: 'issuer', status: 'ok', detail: `"issuer" is ${issuer}, the issuer the metadata URL was built from` });
  } else {
    steps.push({
      id: 'issuer',
      status: 'fail',
      failureClass: reject,
      blocksMachine: true,
      detail: `"issuer" is ${JSON.stringify(String(metadata.issuer ?? '(absent)').slice(0, 200))}, not ${issuer}, the issuer the protected-resource metadata names: clients refuse (RFC 8414 §3.3; MCP 2026-07-28)`,
      fix: `list the exact issuer in "authorization_servers" (${String(metadata.issuer ?? '?').slice(0, 200)}), or serve metadata whose "issuer" is ${issuer}`,
    });
  }
  const tokenEndpoint = metadata.token_endpoint;
  const grants = list('grant_types_supported');
  if (typeof tokenEndpoint !== 'string' || tokenEndpoint === '') {
    steps.push({ id: 'token-endpoint', status: 'fail', failureClass: reject, blocksMachine: true, detail: 'the metadata names no "token_endpoint"', fix: 'publish the token endpoint in the authorization-server metadata' });
  } else if (grants && !grants.includes('client_credentials')) {
    steps.push({ id: 'token-endpoint', status: 'warn', detail: `token endpoint ${tokenEndpoint}; "grant_types_supported" (${grants.join(', ')}) lacks client_credentials, which machine clients (the canary) use` });
  } else {
    steps.push({ id: 'token-endpoint', status: 'ok', detail: `token endpoint ${tokenEndpoint}` });
  }
  const pkce = list('code_challenge_methods_supported');
  if (pkce?.includes('S256')) {
    steps.push({ id: 'pkce', status: 'ok', detail: `"code_challenge_methods_supported" lists S256 (${pkce.join(', ')})` });
  } else {
    steps.push({
      id: 'pkce',
      status: 'fail',
      failureClass: reject,
      detail: pkce ? `"code_challenge_methods_supported" (${pkce.join(', ') || 'empty'}) lacks S256: Claude and ChatGPT refuse` : 'no "code_challenge_methods_supported": MCP clients must refuse without it (Claude and ChatGPT do)',
      fix: 'list "S256" in code_challenge_methods_supported; if the authorization server (Cognito) omits it, serve a corrected copy of its metadata on the service\'s domain',
    });
  }
  const authMethods = list('token_endpoint_auth_methods_supported');
  const dcr = typeof metadata.registration_endpoint === 'string' && metadata.registration_endpoint !== '';
  const cimd = metadata.client_id_metadata_document_supported === true;
  if (!dcr && !cimd) {
    steps.push({
      id: 'registration',
      status: 'fail',
      failureClass: reject,
      detail: 'neither "registration_endpoint" (dynamic client registration) nor "client_id_metadata_document_supported": Claude and ChatGPT cannot register (only a client ID a user enters by hand works)',
      fix: 'enable dynamic client registration (Cognito: DcrConfiguration, its /oauth2/register) or client ID metadata documents, and publish it in the metadata',
    });
  } else if (cimd && !(authMethods ?? []).includes('none')) {
    steps.push({
      id: 'registration',
      status: dcr ? 'ok' : 'warn',
      detail: `${dcr ? 'dynamic client registration; ' : ''}client ID metadata documents advertised, but "token_endpoint_auth_methods_supported" lacks none: Claude chooses CIMD only with none${dcr ? ' (it registers with DCR instead)' : ''}`,
      ...(dcr ? {} : { fix: 'add "none" to token_endpoint_auth_methods_supported (CIMD clients are public)' }),
    });
  } else {
    steps.push({ id: 'registration', status: 'ok', detail: [dcr ? `dynamic client registration at ${String(metadata.registration_endpoint)}` : '', cimd ? 'client ID metadata documents' : ''].filter(Boolean).join('; ') });
  }
  steps.push(metadata.authorization_response_iss_parameter_supported === true
    ? { id: 'iss-parameter', status: 'ok', detail: '"authorization_response_iss_parameter_supported" is true (RFC 9207)' }
    : { id: 'iss-parameter', status: 'warn', detail: 'no "authorization_response_iss_parameter_supported": authorization responses carry no iss (RFC 9207; the 2026-07-28 spec says SHOULD)', fix: 'send iss in authorization responses and advertise it' });
  return steps;
}

/** The verdict on a JWKS document: an object with a non-empty `keys` array. */
export function jwksVerdict(document: unknown, where: string): DiscoveryStep {
  const keys = isJsonObject(document) && Array.isArray(document.keys) ? document.keys.length : 0;
  return keys > 0
    ? { id: 'jwks', status: 'ok', detail: `the JWKS at ${where} has ${keys} key${keys === 1 ? '' : 's'}` }
    : { id: 'jwks', status: 'fail', failureClass: 'OAUTH_METADATA_MISSING', detail: `the JWKS at ${where} has no keys`, fix: 'serve the signing keys at jwks_uri: the MCP server verifies tokens with them' };
}

/** The first step that stops a client (a machine client when `machine`), as a probe failure. */
export function firstRefusal(steps: readonly DiscoveryStep[], machine: boolean): Failure | undefined {
  const step = steps.find((s) => s.status === 'fail' && (!machine || s.blocksMachine));
  if (!step) return undefined;
  return { failureClass: step.failureClass ?? 'OAUTH_METADATA_MISSING', message: `OAuth ${step.id}: ${step.detail}${step.fix ? `; fix: ${step.fix}` : ''}` };
}
