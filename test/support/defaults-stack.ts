import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  McpAppRunnerImage,
  McpAppRunnerService,
  McpCanary,
  McpExpressService,
  McpFargateService,
  McpLambdaService,
  McpServerCode,
  McpWebFunctionCode,
  McpWebFunctionService,
} from '../../src';

/**
 * Every construct of the library at its defaults (only the props it requires), with images and
 * code that need no build: what a new user's first `cdk synth` produces.
 */
export class DefaultsStack extends Stack {
  constructor(scope: App, id: string) {
    super(scope, id);
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1');
    new McpLambdaService(this, 'Lambda', { code: McpServerCode.fromEcrImage(ecr.Repository.fromRepositoryName(this, 'Repo', 'mcp-server')) });
    new McpWebFunctionService(this, 'WebFunction', { code: McpWebFunctionCode.fromBucket(s3.Bucket.fromBucketName(this, 'Code', 'mcp-code'), 'server.zip') });
    new McpFargateService(this, 'Fargate', { image });
    new McpExpressService(this, 'Express', { image });
    new McpAppRunnerService(this, 'AppRunner', { image: McpAppRunnerImage.fromEcrPublic('public.ecr.aws/example/mcp-server:1') });
    new McpCanary(this, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'canary-only' });
  }
}
