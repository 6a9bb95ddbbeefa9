/**
 * The OAuth part of the example server's configuration: the `MCP_OAUTH_*` variables of cdk-mcp's
 * environment contract (`src/contract/oauth-env.ts`), read and validated at start-up in the
 * `config_invalid` style. Nothing secret is read: issuer, resource, JWKS URL, scopes, client ids.
 */
import { OAUTH_ENV, splitOAuthList } from '../../../src/contract/oauth-env';

/** The validated OAuth configuration: what the server accepts and what it serves. */
export interface OAuthConfig {
  readonly issuer: string;
  readonly resource: string;
  /** `undefined`: read `jwks_uri` from the issuer's OpenID discovery document on first use. */
  readonly jwksUrl?: string;
  readonly audience: string;
  readonly requiredScopes: readonly string[];
  readonly scopesSupported: readonly string[];
  readonly audiencelessClientIds: readonly string[];
  readonly authorizationServer: string;
  /** The augmented authorization-server metadata, parsed. */
  readonly authorizationServerMetadata?: Record<string, unknown>;
}

/**
 * Reads the OAuth variables; `undefined` when `MCP_OAUTH_ISSUER` is unset (no token checks).
 * Problems are appended to `problems` in the `config_invalid` style: variable, value, fix.
 */
export function parseOAuthConfig(env: NodeJS.ProcessEnv, problems: string[]): OAuthConfig | undefined {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const issuer = read(OAUTH_ENV.ISSUER);
  if (issuer === undefined) {
    for (const name of Object.values(OAUTH_ENV)) {
      if (read(name) !== undefined) {
        problems.push(`${name} is set but ${OAUTH_ENV.ISSUER} is not: set ${OAUTH_ENV.ISSUER} to the token issuer to turn OAuth on, or unset ${name}.`);
      }
    }
    return undefined;
  }
  const url = (name: string, value: string | undefined, what: string): string | undefined => {
    if (value !== undefined && !isSecureUrl(value)) {
      problems.push(`${name}=${JSON.stringify(value)} is not an https URL (http only on loopback): set ${what}.`);
    }
    return value;
  };
  url(OAUTH_ENV.ISSUER, issuer, 'the issuer exactly as in the tokens\' iss claim, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC');
  const resource = read(OAUTH_ENV.RESOURCE);
  if (resource === undefined) {
    problems.push(`${OAUTH_ENV.RESOURCE} is not set: with ${OAUTH_ENV.ISSUER} set, give the URL clients use for /mcp, e.g. https://mcp.example.com/mcp.`);
  } else if (!isSecureUrl(resource) || /[#?]/.test(resource) || resource.endsWith('/')) {
    problems.push(`${OAUTH_ENV.RESOURCE}=${JSON.stringify(resource)} is not a canonical MCP URL: use https, no query, fragment or trailing slash, e.g. https://mcp.example.com/mcp.`);
  }
  const jwksUrl = url(OAUTH_ENV.JWKS_URL, read(OAUTH_ENV.JWKS_URL), 'the issuer\'s JWKS URL, or unset it to read it from the issuer\'s discovery document');
  const authorizationServer = url(OAUTH_ENV.AUTHORIZATION_SERVER, read(OAUTH_ENV.AUTHORIZATION_SERVER), 'the authorization server URL for authorization_servers') ?? issuer;
  let authorizationServerMetadata: Record<string, unknown> | undefined;
  const metadata = read(OAUTH_ENV.AUTHORIZATION_SERVER_METADATA);
  if (metadata !== undefined) {
    try {
      const parsed: unknown = JSON.parse(metadata);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || (parsed as Record<string, unknown>).issuer !== authorizationServer) {
        throw new Error('not an object with the right issuer');
      }
      authorizationServerMetadata = parsed as Record<string, unknown>;
    } catch {
      problems.push(`${OAUTH_ENV.AUTHORIZATION_SERVER_METADATA} is not a JSON object whose issuer is ${OAUTH_ENV.AUTHORIZATION_SERVER} (${authorizationServer}): `
        + 'set the RFC 8414 document cdk-mcp generates, or unset it.');
    }
  }
  const requiredScopes = splitOAuthList(read(OAUTH_ENV.SCOPES));
  return {
    issuer,
    resource: resource ?? '',
    jwksUrl,
    audience: read(OAUTH_ENV.AUDIENCE) ?? resource ?? '',
    requiredScopes,
    scopesSupported: read(OAUTH_ENV.SCOPES_SUPPORTED) !== undefined ? splitOAuthList(read(OAUTH_ENV.SCOPES_SUPPORTED)) : requiredScopes,
    audiencelessClientIds: splitOAuthList(read(OAUTH_ENV.AUDIENCELESS_CLIENT_IDS)),
    authorizationServer,
    authorizationServerMetadata,
  };
}

function isSecureUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}
