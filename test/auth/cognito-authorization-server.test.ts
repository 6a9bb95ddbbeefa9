import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { McpCognitoAuthorizationServer, McpCognitoAuthorizationServerProps, McpOAuthClient } from '../../src';
import { cognitoDomainPrefix } from '../../src/auth/private/cognito';
import { testStack } from '../support/kit';

const RESOURCE = 'https://mcp.example.com/mcp';

function serverWith(props: Partial<McpCognitoAuthorizationServerProps> = {}) {
  const stack = testStack();
  const server = new McpCognitoAuthorizationServer(stack, 'Auth', { resources: [RESOURCE], ...props });
  return { stack, server, get template() { return Template.fromStack(stack); } };
}

function userPoolProps(template: Template): Record<string, any> {
  const pools = Object.values(template.findResources('AWS::Cognito::UserPool')) as Array<{ Properties: Record<string, any> }>;
  expect(pools).toHaveLength(1);
  return pools[0].Properties;
}

describe('McpCognitoAuthorizationServer at defaults', () => {
  test('the user pool is on the Essentials plan, which dynamic client registration needs', () => {
    expect(userPoolProps(serverWith().template).UserPoolTier).toBe('ESSENTIALS');
  });

  test('a resource server per MCP endpoint, identified by its canonical URL, with the scope mcp:tools', () => {
    serverWith().template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: RESOURCE,
      Scopes: [Match.objectLike({ ScopeName: 'mcp:tools' })],
    });
  });

  test('a Cognito prefix domain with managed login (version 2)', () => {
    serverWith().template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      ManagedLoginVersion: 2,
      Domain: Match.anyValue(),
    });
  });

  test('dynamic client registration is on, for the authorization-code grant, not open', () => {
    expect(userPoolProps(serverWith().template).DcrConfiguration).toEqual({
      EnableStatus: 'ENABLED',
      OpenDcrEnabled: false,
      AuthenticatedGrantTypes: ['authorization_code'],
      AllowedScopes: [`${RESOURCE}/mcp:tools`],
    });
  });

  test('a confidential client_credentials canary client whose secret is not in the template', () => {
    const { template, server } = serverWith();
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
    expect(server.canaryClient).toBeDefined();
    // No custom resource reads the secret back into the template, no output carries it.
    template.resourceCountIs('Custom::DescribeCognitoUserPoolClient', 0);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/ClientSecret/);
  });

  test('no public client and no CIMD policy unless clients are admitted', () => {
    const { template, server } = serverWith();
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.resourceCountIs('AWS::Cognito::CIMDPolicy', 0);
    expect(server.clientIdMetadataDocumentSupported).toBe(false);
  });

  test('the issuer, JWKS, token, authorization and registration URLs are Cognito\'s', () => {
    const { stack, server } = serverWith();
    const r = (value: string) => JSON.stringify(stack.resolve(value));
    expect(r(server.issuer)).toMatch(/https:\/\/cognito-idp\.".*AWS::Region.*AWS::URLSuffix.*\/"/);
    expect(r(server.jwksUrl!)).toMatch(/\/\.well-known\/jwks\.json"/);
    expect(r(server.metadataUrl)).toMatch(/\/\.well-known\/openid-configuration"/);
    expect(r(server.tokenUrl!)).toMatch(/auth\..*amazoncognito\.com\/oauth2\/token"/);
    expect(r(server.authorizationUrl!)).toMatch(/\/oauth2\/authorize"/);
    expect(r(server.registrationUrl!)).toMatch(/\/oauth2\/register"/);
    expect(server.metadataComplete).toBe(false);
  });

  test('tokens carry the resource as audience and the scope as <resource>/<name>', () => {
    const { server } = serverWith();
    expect(server.audienceFor(RESOURCE)).toBe(RESOURCE);
    expect(server.scopesFor(RESOURCE)).toEqual([`${RESOURCE}/mcp:tools`]);
    expect(server.audiencelessClientIds()).toEqual([server.canaryClient!.userPoolClientId]);
  });
});

describe('McpCognitoAuthorizationServer options', () => {
  test('stack outputs: issuer, JWKS, token and metadata URLs, none exported; stackOutputs: false leaves them out', () => {
    const outputs = serverWith().template.toJSON().Outputs as Record<string, { Description: string; Export?: unknown }>;
    const keys = Object.keys(outputs);
    for (const suffix of ['McpOAuthIssuer', 'McpOAuthJwksUrl', 'McpOAuthTokenUrl', 'McpOAuthMetadataUrl']) {
      expect(keys.some((key) => key.startsWith(`Auth${suffix}`))).toBe(true);
    }
    expect(Object.values(outputs).every((o) => o.Export === undefined)).toBe(true);
    expect(serverWith({ stackOutputs: false }).template.toJSON().Outputs).toBeUndefined();
  });

  test('open registration is opt-in, grants the code grant only, and warns that anyone can register clients', () => {
    const { template, server } = serverWith({ openDynamicClientRegistration: true });
    expect(userPoolProps(template).DcrConfiguration).toMatchObject({ OpenDcrEnabled: true, OpenDcrGrantTypes: ['authorization_code'] });
    Annotations.fromStack(Stack.of(server)).hasWarning('/Stack/Auth', Match.stringLikeRegexp('anyone who can reach the registration endpoint'));
  });

  test('dynamicClientRegistration: false leaves DCR out and lists no registration URL', () => {
    const { template, server } = serverWith({ dynamicClientRegistration: false });
    expect(userPoolProps(template).DcrConfiguration).toBeUndefined();
    expect(server.registrationUrl).toBeUndefined();
  });

  test('Claude and ChatGPT admitted: a public client with their callbacks and a CIMD policy for their documents', () => {
    const { template, server } = serverWith({ clients: [McpOAuthClient.claude(), McpOAuthClient.chatGpt('abc123')] });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback', 'https://chatgpt.com/connector/oauth/abc123'],
    });
    template.hasResourceProperties('AWS::Cognito::CIMDPolicy', {
      URLPatterns: ['https://claude.ai/oauth/mcp-oauth-client-metadata', 'https://chatgpt.com/oauth/abc123/client.json'],
      CacheDuration: 86400,
      ClientId: { Ref: Match.stringLikeRegexp('PublicClient') },
      UserPoolId: { Ref: Match.stringLikeRegexp('UserPool') },
    });
    template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
    expect(server.clientIdMetadataDocumentSupported).toBe(true);
  });

  test('two resources: two resource servers, each with its own scopes', () => {
    const other = 'https://other.example.com/mcp';
    const { template, server } = serverWith({ resources: [RESOURCE, other], scopes: ['mcp:tools', 'mcp:admin'] });
    template.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 2);
    expect(server.scopesFor(other)).toEqual([`${other}/mcp:tools`, `${other}/mcp:admin`]);
    expect(() => server.scopesFor('https://unknown.example.com/mcp')).toThrow(/is not one of its resources.*cdk-mcp:oauthUnknownResource/);
  });

  test('grantReadClientSecret grants DescribeUserPoolClient on the pool', () => {
    const { stack, server } = serverWith();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    server.grantReadClientSecret(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'cognito-idp:DescribeUserPoolClient', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('UserPool'), 'Arn'] } })] },
    });
  });

  test('grantReadClientSecret without a canary client says how to get one', () => {
    const { stack, server } = serverWith({ canaryClient: false });
    expect(() => server.grantReadClientSecret(new iam.Role(stack, 'R', { assumedBy: new iam.AnyPrincipal() }))).toThrow(/canaryClient: true/);
  });
});

