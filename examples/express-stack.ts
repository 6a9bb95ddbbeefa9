import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { EXAMPLE_SERVER_CONTEXT } from './fargate-stack';
import { McpExpressService } from '../src';

/**
 * The example MCP server as a stateless service on ECS Express Mode: two to six tasks scaling on
 * requests per task, behind the HTTPS endpoint Express Mode creates, probed every minute by the
 * canary. The image is built for x86_64 (Express Mode's task architecture) even on an arm64
 * machine.
 */
export class McpExpressExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpExpressService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpExpressService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      image: ecs.ContainerImage.fromAsset(EXAMPLE_SERVER_CONTEXT, { platform: ecr_assets.Platform.LINUX_AMD64 }),
      minTaskCount: 2,
      maxTaskCount: 6,
      canaryExpectedTools: ['echo', 'get_time', 'health'],
      canarySentinelTool: 'health',
    });
    // cloudwatch:PutMetricData (the gate's maintenance window) has no resource-level permissions;
    // the statement is narrowed by the cloudwatch:namespace condition instead.
    Validations.of(this.service.monitoring.deployGate!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData supports no resource-level permissions; a cloudwatch:namespace condition limits it to the probe namespace.',
    });
    Validations.of(this.service.infrastructureRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices]',
      reason: 'Express Mode requires this AWS managed policy on its infrastructure role; AWS maintains it as the service adds resources it manages.',
    });
    Validations.of(this.service.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, which the execution role needs to pull the image, has no resource-level permissions.',
    });
  }
}
