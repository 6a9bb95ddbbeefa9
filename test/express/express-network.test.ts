/**
 * Where McpExpressService runs its tasks, and what that makes of the endpoint: Express Mode takes
 * the managed load balancer's scheme from the tasks' subnets and has no public-IP setting
 * (src/express/private/express-network.ts), so the subnets are the security posture. Also what the
 * primary container can and cannot set, checked against the schema aws-cdk-lib ships.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpExpressService, McpExpressServiceProps } from '../../src';
import { canaryFunction, onlyResource, synthService, warningsOf, type Synthesized } from '../support/kit';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1');

function synth(props: (stack: Stack) => Partial<McpExpressServiceProps> = () => ({})): Synthesized<McpExpressService> {
  return synthService((stack) => new McpExpressService(stack, 'Mcp', { image: IMAGE, ...props(stack) }));
}

/** The logical ids (Refs) of the Express service's subnets. */
function taskSubnetRefs(template: Template): string[] {
  return onlyResource(template, 'AWS::ECS::ExpressGatewayService').NetworkConfiguration.Subnets.map((s: any) => s.Ref ?? s);
}

/** A VPC with two public and two private (NAT) subnets. */
const natVpc = (stack: Stack) => new ec2.Vpc(stack, 'Net', { maxAzs: 2, natGateways: 1 });
/** A VPC with two public and two isolated subnets: no NAT gateway. */
const noNatVpc = (stack: Stack) => new ec2.Vpc(stack, 'Net', { maxAzs: 2, natGateways: 0 });
/** A VPC with two public subnets and nothing else. */
const publicOnlyVpc = (stack: Stack) => new ec2.Vpc(stack, 'Net', {
  maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }],
});
/** A VPC with two isolated subnets and nothing else. */
const isolatedOnlyVpc = (stack: Stack) => new ec2.Vpc(stack, 'Net', {
  maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});

describe('McpExpressService in the VPC it creates', () => {
  test('by default the endpoint is public: the tasks run in the public subnets, the canary outside the VPC', () => {
    const { service, template } = synth();
    expect(service.publicEndpoint).toBe(true);
    expect(taskSubnetRefs(template)).toEqual([expect.stringMatching(/^McpVpcPublicSubnet1/), expect.stringMatching(/^McpVpcPublicSubnet2/)]);
    expect(canaryFunction(template).VpcConfig).toBeUndefined();
  });

  test('for a public endpoint the public subnets keep mapping public IPs (the tasks need theirs to pull the image)', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true, Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Public' }]) });
  });

  test('publicEndpoint: false runs the tasks in its private subnets, maps no public IPs anywhere and runs the canary in the VPC', () => {
    const { service, template } = synth(() => ({ publicEndpoint: false }));
    expect(service.publicEndpoint).toBe(false);
    expect(taskSubnetRefs(template).every((ref) => /^McpVpcPrivateSubnet/.test(ref))).toBe(true);
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')) as any[];
    expect(subnets).toHaveLength(4);
    expect(subnets.every((s) => s.Properties.MapPublicIpOnLaunch === false)).toBe(true);
    expect(canaryFunction(template).VpcConfig.SubnetIds.map((s: any) => s.Ref)).toEqual([
      expect.stringMatching(/^McpVpcPrivateSubnet1/), expect.stringMatching(/^McpVpcPrivateSubnet2/),
    ]);
  });

  test('private taskSubnets alone make the endpoint internal', () => {
    const { service, template } = synth(() => ({ taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }));
    expect(service.publicEndpoint).toBe(false);
    expect(taskSubnetRefs(template).every((ref) => /^McpVpcPrivateSubnet/.test(ref))).toBe(true);
  });

  test('for a public endpoint it creates no NAT gateway and no private subnets: nothing in the VPC would use them', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')) as any[];
    expect(subnets.map((s) => [s.Properties.CidrBlock, s.Properties.Tags.find((t: any) => t.Key === 'aws-cdk:subnet-type').Value]))
      .toEqual([['10.0.0.0/18', 'Public'], ['10.0.64.0/18', 'Public']]);
  });

  test('for a public endpoint neither the canary nor the deploy gate runs in the VPC', () => {
    const { template } = synth(() => ({ deployGate: true }));
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    expect(functions.length).toBeGreaterThanOrEqual(2);
    expect(functions.filter((f) => f.Properties.VpcConfig !== undefined)).toEqual([]);
  });

  test('an internal endpoint gets private subnets behind one NAT gateway (the tasks\' and the canary\'s egress)', () => {
    const { template } = synth(() => ({ publicEndpoint: false }));
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::EC2::NatGateway', { SubnetId: { Ref: Match.stringLikeRegexp('^McpVpcPublicSubnet1') } });
  });

  test('a private subnet group chosen by name makes the endpoint internal, in a VPC that has that group', () => {
    const { service, template } = synth(() => ({ taskSubnets: { subnetGroupName: 'Private' } }));
    expect(service.publicEndpoint).toBe(false);
    expect(taskSubnetRefs(template).every((ref) => /^McpVpcPrivateSubnet/.test(ref))).toBe(true);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('the public subnets keep their logical ids and addresses whichever the endpoint (switching it adds or removes the private side only)', () => {
    const publicSubnets = (props: Partial<McpExpressServiceProps>) => Object.fromEntries(
      (Object.entries(synth(() => props).template.findResources('AWS::EC2::Subnet')) as Array<[string, any]>)
        .filter(([id]) => /^McpVpcPublicSubnet/.test(id))
        .map(([id, subnet]) => [id, subnet.Properties.CidrBlock]),
    );
    expect(publicSubnets({ publicEndpoint: false })).toEqual(publicSubnets({}));
    expect(Object.keys(publicSubnets({}))).toHaveLength(2);
  });
});

