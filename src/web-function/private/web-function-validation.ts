import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { checkCloudFrontFrontDoor, wantsCloudFrontFrontDoor } from '../../front-door/private/cloudfront-front-door';
import { checkEnvironmentSize } from '../../private/limits';
import { checkSecretArnProps } from '../../private/secret-names';
import { ValidationErrors } from '../../private/validation';
import { McpWebFunctionAuth, type McpWebFunctionServiceProps } from '../web-function-service-props';

/**
 * The `rateLimit` values the API accepts: 0, 100..1000 by 100, 2000..10000 by 1000
 * (Lambda Web API model, botocore 1.43.107 `lambda-web/2025-03-07` ThrottleConfig; CFN adds
 * "Supported values can vary by Region").
 */
const RATE_LIMITS: readonly number[] = [
  0,
  ...Array.from({ length: 10 }, (_, i) => (i + 1) * 100),
  ...Array.from({ length: 9 }, (_, i) => (i + 2) * 1000),
];

export function validateWebFunctionServiceProps(
  scope: IConstruct,
  props: McpWebFunctionServiceProps,
  resolved: { mcpPath: string; auth: McpWebFunctionAuth; endpointType: lambda.WebFunctionEndpointType },
): void {
  const errors = new ValidationErrors('McpWebFunctionService', scope);
  // Ranges: Lambda Web API model ServiceConfig / EndpointConfig (see LAMBDA-WEB-FUNCTIONS.md §2).
  errors.durationInRange('timeout', props.timeout, Duration.seconds(3), Duration.seconds(900), { wholeSeconds: true });
  errors.integerInRange('maxConcurrencyPerEnvironment', props.maxConcurrencyPerEnvironment, 1, 128);
  errors.integerInRange('maxEnvironments', props.maxEnvironments, 2, 10000);
  const rate = props.rateLimit;
  if (rate !== undefined && !Token.isUnresolved(rate)) {
    errors.check(
      'cdk-mcp:rateLimitValue',
      RATE_LIMITS.includes(rate),
      `rateLimit must be 0, 100 to 1000 in steps of 100, or 2000 to 10000 in steps of 1000 (got ${rate}). Use the nearest of those, e.g. ${nearestRate(rate)}.`,
    );
  }
  errors.path('mcpPath', resolved.mcpPath);

  // "Keys beginning AWS_LAMBDA_ are reserved and rejected" (AWS skill references/deployment.md@6837e08).
  for (const name of Object.keys(props.environment ?? {})) {
    errors.check(
      'cdk-mcp:webFunctionReservedPrefix',
      Token.isUnresolved(name) || !name.startsWith('AWS_LAMBDA_'),
      `environment must not set ${name}: names starting with AWS_LAMBDA_ are reserved by Web Functions (the entry file comes from McpWebFunctionCode). Rename the variable.`,
    );
  }
  errors.environmentNames('environment', props.environment);
  checkSecretArnProps(errors, props, props.environment);
  // 4 KB is the Lambda (Event Functions) limit; the Web Functions limit is UNCONFIRMED (a revision over it would fail at deploy anyway).
  checkEnvironmentSize(errors, 'environment', props.environment ?? {}, 'Move large values to S3, SSM Parameter Store or secrets.');

  const homeRegion = resolved.endpointType === lambda.WebFunctionEndpointType.HOME_REGION;
  // "A function with a connector can only be served by home-Region endpoints" (aws-cdk-lib README, VPC Access).
  errors.check(
    'cdk-mcp:egressConnectorEndpointLocation',
    props.egressNetworkConnector === undefined || homeRegion,
    `egressNetworkConnector needs a home-Region endpoint (got endpointLocation ${resolved.endpointType}): Web Functions egress into a VPC only from the home Region. Remove one of them.`,
  );
  const description = props.description;
  errors.check(
    'cdk-mcp:descriptionLength',
    description === undefined || Token.isUnresolved(description) || description.length <= 256,
    `description must be at most 256 characters (got ${description?.length}): shorten it.`,
  );

  checkCloudFrontFrontDoor(errors, scope, props);
  // CloudFront's origin access control signs for an IamAuth endpoint only; a public endpoint
  // behind it would let clients bypass the distribution and its web ACL.
  errors.check(
    'cdk-mcp:webFunctionFrontDoorAuth',
    !wantsCloudFrontFrontDoor(props) || props.auth !== McpWebFunctionAuth.APPLICATION_MANAGED,
    `auth is APPLICATION_MANAGED with ${props.domainName !== undefined ? `domainName ${props.domainName}` : 'webAcl'}: the endpoint would stay public, so clients could bypass `
      + 'the CloudFront front door and its web ACL. Remove auth (the endpoint is then IAM and only the distribution may call it; the viewer\'s Authorization still '
      + 'reaches the server), or remove domainName and webAcl.',
  );
  errors.throwIfAny();
}

function nearestRate(rate: number): number {
  return RATE_LIMITS.reduce((best, r) => (Math.abs(r - rate) < Math.abs(best - rate) ? r : best), 0);
}
