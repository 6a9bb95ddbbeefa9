/**
 * OAuth 2.1 protection of `/mcp`, per the MCP authorization spec, turned on by `MCP_OAUTH_ISSUER`
 * (the environment contract cdk-mcp's `McpAuth.oauth` writes; names in
 * `src/contract/oauth-env.ts`):
 *
 * - every `/mcp` request needs `Authorization: Bearer <access token>`, checked by the SDK's own
 *   bearer middleware (`requireBearerAuth` with `expectedResource`) over a verifier built on `jose`
 *   and the issuer's JWKS: signature, `iss`, `exp`, the audience (`aud` = the resource, RFC 8707;
 *   or, for Cognito `client_credentials` tokens without `aud`, a listed `client_id`), and the
 *   required scopes (403 `insufficient_scope`);
 * - a refusal is 401 (or 403) with `WWW-Authenticate: Bearer ..., scope="...",
 *   resource_metadata="..."`;
 * - the protected-resource metadata (RFC 9728) is served at the path-inserted and the root
 *   well-known locations, and, when configured, the authorization-server metadata on this origin.
 *
 * Tokens are never logged, nor passed on to anything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuthInfo, OAuthError, OAuthErrorCode, type OAuthTokenVerifier, requireBearerAuth } from '@modelcontextprotocol/server';
import type { OAuthConfig } from './auth-config';
import { sendJson } from './http-util';
import {
  AUTHORIZATION_SERVER_WELL_KNOWN, OAUTH_ENV, protectedResourceMetadata, protectedResourceMetadataPaths, protectedResourceMetadataUrl,
  splitOAuthList,
} from '../../../src/contract/oauth-env';

/** `jose` is ESM only: loaded with `import()` (esbuild bundles it like a static import). */
type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type JWTPayload = import('jose', { with: { 'resolution-mode': 'import' } }).JWTPayload;
type RemoteKeySet = ReturnType<Jose['createRemoteJWKSet']>;
let josePromise: Promise<Jose> | undefined;
const loadJose = (): Promise<Jose> => josePromise ??= import('jose');

/** Why a request was refused, for the log line (never the token). */
export type AuthRefusal = 'missing_token' | 'invalid_token' | 'insufficient_scope';

/** Checks bearer tokens on `/mcp` and serves the OAuth discovery documents. */
export class OAuthGate {
  private readonly gate: (request: Request) => Promise<AuthInfo | Response>;
  private readonly metadataPaths: ReadonlySet<string>;
  private readonly asMetadataPaths: ReadonlySet<string>;

  constructor(private readonly config: OAuthConfig, fetchJson: (url: string) => Promise<unknown> = defaultFetchJson) {
    this.gate = requireBearerAuth({
      verifier: jwtVerifier(config, fetchJson),
      requiredScopes: [...config.requiredScopes],
      resourceMetadataUrl: protectedResourceMetadataUrl(config.resource),
      expectedResource: new URL(config.resource),
    });
    this.metadataPaths = new Set(protectedResourceMetadataPaths(config.resource));
    this.asMetadataPaths = new Set(config.authorizationServerMetadata !== undefined ? AUTHORIZATION_SERVER_WELL_KNOWN : []);
  }

  /** Serves a discovery document when `path` is one; returns whether it did. Open to all: they are public. */
  public serveMetadata(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const document = this.metadataPaths.has(path)
      ? protectedResourceMetadata(this.config.resource, [this.config.authorizationServer], this.config.scopesSupported)
      : this.asMetadataPaths.has(path) ? this.config.authorizationServerMetadata : undefined;
    if (document === undefined) {
      return false;
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': 'MCP-Protocol-Version' }).end();
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: `Method not allowed: ${req.method}. Metadata is read with GET.` }, { Allow: 'GET, OPTIONS' });
    } else {
      sendJson(res, 200, document, { 'Cache-Control': 'max-age=3600' });
    }
    return true;
  }

  /**
   * Checks the request's bearer token with the SDK's middleware. Returns the token's `AuthInfo`,
   * or answers the request (401/403 with the challenge) and returns the refusal.
   */
  public async authorize(req: IncomingMessage, res: ServerResponse): Promise<AuthInfo | AuthRefusal> {
    const authorization = req.headers.authorization;
    const outcome = await this.gate(new Request(this.config.resource, { headers: authorization !== undefined ? { authorization } : {} }));
    if (!(outcome instanceof Response)) {
      return outcome;
    }
    const headers: Record<string, string> = {};
    outcome.headers.forEach((value, name) => {
      headers[name] = value;
    });
    res.writeHead(outcome.status, headers);
    res.end(await outcome.text());
    if (authorization === undefined) {
      return 'missing_token';
    }
    return outcome.status === 403 ? 'insufficient_scope' : 'invalid_token';
  }
}

