/**
 * The front door of `McpAppRunnerService`: a custom domain through the App Runner custom-domain
 * custom resource, a regional web ACL on the service, and what the canary probes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  McpAppRunnerImage, McpAppRunnerService, McpAppRunnerServiceProps, McpServiceBase, McpWebAcl, McpWebAclScope,
} from '../../src';
import { APP_RUNNER_DOMAIN_WAIT } from '../../src/contract/app-runner-domain';
import { McpServiceMonitoringProps } from '../../src/monitoring/service-monitoring';
import { canaryEnvironment, onlyResource } from '../support/kit';

const IMAGE = McpAppRunnerImage.fromEcrPublic('public.ecr.aws/example/mcp-server:1');
const ZONE_ID = 'Z0123456789ABC';

interface Synth {
  readonly stack: Stack;
  readonly service: McpAppRunnerService;
  readonly template: Template;
  /** What the service handed its monitoring (url, originUrl). */
  readonly monitoring: McpServiceMonitoringProps;
}

function synth(props: (stack: Stack, zone: route53.IHostedZone) => Partial<McpAppRunnerServiceProps> = () => ({}), env?: { region: string }): Synth {
  const stack = new Stack(new App(), 'Stack', env ? { env } : undefined);
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: 'example.com' });
  const spy = jest.spyOn(McpServiceBase.prototype as any, 'attachMonitoring');
  try {
    const service = new McpAppRunnerService(stack, 'Mcp', { image: IMAGE, ...props(stack, zone) });
    const monitoring = spy.mock.calls[0][0] as McpServiceMonitoringProps;
    return { stack, service, template: Template.fromStack(stack), monitoring };
  } finally {
    spy.mockRestore();
  }
}

const withDomain = (_stack: Stack, zone: route53.IHostedZone): Partial<McpAppRunnerServiceProps> => ({ domainName: 'mcp.example.com', domainZone: zone });

function logicalId(template: Template, type: string, props?: object): string {
  const ids = Object.keys(template.findResources(type, props ? { Properties: Match.objectLike(props) } : undefined));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The resolved statements of every IAM policy in the template whose logical id starts with `prefix`. */
function statementsOf(template: Template, prefix: string): any[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, r]: [string, any]) => r.Properties.PolicyDocument.Statement);
}

