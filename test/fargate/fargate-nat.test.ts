/**
 * The egress of the VPC McpFargateService creates: one NAT gateway by default, two for egress that
 * survives an Availability Zone, or none (`natGateways: 0`), the tasks then running in the public
 * subnets with public IPs (src/fargate/fargate-service-props.ts explains the prices).
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpFargateService, McpFargateServiceProps, McpSessionMode } from '../../src';
import { onlyResource, synthService, warningsOf, type Synthesized } from '../support/kit';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1');

function synth(props: (stack: Stack) => Partial<McpFargateServiceProps> = () => ({})): Synthesized<McpFargateService> {
  return synthService((stack) => new McpFargateService(stack, 'Mcp', { image: IMAGE, ...props(stack) }));
}

/** The ECS service's awsvpc configuration. */
function awsvpc(template: Template): Record<string, any> {
  return onlyResource(template, 'AWS::ECS::Service').NetworkConfiguration.AwsvpcConfiguration;
}

/** The subnets of the template by logical id, with their CIDR and CDK subnet type. */
function subnets(template: Template): Record<string, [string, string]> {
  return Object.fromEntries((Object.entries(template.findResources('AWS::EC2::Subnet')) as Array<[string, any]>).map(([id, s]) => [
    id, [s.Properties.CidrBlock, s.Properties.Tags.find((t: any) => t.Key === 'aws-cdk:subnet-type').Value],
  ]));
}

describe('McpFargateService natGateways', () => {
  test('by default one NAT gateway serves the tasks, which run in the private subnets without public IPs', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    expect(awsvpc(template)).toMatchObject({
      AssignPublicIp: 'DISABLED',
      Subnets: [{ Ref: expect.stringMatching(/^McpVpcPrivateSubnet1/) }, { Ref: expect.stringMatching(/^McpVpcPrivateSubnet2/) }],
    });
  });

  test('natGateways: 2 puts a NAT gateway in each Availability Zone, the tasks staying in the private subnets', () => {
    const { template } = synth(() => ({ natGateways: 2 }));
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    expect(awsvpc(template).AssignPublicIp).toBe('DISABLED');
    expect(awsvpc(template).Subnets.every((s: any) => /^McpVpcPrivateSubnet/.test(s.Ref))).toBe(true);
  });

  test('natGateways: 0 creates no NAT gateway, no Elastic IP and no private subnets', () => {
    const { template } = synth(() => ({ natGateways: 0 }));
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    expect(Object.values(subnets(template))).toEqual([['10.0.0.0/18', 'Public'], ['10.0.64.0/18', 'Public']]);
  });

  test('natGateways: 0 runs the tasks in the public subnets with public IPs', () => {
    const { template } = synth(() => ({ natGateways: 0 }));
    expect(awsvpc(template)).toMatchObject({
      AssignPublicIp: 'ENABLED',
      Subnets: [{ Ref: expect.stringMatching(/^McpVpcPublicSubnet1/) }, { Ref: expect.stringMatching(/^McpVpcPublicSubnet2/) }],
    });
  });

  test('natGateways: 0 still admits only the load balancer to the tasks, on the container port', () => {
    const { template } = synth(() => ({ natGateways: 0 }));
    const taskGroup = awsvpc(template).SecurityGroups[0]['Fn::GetAtt'][0];
    expect(onlyResource(template, 'AWS::EC2::SecurityGroup', taskGroup).SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')) as any[];
    expect(ingress.map((r) => r.Properties)).toEqual([expect.objectContaining({
      GroupId: { 'Fn::GetAtt': [taskGroup, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^McpLoadBalancerSecurityGroup/), 'GroupId'] },
      FromPort: 8080,
      ToPort: 8080,
    })]);
  });

  test('natGateways: 0 keeps the public subnets of the default layout, so the load balancer in them stays', () => {
    const publicSide = (template: Template) => Object.fromEntries(
      (Object.entries(template.findResources('AWS::EC2::Subnet')) as Array<[string, any]>).filter(([id]) => /^McpVpcPublicSubnet/.test(id)),
    );
    const withNat = synth().template;
    const withoutNat = synth(() => ({ natGateways: 0 })).template;
    expect(Object.keys(publicSide(withNat))).toHaveLength(2);
    expect(publicSide(withoutNat)).toEqual(publicSide(withNat));
    expect(onlyResource(withoutNat, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Subnets)
      .toEqual(onlyResource(withNat, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Subnets);
  });

  test('natGateways: 0 keeps the public subnets from mapping public IPs: only the tasks ask for theirs', () => {
    const { template } = synth(() => ({ natGateways: 0 }));
    const all = Object.values(template.findResources('AWS::EC2::Subnet')) as any[];
    expect(all.every((s) => s.Properties.MapPublicIpOnLaunch === false)).toBe(true);
  });

  test('natGateways: 0 with a stateful server keeps stickiness, and the canary stays outside the VPC', () => {
    const { template } = synth(() => ({ natGateways: 0, sessionMode: McpSessionMode.STATEFUL }));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetGroupAttributes: Match.arrayWith([{ Key: 'stickiness.enabled', Value: 'true' }]),
    });
    expect(awsvpc(template).AssignPublicIp).toBe('ENABLED');
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    expect(functions.filter((f) => f.Properties.VpcConfig !== undefined)).toEqual([]);
  });

  test('natGateways: 0 with an internal load balancer is accepted when the canary does not run in the VPC', () => {
    const { template } = synth(() => ({ natGateways: 0, publicLoadBalancer: false, canaryUrl: 'https://mcp.example.com/mcp' }));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    expect(() => synth(() => ({ natGateways: 0, publicLoadBalancer: false, canary: false }))).not.toThrow();
  });

  test('explicit public taskSubnets and assignPublicIp: true agree with natGateways: 0', () => {
    const { template } = synth(() => ({ natGateways: 0, taskSubnets: { subnetType: ec2.SubnetType.PUBLIC }, assignPublicIp: true }));
    expect(awsvpc(template).AssignPublicIp).toBe('ENABLED');
  });

  test('natGateways raises no warning', () => {
    expect(warningsOf(synth(() => ({ natGateways: 0 })).stack, true).filter((w) => /nat|public ip/i.test(w))).toEqual([]);
  });
});

