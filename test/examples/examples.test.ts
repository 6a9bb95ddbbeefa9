import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { enableBuiltinValidation, strictValidationApp } from '../support/builtin-validation';
import { DefaultsStack } from '../support/defaults-stack';
import { exampleStackClasses } from '../support/example-stacks';

const EXAMPLES = exampleStackClasses();

function nagViolations(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(undefined).validateScope(stack);
  return report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.locations?.join(',') ?? r.resourceLogicalId).join('; ')}`);
}

test('the examples folder has example stacks', () => {
  expect(EXAMPLES.map(([name]) => name)).toEqual(expect.arrayContaining(['McpLambdaExampleStack', 'McpLambdaPublicExampleStack']));
});

describe.each(EXAMPLES)('example %s', (name, StackClass) => {
  test('passes cdk-nag AwsSolutionsChecks with no unacknowledged finding', () => {
    const stack = new StackClass(new App(), name);
    expect(nagViolations(stack)).toEqual([]);
  });
});

test('cdk-nag does flag a finding (the check above can fail)', () => {
  const stack = new Stack(new App(), 'Bad');
  new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
  });
  expect(nagViolations(stack).join('\n')).toMatch(/AwsSolutions-IAM4/);
});

describe('aws-cdk-lib built-in CloudFormation validation, default rules as errors', () => {
  enableBuiltinValidation();
  const strictApp = strictValidationApp;

  test('every example stack synthesizes clean', () => {
    const app = strictApp();
    for (const [name, StackClass] of EXAMPLES) {
      new StackClass(app, name);
    }
    expect(() => app.synth()).not.toThrow();
  });

  test('every construct at its defaults synthesizes clean', () => {
    const app = strictApp();
    new DefaultsStack(app, 'Defaults');
    expect(() => app.synth()).not.toThrow();
  });

  test('the validator does reject an invalid template (the check above can fail)', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Invalid');
    new CfnResource(stack, 'Fn', { type: 'AWS::Lambda::Function', properties: { MemorySize: 1, Runtime: 'nodejs24.x' } });
    expect(() => app.synth()).toThrow(/MemorySize: 1 is less than the minimum of 128/);
  });
});