describe('custom domain', () => {
  test('domainName with domainZone: the custom resource associates the domain with the service in that zone, and url uses the domain', () => {
    // GIVEN / WHEN
    const { service, template } = synth(withDomain);
    // THEN
    const serviceId = logicalId(template, 'AWS::AppRunner::Service');
    template.hasResourceProperties('Custom::McpAppRunnerCustomDomain', {
      ServiceArn: { 'Fn::GetAtt': [serviceId, 'ServiceArn'] },
      DomainName: 'mcp.example.com',
      HostedZoneId: ZONE_ID,
    });
    expect(service.url).toBe('https://mcp.example.com/mcp');
    expect(service.customDomain).toBeDefined();
  });

  test('the canary probes the domain and, after a failure, the service\'s default URL; it starts once the domain resource answered', () => {
    const { stack, template, monitoring } = synth((s, zone) => ({ ...withDomain(s, zone), mcpPath: '/api/mcp' }));
    expect(canaryEnvironment(template)).toMatchObject({ MCP_CANARY_URL: 'https://mcp.example.com/api/mcp' });
    const serviceId = logicalId(template, 'AWS::AppRunner::Service');
    expect(stack.resolve(monitoring.originUrl)).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [serviceId, 'ServiceUrl'] }, '/api/mcp']] });
    const domainId = logicalId(template, 'Custom::McpAppRunnerCustomDomain');
    const canary = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^MCP protocol canary') } }))[0] as any;
    expect(canary.DependsOn).toEqual(expect.arrayContaining([domainId]));
  });

  test('the deploy gate probes after the domain resource answered', () => {
    const { template } = synth((stack, zone) => ({ ...withDomain(stack, zone), deployGate: true }));
    const domainId = logicalId(template, 'Custom::McpAppRunnerCustomDomain');
    const gate = Object.values(template.findResources('Custom::McpDeployGate'))[0] as any;
    expect(gate.DependsOn).toEqual(expect.arrayContaining([domainId]));
    expect(gate.Properties.Url).toBe('https://mcp.example.com/mcp');
  });

  test('without a domain there is no custom resource and no origin to probe', () => {
    const { template, service, monitoring } = synth();
    template.resourceCountIs('Custom::McpAppRunnerCustomDomain', 0);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    expect(service.customDomain).toBeUndefined();
    expect(monitoring.originUrl).toBeUndefined();
  });

  test('the handler may associate only with this service, change only CNAMEs of the domain and under it, and read changes', () => {
    const { template } = synth(withDomain);
    const serviceId = logicalId(template, 'AWS::AppRunner::Service');
    const statements = statementsOf(template, 'McpCustomDomainServiceRole');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Action: ['apprunner:AssociateCustomDomain', 'apprunner:DescribeCustomDomains', 'apprunner:DisassociateCustomDomain'],
        Resource: { 'Fn::GetAtt': [serviceId, 'ServiceArn'] },
      }),
      expect.objectContaining({
        Action: 'route53:ChangeResourceRecordSets',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:route53:::hostedzone/${ZONE_ID}`]] },
        Condition: {
          'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['mcp.example.com', '*.mcp.example.com'] },
          'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'], 'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'] },
        },
      }),
      expect.objectContaining({ Action: 'route53:ListResourceRecordSets' }),
      expect.objectContaining({ Action: 'route53:GetChange', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::change/*']] } }),
    ]));
    // Nothing else but its logs.
    expect(statements.map((s) => s.Action).flat().sort()).toEqual([
      'apprunner:AssociateCustomDomain', 'apprunner:DescribeCustomDomains', 'apprunner:DisassociateCustomDomain',
      'logs:CreateLogStream', 'logs:PutLogEvents',
      'route53:ChangeResourceRecordSets', 'route53:GetChange', 'route53:ListResourceRecordSets',
    ]);
  });

  test('the framework\'s roles invoke the two handlers by ARN (no versions wildcard) and carry no managed policy', () => {
    const { template } = synth(withDomain);
    for (const prefix of ['McpCustomDomainProviderRole', 'McpCustomDomainProviderWaiterRole']) {
      const resources = statementsOf(template, prefix).flatMap((s) => [].concat(s.Resource));
      expect(JSON.stringify(resources)).not.toMatch(/:\*/);
    }
    const roles = template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } });
    expect(Object.keys(roles).filter((id) => id.startsWith('McpCustomDomain'))).toEqual([]);
    const stateMachine = logicalId(template, 'AWS::StepFunctions::StateMachine');
    expect(statementsOf(template, 'McpCustomDomainProviderRole')).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: stateMachine } }),
    ]));
  });

  test(`the waiter polls every ${APP_RUNNER_DOMAIN_WAIT.queryIntervalSeconds} s, at most ${APP_RUNNER_DOMAIN_WAIT.totalTimeoutMinutes} minutes' worth of polls, and the handlers run the bundled code`, () => {
    const { template } = synth(withDomain);
    const definition = JSON.stringify(onlyResource(template, 'AWS::StepFunctions::StateMachine').DefinitionString);
    expect(definition).toMatch(/\\"IntervalSeconds\\":30,\\"MaxAttempts\\":110,/);
    for (const entry of ['onEvent', 'isComplete']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: `index.${entry}`, Runtime: 'nodejs24.x', Timeout: APP_RUNNER_DOMAIN_WAIT.handlerTimeoutSeconds, Architectures: ['arm64'],
      });
    }
    // The bundle the functions load exports both handlers.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(path.join(__dirname, '..', '..', 'assets', 'lambda', 'app-runner-domain', 'handler', 'index.js'));
    expect([typeof bundle.onEvent, typeof bundle.isComplete]).toEqual(['function', 'function']);
    expect(fs.statSync(path.join(__dirname, '..', '..', 'assets', 'lambda', 'app-runner-domain', 'handler', 'index.js')).size).toBeGreaterThan(0);
  });

  test('the template has no dependency cycle (canary, gate, custom domain, framework roles): Template refuses one', () => {
    expect(() => synth((stack, zone) => ({ ...withDomain(stack, zone), deployGate: true }))).not.toThrow();
    // The check can fail.
    expect(() => Template.fromJSON({ Resources: { A: { Type: 'X', DependsOn: ['B'] }, B: { Type: 'X', Properties: { P: { Ref: 'A' } } } } }))
      .toThrow(/dependency cycle/);
  });
});

