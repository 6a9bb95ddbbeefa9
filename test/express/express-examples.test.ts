/**
 * The Express example stack says what it shows: the example server, stateless, on two to six
 * tasks scaling on requests, built for x86_64, with no unacknowledged cdk-mcp warning. cdk-nag and
 * the CloudFormation validator run over it in test/examples/examples.test.ts; here, that the
 * library's defaults leave exactly the two findings the example acknowledges.
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpExpressExampleStack } from '../../examples/express-stack';
import { McpExpressService, McpSessionMode } from '../../src';
import { onlyResource, warningsOf } from '../support/kit';

describe('McpExpressExampleStack', () => {
  const stack = new McpExpressExampleStack(new App(), 'Example');
  const template = Template.fromStack(stack);

  test('is a stateless service of two to six tasks scaling on requests', () => {
    expect(stack.service.sessionMode).toBe(McpSessionMode.STATELESS);
    expect(onlyResource(template, 'AWS::ECS::ExpressGatewayService').ScalingTarget)
      .toMatchObject({ MinTaskCount: 2, MaxTaskCount: 6, AutoScalingMetric: 'REQUEST_COUNT_PER_TARGET' });
  });

  test('leaves no cdk-mcp warning', () => {
    expect(warningsOf(stack, true)).toEqual([]);
  });
});

test('the defaults leave exactly the two cdk-nag findings the example acknowledges', () => {
  const stack = new Stack(new App(), 'Bare');
  new McpExpressService(stack, 'Mcp', {
    image: ecs.ContainerImage.fromAsset(path.join(__dirname, '..', '..', 'examples', 'server'), { platform: ecr_assets.Platform.LINUX_AMD64 }),
  });
  const findings = new AwsSolutionsChecks(undefined).validateScope(stack).violations.map((v) => v.ruleName).sort();
  expect(findings).toEqual([
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices]',
    'AwsSolutions-IAM5[Resource::*]',
  ]);
});
