/**
 * McpWebFunctionService behind its CloudFront front door (domainName or webAcl): the endpoint
 * stays IAM and only the distribution may call it (origin access control, the invoke permission
 * scoped by aws:SourceArn), url is the front door's, and the canary probes the front door and,
 * on a failure, the endpoint, signed.
 */
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { McpWebAcl, McpWebAclScope, McpWebFunctionAuth, McpWebFunctionCode, McpWebFunctionService, McpWebFunctionServiceProps } from '../../src';
import { CANARY_ENV } from '../../src/contract/canary-env';
import { canaryEnvironment, onlyResource, synthWithMonitoring } from '../support/kit';

const SERVER_DIR = path.join(__dirname, '..', 'fixtures', 'web-function-server');

/** A service in a us-east-1 stack (or `region`), with what it passed to its monitoring. */
function synth(props: (stack: Stack) => Partial<McpWebFunctionServiceProps>, region = 'us-east-1') {
  return synthWithMonitoring(region, (stack) => new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), ...props(stack) }));
}

function withDomain(stack: Stack): Partial<McpWebFunctionServiceProps> {
  return {
    domainName: 'mcp.example.com',
    domainZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
  };
}

describe('with domainName and domainZone', () => {
  const { stack, service, monitoring, template } = synth(withDomain);

  test('url is on the domain; the endpoint stays IAM and is the distribution\'s origin, signed by origin access control (always-amz-auth, SigV4)', () => {
    expect(service.url).toBe('https://mcp.example.com/mcp');
    expect(service.distribution).toBeDefined();
    expect(onlyResource(template, 'AWS::Lambda::WebFunctionEndpoint').AuthType).toBe('IamAuth');
    const origin = onlyResource(template, 'AWS::CloudFront::Distribution').DistributionConfig.Origins[0];
    expect(origin.DomainName).toEqual(stack.resolve(service.endpoint.domainName));
    expect(stack.resolve(service.endpointUrl)).toEqual({ 'Fn::Join': ['', ['https://', stack.resolve(service.endpoint.domainName), '/mcp']] });
    expect(onlyResource(template, 'AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig)
      .toMatchObject({ OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always-amz-auth', SigningProtocol: 'sigv4' });
  });

  test('only this distribution may invoke the endpoint (cloudfront.amazonaws.com, aws:SourceArn the distribution)', () => {
    expect(onlyResource(template, 'AWS::Lambda::ResourcePolicy').PolicyDocument.Statement).toEqual([expect.objectContaining({
      Action: 'lambda:InvokeWebFunctionEndpoint',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Resource: stack.resolve(service.endpoint.endpointArn),
      Condition: { ArnLike: { 'aws:SourceArn': stack.resolve(service.distribution!.distributionArn) } },
    })]);
  });

  test('the canary probes the front door unsigned, and the endpoint behind it signed with SigV4', () => {
    expect(monitoring.url).toBe('https://mcp.example.com/mcp');
    expect(monitoring.canaryAuth).toBeUndefined();
    expect(stack.resolve(monitoring.originUrl)).toEqual(stack.resolve(service.endpointUrl));
    expect(monitoring.originAuth?._mode).toBe('sigv4');
    expect(canaryEnvironment(template)[CANARY_ENV.URL]).toBe('https://mcp.example.com/mcp');
    expect(canaryEnvironment(template)[CANARY_ENV.AUTH_MODE] ?? 'none').toBe('none');
  });
});

test('the deploy gate probes only once the distribution, the DNS records and the invoke permission exist', () => {
  const { template } = synth((s) => ({ ...withDomain(s), deployGate: true }));
  const gate = Object.values(template.findResources('Custom::McpDeployGate') as Record<string, any>);
  expect(gate).toHaveLength(1);
  const dependsOn: string[] = gate[0].DependsOn ?? [];
  for (const prefix of ['McpFrontDoorDistribution', 'McpFrontDoorAliasRecord', 'McpFrontDoorAliasRecordIpv6', 'McpWebFunctionResourcePolicy']) {
    expect(dependsOn.some((id) => id.startsWith(prefix))).toBe(true);
  }
});

test('a webAcl alone puts the front door on the distribution\'s domain, with the web ACL', () => {
  const { stack, service, template } = synth((s) => ({ webAcl: new McpWebAcl(s, 'Acl', { scope: McpWebAclScope.CLOUDFRONT }) }));
  expect(stack.resolve(service.url)).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^McpFrontDoorDistribution/), 'DomainName'] }, '/mcp']] });
  expect(onlyResource(template, 'AWS::CloudFront::Distribution').DistributionConfig.WebACLId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Acl/), 'Arn'] });
});

test('a multi-Region endpoint is signed with SigV4a, and so is the canary\'s origin probe', () => {
  const { monitoring, template } = synth((s) => ({ ...withDomain(s), endpointLocation: lambda.WebFunctionEndpointLocation.multiRegion(['us-west-2']) }));
  expect(onlyResource(template, 'AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig)
    .toMatchObject({ SigningBehavior: 'always-amz-auth', SigningProtocol: 'sigv4a' });
  expect(monitoring.originAuth?._mode).toBe('sigv4a');
});

test('canaryProbesOrigin: false leaves the endpoint unprobed', () => {
  const { monitoring } = synth((s) => ({ ...withDomain(s), canaryProbesOrigin: false }));
  expect(monitoring.originUrl).toBeUndefined();
});

test('without domainName or webAcl: no distribution, url is the endpoint\'s, the canary signs it', () => {
  const { service, monitoring, template } = synth(() => ({}));
  expect(service.distribution).toBeUndefined();
  expect(service.url).toBe(service.endpointUrl);
  template.resourceCountIs('AWS::CloudFront::Distribution', 0);
  expect(monitoring.canaryAuth?._mode).toBe('sigv4');
  expect(monitoring.originUrl).toBeUndefined();
});

test('canaryUrl (a front door of your own): the endpoint is the origin, probed signed', () => {
  const { stack, service, monitoring } = synth(() => ({ canaryUrl: 'https://mine.example.com/mcp' }));
  expect(monitoring.url).toBe('https://mine.example.com/mcp');
  expect(stack.resolve(monitoring.originUrl)).toEqual(stack.resolve(service.endpointUrl));
  expect(monitoring.originAuth?._mode).toBe('sigv4');
});

test('an APPLICATION_MANAGED endpoint behind a front door is an error naming both fixes [cdk-mcp:webFunctionFrontDoorAuth]', () => {
  expect(() => synth((s) => ({ ...withDomain(s), auth: McpWebFunctionAuth.APPLICATION_MANAGED })))
    .toThrow(/auth is APPLICATION_MANAGED with domainName mcp\.example\.com: the endpoint would stay public.*Remove auth.*or remove domainName and webAcl.*\[cdk-mcp:webFunctionFrontDoorAuth\]/);
});

test('the front-door rules apply: a domain without zone or certificate, a certificate to create outside us-east-1', () => {
  expect(() => synth(() => ({ domainName: 'mcp.example.com' }))).toThrow(/\[cdk-mcp:domainNameWithoutZoneOrCertificate\]/);
  expect(() => synth(withDomain, 'eu-west-1')).toThrow(/\[cdk-mcp:cloudFrontCertificateRegion\]/);
});
