import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { API_GATEWAY } from './api-gateway-front-door';
import { functionUrlUnavailable } from './lambda-regions';
import { checkDomainOptions } from '../../front-door/private/domain-checks';
import { McpWebAcl } from '../../front-door/web-acl';
import { McpWebAclScope } from '../../front-door/web-acl-props';
import { checkSecretArnProps } from '../../private/secret-names';
import { checkPortEnvironment } from '../../private/server-start';
import { ValidationErrors } from '../../private/validation';
import { McpFunctionUrlAuth, type McpLambdaServiceProps } from '../lambda-service-props';

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
  validateFrontDoor(errors, scope, props);
  errors.throwIfAny();
}

/** Whether the service builds its API Gateway front door: a custom domain or a web ACL. */
export function hasFrontDoor(props: McpLambdaServiceProps): boolean {
  return props.domainName !== undefined || props.webAcl !== undefined;
}

/** The rules of the API Gateway front door (`domainName`, `webAcl` and what they rule out). */
function validateFrontDoor(errors: ValidationErrors, scope: IConstruct, props: McpLambdaServiceProps): void {
  checkDomainOptions(errors, props, { defaultHost: 'the Function URL', dnsTarget: 'the API Gateway custom domain\'s regional domain name' });
  if (!hasFrontDoor(props)) {
    return;
  }
  errors.check(
    'cdk-mcp:publicOriginBehindFrontDoor',
    props.auth !== McpFunctionUrlAuth.NONE,
    'auth is NONE with a front door (domainName or webAcl): the public Function URL would let any client go around the domain and the web ACL. '
      + 'Remove auth (the Function URL stays AWS_IAM, the origin only the canary reaches with SigV4); the front door passes Authorization through to the server.',
  );
  errors.check(
    'cdk-mcp:corsBehindFrontDoor',
    props.corsAllowedOrigins === undefined,
    `corsAllowedOrigins is set (got ${JSON.stringify(props.corsAllowedOrigins)}) with a front door (domainName or webAcl): it configures the Function URL's CORS, `
      + 'which API Gateway\'s proxy integration does not apply. Remove corsAllowedOrigins and have the server answer CORS itself (OPTIONS and the Access-Control-* headers reach it).',
  );
  const webAcl = props.webAcl;
  const webAclScope = webAcl instanceof McpWebAcl
    ? webAcl.webAclScope
    : webAcl !== undefined && !Token.isUnresolved(webAcl.webAclArn) && webAcl.webAclArn.includes(':global/webacl/') ? McpWebAclScope.CLOUDFRONT : undefined;
  errors.check(
    'cdk-mcp:frontDoorWebAclScope',
    webAclScope !== McpWebAclScope.CLOUDFRONT,
    'webAcl has scope CLOUDFRONT, but McpLambdaService puts it on an API Gateway REST API stage, which takes a REGIONAL web ACL in the stack\'s region. '
      + 'Create the McpWebAcl with scope McpWebAclScope.REGIONAL (the default) in this stack, or pass the ARN of a regional web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/...).',
  );
  const region = Stack.of(scope).region;
  const certificateArn = props.certificate?.certificateArn;
  const certificateRegion = certificateArn !== undefined && !Token.isUnresolved(certificateArn) ? /^arn:[\w-]+:acm:([a-z0-9-]+):/.exec(certificateArn)?.[1] : undefined;
  if (certificateRegion !== undefined && !Token.isUnresolved(region)) {
    errors.check(
      'cdk-mcp:frontDoorCertificateRegion',
      certificateRegion === region,
      `certificate ${certificateArn} is in ${certificateRegion}, but the API Gateway custom domain is REGIONAL and takes a certificate of the stack's region ${region} `
        + '(https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html). '
        + `Request or import a certificate for ${props.domainName} in ${region}, or give domainZone and no certificate (one is created there).`,
    );
  } else if (certificateRegion !== undefined) {
    Annotations.of(scope).addWarningV2(
      'cdk-mcp:frontDoorCertificateRegionUnknown',
      `certificate is in ${certificateRegion}, and the stack has no region to compare: the API Gateway custom domain is REGIONAL and needs a certificate of the Region `
        + 'it is deployed to. Give the stack env.region, or deploy it only to that Region.',
    );
  }
  const invokeMode = props.invokeMode ?? (props.vpc ? lambda.InvokeMode.BUFFERED : lambda.InvokeMode.RESPONSE_STREAM);
  const timeout = props.timeout ?? Duration.minutes(5);
  if (invokeMode === lambda.InvokeMode.BUFFERED && !timeout.isUnresolved() && timeout.toSeconds() > API_GATEWAY.bufferedTimeout.toSeconds()) {
    Annotations.of(scope).addWarningV2(
      'cdk-mcp:bufferedFrontDoorTimeout',
      `invokeMode is BUFFERED${props.vpc ? ' (the default in a VPC)' : ''} behind the API Gateway front door, whose buffered integrations end at 29 seconds, `
        + `but timeout is ${timeout.toHumanString()}: longer requests get 504 "Endpoint request timed out" while the function runs on. `
        + 'Keep tool calls under 29 seconds, or run the function outside a VPC with invokeMode RESPONSE_STREAM (streamed, up to 15 minutes).',
    );
  }
}
