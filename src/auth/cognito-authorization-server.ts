import { Annotations, CfnOutput, CfnResource, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IMcpAuthorizationServer } from './authorization-server';
import { McpOAuthClient } from './oauth-client';
import { cognitoDomainPrefix, cognitoDcrConfiguration, DEFAULT_MCP_SCOPES } from './private/cognito';
import { checkResourceUrl } from './private/resource-url';
import { ValidationErrors } from '../private/validation';

/** Props of {@link McpCognitoAuthorizationServer}. */
export interface McpCognitoAuthorizationServerProps {
  /**
   * The canonical URLs of the MCP endpoints the tokens are for, as clients configure them
   * (`https://mcp.example.com/mcp`): https, no query, fragment or trailing slash. Each becomes a
   * Cognito resource server whose identifier is the URL, so a token's `aud` is that URL
   * (Cognito resource binding).
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
   */
  readonly resources: string[];

  /**
   * The scope names of every resource server. Tokens carry them as `<resource>/<name>`, e.g.
   * `https://mcp.example.com/mcp/mcp:tools`.
   *
   * @default ['mcp:tools']: one scope for the use of the server's tools, resources and prompts,
   * prefixed so it cannot clash with OpenID scopes and leaves room for finer ones (`mcp:admin`)
   */
  readonly scopes?: string[];

  /**
   * The prefix of the Cognito domain, `https://<prefix>.auth.<region>.amazoncognito.com`,
   * unique in the Region across all accounts: lowercase letters, digits and hyphens, without
   * `aws`, `amazon` or `cognito`.
   *
   * @default - `mcp-` and a name derived from this construct's path, then the account id
   */
  readonly domainPrefix?: string;

  /**
   * A custom domain for the login pages and the OAuth endpoints instead of the Cognito prefix
   * domain. Its certificate must be in us-east-1; you point the name at the CloudFront
   * distribution Cognito creates (`userPoolDomain.cloudFrontEndpoint`).
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-add-custom-domain.html
   * @default - the Cognito prefix domain
   */
  readonly customDomain?: cognito.CustomDomainOptions;

  /**
   * The MCP clients admitted with a public (secretless) app client: their redirect URIs become its
   * callback URLs, and their Client ID Metadata Document URLs a CIMD policy on it (at most 5
   * patterns). Nothing is admitted silently.
   *
   * @default - none: clients register dynamically (DCR) or use a client id you create
   */
  readonly clients?: McpOAuthClient[];

  /**
   * How long Cognito caches a fetched Client ID Metadata Document (86,400 s to 31,556,952 s).
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-client-id-metadata.html
   * @default Duration.days(1)
   */
  readonly clientMetadataCacheDuration?: Duration;

  /**
   * Whether clients may register through dynamic client registration (RFC 7591) at
   * `/oauth2/register`, with an initial access token (the `aws.cognito/dcr/register` scope).
   * Registered clients get the authorization-code grant with PKCE only.
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-dynamic-client-registration.html
   * @default true
   */
  readonly dynamicClientRegistration?: boolean;

  /**
   * Whether anyone may register a client without a token (open DCR), as Claude and VS Code do
   * when they find a `registration_endpoint`. Each registration is an app client in your pool
   * (counting toward its quota): anyone who can reach the endpoint can create them. Open
   * registrations get the authorization-code grant only, never `client_credentials`. Prefer
   * `clients` (CIMD) for Claude and ChatGPT.
   *
   * @default false
   */
  readonly openDynamicClientRegistration?: boolean;

  /**
   * Whether to create the confidential `client_credentials` app client the canary uses to get a
   * token. Its secret never appears in the template: the canary reads it at run time with
   * `cognito-idp:DescribeUserPoolClient` ({@link McpCognitoAuthorizationServer.grantReadClientSecret}).
   * Cognito bills machine-to-machine clients and token requests (about $6 per client-month and
   * $2.25 per 1,000 token requests, UNCONFIRMED: https://aws.amazon.com/cognito/pricing/).
   *
   * @default true
   */
  readonly canaryClient?: boolean;

  /**
   * How long access tokens are valid (5 minutes to 1 day).
   *
   * @default Duration.hours(1)
   */
  readonly accessTokenValidity?: Duration;

  /**
   * Whether users may sign themselves up on the managed login pages.
   *
   * @default false: an administrator creates users
   */
  readonly selfSignUpEnabled?: boolean;

