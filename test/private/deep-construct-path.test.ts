import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { enableBuiltinValidation, strictValidationApp } from '../support/builtin-validation';
import { minimalService } from '../support/service-kinds';

/** Limits on texts derived from a construct path (CloudFormation resource schemas). */
const MAX_SECURITY_GROUP_DESCRIPTION = 255;
const MAX_TAG_VALUE = 256;
const MAX_ROLE_DESCRIPTION = 1000;

/** A scope nested so deep that the path below it is over 300 characters. */
function deepScope(stack: Stack): Construct {
  let scope: Construct = stack;
  for (let i = 0; i < 4; i++) {
    scope = new Construct(scope, `AVeryLongConstructIdThatATeamMightUseForItsOwnGroupingOfThings${i}`);
  }
  expect(scope.node.path.length).toBeGreaterThan(250);
  return scope;
}

/** Every Description (of a resource) and tag value in a template, with where it was found. */
function texts(template: Template): Array<{ at: string; kind: 'description' | 'tag'; type: string; value: unknown }> {
  const out: Array<{ at: string; kind: 'description' | 'tag'; type: string; value: unknown }> = [];
  for (const [id, resource] of Object.entries<any>(template.toJSON().Resources)) {
    const props = resource.Properties ?? {};
    for (const key of ['Description', 'GroupDescription']) {
      if (props[key] !== undefined) out.push({ at: `${id}.${key}`, kind: 'description', type: resource.Type, value: props[key] });
    }
    for (const tag of Array.isArray(props.Tags) ? props.Tags : []) {
      out.push({ at: `${id}.Tags.${tag.Key}`, kind: 'tag', type: resource.Type, value: tag.Value });
    }
  }
  return out;
}

function limitOf(kind: 'description' | 'tag', type: string): number {
  if (kind === 'tag') return MAX_TAG_VALUE;
  if (type === 'AWS::EC2::SecurityGroup') return MAX_SECURITY_GROUP_DESCRIPTION;
  if (type === 'AWS::IAM::Role') return MAX_ROLE_DESCRIPTION;
  return 256;
}

/** The texts over their limit (plain strings only: tokens resolve at deploy). */
function overLimit(template: Template): string[] {
  return texts(template)
    .filter((t) => typeof t.value === 'string' && t.value.length > limitOf(t.kind, t.type))
    .map((t) => `${t.at} (${(t.value as string).length})`);
}

describe('a service at a construct path over 300 characters', () => {
  enableBuiltinValidation();

  /** A VPC of the stack (outside the deep scope), as users pass theirs. */
  const vpcOf = (stack: Stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const kinds: Array<[string, (scope: Construct, stack: Stack) => void]> = [
    ['McpFargateService', (scope) => minimalService.fargate(scope)],
    ['McpFargateService in a VPC of the stack, with the canary and the deploy gate in it', (scope, stack) => {
      minimalService.fargate(scope, { vpc: vpcOf(stack), publicLoadBalancer: false, deployGate: true });
    }],
    ['McpExpressService', (scope) => minimalService.express(scope)],
    ['McpExpressService private in a VPC', (scope, stack) => minimalService.express(scope, { vpc: vpcOf(stack), publicEndpoint: false })],
    ['McpLambdaService in a VPC', (scope, stack) => minimalService.lambda(scope, { vpc: vpcOf(stack) })],
    ['McpWebFunctionService', (scope) => minimalService.webFunction(scope)],
    ['McpAppRunnerService in a VPC', (scope, stack) => minimalService.appRunner(scope, { vpc: vpcOf(stack) })],
  ];

  test.each(kinds)('%s keeps every description and tag value derived from the path within its limit', (_name, make) => {
    const app = strictValidationApp();
    const stack = new Stack(app, 'Deep', { env: { account: '111111111111', region: 'us-east-1' } });
    make(deepScope(stack), stack);
    expect(overLimit(Template.fromStack(stack))).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('texts cut under a deep path stay readable and distinct', () => {
  test('the load balancer\'s group keeps its prefix and the end of the path; each subnet keeps a Name of its own', () => {
    const stack = new Stack(undefined, 'Deep', { env: { account: '111111111111', region: 'us-east-1' } });
    minimalService.fargate(deepScope(stack), { allowAllOutbound: false });
    const template = Template.fromStack(stack);
    const groups = Object.values<any>(template.findResources('AWS::EC2::SecurityGroup')).map((r) => r.Properties.GroupDescription as string);
    expect(groups).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Load balancer of the MCP server \.\.\..*Things3\/Mcp$/),
      expect.stringMatching(/^Tasks of the MCP server \.\.\..*Things3\/Mcp: outbound HTTPS only$/),
    ]));
    expect(groups.every((d) => d.length <= MAX_SECURITY_GROUP_DESCRIPTION)).toBe(true);
    const subnetNames = Object.values<any>(template.findResources('AWS::EC2::Subnet'))
      .map((r) => r.Properties.Tags.find((t: { Key: string }) => t.Key === 'Name').Value as string);
    expect(new Set(subnetNames).size).toBe(subnetNames.length);
    expect(subnetNames.every((n) => n.length <= MAX_TAG_VALUE && /\/Vpc\/(Public|Private)Subnet\d$/.test(n))).toBe(true);
  });

  test('a short path keeps its texts whole', () => {
    const stack = new Stack(undefined, 'Short');
    minimalService.fargate(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'Load balancer of the MCP server Short/Mcp' });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'Short/Mcp/Service/SecurityGroup' });
    template.hasResourceProperties('AWS::EC2::VPC', { Tags: [{ Key: 'Name', Value: 'Short/Mcp/Vpc' }] });
  });
});
