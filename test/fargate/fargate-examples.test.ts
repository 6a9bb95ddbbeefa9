/**
 * The Fargate example stacks say what they show: a stateless service of two tasks that scales on
 * requests and writes access logs, and a stateful one with stickiness. Both synthesize offline
 * (the image asset is only staged) and leave no unacknowledged cdk-mcp warning. cdk-nag and the
 * CloudFormation validator run over them in test/examples.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { McpFargateCustomDomainExampleStack, McpFargateExampleStack, McpFargateStatefulExampleStack } from '../../examples/fargate-stack';
import { McpSessionMode } from '../../src';
import { warningsOf } from '../support/kit';

function attributes(template: Template, type: string): Record<string, string> {
  const resource = Object.values(template.findResources(type))[0] as any;
  const list = resource.Properties.TargetGroupAttributes ?? resource.Properties.LoadBalancerAttributes;
  return Object.fromEntries(list.map((a: any) => [a.Key, a.Value]));
}

describe('McpFargateExampleStack', () => {
  const app = new App();
  const stack = new McpFargateExampleStack(app, 'Example');
  const template = Template.fromStack(stack);

  test('is a stateless service of two tasks that scales to six on requests', () => {
    expect(stack.service.sessionMode).toBe(McpSessionMode.STATELESS);
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6 });
    expect(attributes(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')['stickiness.enabled']).toBe('false');
  });

  test('writes access logs to a TLS-only bucket in a concrete region', () => {
    expect(stack.region).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
    expect(attributes(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toMatchObject({ 'access_logs.s3.enabled': 'true', 'access_logs.s3.prefix': 'mcp-alb' });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('builds the example server image from examples/server for x86_64', () => {
    const assembly = app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Example.assets.json'), 'utf8'));
    const images = Object.values(manifest.dockerImages ?? {}) as any[];
    expect(images).toHaveLength(1);
    expect(images[0].source.platform).toBe('linux/amd64');
    // Synth stages the build context; the Dockerfile and the server bundle it copies are in it.
    const staged = path.join(assembly.directory, images[0].source.directory);
    expect(fs.existsSync(path.join(staged, 'Dockerfile'))).toBe(true);
    expect(fs.existsSync(path.join(staged, 'run.sh'))).toBe(true);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' } });
  });

  test('acknowledges every cdk-mcp warning it raises', () => {
    expect(warningsOf(stack, true)).toEqual([]);
  });
});

describe('McpFargateStatefulExampleStack', () => {
  const stack = new McpFargateStatefulExampleStack(new App(), 'Stateful');
  const template = Template.fromStack(stack);

  test('runs the server in stateful mode on two tasks with one-hour lb_cookie stickiness', () => {
    expect(stack.service.sessionMode).toBe(McpSessionMode.STATEFUL);
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2 });
    const server = (Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as any).Properties.ContainerDefinitions[0];
    expect(server.Environment).toEqual(expect.arrayContaining([{ Name: 'MCP_SESSION_MODE', Value: 'stateful' }]));
    expect(attributes(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')).toMatchObject({
      'stickiness.enabled': 'true',
      'stickiness.type': 'lb_cookie',
      'stickiness.lb_cookie.duration_seconds': '3600',
    });
  });

  test('acknowledges every cdk-mcp warning it raises', () => {
    expect(warningsOf(stack, true)).toEqual([]);
  });
});

describe('McpFargateCustomDomainExampleStack', () => {
  const stack = new McpFargateCustomDomainExampleStack(new App(), 'CustomDomain');
  const template = Template.fromStack(stack);

  test('serves HTTPS at mcp.<zone> with a DNS-validated certificate and an alias record in the zone read without a lookup', () => {
    expect(stack.service.url).toBe('https://mcp.example.com/mcp');
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'mcp.example.com', ValidationMethod: 'DNS' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'mcp.example.com.', Type: 'A', HostedZoneId: 'Z0123456789EXAMPLE' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
  });

  test('puts its web ACL on the load balancer', () => {
    const [lb] = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: lb } });
  });

  test('takes the zone from the context', () => {
    const app = new App({ context: { hostedZoneId: 'Z777', zoneName: 'example.org' } });
    const custom = new McpFargateCustomDomainExampleStack(app, 'Mine');
    expect(custom.service.url).toBe('https://mcp.example.org/mcp');
    Template.fromStack(custom).hasResourceProperties('AWS::Route53::RecordSet', { HostedZoneId: 'Z777' });
  });

  test('acknowledges every cdk-mcp warning it raises (no plain HTTP warning: it has HTTPS)', () => {
    expect(warningsOf(stack, true)).toEqual([]);
  });
});
