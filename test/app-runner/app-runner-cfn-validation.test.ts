import * as path from 'path';
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { McpAppRunnerImage, McpAppRunnerSecret, McpAppRunnerService, McpSessionMode } from '../../src';
import { enableBuiltinValidation, strictValidationApp } from '../support/builtin-validation';

/**
 * aws-cdk-lib's built-in CloudFormation validator (resource schemas plus its default rules, as
 * errors) over App Runner services with every feature on, and at the edges of App Runner's ranges.
 */
describe('McpAppRunnerService under the built-in CloudFormation validator', () => {
  enableBuiltinValidation();
  const strictApp = strictValidationApp;

  test('services with every feature, and at the edges of the ranges, synthesize clean', () => {
    const app = strictApp();
    const stack = new Stack(app, 'AppRunner');
    new McpAppRunnerService(stack, 'Defaults', { image: McpAppRunnerImage.fromAsset(path.join(__dirname, '..', '..', 'examples', 'server')) });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new McpAppRunnerService(stack, 'Everything', {
      image: McpAppRunnerImage.fromEcrPublic('public.ecr.aws/acme/mcp-server:1.0.0'),
      serviceName: 'orders-mcp',
      sessionMode: McpSessionMode.STATEFUL,
      minInstances: 1,
      maxInstances: 1,
      maxConcurrency: 200,
      cpu: 4096,
      memoryLimitMiB: 12288,
      port: 3000,
      healthCheckPath: '/ready',
      healthCheckInterval: Duration.seconds(20),
      healthCheckTimeout: Duration.seconds(20),
      healthCheckHealthyThreshold: 20,
      healthCheckUnhealthyThreshold: 20,
      startCommand: 'node dist/server.js',
      vpc,
      tracing: true,
      environment: { LOG_LEVEL: 'debug' },
      secrets: {
        API_TOKEN: McpAppRunnerSecret.fromSecretsManager(new secretsmanager.Secret(stack, 'Token'), 'token'),
        UPSTREAM_URL: McpAppRunnerSecret.fromSsmParameter(ssm.StringParameter.fromStringParameterName(stack, 'Url', '/mcp/upstream-url')),
      },
    });
    new McpAppRunnerService(stack, 'Smallest', {
      image: McpAppRunnerImage.fromEcrPublic('public.ecr.aws/acme/mcp-server:1.0.0'),
      cpu: 256,
      memoryLimitMiB: 512,
      minInstances: 25,
      maxInstances: 25,
      maxConcurrency: 1,
      healthCheckInterval: Duration.seconds(1),
      healthCheckTimeout: Duration.seconds(1),
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('the validator does reject an App Runner resource out of range (the check above can fail)', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Invalid');
    new CfnResource(stack, 'Scaling', { type: 'AWS::AppRunner::AutoScalingConfiguration', properties: { MaxConcurrency: 1000, MinSize: 0 } });
    expect(() => app.synth()).toThrow(/MaxConcurrency: 1000 is greater than the maximum of 200/);
  });
});
