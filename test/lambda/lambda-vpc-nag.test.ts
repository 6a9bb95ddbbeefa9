import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpLambdaService, McpNagAcknowledgements, McpServerCode } from '../../src';

/** The cdk-nag AwsSolutions findings on the service's constructs, as `<rule> <path below the service>`. */
function serviceFindings(stack: Stack, service: McpLambdaService): string[] {
  const report = new AwsSolutionsChecks(undefined).validateScope(stack);
  const prefix = `${service.node.path}/`;
  return report.violations
    .flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })))
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => `${f.rule} ${f.path.slice(prefix.length)}`)
    .sort();
}

function vpcService(): { stack: Stack; service: McpLambdaService } {
  const stack = new Stack(new App(), 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const service = new McpLambdaService(stack, 'Mcp', {
    code: McpServerCode.fromEcrImage(ecr.Repository.fromRepositoryName(stack, 'Repo', 'mcp-server')),
    vpc,
  });
  return { stack, service };
}

describe('McpLambdaService in a VPC under cdk-nag', () => {
  test('adds exactly one finding: AwsSolutions-IAM5[Resource::*] on the server role\'s network-interface statement', () => {
    const { stack, service } = vpcService();
    expect(serviceFindings(stack, service)).toEqual(['AwsSolutions-IAM5[Resource::*] ServiceRole/DefaultPolicy/Resource']);
  });

  test('the acknowledgement the vpc prop documents silences exactly that finding, on the server role', () => {
    const { stack, service } = vpcService();
    // What McpLambdaServiceProps.vpc documents:
    const acks = McpNagAcknowledgements.acknowledgeLambdaService(service);
    expect(acks.map((a) => `${a.id} ${a.constructPath}`)).toEqual([`AwsSolutions-IAM5[Resource::*] ${service.serverFunction.role!.node.path}`]);
    expect(serviceFindings(stack, service)).toEqual([]);
  });

  test('the acknowledgement does not hide another wildcard on another construct (the deploy gate\'s)', () => {
    const stack = new Stack(new App(), 'Stack');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const service = new McpLambdaService(stack, 'Mcp', {
      code: McpServerCode.fromEcrImage(ecr.Repository.fromRepositoryName(stack, 'Repo', 'mcp-server')),
      vpc,
      deployGate: true,
    });
    Validations.of(service.serverFunction.role!).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'network interfaces' });
    expect(serviceFindings(stack, service)).toEqual(['AwsSolutions-IAM5[Resource::*] Monitoring/DeployGate/ServiceRole/DefaultPolicy/Resource']);
  });
});

test('the vpc prop documents the finding and the acknowledgement the test above applies', () => {
  const source = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'lambda', 'lambda-service-props.ts'), 'utf8');
  const doc = source.slice(0, source.indexOf('readonly vpc?: ec2.IVpc;'));
  const vpcDoc = doc.slice(doc.lastIndexOf('/**'));
  expect(vpcDoc).toContain('`AwsSolutions-IAM5[Resource::*]`');
  expect(vpcDoc).toContain('`McpNagAcknowledgements.acknowledgeLambdaService(service)`');
});
