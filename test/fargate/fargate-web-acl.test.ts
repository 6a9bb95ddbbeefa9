/**
 * `webAcl` on `McpFargateService`: a regional web ACL associated with the load balancer.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpFargateService, McpFargateServiceProps, McpWebAcl, McpWebAclScope } from '../../src';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1');

function synth(props: (stack: Stack) => Partial<McpFargateServiceProps>, env?: { region: string }): Template {
  const stack = new Stack(new App(), 'Stack', env ? { env } : undefined);
  new McpFargateService(stack, 'Mcp', { image: IMAGE, ...props(stack) });
  return Template.fromStack(stack);
}

test('a regional web ACL is associated with the load balancer', () => {
  // GIVEN / WHEN
  const template = synth((stack) => ({ webAcl: new McpWebAcl(stack, 'WebAcl') }));
  // THEN
  const [lb] = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
  const [acl] = Object.keys(template.findResources('AWS::WAFv2::WebACL'));
  template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: lb }, WebACLArn: { 'Fn::GetAtt': [acl, 'Arn'] } });
});

test('without webAcl there is no association', () => {
  synth(() => ({})).resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
});

test('a CLOUDFRONT web ACL is an error naming webAcl, the scope and the fix', () => {
  expect(() => synth((stack) => ({ webAcl: new McpWebAcl(stack, 'WebAcl', { scope: McpWebAclScope.CLOUDFRONT }) }), { region: 'us-east-1' }))
    .toThrow(/webAcl has scope CLOUDFRONT, which protects CloudFront distributions only, not the load balancer: pass a web ACL with scope REGIONAL.*\[cdk-mcp:webAclNotRegional\]/);
});

test('a regional web ACL of another region is an error naming both regions', () => {
  expect(() => synth((stack) => ({ webAcl: McpWebAcl.fromWebAclArn(stack, 'WebAcl', 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/mcp/abc') }), { region: 'eu-central-1' }))
    .toThrow(/webAcl is in us-east-1 but the load balancer is in eu-central-1.*\[cdk-mcp:webAclRegion\]/);
});

test('a web ACL made in another stack of the same region is associated', () => {
  const app = new App();
  const env = { account: '123456789012', region: 'eu-west-1' };
  const shared = new Stack(app, 'Shared', { env });
  const acl = new McpWebAcl(shared, 'WebAcl');
  const stack = new Stack(app, 'Service', { env });
  new McpFargateService(stack, 'Mcp', { image: IMAGE, webAcl: acl });
  // The association lives with the web ACL (McpWebAcl.associate).
  Template.fromStack(shared).resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
});
