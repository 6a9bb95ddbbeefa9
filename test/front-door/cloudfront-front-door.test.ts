/**
 * The CloudFront front door Web Functions and Express Mode share: what the distribution does with
 * MCP traffic (nothing cached, every header but Host forwarded, Authorization on GET, no
 * compression, a read timeout for SSE, TLS 1.2 both ways), its domain, certificate and records,
 * and the rules of the front-door props (each by its problem id).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { McpFrontDoorOptions, McpWebAcl, McpWebAclScope } from '../../src';
import { checkCloudFrontFrontDoor, CLOUDFRONT_FRONT_DOOR, CloudFrontFrontDoor, wantsCloudFrontFrontDoor } from '../../src/front-door/private/cloudfront-front-door';
import { ValidationErrors } from '../../src/private/validation';
import { onlyResource } from '../support/kit';

const ZONE_ATTRS = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };

function stackIn(region?: string): Stack {
  return new Stack(new App(), 'Stack', region ? { env: { region } } : undefined);
}

function build(options: McpFrontDoorOptions = {}, stack = stackIn('us-east-1'), extra: { signing?: cloudfront.Signing } = {}) {
  const door = new CloudFrontFrontDoor(stack, 'FrontDoor', {
    options,
    originDomainName: 'origin.example.net',
    mcpPath: '/mcp',
    originAccessControlSigning: extra.signing,
    comment: 'MCP server Stack/FrontDoor',
  });
  return { stack, door, template: Template.fromStack(stack) };
}

/** The problems `checkCloudFrontFrontDoor` finds, as `id: message` lines. */
function problems(options: McpFrontDoorOptions, stack = stackIn('us-east-1')): string {
  const errors = new ValidationErrors('Test', stack);
  checkCloudFrontFrontDoor(errors, stack, options);
  try {
    errors.throwIfAny();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the distribution', () => {
  const { template } = build();
  const config = () => onlyResource(template, 'AWS::CloudFront::Distribution').DistributionConfig;

  test('allows every method, HTTPS only to viewers, HTTP/2 and HTTP/3, nothing compressed', () => {
    expect(config()).toMatchObject({ HttpVersion: 'http2and3', Enabled: true });
    expect(config().DefaultCacheBehavior).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      ViewerProtocolPolicy: 'https-only',
      Compress: false,
      // The managed AllViewerExceptHostHeader and SecurityHeadersPolicy policies (aws-cdk-lib ids).
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      ResponseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03',
    });
  });

  test('reaches the origin over HTTPS with TLS 1.2, waiting 120 s between packets (SSE)', () => {
    expect(config().Origins).toEqual([expect.objectContaining({
      DomainName: 'origin.example.net',
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'], OriginReadTimeout: 120 },
    })]);
    expect(CLOUDFRONT_FRONT_DOOR.originReadTimeout.toSeconds()).toBe(120);
  });

  test('caches nothing the origin does not mark cacheable, keys on Authorization and the MCP headers, accepts no encoding', () => {
    const policy = onlyResource(template, 'AWS::CloudFront::CachePolicy').CachePolicyConfig;
    expect(policy).toMatchObject({ DefaultTTL: 0, MinTTL: 0, MaxTTL: 1 });
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      EnableAcceptEncodingGzip: false,
      EnableAcceptEncodingBrotli: false,
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Last-Event-ID', 'Accept'] },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
      CookiesConfig: { CookieBehavior: 'all' },
    });
    expect(config().DefaultCacheBehavior.CachePolicyId).toEqual({ Ref: expect.stringMatching(/^CdkMcpFrontDoorCachePolicy/) });
  });

  test('without a domain: the distribution\'s own domain in url, no certificate, no record, no web ACL', () => {
    const { door, stack } = build();
    expect(stack.resolve(door.url)).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^FrontDoorDistribution/), 'DomainName'] }, '/mcp']] });
    expect(door.certificate).toBeUndefined();
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(config().WebACLId).toBeUndefined();
    expect(config().Aliases).toBeUndefined();
  });

  test('two front doors in one stack share one cache policy (20 per account by default)', () => {
    const stack = stackIn('us-east-1');
    for (const id of ['First', 'Second']) {
      new CloudFrontFrontDoor(stack, id, { options: {}, originDomainName: `${id}.example.net`, mcpPath: '/mcp', comment: id });
    }
    const both = Template.fromStack(stack);
    both.resourceCountIs('AWS::CloudFront::CachePolicy', 1);
    both.resourceCountIs('AWS::CloudFront::Distribution', 2);
  });

  test('origin access control with the signing asked for (a Web Function endpoint)', () => {
    const { template: t } = build({}, stackIn('us-east-1'), { signing: cloudfront.Signing.SIGV4_ALWAYS_AMZ_AUTH });
    expect(onlyResource(t, 'AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig)
      .toMatchObject({ OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always-amz-auth', SigningProtocol: 'sigv4' });
    const origin = onlyResource(t, 'AWS::CloudFront::Distribution').DistributionConfig.Origins[0];
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FrontDoorOriginAccessControl/), 'Id'] });
  });
});

