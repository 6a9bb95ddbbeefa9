import {
  AUTHORIZATION_SERVER_WELL_KNOWN, bearerChallenge, OAUTH_ENV, protectedResourceMetadata, protectedResourceMetadataPaths,
  ProtectedResourceMetadata,
} from '../../contract/oauth-env';

/** What an OAuth-protected endpoint is told about its authorization server (resolved values, or tokens). */
export interface OAuthEndpointInput {
  /** The canonical URL of the MCP endpoint (a literal: its path names the well-known locations). */
  readonly resource: string;
  readonly issuer: string;
  readonly jwksUrl?: string;
  /** The `aud` tokens carry. */
  readonly audience: string;
  readonly audiencelessClientIds: readonly string[];
  /** Scopes every request needs. */
  readonly requiredScopes: readonly string[];
  /** Scopes listed in the protected-resource metadata. */
  readonly scopesSupported: readonly string[];
  /** Set when the authorization server's own metadata falls short: the service serves this one. */
  readonly augmentedMetadata?: AugmentedMetadataInput;
}

/** The endpoints of an authorization server whose metadata a service serves itself. */
export interface AugmentedMetadataInput {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl?: string;
  readonly registrationUrl?: string;
  readonly revocationUrl?: string;
  readonly clientIdMetadataDocumentSupported: boolean;
}

/** RFC 8414 authorization-server metadata with the fields MCP clients check. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri?: string;
  readonly registration_endpoint?: string;
  readonly revocation_endpoint?: string;
  readonly scopes_supported?: string[];
  readonly response_types_supported: string[];
  readonly grant_types_supported: string[];
  readonly code_challenge_methods_supported: string[];
  readonly token_endpoint_auth_methods_supported: string[];
  readonly client_id_metadata_document_supported?: boolean;
}

/** Everything an OAuth-protected endpoint serves and is configured with. */
export interface OAuthEndpointConfig {
  /** The server's environment (names from `OAUTH_ENV`), no secret in it. */
  readonly environment: { [name: string]: string };
  readonly protectedResourceMetadata: ProtectedResourceMetadata;
  /** Paths of the protected-resource metadata, path-inserted first. */
  readonly protectedResourceMetadataPaths: string[];
  /** `WWW-Authenticate` of a 401. */
  readonly challenge: string;
  readonly authorizationServerMetadata?: AuthorizationServerMetadata;
  /** Paths of the augmented authorization-server metadata on the service's origin (none without it). */
  readonly authorizationServerMetadataPaths: string[];
}

/**
 * The configuration of an OAuth-protected MCP endpoint: its environment contract, its
 * protected-resource metadata (RFC 9728) and challenge, and, when the authorization server's own
 * document lacks what Claude and ChatGPT require, the authorization-server metadata it serves on
 * its own origin (whose `issuer` is that origin, listed in `authorization_servers`).
 */
export function oauthEndpointConfig(input: OAuthEndpointInput): OAuthEndpointConfig {
  const augmented = input.augmentedMetadata !== undefined
    ? augmentedAuthorizationServerMetadata(new URL(input.resource).origin, input.scopesSupported, input.augmentedMetadata)
    : undefined;
  const authorizationServer = augmented?.issuer ?? input.issuer;
  const environment: { [name: string]: string } = {
    [OAUTH_ENV.ISSUER]: input.issuer,
    [OAUTH_ENV.RESOURCE]: input.resource,
  };
  const optional: Array<[string, string | undefined]> = [
    [OAUTH_ENV.JWKS_URL, input.jwksUrl],
    [OAUTH_ENV.SCOPES, input.requiredScopes.join(' ') || undefined],
    [OAUTH_ENV.SCOPES_SUPPORTED, sameList(input.scopesSupported, input.requiredScopes) ? undefined : input.scopesSupported.join(' ')],
    [OAUTH_ENV.AUDIENCE, input.audience === input.resource ? undefined : input.audience],
    [OAUTH_ENV.AUDIENCELESS_CLIENT_IDS, input.audiencelessClientIds.join(',') || undefined],
    [OAUTH_ENV.AUTHORIZATION_SERVER, augmented !== undefined ? authorizationServer : undefined],
    [OAUTH_ENV.AUTHORIZATION_SERVER_METADATA, augmented !== undefined ? JSON.stringify(augmented) : undefined],
  ];
  for (const [name, value] of optional) {
    if (value !== undefined && value !== '') {
      environment[name] = value;
    }
  }
  return {
    environment,
    protectedResourceMetadata: protectedResourceMetadata(input.resource, [authorizationServer], input.scopesSupported),
    protectedResourceMetadataPaths: protectedResourceMetadataPaths(input.resource),
    challenge: bearerChallenge(input.resource, input.requiredScopes),
    authorizationServerMetadata: augmented,
    authorizationServerMetadataPaths: augmented !== undefined ? [...AUTHORIZATION_SERVER_WELL_KNOWN] : [],
  };
}

/**
 * Authorization-server metadata that Claude and ChatGPT accept, for a server whose own document
 * does not (Amazon Cognito: OpenID discovery only, no `code_challenge_methods_supported`):
 * `issuer` is the service's origin (clients compare it with the `authorization_servers` entry
 * they built the URL from), the endpoints are the real server's, PKCE is `S256` only, and the
 * token endpoint auth methods include `none`, which CIMD and public clients use.
 */
export function augmentedAuthorizationServerMetadata(issuer: string, scopes: readonly string[],
  input: AugmentedMetadataInput): AuthorizationServerMetadata {
  return {
    issuer,
    authorization_endpoint: input.authorizationUrl,
    token_endpoint: input.tokenUrl,
    ...(input.jwksUrl !== undefined ? { jwks_uri: input.jwksUrl } : {}),
    ...(input.registrationUrl !== undefined ? { registration_endpoint: input.registrationUrl } : {}),
    ...(input.revocationUrl !== undefined ? { revocation_endpoint: input.revocationUrl } : {}),
    ...(scopes.length > 0 ? { scopes_supported: [...scopes] } : {}),
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    ...(input.clientIdMetadataDocumentSupported ? { client_id_metadata_document_supported: true } : {}),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry === b[i]);
}
