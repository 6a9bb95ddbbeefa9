/**
 * Where Lambda Function URLs exist. `McpLambdaService` serves MCP from a Function URL, so a stack
 * with a concrete region outside this list fails at synth with a way that works there.
 */

/**
 * Regions without `AWS::Lambda::Url`, from two sources (their union):
 * - AWS: "Function URLs are not supported in the following AWS Regions: ap-south-2,
 *   ap-southeast-4, ap-southeast-5, ap-southeast-6, ap-southeast-7, ap-east-2, ca-west-1,
 *   eu-south-2, eu-central-2, il-central-1, me-central-1"
 *   (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html, the Note)
 * - aws-cdk-lib 2.276.0's built-in template validator (@aws/cloudformation-validate 1.14.0, its
 *   per-region resource schemas), which also reports AWS::Lambda::Url missing in mx-central-1,
 *   cn-northwest-1, us-gov-west-1 and us-gov-east-1.
 */
export const FUNCTION_URL_UNAVAILABLE_REGIONS: readonly string[] = [
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'mx-central-1',
  'cn-northwest-1',
  'us-gov-west-1',
  'us-gov-east-1',
];

/** Whether a concrete region lacks Function URLs. */
export function functionUrlUnavailable(region: string): boolean {
  return FUNCTION_URL_UNAVAILABLE_REGIONS.includes(region);
}