describe('a custom domain', () => {
  test('with domainZone in a us-east-1 stack: a DNS-validated certificate, TLS 1.2 (2021), A and AAAA alias records, url on the domain', () => {
    const stack = stackIn('us-east-1');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE_ATTRS);
    const { door, template } = build({ domainName: 'mcp.example.com', domainZone: zone }, stack);
    expect(door.url).toBe('https://mcp.example.com/mcp');
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'mcp.example.com', ValidationMethod: 'DNS' });
    const config = onlyResource(template, 'AWS::CloudFront::Distribution').DistributionConfig;
    expect(config.Aliases).toEqual(['mcp.example.com']);
    expect(config.ViewerCertificate).toMatchObject({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'mcp.example.com.',
        Type: type,
        HostedZoneId: ZONE_ATTRS.hostedZoneId,
        AliasTarget: Match.objectLike({ HostedZoneId: { 'Fn::FindInMap': Match.anyValue() } }),
      });
    }
  });

  test('with certificate only: the certificate given, no record (you point DNS at the distribution)', () => {
    const stack = stackIn('eu-west-1');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const { door, template } = build({ domainName: 'mcp.example.com', certificate }, stack);
    expect(door.certificate).toBe(certificate);
    expect(onlyResource(template, 'AWS::CloudFront::Distribution').DistributionConfig.ViewerCertificate.AcmCertificateArn).toBe('arn:aws:acm:us-east-1:111111111111:certificate/abc');
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });

  test('a CLOUDFRONT web ACL becomes the distribution\'s WebACLId', () => {
    const stack = stackIn('us-east-1');
    const webAcl = new McpWebAcl(stack, 'Acl', { scope: McpWebAclScope.CLOUDFRONT });
    const { template } = build({ webAcl }, stack);
    expect(onlyResource(template, 'AWS::CloudFront::Distribution').DistributionConfig.WebACLId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Acl/), 'Arn'] });
  });
});

