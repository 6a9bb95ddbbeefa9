/**
 * The OAuth contract between the constructs (synth time, `McpAuth.oauth`) and the MCP server
 * they run (run time): the environment variables that tell the server which tokens to accept
 * and what discovery documents to serve, plus the pure helpers both sides use to build the
 * well-known paths, the protected-resource metadata (RFC 9728) and the `WWW-Authenticate`
 * challenge, so the document the construct describes and the one the server serves cannot drift.
 *
 * Nothing secret is in it: issuer, resource, JWKS URL, scopes, client ids and public metadata.
 *
 * Internal: not exported from the package's public API. Keep this file free of aws-cdk-lib
 * imports: it is bundled into run-time code (the example server).
 */

/** Environment variable names the constructs write and an OAuth-protected MCP server reads. */
export const OAUTH_ENV = {
  /**
   * The token issuer, compared with the `iss` claim of every access token, e.g.
   * `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123`. Setting it turns token
   * checks on; every other variable below is then read.
   */
  ISSUER: 'MCP_OAUTH_ISSUER',
  /**
   * The canonical URL of the MCP endpoint, as clients use it (`https://mcp.example.com/mcp`): the
   * `resource` of the protected-resource metadata and, unless {@link OAUTH_ENV.AUDIENCE} says
   * otherwise, the audience every token must carry (RFC 8707). Required with the issuer.
   */
  RESOURCE: 'MCP_OAUTH_RESOURCE',
  /**
   * The JSON Web Key Set URL the token signatures are checked against. Optional: by default the
   * server reads `jwks_uri` from the issuer's OpenID discovery document
   * (`<issuer>/.well-known/openid-configuration`).
   */
  JWKS_URL: 'MCP_OAUTH_JWKS_URL',
  /**
   * Space-separated scopes every MCP request needs (a token lacking one gets 403
   * `insufficient_scope`); also the `scope` of the 401 challenge. Optional, default: none required.
   */
  SCOPES: 'MCP_OAUTH_SCOPES',
  /**
   * Space-separated scopes listed as `scopes_supported` in the protected-resource metadata.
   * Optional, default: {@link OAUTH_ENV.SCOPES}.
   */
  SCOPES_SUPPORTED: 'MCP_OAUTH_SCOPES_SUPPORTED',
  /**
   * The audience tokens must carry in `aud`, when the authorization server uses one other than
   * the resource URL (an Auth0 API identifier, an Entra ID application ID URI). Optional, default:
   * {@link OAUTH_ENV.RESOURCE}.
   */
  AUDIENCE: 'MCP_OAUTH_AUDIENCE',
  /**
   * Comma-separated OAuth client ids whose tokens are accepted without an `aud` claim, when their
   * `client_id` claim names one of them: Amazon Cognito's `client_credentials` access tokens
   * carry `client_id` and no `aud` (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html),
   * so this is how the server knows the canary's token is meant for it (the spec's "or otherwise
   * verify that they are the intended recipient"). Optional, default: every token needs `aud`.
   */
  AUDIENCELESS_CLIENT_IDS: 'MCP_OAUTH_AUDIENCELESS_CLIENT_IDS',
  /**
   * The authorization server URL listed in the protected-resource metadata's
   * `authorization_servers`. Optional, default: {@link OAUTH_ENV.ISSUER}. Set to the service's
   * own origin when it serves {@link OAUTH_ENV.AUTHORIZATION_SERVER_METADATA}.
   */
  AUTHORIZATION_SERVER: 'MCP_OAUTH_AUTHORIZATION_SERVER',
  /**
   * JSON object: the authorization-server metadata (RFC 8414) the server serves at
   * `/.well-known/oauth-authorization-server` and `/.well-known/openid-configuration` on its own
   * origin, for an authorization server whose own document lacks what Claude and ChatGPT require
   * (Amazon Cognito: no RFC 8414 document, no `code_challenge_methods_supported`). Its `issuer`
   * is {@link OAUTH_ENV.AUTHORIZATION_SERVER}. Optional, default: none served.
   */
  AUTHORIZATION_SERVER_METADATA: 'MCP_OAUTH_AUTHORIZATION_SERVER_METADATA',
} as const;

/** The well-known path segment of RFC 9728 protected-resource metadata. */
export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** The well-known paths of authorization-server metadata (RFC 8414, then OpenID Connect Discovery). */
export const AUTHORIZATION_SERVER_WELL_KNOWN = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'] as const;

/** RFC 9728 protected-resource metadata, the fields MCP clients read. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: string[];
  readonly scopes_supported?: string[];
  readonly bearer_methods_supported: string[];
}

/**
 * Where a protected-resource metadata document is served for `resource`, in the order clients
 * try them: the path-inserted location (`/.well-known/oauth-protected-resource/mcp` for
 * `https://mcp.example.com/mcp`), then the root location (`/.well-known/oauth-protected-resource`).
 * One path when the resource has none.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc9728#section-3.1
 */
export function protectedResourceMetadataPaths(resource: string): string[] {
  const path = new URL(resource).pathname.replace(/\/$/, '');
  return path === '' ? [PROTECTED_RESOURCE_WELL_KNOWN] : [`${PROTECTED_RESOURCE_WELL_KNOWN}${path}`, PROTECTED_RESOURCE_WELL_KNOWN];
}

/** The URL of the path-inserted protected-resource metadata of `resource`, the one the challenge names. */
export function protectedResourceMetadataUrl(resource: string): string {
  return new URL(protectedResourceMetadataPaths(resource)[0], resource).toString();
}

/**
 * The protected-resource metadata document of `resource`: `bearer_methods_supported` is
 * `header` only (MCP: tokens never in the query string); `scopes_supported` is left out when empty.
 */
export function protectedResourceMetadata(resource: string, authorizationServers: readonly string[],
  scopesSupported: readonly string[]): ProtectedResourceMetadata {
  return {
    resource,
    authorization_servers: [...authorizationServers],
    ...(scopesSupported.length > 0 ? { scopes_supported: [...scopesSupported] } : {}),
    bearer_methods_supported: ['header'],
  };
}

/**
 * The `WWW-Authenticate` value of a 401 (no or bad token) or, with `error: 'insufficient_scope'`,
 * a 403: `Bearer resource_metadata="<url>", scope="<scopes>"` (MCP authorization, "Protected
 * Resource Metadata Discovery Requirements" and "Scope Challenge Handling").
 */
export function bearerChallenge(resource: string, scopes: readonly string[], error?: 'invalid_token' | 'insufficient_scope'): string {
  const parts = [
    ...(error !== undefined ? [`error="${error}"`] : []),
    `resource_metadata="${protectedResourceMetadataUrl(resource)}"`,
    ...(scopes.length > 0 ? [`scope="${scopes.join(' ')}"`] : []),
  ];
  return `Bearer ${parts.join(', ')}`;
}

/** Splits a space- or comma-separated list, dropping empty entries. */
export function splitOAuthList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
}
