/**
 * OAuth discovery as Claude and ChatGPT walk it (the MCP authorization spec, 2025-11-25 and
 * 2026-07-28): an unauthenticated MCP request and its 401 challenge, the protected-resource
 * metadata (RFC 9728) at the challenge's URL or the well-known locations, the authorization-server
 * metadata (RFC 8414 / OpenID Connect discovery) in the spec's order, then the checks clients make
 * (resource, issuer, PKCE S256, registration, `iss`) and the JWKS the server verifies with. Each
 * step is a verdict (./oauth-verdicts); I/O goes through an injected {@link OAuthFetch}.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
import { classifyHttp, LEGACY_VERSIONS } from './classify';
import { PROBE_CLIENT_INFO } from './drivers';
import { isJsonObject } from './json';
import type { OAuthFetch, OAuthResponse } from './oauth-http';
import {
  authorizationServerLocations, authorizationServerVerdicts, jwksVerdict, parseBearerChallenge, protectedResourceLocations,
  resourceVerdict, type DiscoveryStep,
} from './oauth-verdicts';
import { describeUrl } from './redact';
import type { Failure } from './types';

/** What discovery found, step by step. */
export interface Discovery {
  /** Every step taken, in order. */
  readonly steps: DiscoveryStep[];
  /** Whether the server asked for credentials at all (a 401); false: clients connect without OAuth. */
  readonly protected: boolean;
  /** The scopes a client asks for: the challenge's `scope`, else the metadata's `scopes_supported`. */
  readonly scopes?: string[];
  /** The issuer used (the first of `authorization_servers`). */
  readonly issuer?: string;
  /** The authorization server's metadata, when found. */
  readonly authorizationServer?: Readonly<Record<string, unknown>>;
}