describe('McpCognitoAuthorizationServer validation', () => {
  test.each([
    ['http://mcp.example.com/mcp', /is not https/],
    ['https://mcp.example.com/mcp/', /ends with a slash/],
    ['https://mcp.example.com/mcp#x', /has a fragment/],
    ['mcp.example.com/mcp', /is not an absolute URL/],
  ])('a resource %s is refused', (resource, message) => {
    expect(() => serverWith({ resources: [resource] })).toThrow(message);
  });

  test('every problem is reported at once, each with its rule id', () => {
    expect(() => serverWith({ resources: ['http://x/'], scopes: ['has space'], domainPrefix: 'my-aws-login' }))
      .toThrow(/cdk-mcp:oauthResourceUrl[\s\S]*cdk-mcp:cognitoScopeName[\s\S]*cdk-mcp:oauthDomainPrefix/);
  });

  test('more than five CIMD URL patterns are refused', () => {
    const many = McpOAuthClient.custom({ name: 'many', callbackUrls: ['https://a.example.com/cb'], clientMetadataUrlPatterns: [1, 2, 3, 4, 5, 6].map((i) => `https://a.example.com/${i}.json`) });
    expect(() => serverWith({ clients: [many] })).toThrow(/6 Client ID Metadata Document URL patterns.*1 to 5/);
  });

  test('a cache duration under a day is refused', () => {
    expect(() => serverWith({ clientMetadataCacheDuration: Duration.hours(1) })).toThrow(/clientMetadataCacheDuration must be a whole number between 86400 and 31556952 seconds/);
  });

  test('open registration without registration is refused', () => {
    expect(() => serverWith({ dynamicClientRegistration: false, openDynamicClientRegistration: true })).toThrow(/Set dynamicClientRegistration: true/);
  });

  test('a client URL that is not https is refused', () => {
    expect(() => McpOAuthClient.custom({ name: 'x', callbackUrls: ['http://evil.example.com/cb'] })).toThrow(/is not an https URL/);
    expect(() => McpOAuthClient.chatGpt('https://chatgpt.com/x')).toThrow(/not a URL/);
  });
});

describe('raw CloudFormation that aws-cdk-lib does not model yet', () => {
  // When one of these fails, aws-cdk-lib models the property: replace the raw override (or
  // CfnResource) in cognito-authorization-server.ts with the typed property, then delete the test.
  test('CfnUserPool has no dcrConfiguration property yet (the DcrConfiguration override stands in)', () => {
    const pool = new cognito.CfnUserPool(new Stack(), 'P', {});
    expect('dcrConfiguration' in pool).toBe(false);
    type Modelled = 'dcrConfiguration' extends keyof cognito.CfnUserPoolProps ? true : false;
    const modelled: Modelled = false;
    expect(modelled).toBe(false);
  });

  test('aws-cdk-lib has no CfnCIMDPolicy yet (a CfnResource stands in)', () => {
    expect(Object.keys(cognito).filter((name) => /cimd/i.test(name))).toEqual([]);
  });
});

describe('the default Cognito domain prefix', () => {
  test('is mcp-<name>-<account>, lowercase, without the words Cognito refuses', () => {
    expect(cognitoDomainPrefix('MyAwsStackCognitoAuth1234ABCD', '123456789012')).toBe('mcp-mystackauth1234abcd-123456789012');
  });
});
