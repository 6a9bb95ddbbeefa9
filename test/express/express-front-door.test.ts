/**
 * McpExpressService behind its CloudFront front door (domainName or webAcl): the distribution's
 * origin is the Express endpoint's host over HTTPS, url is the front door's, the canary probes
 * the front door and, on a failure, the Express URL; an internal endpoint cannot have one.
 */
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { McpExpressService, McpExpressServiceProps, McpWebAcl, McpWebAclScope } from '../../src';
import { onlyResource, synthWithMonitoring } from '../support/kit';

const SERVER_DIR = path.join(__dirname, '..', '..', 'examples', 'server');

function synth(props: (stack: Stack) => Partial<McpExpressServiceProps>) {
  return synthWithMonitoring('us-east-1', (stack) => new McpExpressService(stack, 'Mcp', {
    image: ecs.ContainerImage.fromAsset(SERVER_DIR, { platform: ecr_assets.Platform.LINUX_AMD64 }),
    ...props(stack),
  }));
}

function withDomain(stack: Stack): Partial<McpExpressServiceProps> {
  return {
    domainName: 'mcp.example.com',
    domainZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
    webAcl: new McpWebAcl(stack, 'Acl', { scope: McpWebAclScope.CLOUDFRONT }),
  };
}

describe('with domainName, domainZone and a web ACL', () => {
  const { stack, service, monitoring, template } = synth(withDomain);

  test('url is on the domain; the origin is the Express endpoint\'s host over HTTPS, without origin access control', () => {
    expect(service.url).toBe('https://mcp.example.com/mcp');
    const config = onlyResource(template, 'AWS::CloudFront::Distribution').DistributionConfig;
    const host = { 'Fn::Join': ['', { 'Fn::Split': ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^McpService/), 'Endpoint'] }] }] };
    expect(config.Origins).toEqual([expect.objectContaining({ DomainName: host, CustomOriginConfig: expect.objectContaining({ OriginProtocolPolicy: 'https-only' }) })]);
    expect(config.Origins[0].OriginAccessControlId).toBeUndefined();
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Acl/), 'Arn'] });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
  });

  test('the canary probes the front door, then the Express URL (public: same auth)', () => {
    expect(monitoring.url).toBe('https://mcp.example.com/mcp');
    expect(stack.resolve(monitoring.originUrl)).toEqual(stack.resolve(service.endpointUrl));
    expect(monitoring.originAuth).toBeUndefined();
  });

  test('the deploy gate waits for the distribution and the DNS records too', () => {
    const ids = (monitoring.deployGateDependencies ?? []).map((d) => (d as any).node.id);
    expect(ids).toEqual(['Service', 'Distribution', 'AliasRecord', 'AliasRecordIpv6']);
  });
});

test('without domainName or webAcl: no distribution, url is the Express URL', () => {
  const { service, monitoring, template } = synth(() => ({}));
  expect(service.distribution).toBeUndefined();
  expect(service.url).toBe(service.endpointUrl);
  expect(monitoring.originUrl).toBeUndefined();
  template.resourceCountIs('AWS::CloudFront::Distribution', 0);
});

test('a front door on an internal endpoint is an error naming publicEndpoint [cdk-mcp:expressFrontDoorInternalEndpoint]', () => {
  expect(() => synth((s) => ({ ...withDomain(s), publicEndpoint: false })))
    .toThrow(/domainName mcp\.example\.com puts a CloudFront distribution in front of the service, but its endpoint is internal.*publicEndpoint: true.*\[cdk-mcp:expressFrontDoorInternalEndpoint\]/);
  expect(() => synth((s) => ({ ...withDomain(s), vpc: new ec2.Vpc(s, 'Vpc') }))).toThrow(/\[cdk-mcp:expressFrontDoorInternalEndpoint\]/);
});

test('the front-door rules apply: a REGIONAL web ACL', () => {
  expect(() => synth((s) => ({ webAcl: new McpWebAcl(s, 'Regional') }))).toThrow(/\[cdk-mcp:cloudFrontWebAclScope\]/);
});
