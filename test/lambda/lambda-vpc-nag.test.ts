import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpLambdaService, McpServerCode } from '../../src';

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

  test('the acknowledgement the vpc prop documents silences exactly that finding', () => {
    const { stack, service } = vpcService();
    // The snippet of McpLambdaServiceProps.vpc:
    Validations.of(service.serverFunction.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Lambda creates the function\'s network interfaces with its role; the EC2 network-interface actions support no resource-level permissions.',
    });
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
  expect(vpcDoc).toContain('Validations.of(service.serverFunction.role!).acknowledge({');
  expect(vpcDoc).toContain('id: \'AwsSolutions-IAM5[Resource::*]\',');
});
