import * as path from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { McpExpressScalingMetric, McpExpressService, McpSessionMode } from '../../src';
import { enableBuiltinValidation, strictValidationApp } from '../support/builtin-validation';

/**
 * aws-cdk-lib's built-in CloudFormation validator (resource schemas plus its default rules, as
 * errors) over Express services with every feature on, and at the edges of the ranges.
 */
describe('McpExpressService under the built-in CloudFormation validator', () => {
  enableBuiltinValidation();

  test('services with every feature, and at the edges of the ranges, synthesize clean', () => {
    const app = strictValidationApp();
    const stack = new Stack(app, 'Express');
    new McpExpressService(stack, 'Defaults', {
      image: ecs.ContainerImage.fromAsset(path.join(__dirname, '..', '..', 'examples', 'server'), { platform: ecr_assets.Platform.LINUX_AMD64 }),
    });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new McpExpressService(stack, 'Everything', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/acme/mcp-server:1.0.0'),
      serviceName: 'orders-mcp',
      vpc,
      publicEndpoint: false,
      securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
      cpu: 4096,
      memoryLimitMiB: 30720,
      containerPort: 3000,
      command: ['node', 'dist/server.js'],
      healthCheckPath: '/ready',
      minTaskCount: 2,
      maxTaskCount: 20,
      scalingMetric: McpExpressScalingMetric.MEMORY_UTILIZATION,
      scalingTargetValue: 90,
      logEncryptionKey: new kms.Key(stack, 'Key'),
      environment: { LOG_LEVEL: 'debug' },
      secrets: {
        API_TOKEN: ecs.Secret.fromSecretsManager(new secretsmanager.Secret(stack, 'Token'), 'token'),
        UPSTREAM_URL: ecs.Secret.fromSsmParameter(ssm.StringParameter.fromStringParameterName(stack, 'Url', '/mcp/upstream-url')),
      },
    });
    new McpExpressService(stack, 'Smallest', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/acme/mcp-server:1.0.0'),
      sessionMode: McpSessionMode.STATEFUL,
      cpu: 256,
      memoryLimitMiB: 512,
      scalingMetric: McpExpressScalingMetric.CPU_UTILIZATION,
      scalingTargetValue: 10,
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('the validator does know the Express service schema (the check above can fail)', () => {
    const app = strictValidationApp();
    const stack = new Stack(app, 'Invalid');
    new CfnResource(stack, 'Service', { type: 'AWS::ECS::ExpressGatewayService', properties: { PrimaryContainer: { Image: 'x' } } });
    expect(() => app.synth()).toThrow(/InfrastructureRoleArn/);
  });
});
