import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  McpAppRunnerImage, McpAppRunnerService, McpCanary, McpExpressService, McpFargateService, McpLambdaService, McpNagAcknowledgement,
  McpNagAcknowledgements, McpServerCode, McpServiceMonitoring, McpWebAcl, McpWebFunctionCode, McpWebFunctionService,
} from '../../src';

const REPO_ROOT = path.join(__dirname, '..', '..');
const SERVER = path.join(REPO_ROOT, 'examples', 'server');
const WEB_FUNCTION_SERVER = path.join(REPO_ROOT, 'test', 'fixtures', 'web-function-server');

/** Every cdk-nag finding of a stack, as `<rule id> @ <resource path>`. */
function findings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(undefined).validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)).sort();
}

/** One configuration of a construct: builds it in a new stack and calls the helper of its kind. */
interface Case {
  readonly name: string;
  /** The construct name of its rows in docs/guard-rules.md. */
  readonly construct: string;
  build(stack: Stack): () => McpNagAcknowledgement[];
}

const vpcOf = (stack: Stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });

const CASES: Case[] = [
  {
    name: 'McpLambdaService in a VPC with the deploy gate',
    construct: 'McpLambdaService',
    build: (stack) => {
      const service = new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER), vpc: vpcOf(stack), deployGate: true });
      return () => McpNagAcknowledgements.acknowledgeLambdaService(service);
    },
  },
  {
    name: 'McpLambdaService behind its API Gateway front door (custom domain, web ACL)',
    construct: 'McpLambdaService',
    build: (stack) => {
      const service = new McpLambdaService(stack, 'Mcp', {
        code: McpServerCode.fromDirectory(SERVER),
        domainName: 'mcp.example.com',
        domainZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' }),
        webAcl: new McpWebAcl(stack, 'WebAcl'),
      });
      return () => McpNagAcknowledgements.acknowledgeLambdaService(service);
    },
  },
  {
    name: 'McpWebFunctionService with the deploy gate',
    construct: 'McpWebFunctionService',
    build: (stack) => {
      const service = new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(WEB_FUNCTION_SERVER), deployGate: true });
      return () => McpNagAcknowledgements.acknowledgeWebFunctionService(service);
    },
  },
  {
    name: 'McpFargateService with an asset image, environment and the deploy gate',
    construct: 'McpFargateService',
    build: (stack) => {
      const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(SERVER), environment: { LOG_LEVEL: 'info' }, deployGate: true });
      return () => McpNagAcknowledgements.acknowledgeFargateService(service);
    },
  },
  {
    name: 'McpFargateService behind an internal load balancer (canary in the VPC)',
    construct: 'McpFargateService',
    build: (stack) => {
      const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(SERVER), publicLoadBalancer: false });
      return () => McpNagAcknowledgements.acknowledgeFargateService(service);
    },
  },
  {
    name: 'McpExpressService with an asset image and the deploy gate',
    construct: 'McpExpressService',
    build: (stack) => {
      const service = new McpExpressService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(SERVER), deployGate: true });
      return () => McpNagAcknowledgements.acknowledgeExpressService(service);
    },
  },
  {
    name: 'McpAppRunnerService with tracing and the deploy gate',
    construct: 'McpAppRunnerService',
    build: (stack) => {
      const service = new McpAppRunnerService(stack, 'Mcp', { image: McpAppRunnerImage.fromAsset(SERVER), tracing: true, deployGate: true });
      return () => McpNagAcknowledgements.acknowledgeAppRunnerService(service);
    },
  },
  {
    name: 'McpAppRunnerService with a custom domain and a web ACL',
    construct: 'McpAppRunnerService',
    build: (stack) => {
      const domainZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
      const service = new McpAppRunnerService(stack, 'Mcp', {
        image: McpAppRunnerImage.fromAsset(SERVER), domainName: 'mcp.example.com', domainZone, webAcl: new McpWebAcl(stack, 'WebAcl'),
      });
      return () => McpNagAcknowledgements.acknowledgeAppRunnerService(service);
    },
  },
  {
    name: 'McpServiceMonitoring of a private endpoint with the deploy gate',
    construct: 'McpServiceMonitoring',
    build: (stack) => {
      const monitoring = new McpServiceMonitoring(stack, 'Watch', { url: 'http://mcp.internal.example/mcp', serviceName: 'internal-mcp', canaryVpc: vpcOf(stack), deployGate: true });
      return () => McpNagAcknowledgements.acknowledgeMonitoring(monitoring);
    },
  },
];

/** Build a case; with `acknowledged`, apply the helper and return what it acknowledged. */
function synth(c: Case): { stack: Stack; acks: McpNagAcknowledgement[]; before: string[] } {
  const stack = new Stack(new App(), 'Nag');
  const acknowledge = c.build(stack);
  const before = findings(stack);
  return { stack, acks: acknowledge(), before };
}

