import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { functionUrlUnavailable } from './lambda-regions';
import { checkSecretArnProps } from '../../private/secret-names';
import { checkPortEnvironment } from '../../private/server-start';
import { ValidationErrors } from '../../private/validation';
import type { McpLambdaServiceProps } from '../lambda-service-props';

/** Environment variables the construct owns; setting them in `environment` is an error. */
const RESERVED_ENVIRONMENT: { [name: string]: string } = {
  AWS_LAMBDA_EXEC_WRAPPER: 'it is set to the Lambda Web Adapter wrapper',
  AWS_LWA_PORT: 'use the port prop',
  PORT: 'use the port prop',
  AWS_LWA_READINESS_CHECK_PATH: 'use the readinessCheckPath prop',
  AWS_LWA_READINESS_CHECK_PROTOCOL: 'the readiness check is always an HTTP GET of readinessCheckPath',
  AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: 'the readiness check counts only 2xx answers of readinessCheckPath as ready',
  AWS_LWA_INVOKE_MODE: 'use the invokeMode prop; it is kept in step with the Function URL',
};

export function validateLambdaServiceProps(
  scope: IConstruct,
  props: McpLambdaServiceProps,
  resolved: { port: number; mcpPath: string; readinessCheckPath: string },
): void {
  const errors = new ValidationErrors('McpLambdaService', scope);
  errors.integerInRange('memorySize', props.memorySize, 128, 10240, 'MiB');
  // Lambda's timeout is a whole number of seconds, at most 900.
  errors.durationInRange('timeout', props.timeout, Duration.seconds(1), Duration.minutes(15), { wholeSeconds: true });
  errors.integerInRange('port', resolved.port, 1, 65535);
  errors.check(
    'cdk-mcp:lambdaRuntimeApiPort',
    Token.isUnresolved(resolved.port) || resolved.port !== 9001,
    'port must not be 9001 (got 9001): the Lambda Runtime API listens there. Use the default 8080.',
  );
  errors.path('mcpPath', resolved.mcpPath);
  errors.path('readinessCheckPath', resolved.readinessCheckPath);
  errors.notMcpPath('readinessCheckPath', resolved.readinessCheckPath, resolved.mcpPath,
    'which the Web Adapter never counts as ready (only a 2xx answer is, AWS_LWA_READINESS_CHECK_HEALTHY_STATUS=200-299)');
  errors.integerInRange('provisionedConcurrency', props.provisionedConcurrency, 1, Number.MAX_SAFE_INTEGER);
  errors.integerInRange('reservedConcurrency', props.reservedConcurrency, 1, Number.MAX_SAFE_INTEGER);
  if (props.provisionedConcurrency !== undefined && props.reservedConcurrency !== undefined) {
    errors.notAbove('provisionedConcurrency', props.provisionedConcurrency, 'reservedConcurrency', props.reservedConcurrency, 'Lambda rejects it at deploy');
  }
  errors.environmentNames('environment', props.environment, RESERVED_ENVIRONMENT);
  checkSecretArnProps(errors, props, props.environment);
  for (const origin of props.corsAllowedOrigins ?? []) {
    errors.check(
      'cdk-mcp:corsOriginFormat',
      Token.isUnresolved(origin) || origin === '*' || /^https?:\/\/[^/]+$/.test(origin),
      `corsAllowedOrigins entry "${origin}" is not an origin: use scheme://host[:port] with no path (e.g. https://app.example.com), or '*'.`,
    );
  }
  errors.check(
    'cdk-mcp:streamingInVpc',
    !(props.vpc && props.invokeMode === lambda.InvokeMode.RESPONSE_STREAM),
    'invokeMode is RESPONSE_STREAM with a vpc: AWS says "Lambda function URLs do not support response streaming within a VPC environment" '
      + '(https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html#config-rs-vpc-compatibility). '
      + 'Remove invokeMode (in a VPC the default is BUFFERED), or run the function outside the VPC.',
  );
  const region = Stack.of(scope).region;
  errors.check(
    'cdk-mcp:functionUrlRegion',
    Token.isUnresolved(region) || !functionUrlUnavailable(region),
    `the stack's region ${region} has no Lambda Function URLs (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html), `
      + 'which McpLambdaService serves MCP from. In this region use McpFargateService (an Application Load Balancer in front of Fargate tasks), '
      + 'or deploy this stack to a region with Function URLs.',
  );
  checkPortEnvironment(errors, props.environment, 'port', resolved.port);
  errors.throwIfAny();
}
