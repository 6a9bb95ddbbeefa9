import { Stack } from 'aws-cdk-lib';
import { McpAuth, McpAuthKind, McpAuthorizationServer, McpCognitoAuthorizationServer, McpOAuthClient } from '../../src';
import { bearerChallenge, OAUTH_ENV, protectedResourceMetadataPaths } from '../../src/contract/oauth-env';
import { testStack } from '../support/kit';

const RESOURCE = 'https://mcp.example.com/mcp';

function auth0(stack: Stack, extra: Record<string, unknown> = {}) {
  return McpAuthorizationServer.fromIssuer(stack, 'Auth0', { issuer: 'https://tenant.eu.auth0.com/', jwksUrl: 'https://tenant.eu.auth0.com/.well-known/jwks.json', scopes: ['mcp:tools'], ...extra });
}

describe('the protected-resource metadata and challenge (contract helpers)', () => {
  test('metadata is served at the path-inserted location, then the root one', () => {
    expect(protectedResourceMetadataPaths(RESOURCE)).toEqual(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
    expect(protectedResourceMetadataPaths('https://mcp.example.com')).toEqual(['/.well-known/oauth-protected-resource']);
  });

  test('the 401 challenge names the path-inserted metadata URL and the scopes', () => {
    expect(bearerChallenge(RESOURCE, ['a', 'b'])).toBe('Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="a b"');
  });

  test('the 403 challenge says insufficient_scope first', () => {
    expect(bearerChallenge(RESOURCE, ['a'], 'insufficient_scope')).toMatch(/^Bearer error="insufficient_scope", resource_metadata="[^"]+", scope="a"$/);
  });
});

describe('McpAuth.oauth with any OIDC issuer', () => {
  test('the environment contract: issuer, resource, JWKS URL, required scopes, nothing else', () => {
    const stack = testStack();
    const config = McpAuth.oauth({ authorizationServer: auth0(stack) }).configFor(stack, RESOURCE);
    expect(config.kind).toBe(McpAuthKind.OAUTH);
    expect(config.environment).toEqual({
      [OAUTH_ENV.ISSUER]: 'https://tenant.eu.auth0.com/',
      [OAUTH_ENV.RESOURCE]: RESOURCE,
      [OAUTH_ENV.JWKS_URL]: 'https://tenant.eu.auth0.com/.well-known/jwks.json',
      [OAUTH_ENV.SCOPES]: 'mcp:tools',
    });
  });

  test('the protected-resource metadata names the resource, the issuer and the scopes, header bearer only', () => {
    const stack = testStack();
    const config = McpAuth.oauth({ authorizationServer: auth0(stack) }).configFor(stack, RESOURCE);
    expect(JSON.parse(config.protectedResourceMetadata!)).toEqual({
      resource: RESOURCE,
      authorization_servers: ['https://tenant.eu.auth0.com/'],
      scopes_supported: ['mcp:tools'],
      bearer_methods_supported: ['header'],
    });
    expect(config.challenge).toBe(bearerChallenge(RESOURCE, ['mcp:tools']));
    expect(config.authorizationServerMetadata).toBeUndefined();
    expect(config.authorizationServerMetadataPaths).toEqual([]);
  });

  test('an audience other than the resource goes into MCP_OAUTH_AUDIENCE', () => {
    const stack = testStack();
    const config = McpAuth.oauth({ authorizationServer: auth0(stack, { audience: 'urn:my-api' }) }).configFor(stack, RESOURCE);
    expect(config.environment[OAUTH_ENV.AUDIENCE]).toBe('urn:my-api');
  });

  test('requiredScopes narrower than scopes: both are in the environment', () => {
    const stack = testStack();
    const config = McpAuth.oauth({ authorizationServer: auth0(stack), scopes: ['read', 'write'], requiredScopes: ['read'] }).configFor(stack, RESOURCE);
    expect(config.environment[OAUTH_ENV.SCOPES]).toBe('read');
    expect(config.environment[OAUTH_ENV.SCOPES_SUPPORTED]).toBe('read write');
    expect(config.challenge).toMatch(/scope="read"$/);
  });

  test('metadataComplete: false needs the endpoints, then serves augmented metadata with S256', () => {
    const stack = testStack();
    expect(() => auth0(stack, { metadataComplete: false })).toThrow(/authorizationUrl .* and tokenUrl .* are not both given/);
    const server = auth0(stack, { metadataComplete: false, authorizationUrl: 'https://tenant.eu.auth0.com/authorize', tokenUrl: 'https://tenant.eu.auth0.com/oauth/token' });
    const config = McpAuth.oauth({ authorizationServer: server }).configFor(stack, RESOURCE);
    const metadata = JSON.parse(config.authorizationServerMetadata!);
    expect(metadata).toMatchObject({ issuer: 'https://mcp.example.com', code_challenge_methods_supported: ['S256'], token_endpoint: 'https://tenant.eu.auth0.com/oauth/token' });
    expect(JSON.parse(config.protectedResourceMetadata!).authorization_servers).toEqual(['https://mcp.example.com']);
    expect(config.environment[OAUTH_ENV.AUTHORIZATION_SERVER]).toBe('https://mcp.example.com');
    expect(JSON.parse(config.environment[OAUTH_ENV.AUTHORIZATION_SERVER_METADATA])).toEqual(metadata);
  });

  test('fromIssuer refuses an http issuer', () => {
    expect(() => McpAuthorizationServer.fromIssuer(testStack(), 'X', { issuer: 'http://login.example.com' })).toThrow(/issuer is "http:\/\/login.example.com": it must be an absolute https URL/);
  });

  test.each([
    ['https://mcp.example.com/mcp/', /ends with a slash/],
    ['http://mcp.example.com/mcp', /is not https/],
  ])('a canonical URL %s is refused', (resource, message) => {
    const stack = testStack();
    expect(() => McpAuth.oauth({ authorizationServer: auth0(stack) }).configFor(stack, resource)).toThrow(message);
  });

  test('a canonical URL only known at deploy time is refused: OAuth needs the custom domain', () => {
    const stack = testStack();
    expect(() => McpAuth.oauth({ authorizationServer: auth0(stack) }).configFor(stack, `https://${stack.account}.example.com/mcp`)).toThrow(/give the service a domainName/);
  });
});

describe('McpAuth.oauth with Cognito', () => {
  test('augmented metadata on the service\'s origin: S256, CIMD, registration, none among the auth methods', () => {
    const stack = testStack();
    const server = new McpCognitoAuthorizationServer(stack, 'Auth', { resources: [RESOURCE], clients: [McpOAuthClient.claude()] });
    const config = McpAuth.oauth({ authorizationServer: server }).configFor(stack, RESOURCE);
    expect(config.authorizationServerMetadataPaths).toEqual(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);
    const metadata = JSON.parse(config.authorizationServerMetadata!);
    expect(metadata).toMatchObject({
      issuer: 'https://mcp.example.com',
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      response_types_supported: ['code'],
    });
    expect(metadata.token_endpoint_auth_methods_supported).toContain('none');
    expect(metadata.registration_endpoint).toMatch(/\/oauth2\/register$/);
    expect(config.requiredScopes).toEqual([`${RESOURCE}/mcp:tools`]);
    expect(config.environment[OAUTH_ENV.AUDIENCELESS_CLIENT_IDS]).toBe(server.canaryClient!.userPoolClientId);
    expect(config.environment[OAUTH_ENV.AUDIENCE]).toBeUndefined();
  });

  test('the environment holds no secret', () => {
    const stack = testStack();
    const server = new McpCognitoAuthorizationServer(stack, 'Auth', { resources: [RESOURCE] });
    const env = McpAuth.oauth({ authorizationServer: server }).configFor(stack, RESOURCE).environment;
    expect(JSON.stringify(stack.resolve(env))).not.toMatch(/ClientSecret|DescribeUserPoolClient/);
  });
});

describe('McpAuth.none', () => {
  test('an explicitly public endpoint: no environment, no metadata, no challenge', () => {
    const config = McpAuth.none().configFor(testStack(), RESOURCE);
    expect(config).toEqual({
      kind: McpAuthKind.NONE, environment: {}, protectedResourceMetadataPaths: [], authorizationServerMetadataPaths: [], requiredScopes: [],
    });
  });
});
