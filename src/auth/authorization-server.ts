import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkHttpsUrl } from './private/resource-url';
import { ValidationErrors } from '../private/validation';

/**
 * An OAuth 2.1 authorization server that issues access tokens for MCP endpoints: an
 * {@link McpCognitoAuthorizationServer}, or any OpenID provider through
 * {@link McpAuthorizationServer.fromIssuer}. What a service needs to check its tokens (issuer,
 * JWKS, audience, scopes) and what clients need to find it (endpoints, and whether its own
 * metadata document satisfies Claude and ChatGPT).
 */
export interface IMcpAuthorizationServer {
  /** The issuer: the `iss` claim of its access tokens. */
  readonly issuer: string;

  /**
   * The JSON Web Key Set URL its token signatures are checked against.
   *
   * @default - read from the issuer's OpenID discovery document at run time
   */
  readonly jwksUrl?: string;

  /**
   * The token endpoint (the canary's `client_credentials` grant, the authorization-code exchange).
   *
   * @default - from the issuer's discovery document
   */
  readonly tokenUrl?: string;

  /**
   * The authorization endpoint.
   *
   * @default - from the issuer's discovery document
   */
  readonly authorizationUrl?: string;

  /**
   * The dynamic client registration endpoint (RFC 7591).
   *
   * @default - no dynamic client registration
   */
  readonly registrationUrl?: string;

  /** The URL of the server's own metadata document (OpenID discovery or RFC 8414). */
  readonly metadataUrl: string;

  /**
   * Whether the server's own metadata document has what Claude and ChatGPT require (served where
   * the MCP spec looks for it, `code_challenge_methods_supported` with `S256`). When `false`, a
   * service serves an augmented copy on its own domain (`McpAuth.oauth`).
   */
  readonly metadataComplete: boolean;

  /** Whether the server accepts OAuth Client ID Metadata Documents (CIMD) as client ids. */
  readonly clientIdMetadataDocumentSupported: boolean;

  /**
   * The scopes the server defines for `resource`, as they appear in a token's `scope` claim.
   *
   * @param resource the canonical URL of the MCP endpoint
   */
  scopesFor(resource: string): string[];

  /**
   * The `aud` a token for `resource` carries: the resource itself when the server binds tokens
   * to the RFC 8707 `resource` parameter, or a fixed API identifier.
   *
   * @param resource the canonical URL of the MCP endpoint
   */
  audienceFor(resource: string): string;

  /**
   * OAuth client ids whose access tokens carry no `aud` claim but are meant for the MCP
   * endpoints of this server (Amazon Cognito `client_credentials` tokens, such as the canary's).
   */
  audiencelessClientIds(): string[];
}

/** Options of {@link McpAuthorizationServer.fromIssuer}. */
export interface McpIssuerOptions {
  /**
   * The issuer URL, exactly as in the `iss` claim of its tokens: `https://<tenant>.auth0.com/`,
   * `https://<org>.okta.com/oauth2/default`, `https://login.microsoftonline.com/<tenant>/v2.0`,
   * `https://<host>/realms/<realm>` (Keycloak).
   */
  readonly issuer: string;

  /**
   * The `aud` its access tokens carry, when it is not the MCP endpoint's URL: an Auth0 API
   * identifier, an Entra ID application ID URI. The MCP spec wants the resource URL itself
   * (RFC 8707); use this only when the server cannot put it there.
   *
   * @default - the canonical URL of each MCP endpoint (RFC 8707 resource binding)
   */
  readonly audience?: string;

  /**
   * The JSON Web Key Set URL.
   *
   * @default - read from `<issuer>/.well-known/openid-configuration` by the server at run time
   */
  readonly jwksUrl?: string;

  /**
   * The token endpoint.
   *
   * @default - from the issuer's discovery document
   */
  readonly tokenUrl?: string;

  /**
   * The authorization endpoint. Needed with `metadataComplete: false`.
   *
   * @default - from the issuer's discovery document
   */
  readonly authorizationUrl?: string;

  /**
   * The dynamic client registration endpoint, listed in an augmented metadata document.
   *
   * @default - none
   */
  readonly registrationUrl?: string;

  /**
   * Scopes the server defines for the MCP endpoints, as tokens carry them.
   *
   * @default - none: tokens are checked for issuer, audience and expiry only
   */
  readonly scopes?: string[];

  /**
   * Whether the issuer's own metadata has what Claude and ChatGPT require
   * (`code_challenge_methods_supported` with `S256`, found at an RFC 8414 or OpenID discovery
   * location for the issuer). Set `false` to have services serve an augmented copy on their own
   * domain; `authorizationUrl` and `tokenUrl` are then required.
   *
   * @default true
   */
  readonly metadataComplete?: boolean;

  /**
   * Whether the issuer accepts Client ID Metadata Documents.
   *
   * @default false
   */
  readonly clientIdMetadataDocumentSupported?: boolean;

  /**
   * The URL of the issuer's metadata document.
   *
   * @default - `<issuer>/.well-known/openid-configuration`
   */
  readonly metadataUrl?: string;
}

/** Any OAuth 2.1 / OpenID Connect authorization server, for {@link McpAuth.oauth}. */
export class McpAuthorizationServer {
  /**
   * An authorization server you run elsewhere (Auth0, Okta, Entra ID, Keycloak), known by its
   * issuer URL. Nothing is created; the server's tokens are checked against `issuer`, `jwksUrl`
   * and the audience rule.
   *
   * @param scope the construct that uses it (names validation errors)
   * @param id a name for error messages
   */
  public static fromIssuer(scope: Construct, id: string, options: McpIssuerOptions): IMcpAuthorizationServer {
    const errors = new ValidationErrors(`McpAuthorizationServer.fromIssuer(${id})`, scope);
    checkHttpsUrl(errors, 'issuer', options.issuer);
    for (const prop of ['jwksUrl', 'tokenUrl', 'authorizationUrl', 'registrationUrl', 'metadataUrl'] as const) {
      checkHttpsUrl(errors, prop, options[prop]);
    }
    const metadataComplete = options.metadataComplete ?? true;
    errors.check('cdk-mcp:oauthAugmentedMetadataEndpoints', metadataComplete || (options.authorizationUrl !== undefined && options.tokenUrl !== undefined),
      `metadataComplete is false, so services serve the issuer's metadata themselves, but authorizationUrl (${JSON.stringify(options.authorizationUrl)}) `
      + `and tokenUrl (${JSON.stringify(options.tokenUrl)}) are not both given. Set both (from ${options.issuer}/.well-known/openid-configuration).`);
    for (const s of options.scopes ?? []) {
      errors.check('cdk-mcp:oauthScopeName', Token.isUnresolved(s) || /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s),
        `scopes has ${JSON.stringify(s)}, which is not an OAuth scope token (RFC 6749 section 3.3: printable ASCII without space, " or \\). Remove the spaces or quotes.`);
    }
    errors.throwIfAny();
    const issuer = options.issuer;
    const scopes = [...options.scopes ?? []];
    return {
      issuer,
      jwksUrl: options.jwksUrl,
      tokenUrl: options.tokenUrl,
      authorizationUrl: options.authorizationUrl,
      registrationUrl: options.registrationUrl,
      metadataUrl: options.metadataUrl ?? `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      metadataComplete,
      clientIdMetadataDocumentSupported: options.clientIdMetadataDocumentSupported ?? false,
      scopesFor: () => [...scopes],
      audienceFor: (resource: string) => options.audience ?? resource,
      audiencelessClientIds: () => [],
    };
  }

  private constructor() {}
}