describe('custom domain validation', () => {
  test.each<[string, (stack: Stack, zone: route53.IHostedZone) => Partial<McpAppRunnerServiceProps>, RegExp]>([
    ['cdk-mcp:appRunnerCertificate', (stack, zone) => ({
      ...withDomain(stack, zone),
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc'),
    }), /certificate does not apply to App Runner: App Runner issues .* Remove certificate\. \[cdk-mcp:appRunnerCertificate\]/],
    ['cdk-mcp:appRunnerDomainWithoutZone', () => ({ domainName: 'mcp.example.com' }),
      /domainName mcp\.example\.com needs domainZone on App Runner: .*set canaryUrl to https:\/\/mcp\.example\.com\/<mcpPath> .*\[cdk-mcp:appRunnerDomainWithoutZone\]/],
    ['cdk-mcp:appRunnerZoneWithoutDomain', (_stack, zone) => ({ domainZone: zone }), /domainZone is set but domainName is not.*\[cdk-mcp:appRunnerZoneWithoutDomain\]/],
    ['cdk-mcp:appRunnerApexDomain', (_stack, zone) => ({ domainName: 'example.com', domainZone: zone }),
      /domainName example\.com is the apex of domainZone example\.com: .*no CNAME at a zone's apex\. Use a name under it, e\.g\. mcp\.example\.com\. \[cdk-mcp:appRunnerApexDomain\]/],
    ['cdk-mcp:appRunnerDomainOutsideZone', (_stack, zone) => ({ domainName: 'mcp.example.org', domainZone: zone }),
      /domainName mcp\.example\.org is not in domainZone example\.com.*\[cdk-mcp:appRunnerDomainOutsideZone\]/],
    ['cdk-mcp:appRunnerDomainNameFormat', (_stack, zone) => ({ domainName: 'https://mcp.example.com/mcp', domainZone: zone }),
      /domainName must be a DNS name such as mcp\.example\.com, without scheme, path or port \(got "https:\/\/mcp\.example\.com\/mcp"\)\. \[cdk-mcp:appRunnerDomainNameFormat\]/],
  ])('%s', (_id, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('canaryProbesOrigin without a front door is an error; canaryUrl makes the service\'s own URL the origin', () => {
    expect(() => synth(() => ({ canaryProbesOrigin: true }))).toThrow(/\[cdk-mcp:canaryProbesOriginWithoutFrontDoor\]/);
    const { template, monitoring, service } = synth(() => ({ canaryUrl: 'https://edge.example.com/mcp' }));
    expect(canaryEnvironment(template)).toMatchObject({ MCP_CANARY_URL: 'https://edge.example.com/mcp' });
    expect(monitoring.originUrl).toBe(service.url);
  });

  test('canaryProbesOrigin: false keeps the origin out of the canary', () => {
    const { monitoring } = synth((stack, zone) => ({ ...withDomain(stack, zone), canaryProbesOrigin: false }));
    expect(monitoring.url).toBe('https://mcp.example.com/mcp');
    expect(monitoring.originUrl).toBeUndefined();
  });
});

describe('web ACL', () => {
  test('a regional web ACL is associated with the App Runner service', () => {
    const { template } = synth((stack) => ({ webAcl: new McpWebAcl(stack, 'WebAcl') }));
    const serviceId = logicalId(template, 'AWS::AppRunner::Service');
    const aclId = logicalId(template, 'AWS::WAFv2::WebACL');
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': [serviceId, 'ServiceArn'] },
      WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
    });
  });

  test('an imported regional web ACL is associated by its ARN', () => {
    const arn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/mcp/abc-123';
    const { template } = synth((stack) => ({ webAcl: McpWebAcl.fromWebAclArn(stack, 'WebAcl', arn) }), { region: 'eu-west-1' });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
  });

  test.each<[string, (stack: Stack) => Partial<McpAppRunnerServiceProps>, { region: string } | undefined, RegExp]>([
    ['a CLOUDFRONT web ACL', (stack) => ({ webAcl: new McpWebAcl(stack, 'WebAcl', { scope: McpWebAclScope.CLOUDFRONT }) }), { region: 'us-east-1' },
      /webAcl has scope CLOUDFRONT, which protects CloudFront distributions only, not an App Runner service: pass a web ACL with scope REGIONAL.*\[cdk-mcp:webAclNotRegional\]/],
    ['an imported global web ACL', (stack) => ({ webAcl: McpWebAcl.fromWebAclArn(stack, 'WebAcl', 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/mcp/abc') }), undefined,
      /webAcl has scope CLOUDFRONT.*\[cdk-mcp:webAclNotRegional\]/],
    ['a web ACL of another region', (stack) => ({ webAcl: McpWebAcl.fromWebAclArn(stack, 'WebAcl', 'arn:aws:wafv2:us-west-2:123456789012:regional/webacl/mcp/abc') }), { region: 'eu-west-1' },
      /webAcl is in us-west-2 but an App Runner service is in eu-west-1: a regional web ACL protects resources in its own region only\. Create the web ACL in eu-west-1\. \[cdk-mcp:webAclRegion\]/],
  ])('%s is an error naming webAcl', (_name, props, env, message) => {
    expect(() => synth(props, env)).toThrow(message);
  });
});