describe.each(CASES.map((c) => [c.name, c] as const))('McpNagAcknowledgements: %s', (_name, c) => {
  const { stack, acks, before } = synth(c);
  const after = findings(stack);

  test('acknowledges something, each finding on the construct that has it and with a reason', () => {
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.length).toBeGreaterThan(40);
      // Every acknowledgement removed a finding of its id under its construct.
      expect({ ack: `${ack.id} @ ${ack.constructPath}`, removed: before.some((f) => f.startsWith(`${ack.id} @ ${ack.constructPath}/`) && !after.includes(f)) })
        .toEqual({ ack: `${ack.id} @ ${ack.constructPath}`, removed: true });
    }
  });

  test('leaves no finding of the construct itself; what stays is outside it (e.g. the VPC that the test made)', () => {
    const own = after.filter((f) => /@ Nag\/(Mcp|Watch|AWSCDKWebFunctionAssetBucket|Custom::S3ObjectCopy)/.test(f));
    expect(own).toEqual([]);
  });

  test('each acknowledgement is needed: without it, exactly its finding comes back', () => {
    for (const [i, ack] of acks.entries()) {
      const again = new Stack(new App(), 'Nag');
      c.build(again);
      for (const [j, other] of acks.entries()) {
        if (j === i) continue;
        const target = again.node.findAll().find((n) => n.node.path === other.constructPath)!;
        Validations.of(target).acknowledge({ id: other.id, reason: other.reason });
      }
      const back = findings(again).filter((f) => !after.includes(f));
      expect({ without: `${ack.id} @ ${ack.constructPath}`, back: back.length > 0 && back.every((f) => f.startsWith(`${ack.id} @ ${ack.constructPath}/`)) })
        .toEqual({ without: `${ack.id} @ ${ack.constructPath}`, back: true });
    }
  });
});

test('McpNagAcknowledgements acknowledges nothing on a construct the service did not make', () => {
  // GIVEN a Fargate service beside a role, a bucket and a security group of the app's own, and a
  // wildcard statement the app adds to the service's task role
  const stack = new Stack(new App(), 'Nag');
  const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(SERVER), deployGate: true });
  const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'] }));
  service.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
  new s3.Bucket(stack, 'AppBucket', { enforceSSL: true });
  const group = new ec2.SecurityGroup(stack, 'AppGroup', { vpc: service.cluster.vpc });
  group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
  const before = findings(stack).filter((f) => !f.includes('@ Nag/Mcp/') || f.includes('/TaskRole/'));

  // WHEN
  McpNagAcknowledgements.acknowledgeFargateService(service);

  // THEN every finding of those constructs is still reported
  expect(before).toEqual(expect.arrayContaining([
    'AwsSolutions-IAM5[Resource::*] @ Nag/AppRole/DefaultPolicy/Resource',
    'AwsSolutions-IAM5[Resource::*] @ Nag/Mcp/TaskRole/DefaultPolicy/Resource',
    'AwsSolutions-S1 @ Nag/AppBucket/Resource',
    'AwsSolutions-EC23 @ Nag/AppGroup/Resource',
  ]));
  expect(findings(stack)).toEqual(expect.arrayContaining(before));
});

test('McpNagAcknowledgements finds nothing to acknowledge on a canary outside a VPC', () => {
  const stack = new Stack(new App(), 'Nag');
  const canary = new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'partner-mcp' });
  expect(McpNagAcknowledgements.acknowledgeCanary(canary)).toEqual([]);
});

test('the table of docs/guard-rules.md lists exactly what McpNagAcknowledgements acknowledges, per construct', () => {
  const page = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'guard-rules.md'), 'utf8');
  const section = page.slice(page.indexOf('## cdk-nag findings to acknowledge'));
  const documented = new Map<string, Set<string>>();
  for (const line of section.split('\n').filter((l) => /^\| `Mcp/.test(l))) {
    const cells = line.split(' | ');
    const construct = cells[0].replace(/^\| `|`$/g, '');
    const ids = [...cells[1].matchAll(/`(AwsSolutions-[^`]+)`/g)].map((m) => m[1]);
    documented.set(construct, new Set([...(documented.get(construct) ?? []), ...ids]));
  }
  // What the helper acknowledged for each construct, the monitoring's and canary's apart.
  const shared = new Set([...documented.get('McpServiceMonitoring') ?? [], ...documented.get('McpCanary') ?? []]);
  const acknowledged = new Map<string, Set<string>>();
  for (const c of CASES) {
    for (const ack of synth(c).acks) {
      const by = /\/(DeployGate|Canary)\//.test(`${ack.constructPath}/`) ? 'shared' : c.construct;
      acknowledged.set(by, new Set([...(acknowledged.get(by) ?? []), ack.id]));
    }
  }
  for (const construct of ['McpLambdaService', 'McpWebFunctionService', 'McpFargateService', 'McpExpressService', 'McpAppRunnerService']) {
    const ids = (from: Map<string, Set<string>>) => [...from.get(construct) ?? []].sort();
    expect({ construct, ids: ids(documented) }).toEqual({ construct, ids: ids(acknowledged) });
  }
  expect([...acknowledged.get('shared') ?? []].every((id) => shared.has(id))).toBe(true);
});