/** A request that draws the 401 challenge: a 2025-11-25 `initialize`, as legacy clients send first. */
function challengeRequest(target: URL): Parameters<OAuthFetch>[0] {
  return {
    method: 'POST',
    url: target,
    headers: { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', 'mcp-protocol-version': LEGACY_VERSIONS[0] },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY_VERSIONS[0], capabilities: {}, clientInfo: PROBE_CLIENT_INFO } }),
  };
}

const JSON_ACCEPT = { accept: 'application/json' };

/** Why a GET of a metadata document gave no document: its status, or the failure. */
function missed(url: URL, answer: OAuthResponse | { failure: Failure }): string {
  const where = url.pathname;
  if ('failure' in answer) return `${where} ${answer.failure.failureClass}`;
  return `${where} HTTP ${answer.status}${answer.status >= 200 && answer.status < 300 ? ' (not a JSON object)' : ''}`;
}

/**
 * Walks the discovery chain of an MCP URL.
 *
 * @param url the MCP endpoint
 * @param fetch one HTTP exchange
 */
export async function discover(url: string, fetch: OAuthFetch): Promise<Discovery> {
  const target = new URL(url);
  const steps: DiscoveryStep[] = [];
  const first = await fetch(challengeRequest(target));
  if ('failure' in first) {
    steps.push({ id: 'challenge', status: 'fail', failureClass: first.failure.failureClass, blocksMachine: true, detail: first.failure.message, fix: 'make the server reachable at this URL' });
    return { steps, protected: false };
  }
  if (first.status !== 401) {
    if (first.status >= 200 && first.status < 300) {
      steps.push({ id: 'challenge', status: 'warn', detail: `HTTP ${first.status} without credentials: the server does not ask for authorization, so clients connect without OAuth`, fix: 'answer unauthenticated MCP requests with 401 and a WWW-Authenticate: Bearer resource_metadata="..." challenge if the server is meant to be protected' });
      return { steps, protected: false };
    }
    const interpreted = classifyHttp({ status: first.status, headers: first.headers, body: first.body });
    const failure = interpreted?.kind === 'failure' ? interpreted.failure : { failureClass: 'HTTP_ERROR' as const, message: `HTTP ${first.status}` };
    steps.push({ id: 'challenge', status: 'fail', failureClass: failure.failureClass, blocksMachine: true, detail: `${failure.message}; an MCP client expects 401 with a challenge`, fix: 'answer unauthenticated MCP requests with 401 and WWW-Authenticate: Bearer resource_metadata="<metadata URL>"' });
    return { steps, protected: false };
  }
  const direct = first.headers['www-authenticate'];
  const remapped = first.headers['x-amzn-remapped-www-authenticate'];
  const challenge = direct !== undefined ? parseBearerChallenge(direct) : undefined;
  if (challenge?.resourceMetadata) {
    steps.push({ id: 'challenge', status: 'ok', detail: `401 with WWW-Authenticate: Bearer resource_metadata=${challenge.resourceMetadata}${challenge.scope ? `, scope="${challenge.scope}"` : ''}` });
  } else if (direct === undefined && remapped !== undefined) {
    steps.push({
      id: 'challenge',
      status: 'warn',
      detail: 'the 401 carries its challenge as x-amzn-remapped-www-authenticate (API Gateway renamed WWW-Authenticate), which MCP clients do not read: they fall back to the well-known locations',
      fix: 'return the challenge from a gateway response (API Gateway addGatewayResponse UNAUTHORIZED with a WWW-Authenticate header), and serve the metadata at the well-known locations',
    });
  } else {
    steps.push({
      id: 'challenge',
      status: 'warn',
      detail: direct === undefined ? 'the 401 has no WWW-Authenticate header: clients fall back to the well-known locations' : `the 401's WWW-Authenticate has no Bearer resource_metadata (${JSON.stringify(direct.slice(0, 120))}): clients fall back to the well-known locations`,
      fix: 'add WWW-Authenticate: Bearer resource_metadata="<metadata URL>", scope="<scopes>" to every 401',
    });
  }
  const advertised = challenge?.resourceMetadata ? safeUrl(challenge.resourceMetadata, target) : undefined;
  const locations = advertised ? [advertised] : protectedResourceLocations(target);
  const prmFound = await firstDocument(fetch, locations, 'protected-resource-metadata');
  const prm = prmFound.document;
  const tried = prmFound.tried;
  if (prm) steps.push(prmFound.step);
  if (!prm) {
    steps.push({
      id: 'protected-resource-metadata',
      status: 'fail',
      failureClass: 'OAUTH_METADATA_MISSING',
      blocksMachine: true,
      detail: `no protected-resource metadata (${tried.join('; ')})`,
      fix: `serve it (RFC 9728) at ${protectedResourceLocations(target).map((u) => u.pathname).join(' and ')}, and name it in the 401 challenge`,
    });
    return { steps, protected: true };
  }
  steps.push(resourceVerdict(prm.resource, target.href));
  const servers = Array.isArray(prm.authorization_servers) ? prm.authorization_servers.filter((s): s is string => typeof s === 'string') : [];
  const supported = Array.isArray(prm.scopes_supported) ? prm.scopes_supported.map(String) : undefined;
  const scopes = challenge?.scope !== undefined ? challenge.scope.split(' ').filter(Boolean) : supported;
  const issuerUrl = servers[0] !== undefined ? safeUrl(servers[0]) : undefined;
  if (!issuerUrl) {
    steps.push({
      id: 'authorization-server-metadata',
      status: 'fail',
      failureClass: 'OAUTH_METADATA_MISSING',
      blocksMachine: true,
      detail: 'the protected-resource metadata lists no valid "authorization_servers"',
      fix: 'list the issuer URL of the authorization server in authorization_servers',
    });
    return { steps, protected: true, ...(scopes ? { scopes } : {}) };
  }
  const issuer = servers[0];
  const asFound = await firstDocument(fetch, authorizationServerLocations(issuerUrl), 'authorization-server-metadata');
  const metadata = asFound.document;
  const asTried = asFound.tried;
  if (metadata) steps.push(asFound.step);
  if (!metadata) {
    steps.push({
      id: 'authorization-server-metadata',
      status: 'fail',
      failureClass: 'OAUTH_METADATA_MISSING',
      blocksMachine: true,
      detail: `no authorization-server metadata for issuer ${issuer} (${asTried.join('; ')})`,
      fix: 'serve RFC 8414 or OpenID Connect discovery metadata for the issuer at one of these locations',
    });
    return { steps, protected: true, issuer, ...(scopes ? { scopes } : {}) };
  }
  steps.push(...authorizationServerVerdicts(metadata, issuer));
  const jwksUri = typeof metadata.jwks_uri === 'string' ? safeUrl(metadata.jwks_uri) : undefined;
  if (!jwksUri) {
    steps.push({ id: 'jwks', status: 'warn', detail: 'no "jwks_uri": the MCP server must verify tokens another way (introspection)' });
  } else {
    const answer = await fetch({ method: 'GET', url: jwksUri, headers: JSON_ACCEPT });
    steps.push('failure' in answer || answer.status !== 200
      ? { id: 'jwks', status: 'fail', failureClass: 'OAUTH_METADATA_MISSING', detail: `the JWKS does not answer (${missed(jwksUri, answer)})`, fix: 'serve the signing keys at jwks_uri: the MCP server verifies tokens with them' }
      : jwksVerdict(answer.json, describeUrl(jwksUri.href)));
  }
  return { steps, protected: true, issuer, authorizationServer: metadata, ...(scopes ? { scopes } : {}) };
}

/** The first location that answers a JSON object, as clients try them: the document, its OK step, and what was tried before. */
async function firstDocument(fetch: OAuthFetch, locations: readonly URL[], id: DiscoveryStep['id']): Promise<{ document?: Record<string, unknown>; step: DiscoveryStep; tried: string[] }> {
  const tried: string[] = [];
  for (const location of locations) {
    const answer = await fetch({ method: 'GET', url: location, headers: JSON_ACCEPT });
    if (!('failure' in answer) && answer.status === 200 && isJsonObject(answer.json)) {
      return { document: answer.json, tried, step: { id, status: 'ok', detail: `found at ${describeUrl(location.href)}${tried.length ? ` (after ${tried.join('; ')})` : ''}` } };
    }
    tried.push(missed(location, answer));
  }
  return { tried, step: { id, status: 'fail', detail: '' } };
}

function safeUrl(text: string, base?: URL): URL | undefined {
  try {
    const url = new URL(text, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