  /**
   * Whether to add stack outputs (not exported): the issuer (`<id>McpOAuthIssuer`), the JWKS URL
   * (`<id>McpOAuthJwksUrl`), the token URL (`<id>McpOAuthTokenUrl`) and the URL of Cognito's
   * OpenID discovery document (`<id>McpOAuthMetadataUrl`). Services protected with
   * `McpAuth.oauth` serve the augmented authorization-server metadata on their own domain.
   *
   * @default true
   */
  readonly stackOutputs?: boolean;

  /**
   * What happens to the user pool (and its users) when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon Cognito user pool set up as the OAuth 2.1 authorization server of MCP endpoints:
 * the Essentials plan (dynamic client registration and resource binding need it), managed login
 * on a Cognito (or custom) domain, one resource server per MCP endpoint identified by its
 * canonical URL, dynamic client registration for the authorization-code grant with PKCE (open
 * registration only on request), a CIMD policy for the clients you admit, and a confidential
 * `client_credentials` app client for the canary.
 *
 * Cognito publishes OpenID discovery only, without `code_challenge_methods_supported` (reported
 * to 2026-08; whether it lists it now is UNCONFIRMED), so `metadataComplete` is false: services
 * protected with `McpAuth.oauth` serve an augmented copy on their own domain.
 *
 * Properties aws-cdk-lib 2.276 does not model go through raw CloudFormation:
 * `AWS::Cognito::UserPool.DcrConfiguration` (a property override, whose value names are
 * UNCONFIRMED until deployed) and `AWS::Cognito::CIMDPolicy` (a `CfnResource`).
 */
export class McpCognitoAuthorizationServer extends Construct implements IMcpAuthorizationServer {
  /** The user pool. */
  public readonly userPool: cognito.IUserPool;
  /** The managed login domain (login pages and OAuth endpoints). */
  public readonly userPoolDomain: cognito.UserPoolDomain;
  /** The resource server of each MCP endpoint, in the order of `resources`. */
  public readonly resourceServers: cognito.IUserPoolResourceServer[];

  /**
   * The confidential `client_credentials` app client of the canary.
   *
   * @default - none, with `canaryClient: false`
   */
  public readonly canaryClient?: cognito.IUserPoolClient;

  /**
   * The public (secretless) authorization-code client of the admitted `clients`, the one their
   * CIMD policy maps to; users can also enter its id in a client's advanced settings.
   *
   * @default - none, without `clients`
   */
  public readonly publicClient?: cognito.IUserPoolClient;

  /** The issuer, `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  public readonly issuer: string;
  /**
   * The JWKS URL, `<issuer>/.well-known/jwks.json` (always set; optional in the interface).
   *
   * @default - always set
   */
  public readonly jwksUrl?: string;
  /**
   * The token endpoint, `https://<domain>/oauth2/token` (always set).
   *
   * @default - always set
   */
  public readonly tokenUrl?: string;
  /**
   * The authorization endpoint, `https://<domain>/oauth2/authorize` (always set).
   *
   * @default - always set
   */
  public readonly authorizationUrl?: string;

  /**
   * The dynamic client registration endpoint, `https://<domain>/oauth2/register`.
   *
   * @default - none, with `dynamicClientRegistration: false`
   */
  public readonly registrationUrl?: string;

  /** Cognito's OpenID discovery document, `<issuer>/.well-known/openid-configuration`. */
  public readonly metadataUrl: string;
  /** Always false: Cognito's document lacks what Claude and ChatGPT require. */
  public readonly metadataComplete = false;
  /** Whether a CIMD policy admits Client ID Metadata Documents. */
  public readonly clientIdMetadataDocumentSupported: boolean;

  private readonly resources: string[];
  private readonly scopeNames: string[];

