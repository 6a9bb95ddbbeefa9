/**
 * The hardening defaults and props of McpFargateService that the Control Tower Guard rules
 * (test/guard) asked for: a read-only root file system with a writable /tmp, the container's
 * memory hard limit, the user, the log encryption key, load balancer deletion protection,
 * HTTPS-only egress, public subnets without automatic public IPs, and a certificate that must
 * come with the domain name it covers.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { McpFargateService, McpFargateServiceProps } from '../../src';
import { onlyResource, warningsOf } from '../support/kit';

function synth(prepare: (stack: Stack) => Partial<McpFargateServiceProps> = () => ({})): { stack: Stack; template: Template } {
  const stack = new Stack(new App(), 'Stack');
  new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp:1'), ...prepare(stack) });
  return { stack, template: Template.fromStack(stack) };
}

function containerOf(template: Template): Record<string, any> {
  return onlyResource(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions[0];
}

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/abc';

describe('McpFargateService container hardening', () => {
  test('by default the root file system is read-only and an empty task volume is writable at /tmp', () => {
    const { template } = synth();
    const container = containerOf(template);
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.MountPoints).toEqual([{ SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false }]);
    expect(onlyResource(template, 'AWS::ECS::TaskDefinition').Volumes).toEqual([{ Name: 'tmp' }]);
  });

  test('readonlyRootFilesystem: false mounts no volume; ECS Exec turns the default off', () => {
    for (const props of [{ readonlyRootFilesystem: false }, { enableExecuteCommand: true }]) {
      const { template } = synth(() => props);
      const container = containerOf(template);
      expect(container.ReadonlyRootFilesystem).toBe(false);
      expect(container.MountPoints).toBeUndefined();
    }
  });

  test('ECS Exec with an explicitly read-only root file system is an error naming both props', () => {
    expect(() => synth(() => ({ enableExecuteCommand: true, readonlyRootFilesystem: true })))
      .toThrow(/readonlyRootFilesystem is true but enableExecuteCommand is on: .*Remove readonlyRootFilesystem/);
  });

  test('the container\'s memory hard limit is the task\'s memory', () => {
    expect(containerOf(synth().template).Memory).toBe(512);
    expect(containerOf(synth(() => ({ cpu: 1024, memoryLimitMiB: 3072 })).template).Memory).toBe(3072);
  });

  test('the image\'s USER by default; a given user is in the task definition; root is an error', () => {
    expect(containerOf(synth().template).User).toBeUndefined();
    expect(containerOf(synth(() => ({ user: '1000:1000' })).template).User).toBe('1000:1000');
    for (const user of ['root', '0', '0:0', 'root:wheel']) {
      expect(() => synth(() => ({ user }))).toThrow(new RegExp(`user must not be root \\(got "${user}"\\)`));
    }
  });
});

describe('McpFargateService log encryption', () => {
  test('a key encrypts the server\'s, the flow logs\' and the canary\'s log groups, and lets CloudWatch Logs use it', () => {
    const { template } = synth((s) => ({ logEncryptionKey: new kms.Key(s, 'Key') }));
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as any[];
    const encrypted = groups.filter((g) => g.Properties.KmsKeyId !== undefined);
    // The server's, the flow logs' and the canary's: every log group of the stack.
    expect(encrypted).toHaveLength(groups.length);
    expect(encrypted).toHaveLength(3);
    for (const group of encrypted) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    }
    template.hasResourceProperties('AWS::EC2::FlowLog', { LogGroupName: { Ref: Match.stringLikeRegexp('^McpFlowLogGroup') } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
        })]),
      },
    });
  });

  test('without a key no log group names one; an imported key raises a warning saying what to add', () => {
    const plain = synth().template;
    expect((Object.values(plain.findResources('AWS::Logs::LogGroup')) as any[]).filter((g) => g.Properties.KmsKeyId)).toEqual([]);
    const { stack } = synth((s) => ({ logEncryptionKey: kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/abc') }));
    expect(warningsOf(stack, true).join('\n')).toMatch(/logEncryptionKey is imported, so its key policy cannot be changed here: allow logs\..*kms:Encrypt\*/);
  });
});

describe('McpFargateService network defaults and props', () => {
  test('the public subnets of the VPC it creates assign no public IPs; the layout is otherwise the default', () => {
    const { template } = synth();
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')) as any[];
    expect(subnets.map((s) => [s.Properties.CidrBlock, s.Properties.MapPublicIpOnLaunch])).toEqual([
      ['10.0.0.0/18', false], ['10.0.64.0/18', false], ['10.0.128.0/18', false], ['10.0.192.0/18', false],
    ]);
  });

  test('the tasks may send anything by default; allowAllOutbound: false leaves outbound HTTPS only', () => {
    const open = Object.values(synth().template.findResources('AWS::EC2::SecurityGroup')) as any[];
    expect(open.filter((g) => /Mcp\/Service\/SecurityGroup/.test(JSON.stringify(g)) || g.Properties.GroupDescription.startsWith('Stack/Mcp/Service'))
      .map((g) => g.Properties.SecurityGroupEgress)).toEqual([[{ CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' }]]);
    const { template } = synth(() => ({ allowAllOutbound: false }));
    const group = onlyResource(template, 'AWS::EC2::SecurityGroup', 'McpTaskSecurityGroup');
    expect(group.SecurityGroupEgress).toEqual([{ CidrIp: '0.0.0.0/0', Description: expect.stringMatching(/^HTTPS/), FromPort: 443, IpProtocol: 'tcp', ToPort: 443 }]);
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: { SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^McpTaskSecurityGroup'), 'GroupId'] }] } },
    });
    // The load balancer still reaches the tasks on the container port.
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^McpTaskSecurityGroup'), 'GroupId'] },
      FromPort: 8080,
    });
  });

  test('load balancer deletion protection is off by default and a prop', () => {
    const attributes = (t: Template): Record<string, string> =>
      Object.fromEntries(onlyResource(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer').LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]));
    expect(attributes(synth().template)['deletion_protection.enabled']).toBe('false');
    expect(attributes(synth(() => ({ loadBalancerDeletionProtection: true })).template)['deletion_protection.enabled']).toBe('true');
  });

  test('a certificate without domainName is an error naming both props and the fix', () => {
    expect(() => synth((s) => ({ certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERTIFICATE_ARN) })))
      .toThrow(/certificate is set but domainName is not: .*TLS_ERROR.*Pass domainName, the name the certificate covers/);
    expect(() => synth((s) => ({ certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERTIFICATE_ARN), domainName: 'mcp.example.com' }))).not.toThrow();
  });
});
