import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IMcpAuthorizationServer } from './authorization-server';
import { oauthEndpointConfig } from './private/oauth-config';
import { resourceUrlProblem } from './private/resource-url';
import { ValidationErrors } from '../private/validation';

/** Which authentication an {@link McpAuth} asks for. */
export enum McpAuthKind {
  /** No authentication: an explicitly public endpoint. */
  NONE = 'NONE',
  /** OAuth 2.1 bearer tokens per the MCP authorization spec. */
  OAUTH = 'OAUTH',
}

/** Options of {@link McpAuth.oauth}. */
export interface McpOAuthOptions {
  /** The authorization server that issues the tokens: an {@link McpCognitoAuthorizationServer} or `McpAuthorizationServer.fromIssuer(...)`. */
  readonly authorizationServer: IMcpAuthorizationServer;

  /**
   * The scopes listed as `scopes_supported` in the protected-resource metadata: what a client
   * asks for when the challenge names none.
   *
   * @default - the scopes the authorization server defines for the endpoint (`scopesFor(resource)`)
   */
  readonly scopes?: string[];

  /**
   * The scopes every MCP request needs: a token without one of them gets 403
   * `insufficient_scope`. Also the `scope` of the 401 challenge. `[]` requires none.
   *
   * @default - `scopes`
   */
  readonly requiredScopes?: string[];
}

/**
 * What an endpoint protected by an {@link McpAuth} is configured with and serves, for one
 * canonical URL: the result of {@link McpAuth.configFor}. The documents are JSON strings
 * (they may hold tokens, resolved at deploy time).
 */
export interface McpAuthConfig {
  /** The kind of the auth choice. */
  readonly kind: McpAuthKind;

  /**
   * The server's environment contract (`MCP_OAUTH_ISSUER`, `MCP_OAUTH_RESOURCE`,
   * `MCP_OAUTH_JWKS_URL`, `MCP_OAUTH_SCOPES`, ...). Nothing secret. Empty for `NONE`.
   */
  readonly environment: { [name: string]: string };

  /**
   * The RFC 9728 protected-resource metadata (`resource`, `authorization_servers`,
   * `scopes_supported`, `bearer_methods_supported`) as JSON.
   *
   * @default - none (`NONE`)
   */
  readonly protectedResourceMetadata?: string;

  /** Where the protected-resource metadata is served: the path-inserted location first, then the root one. Empty for `NONE`. */
  readonly protectedResourceMetadataPaths: string[];

  /**
   * The `WWW-Authenticate` value of a 401: `Bearer resource_metadata="...", scope="..."`.
   *
   * @default - none (`NONE`)
   */
  readonly challenge?: string;

  /**
   * Authorization-server metadata (RFC 8414) to serve on the endpoint's own origin, when the
   * authorization server's own document lacks what Claude and ChatGPT require (Amazon Cognito).
   *
   * @default - none: clients read the authorization server's own metadata
   */
  readonly authorizationServerMetadata?: string;

  /** Where the augmented authorization-server metadata is served on the endpoint's origin; empty without it. */
  readonly authorizationServerMetadataPaths: string[];

  /** Scopes every request needs. */
  readonly requiredScopes: string[];
}

/**
 * How clients authenticate to an MCP endpoint: the one auth choice every service kind takes.
 * `McpAuth.oauth(...)` protects it with OAuth 2.1 as the MCP authorization spec asks (what
 * Claude, ChatGPT, VS Code and Cursor speak); `McpAuth.none()` says, explicitly, that it is public.
 */
export class McpAuth {
  /**
   * OAuth 2.1 bearer tokens from `options.authorizationServer`, checked by the server (and, in
   * a later release, at the front door where AWS can), with protected-resource metadata, the
   * `WWW-Authenticate` challenge and, when needed, augmented authorization-server metadata.
   */
  public static oauth(options: McpOAuthOptions): McpAuth {
    return new McpAuth(McpAuthKind.OAUTH, options);
  }

  /** No authentication: the endpoint is public on purpose (anyone who knows the URL can call its tools). */
  public static none(): McpAuth {
    return new McpAuth(McpAuthKind.NONE, undefined);
  }

  /** The kind of this choice. */
  public readonly kind: McpAuthKind;

  /**
   * The authorization server, for `OAUTH`.
   *
   * @default - none (`NONE`)
   */
  public readonly authorizationServer?: IMcpAuthorizationServer;

  private constructor(kind: McpAuthKind, private readonly options: McpOAuthOptions | undefined) {
    this.kind = kind;
    this.authorizationServer = options?.authorizationServer;
  }

  /**
   * The configuration of the endpoint at `resource`: its environment contract, its metadata
   * documents and its challenge.
   *
   * @param scope the construct that protects the endpoint (names validation errors)
   * @param resource the canonical URL clients use, e.g. `https://mcp.example.com/mcp`: https, no
   * query, fragment or trailing slash, and a literal (its path names the metadata locations)
   */
  public configFor(scope: Construct, resource: string): McpAuthConfig {
    const options = this.options;
    if (options === undefined) {
      return { kind: this.kind, environment: {}, protectedResourceMetadataPaths: [], authorizationServerMetadataPaths: [], requiredScopes: [] };
    }
    const errors = new ValidationErrors('McpAuth.oauth', scope);
    const problem = Token.isUnresolved(resource) ? 'is only known at deploy time' : resourceUrlProblem(resource);
    errors.check('cdk-mcp:oauthServiceUrl', problem === undefined,
      `the canonical URL of the endpoint is ${JSON.stringify(resource)}, which ${problem}. OAuth needs the URL clients configure, `
      + 'as a literal such as "https://mcp.example.com/mcp": give the service a domainName.');
    const server = options.authorizationServer;
    errors.check('cdk-mcp:oauthServerEndpoints', server.metadataComplete || (server.authorizationUrl !== undefined && server.tokenUrl !== undefined),
      `authorizationServer ${server.issuer} has metadataComplete false, so the endpoint serves its metadata, but its authorizationUrl or tokenUrl is missing. `
      + 'Give both (McpAuthorizationServer.fromIssuer options authorizationUrl and tokenUrl).');
    errors.throwIfAny();
    const scopes = options.scopes ?? server.scopesFor(resource);
    const requiredScopes = options.requiredScopes ?? scopes;
    const augmented = server.metadataComplete ? undefined : {
      authorizationUrl: server.authorizationUrl!,
      tokenUrl: server.tokenUrl!,
      jwksUrl: server.jwksUrl,
      registrationUrl: server.registrationUrl,
      clientIdMetadataDocumentSupported: server.clientIdMetadataDocumentSupported,
    };
    const config = oauthEndpointConfig({
      resource,
      issuer: server.issuer,
      jwksUrl: server.jwksUrl,
      audience: server.audienceFor(resource),
      audiencelessClientIds: server.audiencelessClientIds(),
      requiredScopes,
      scopesSupported: scopes,
      augmentedMetadata: augmented,
    });
    return {
      kind: this.kind,
      environment: config.environment,
      protectedResourceMetadata: JSON.stringify(config.protectedResourceMetadata),
      protectedResourceMetadataPaths: config.protectedResourceMetadataPaths,
      challenge: config.challenge,
      authorizationServerMetadata: config.authorizationServerMetadata !== undefined ? JSON.stringify(config.authorizationServerMetadata) : undefined,
      authorizationServerMetadataPaths: config.authorizationServerMetadataPaths,
      requiredScopes: [...requiredScopes],
    };
  }
}
