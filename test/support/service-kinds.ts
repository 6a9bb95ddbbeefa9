import { Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  McpAppRunnerImage,
  McpAppRunnerService,
  McpAppRunnerServiceProps,
  McpExpressService,
  McpExpressServiceProps,
  McpFargateService,
  McpFargateServiceProps,
  McpLambdaService,
  McpLambdaServiceProps,
  McpServerCode,
  McpWebFunctionCode,
  McpWebFunctionService,
  McpWebFunctionServiceProps,
} from '../../src';

/** A registry image: nothing to build at synth. */
const REGISTRY_IMAGE = 'public.ecr.aws/example/mcp-server:1';

/**
 * One service of each kind, with id `Mcp` in `scope`, code and images that need no build, and the
 * props a test adds. The imported repository and bucket go into the scope's stack.
 */
export const minimalService = {
  lambda: (scope: Construct, extra: Partial<McpLambdaServiceProps> = {}) => new McpLambdaService(scope, 'Mcp', {
    code: McpServerCode.fromEcrImage(ecr.Repository.fromRepositoryName(Stack.of(scope), 'Repo', 'mcp-server')), ...extra,
  }),
  webFunction: (scope: Construct, extra: Partial<McpWebFunctionServiceProps> = {}) => new McpWebFunctionService(scope, 'Mcp', {
    code: McpWebFunctionCode.fromBucket(s3.Bucket.fromBucketName(Stack.of(scope), 'Code', 'mcp-code'), 'server.zip'), ...extra,
  }),
  fargate: (scope: Construct, extra: Partial<McpFargateServiceProps> = {}) => new McpFargateService(scope, 'Mcp', {
    image: ecs.ContainerImage.fromRegistry(REGISTRY_IMAGE), ...extra,
  }),
  express: (scope: Construct, extra: Partial<McpExpressServiceProps> = {}) => new McpExpressService(scope, 'Mcp', {
    image: ecs.ContainerImage.fromRegistry(REGISTRY_IMAGE), ...extra,
  }),
  appRunner: (scope: Construct, extra: Partial<McpAppRunnerServiceProps> = {}) => new McpAppRunnerService(scope, 'Mcp', {
    image: McpAppRunnerImage.fromEcrPublic(REGISTRY_IMAGE), ...extra,
  }),
};