describe('McpFargateService natGateways validation', () => {
  test.each([
    ['with vpc', (stack: Stack) => ({ natGateways: 0, vpc: new ec2.Vpc(stack, 'Net', { maxAzs: 2 }) }),
      /natGateways is 0 but vpc is given: natGateways shapes only the VPC the construct creates\. Remove natGateways \(give your VPC the NAT gateways or VPC endpoints the tasks need\), or remove vpc\./],
    ['with cluster', (stack: Stack) => ({ natGateways: 2, cluster: new ecs.Cluster(stack, 'Cluster') }),
      /natGateways is 2 but cluster is given: .*or remove cluster\./],
    ['above two', () => ({ natGateways: 3 }),
      /natGateways must be 0, 1 or 2 \(got 3\): the VPC the construct creates has two Availability Zones and at most one NAT gateway in each\./],
    ['not a whole number', () => ({ natGateways: 0.5 }), /natGateways must be 0, 1 or 2 \(got 0\.5\)/],
    ['negative', () => ({ natGateways: -1 }), /natGateways must be 0, 1 or 2 \(got -1\)/],
    ['with assignPublicIp: false', () => ({ natGateways: 0, assignPublicIp: false }),
      /natGateways is 0 but assignPublicIp is false: .*no task could pull its image\. Remove assignPublicIp \(it defaults to true with natGateways: 0\), or remove natGateways/],
    ['with private taskSubnets', () => ({ natGateways: 0, taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
      /natGateways is 0 but taskSubnets selects subnetType "Private": the VPC created without a NAT gateway has public subnets only\. Remove taskSubnets/],
    ['with an internal load balancer whose canary runs in the VPC', () => ({ natGateways: 0, publicLoadBalancer: false }),
      /natGateways is 0 but publicLoadBalancer is false: the canary of an internal load balancer runs in the VPC's private subnets.*Remove natGateways \(one NAT gateway\), set publicLoadBalancer: true, or pass canaryUrl/],
  ] as Array<[string, (stack: Stack) => Partial<McpFargateServiceProps>, RegExp]>)('natGateways %s is refused', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('the natGateways problems are reported with the others, at once', () => {
    expect(() => synth(() => ({ natGateways: 0, assignPublicIp: false, publicLoadBalancer: false, cpu: 300 })))
      .toThrow(/McpFargateService 'Stack\/Mcp' has 3 problems:\n- cpu must be one of[^\n]*\n- natGateways is 0 but assignPublicIp is false[^\n]*\n- natGateways is 0 but publicLoadBalancer is false/);
  });
});