  constructor(scope: Construct, id: string, props: McpCognitoAuthorizationServerProps) {
    super(scope, id);
    const errors = new ValidationErrors('McpCognitoAuthorizationServer', this);
    const scopeNames = props.scopes ?? [...DEFAULT_MCP_SCOPES];
    errors.check('cdk-mcp:oauthResourcesEmpty', Token.isUnresolved(props.resources) || props.resources.length > 0,
      'resources is empty: list the canonical URL of each MCP endpoint, e.g. ["https://mcp.example.com/mcp"].');
    props.resources.forEach((resource, i) => checkResourceUrl(errors, `resources[${i}]`, resource));
    errors.check('cdk-mcp:oauthResourcesDuplicate', new Set(props.resources).size === props.resources.length,
      `resources lists a URL twice (${JSON.stringify(props.resources)}): list each endpoint once.`);
    errors.check('cdk-mcp:oauthScopesEmpty', scopeNames.length > 0, 'scopes is empty: give at least one scope name, e.g. ["mcp:tools"].');
    for (const name of scopeNames) {
      // Cognito ScopeName: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResourceServerScopeType.html
      errors.check('cdk-mcp:cognitoScopeName', Token.isUnresolved(name) || /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/.test(name),
        `scopes has ${JSON.stringify(name)}: a Cognito scope name is 1-256 printable ASCII characters without space, ", / or \\. Use a name such as "mcp:tools".`);
    }
    const patterns = (props.clients ?? []).flatMap((client) => client.clientMetadataUrlPatterns);
    errors.check('cdk-mcp:oauthClientMetadataUrlPatterns', patterns.length <= 5,
      `clients have ${patterns.length} Client ID Metadata Document URL patterns (${patterns.join(', ')}); a Cognito CIMD policy takes 1 to 5 `
      + '(https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-client-id-metadata.html). Admit fewer clients.');
    const cacheSeconds = (props.clientMetadataCacheDuration ?? Duration.days(1)).toSeconds();
    errors.integerInRange('clientMetadataCacheDuration', cacheSeconds, 86_400, 31_556_952, 'seconds');
    errors.durationInRange('accessTokenValidity', props.accessTokenValidity, Duration.minutes(5), Duration.days(1));
    const openDcr = props.openDynamicClientRegistration ?? false;
    const dcr = props.dynamicClientRegistration ?? true;
    errors.check('cdk-mcp:oauthOpenDcrWithoutDcr', dcr || !openDcr,
      'openDynamicClientRegistration is true but dynamicClientRegistration is false: open registration is a kind of registration. Set dynamicClientRegistration: true, or drop openDynamicClientRegistration.');
    if (props.domainPrefix !== undefined && !Token.isUnresolved(props.domainPrefix)) {
      const p = props.domainPrefix;
      errors.check('cdk-mcp:oauthDomainPrefix', /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(p) && !/aws|amazon|cognito/.test(p),
        `domainPrefix is ${JSON.stringify(p)}: use 1-63 lowercase letters, digits and hyphens (not first or last), without "aws", "amazon" or "cognito".`);
    }
    errors.throwIfAny();

    this.resources = [...props.resources];
    this.scopeNames = scopeNames;
    this.clientIdMetadataDocumentSupported = patterns.length > 0;

    const userPool = new cognito.UserPool(this, 'UserPool', {
      // Essentials: dynamic client registration and resource binding need Essentials or Plus
      // (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-dynamic-client-registration.html).
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: props.selfSignUpEnabled ?? false,
      signInAliases: { email: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.userPool = userPool;
    if (dcr) {
      // Not in aws-cdk-lib 2.276 (CfnUserPoolProps has no dcrConfiguration); test/auth checks that
      // it still is not, so this override is replaced when it is. CloudFormation reference:
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cognito-userpool-dcrconfiguration.html
      (userPool.node.defaultChild as cognito.CfnUserPool).addPropertyOverride('DcrConfiguration',
        cognitoDcrConfiguration(openDcr, this.resources.flatMap((resource) => scopeNames.map((name) => `${resource}/${name}`))));
    }
    if (openDcr) {
      Annotations.of(this).addWarningV2('cdk-mcp:oauthOpenDcr',
        'openDynamicClientRegistration is true: anyone who can reach the registration endpoint can create app clients in this user pool '
        + '(they count toward its quota). Prefer clients: [McpOAuthClient.claude(), ...] (CIMD), or acknowledge this warning.');
    }

    const stack = Stack.of(this);
    const defaultPrefix = cognitoDomainPrefix(Names.uniqueResourceName(this, { maxLength: 40 }), stack.account);
    this.userPoolDomain = userPool.addDomain('Domain', {
      ...(props.customDomain !== undefined
        ? { customDomain: props.customDomain }
        : { cognitoDomain: { domainPrefix: props.domainPrefix ?? defaultPrefix } }),
      // Managed login (version 2): resource binding (`aud` = the RFC 8707 resource) works with it only.
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const base = this.userPoolDomain.baseUrl();
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${userPool.userPoolId}`;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
    this.metadataUrl = `${this.issuer}/.well-known/openid-configuration`;
    this.tokenUrl = `${base}/oauth2/token`;
    this.authorizationUrl = `${base}/oauth2/authorize`;
    this.registrationUrl = dcr ? `${base}/oauth2/register` : undefined;

    if (props.stackOutputs ?? true) {
      const outputs: Array<[string, string, string]> = [
        ['McpOAuthIssuer', this.issuer, 'The OAuth issuer (the iss of its access tokens)'],
        ['McpOAuthJwksUrl', this.jwksUrl, 'The JSON Web Key Set the access tokens are signed with'],
        ['McpOAuthTokenUrl', this.tokenUrl, 'The OAuth token endpoint'],
        ['McpOAuthMetadataUrl', this.metadataUrl, 'Cognito\'s OpenID discovery document (MCP services serve augmented metadata on their own domain)'],
      ];
      for (const [outputId, value, description] of outputs) {
        new CfnOutput(this, outputId, { value, description });
      }
    }

    this.resourceServers = this.resources.map((resource, i) => userPool.addResourceServer(i === 0 ? 'ResourceServer' : `ResourceServer${i + 1}`, {
      identifier: resource,
      scopes: scopeNames.map((scopeName) => ({ scopeName, scopeDescription: `Use the MCP server ${resource}` })),
    }));
    const oauthScopes = this.resourceServers.flatMap((server) =>
      scopeNames.map((scopeName) => cognito.OAuthScope.resourceServer(server, { scopeName, scopeDescription: scopeName })));
    const accessTokenValidity = props.accessTokenValidity ?? Duration.hours(1);

    if (props.canaryClient ?? true) {
      this.canaryClient = userPool.addClient('CanaryClient', {
        generateSecret: true,
        oAuth: { flows: { clientCredentials: true }, scopes: oauthScopes },
        accessTokenValidity,
        supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      });
    }

    const clients = props.clients ?? [];
    if (clients.length > 0) {
      const publicClient = userPool.addClient('PublicClient', {
        generateSecret: false,
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: oauthScopes,
          callbackUrls: [...new Set(clients.flatMap((client) => client.callbackUrls))],
        },
        accessTokenValidity,
        preventUserExistenceErrors: true,
        supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      });
      this.publicClient = publicClient;
      // Managed login shows a client's pages only with a branding style.
      new cognito.CfnManagedLoginBranding(this, 'PublicClientBranding', {
        userPoolId: userPool.userPoolId,
        clientId: publicClient.userPoolClientId,
        useCognitoProvidedValues: true,
      });
      if (patterns.length > 0) {
        // Not in aws-cdk-lib 2.276 (no CfnCIMDPolicy); test/auth checks that it still is not.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-cimdpolicy.html
        new CfnResource(this, 'ClientMetadataPolicy', {
          type: 'AWS::Cognito::CIMDPolicy',
          properties: {
            UserPoolId: userPool.userPoolId,
            ClientId: publicClient.userPoolClientId,
            PolicyName: 'mcp-clients',
            URLPatterns: patterns,
            CacheDuration: cacheSeconds,
          },
        });
      }
    }
  }

  /**
   * The scopes of `resource` as tokens carry them, `<resource>/<name>`.
   *
   * @param resource one of `resources`
   */
  public scopesFor(resource: string): string[] {
    if (!this.resources.includes(resource)) {
      ValidationErrors.fail('cdk-mcp:oauthUnknownResource', 'McpCognitoAuthorizationServer',
        `${JSON.stringify(resource)} is not one of its resources (${this.resources.join(', ')}): add it to resources.`, this);
    }
    return this.scopeNames.map((name) => `${resource}/${name}`);
  }

  /** Cognito binds a token to the RFC 8707 `resource` of the authorization request: `aud` is the resource. */
  public audienceFor(resource: string): string {
    return resource;
  }

  /** The canary client: Cognito's `client_credentials` tokens carry `client_id` and no `aud`. */
  public audiencelessClientIds(): string[] {
    return this.canaryClient !== undefined ? [this.canaryClient.userPoolClientId] : [];
  }

  /**
   * Lets `grantee` read the canary client's secret at run time with
   * `cognito-idp:DescribeUserPoolClient` (on this user pool). Fails without a canary client.
   */
  public grantReadClientSecret(grantee: iam.IGrantable): iam.Grant {
    if (this.canaryClient === undefined) {
      ValidationErrors.fail('cdk-mcp:oauthNoCanaryClient', 'McpCognitoAuthorizationServer',
        'grantReadClientSecret needs the canary client, but canaryClient is false: set canaryClient: true (the default).', this);
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['cognito-idp:DescribeUserPoolClient'],
      resourceArns: [this.userPool.userPoolArn],
    });
  }
}