describe('the rules of the front-door props', () => {
  test('a front door is asked for by domainName or webAcl, not by canaryUrl', () => {
    expect(wantsCloudFrontFrontDoor({})).toBe(false);
    expect(wantsCloudFrontFrontDoor({ canaryUrl: 'https://x.example.com/mcp' })).toBe(false);
    expect(wantsCloudFrontFrontDoor({ domainName: 'mcp.example.com' })).toBe(true);
    expect(wantsCloudFrontFrontDoor({ webAcl: McpWebAcl.fromWebAclArn(stackIn(), 'Acl', 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/a/1') })).toBe(true);
  });

  test('the valid combinations have no problem', () => {
    const stack = stackIn('us-east-1');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE_ATTRS);
    expect(problems({ domainName: 'mcp.example.com', domainZone: zone }, stack)).toBe('');
    expect(problems({ webAcl: McpWebAcl.fromWebAclArn(stack, 'Acl', 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/a/1') }, stack)).toBe('');
  });

  test('domainName alone names both fixes [cdk-mcp:domainNameWithoutZoneOrCertificate]', () => {
    expect(problems({ domainName: 'mcp.example.com' })).toMatch(/domainName mcp\.example\.com needs domainZone .* or certificate .*\[cdk-mcp:domainNameWithoutZoneOrCertificate\]/);
  });

  test('domainZone or certificate without domainName [cdk-mcp:domainZoneWithoutDomainName, cdk-mcp:certificateWithoutDomainName]', () => {
    const stack = stackIn('us-east-1');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE_ATTRS);
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const message = problems({ domainZone: zone, certificate }, stack);
    expect(message).toMatch(/domainZone is set but domainName is not.*\[cdk-mcp:domainZoneWithoutDomainName\]/);
    expect(message).toMatch(/certificate is set but domainName is not.*\[cdk-mcp:certificateWithoutDomainName\]/);
  });

  test('a certificate to create outside us-east-1 names the certificate prop and the cross-region fix [cdk-mcp:cloudFrontCertificateRegion]', () => {
    const stack = stackIn('eu-west-1');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE_ATTRS);
    expect(problems({ domainName: 'mcp.example.com', domainZone: zone }, stack))
      .toMatch(/certificate is not given and the stack's region is eu-west-1.*crossRegionReferences.*fromCertificateArn.*\[cdk-mcp:cloudFrontCertificateRegion\]/);
  });

  test('a certificate from another region [cdk-mcp:cloudFrontCertificateRegion]', () => {
    const stack = stackIn('eu-west-1');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    expect(problems({ domainName: 'mcp.example.com', certificate }, stack)).toMatch(/certificate is in eu-west-1, but CloudFront only takes certificates from us-east-1.*\[cdk-mcp:cloudFrontCertificateRegion\]/);
  });

  test('a certificate from a us-east-1 stack, passed to a stack elsewhere, is accepted', () => {
    const app = new App();
    const certStack = new Stack(app, 'Certs', { env: { region: 'us-east-1', account: '111111111111' }, crossRegionReferences: true });
    const certificate = new acm.Certificate(certStack, 'Cert', { domainName: 'mcp.example.com' });
    const stack = new Stack(app, 'Service', { env: { region: 'eu-west-1', account: '111111111111' }, crossRegionReferences: true });
    expect(problems({ domainName: 'mcp.example.com', certificate }, stack)).toBe('');
  });

  test('an environment-agnostic stack creating the certificate gets a warning, not silence [cdk-mcp:cloudFrontCertificateRegionUnknown]', () => {
    const stack = stackIn();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE_ATTRS);
    expect(problems({ domainName: 'mcp.example.com', domainZone: zone }, stack)).toBe('');
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-mcp:cloudFrontCertificateRegionUnknown'));
    expect(warnings.map((w) => String(w.entry.data))).toEqual([expect.stringMatching(/region, which is unknown at synth: CloudFront only takes certificates from us-east-1/)]);
  });

  test('a REGIONAL web ACL, built or imported, names the scope and the fix [cdk-mcp:cloudFrontWebAclScope]', () => {
    const stack = stackIn('us-east-1');
    const regional = new McpWebAcl(stack, 'Regional');
    expect(problems({ webAcl: regional }, stack)).toMatch(/webAcl has scope REGIONAL \(Stack\/Regional\).*McpWebAclScope\.CLOUDFRONT.*\[cdk-mcp:cloudFrontWebAclScope\]/);
    const imported = McpWebAcl.fromWebAclArn(stack, 'Imported', 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/a/1');
    expect(problems({ webAcl: imported }, stack)).toMatch(/webAcl has scope REGIONAL \(arn:aws:wafv2:eu-west-1:111111111111:regional\/webacl\/a\/1\).*\[cdk-mcp:cloudFrontWebAclScope\]/);
  });
});