describe('McpExpressService in a VPC you give', () => {
  test('the tasks run in its private subnets behind an internal endpoint, and the canary runs in the VPC', () => {
    const { service, template } = synth((stack) => ({ vpc: natVpc(stack) }));
    expect(service.publicEndpoint).toBe(false);
    expect(taskSubnetRefs(template)).toEqual([expect.stringMatching(/^NetPrivateSubnet1/), expect.stringMatching(/^NetPrivateSubnet2/)]);
    expect(canaryFunction(template).VpcConfig).toBeDefined();
    template.resourceCountIs('AWS::EC2::VPC', 1);
  });

  test('publicEndpoint: true runs the tasks in its public subnets, and the canary outside the VPC', () => {
    const { service, template } = synth((stack) => ({ vpc: natVpc(stack), publicEndpoint: true }));
    expect(service.publicEndpoint).toBe(true);
    expect(taskSubnetRefs(template).every((ref) => /^NetPublicSubnet/.test(ref))).toBe(true);
    expect(canaryFunction(template).VpcConfig).toBeUndefined();
  });

  test('public taskSubnets alone make the endpoint public', () => {
    const { service, template } = synth((stack) => ({ vpc: natVpc(stack), taskSubnets: { subnetType: ec2.SubnetType.PUBLIC } }));
    expect(service.publicEndpoint).toBe(true);
    expect(taskSubnetRefs(template).every((ref) => /^NetPublicSubnet/.test(ref))).toBe(true);
  });

  test('a subnet group chosen by name decides the endpoint like a subnet type', () => {
    const { service } = synth((stack) => ({ vpc: natVpc(stack), taskSubnets: { subnetGroupName: 'Public' } }));
    expect(service.publicEndpoint).toBe(true);
  });

  test('a VPC of public subnets only (no NAT) runs the tasks there, with a public endpoint', () => {
    const { service, template } = synth((stack) => ({ vpc: publicOnlyVpc(stack) }));
    expect(service.publicEndpoint).toBe(true);
    expect(taskSubnetRefs(template).every((ref) => /^NetPublicSubnet/.test(ref))).toBe(true);
  });

  test('isolated taskSubnets give an internal endpoint, and the canary runs in those subnets', () => {
    const { service, template } = synth((stack) => ({ vpc: noNatVpc(stack), taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }));
    expect(service.publicEndpoint).toBe(false);
    expect(taskSubnetRefs(template).every((ref) => /^NetIsolatedSubnet/.test(ref))).toBe(true);
    expect(canaryFunction(template).VpcConfig.SubnetIds.every((s: any) => /^NetIsolatedSubnet/.test(s.Ref))).toBe(true);
  });

  test('subnets the VPC does not list are accepted once publicEndpoint says what they are', () => {
    const { service, template } = synth((stack) => ({
      vpc: natVpc(stack),
      publicEndpoint: false,
      taskSubnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'A', 'subnet-0a'), ec2.Subnet.fromSubnetId(stack, 'B', 'subnet-0b')] },
    }));
    expect(service.publicEndpoint).toBe(false);
    expect(taskSubnetRefs(template)).toEqual(['subnet-0a', 'subnet-0b']);
  });

  test('none of this raises a warning', () => {
    expect(warningsOf(synth((stack) => ({ vpc: natVpc(stack) })).stack, true)).toEqual([]);
    expect(warningsOf(synth((stack) => ({ vpc: natVpc(stack), publicEndpoint: true })).stack, true)).toEqual([]);
  });
});