/**
 * A token verifier on `jose`: the signature against the issuer's JWKS, `iss`, `exp` (and `nbf`),
 * then the audience: `aud` must include the configured audience, or, without `aud`, `client_id`
 * must be a listed audience-less client. `AuthInfo.resource` is the resource only then, so the
 * SDK's `expectedResource` check refuses everything else.
 */
export function jwtVerifier(config: OAuthConfig, fetchJson: (url: string) => Promise<unknown>): OAuthTokenVerifier {
  let jwks: RemoteKeySet | undefined;
  const keySet = async (jose: Jose): Promise<RemoteKeySet> => {
    if (jwks === undefined) {
      const url = config.jwksUrl ?? await discoverJwksUrl(config.issuer, fetchJson);
      jwks = jose.createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    }
    return jwks;
  };
  return {
    verifyAccessToken: async (token: string): Promise<AuthInfo> => {
      const jose = await loadJose();
      let payload: JWTPayload;
      try {
        ({ payload } = await jose.jwtVerify(token, await keySet(jose), { issuer: config.issuer }));
      } catch (error) {
        if (error instanceof jose.errors.JOSEError) {
          throw new OAuthError(OAuthErrorCode.InvalidToken, tokenProblem(jose, error));
        }
        throw error;
      }
      const clientId = stringClaim(payload.client_id) ?? stringClaim(payload.azp) ?? stringClaim(payload.cid) ?? '';
      const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      const intended = audiences.length > 0 ? audiences.includes(config.audience) : config.audiencelessClientIds.includes(clientId);
      return {
        token,
        clientId,
        scopes: scopesOf(payload),
        expiresAt: payload.exp,
        resource: intended ? new URL(config.resource) : undefined,
      };
    },
  };
}

/** The token's scopes: the `scope` string (RFC 9068), or the `scp` array some issuers use (Okta, Entra ID). */
function scopesOf(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') {
    return splitOAuthList(payload.scope);
  }
  return Array.isArray(payload.scp) ? payload.scp.filter((s): s is string => typeof s === 'string') : splitOAuthList(stringClaim(payload.scp));
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A short, token-free reason for the challenge's `error_description`. */
function tokenProblem(jose: Jose, error: Error): string {
  if (error instanceof jose.errors.JWTExpired) {
    return 'Token has expired';
  }
  if (error instanceof jose.errors.JWTClaimValidationFailed) {
    return `Token claim ${error.claim} is not valid`;
  }
  if (error instanceof jose.errors.JWSSignatureVerificationFailed || error instanceof jose.errors.JWKSNoMatchingKey) {
    return 'Token signature is not valid';
  }
  return 'Token is not valid';
}

async function discoverJwksUrl(issuer: string, fetchJson: (url: string) => Promise<unknown>): Promise<string> {
  const document = await fetchJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`) as { jwks_uri?: unknown };
  if (typeof document?.jwks_uri !== 'string') {
    throw new OAuthError(OAuthErrorCode.ServerError, `The issuer's discovery document has no jwks_uri: set ${OAUTH_ENV.JWKS_URL}.`);
  }
  return document.jwks_uri;
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000), headers: { accept: 'application/json' } });
  if (!response.ok) {
    throw new OAuthError(OAuthErrorCode.ServerError, `GET ${url} answered ${response.status}`);
  }
  return response.json();
}
