import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { McpAppRunnerImage, McpAppRunnerService, McpAppRunnerServiceProps } from '../../src';
import { onlyResource } from '../support/kit';

function synth(prepare: (stack: Stack) => Partial<McpAppRunnerServiceProps>): Template {
  const stack = new Stack(new App(), 'Stack');
  new McpAppRunnerService(stack, 'Mcp', { image: McpAppRunnerImage.fromEcrPublic('public.ecr.aws/example/mcp:1'), ...prepare(stack) });
  return Template.fromStack(stack);
}

describe('McpAppRunnerService VPC connector egress', () => {
  test('the connector\'s security group allows all outbound traffic by default, HTTPS only with allowAllOutbound: false', () => {
    const open = synth((s) => ({ vpc: new ec2.Vpc(s, 'Vpc') }));
    expect(onlyResource(open, 'AWS::EC2::SecurityGroup', 'McpSecurityGroup').SecurityGroupEgress).toEqual([
      { CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' },
    ]);
    const https = synth((s) => ({ vpc: new ec2.Vpc(s, 'Vpc'), allowAllOutbound: false }));
    expect(onlyResource(https, 'AWS::EC2::SecurityGroup', 'McpSecurityGroup').SecurityGroupEgress).toEqual([
      { CidrIp: '0.0.0.0/0', Description: expect.stringMatching(/^HTTPS/), FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
    ]);
  });

  test('allowAllOutbound without vpc, or with securityGroups, is an error naming the props', () => {
    expect(() => synth(() => ({ allowAllOutbound: false }))).toThrow(/allowAllOutbound is set without vpc: .*Set vpc too, or remove allowAllOutbound/);
    expect(() => synth((s) => {
      const vpc = new ec2.Vpc(s, 'Vpc');
      return { vpc, allowAllOutbound: false, securityGroups: [new ec2.SecurityGroup(s, 'Sg', { vpc })] };
    })).toThrow(/allowAllOutbound is set together with securityGroups/);
  });
});