describe('McpExpressService network validation', () => {
  test.each([
    ['publicEndpoint: true with private taskSubnets', (stack: Stack) => ({ vpc: natVpc(stack), publicEndpoint: true, taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
      /taskSubnets selects private subnets but publicEndpoint is true: Express Mode takes its load balancer's scheme from the tasks' subnets.*subnetType: ec2\.SubnetType\.PUBLIC/],
    ['publicEndpoint: false with public taskSubnets', (stack: Stack) => ({ vpc: natVpc(stack), publicEndpoint: false, taskSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
      /taskSubnets selects public subnets but publicEndpoint is false: .*the tasks get public IPs.*PRIVATE_WITH_EGRESS.*or set publicEndpoint: true/],
    ['publicEndpoint: true in a VPC without public subnets', (stack: Stack) => ({ vpc: isolatedOnlyVpc(stack), publicEndpoint: true }),
      /publicEndpoint is true but the vpc has no public subnets.*set publicEndpoint: false/],
    ['a VPC without NAT, given no choice', (stack: Stack) => ({ vpc: noNatVpc(stack) }),
      /The vpc has no private subnets with egress \(a NAT gateway\).*Either select its isolated subnets \(taskSubnets: \{ subnetType: ec2\.SubnetType\.PRIVATE_ISOLATED \}\), which need VPC endpoints for ECR.*; or publicEndpoint: true runs the tasks in its public subnets/],
    ['publicEndpoint: false in a VPC of public subnets only', (stack: Stack) => ({ vpc: publicOnlyVpc(stack), publicEndpoint: false }),
      /publicEndpoint is false, but the vpc has no private subnets with egress.*Instead, add private subnets with a NAT gateway to the VPC\./],
    ['public and private subnets together', (stack: Stack) => {
      const vpc = natVpc(stack);
      return { vpc, taskSubnets: { subnets: [vpc.publicSubnets[0], vpc.privateSubnets[1]] } };
    }, /taskSubnets selects public and private subnets together \(1 public, 1 private\).*Select only private subnets.*or only public ones \(publicEndpoint: true\)/],
    ['subnets the VPC does not list, without publicEndpoint', (stack: Stack) => ({
      vpc: natVpc(stack), taskSubnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'A', 'subnet-0a')] },
    }), /taskSubnets selects 1 subnet\(s\) that are not among the vpc's public, private or isolated subnets.*set publicEndpoint: true if they are public subnets, false if they are private/],
    ['private taskSubnets in the created VPC with publicEndpoint: true', () => ({ publicEndpoint: true, taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
      /taskSubnets selects private subnets but publicEndpoint is true/],
  ] as Array<[string, (stack: Stack) => Partial<McpExpressServiceProps>, RegExp]>)('%s is refused', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('a network problem is reported with the other problems, at once', () => {
    const props = (stack: Stack) => ({
      vpc: natVpc(stack), publicEndpoint: true, taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, cpu: 300,
    });
    expect(() => synth(props))
      .toThrow(/McpExpressService 'Stack\/Mcp' has 2 problems:\n- cpu must be one of[^\n]*\n- taskSubnets selects private subnets but publicEndpoint is true/);
  });

  test('more than five security groups are refused', () => {
    expect(() => synth((stack) => {
      const vpc = natVpc(stack);
      return { vpc, securityGroups: [1, 2, 3, 4, 5, 6].map((i) => new ec2.SecurityGroup(stack, `Sg${i}`, { vpc })) };
    })).toThrow(/securityGroups has 6 groups: a task accepts at most 5/);
  });
});

describe('McpExpressService container posture', () => {
  /** The fields of a struct in aws-cdk-lib's generated ECS types, by interface name. */
  function schemaFields(interfaceName: string): string[] {
    const dts = fs.readFileSync(path.join(require.resolve('aws-cdk-lib/aws-ecs'), '..', 'lib', 'ecs.generated.d.ts'), 'utf8');
    const start = dts.indexOf(`interface ${interfaceName} {`);
    expect(start).toBeGreaterThan(0);
    const body = dts.slice(start, dts.indexOf('\n    }', start));
    return [...body.matchAll(/^ {8}readonly (\w+)\??:/gm)].map((m) => m[1]).sort();
  }

  test('the schema\'s primary container has no read-only root file system, user or container memory (so the construct cannot set them)', () => {
    // If aws-cdk-lib adds any of them, this fails: set it here with McpFargateService's default.
    expect(schemaFields('ExpressGatewayContainerProperty')).toEqual([
      'awsLogsConfiguration', 'command', 'containerPort', 'environment', 'image', 'repositoryCredentials', 'secrets',
    ]);
  });

  test('the schema\'s network configuration has no public-IP or scheme setting (the subnets decide both)', () => {
    expect(schemaFields('ExpressGatewayServiceNetworkConfigurationProperty')).toEqual(['securityGroups', 'subnets']);
  });

  test('the task size is the memory limit: memoryLimitMiB is the task\'s Memory', () => {
    const svc = onlyResource(synth(() => ({ cpu: 512, memoryLimitMiB: 2048 })).template, 'AWS::ECS::ExpressGatewayService');
    expect(svc).toMatchObject({ Cpu: '512', Memory: '2048' });
    expect(Object.keys(svc.PrimaryContainer).sort()).toEqual(['AwsLogsConfiguration', 'ContainerPort', 'Environment', 'Image']);
  });
});
