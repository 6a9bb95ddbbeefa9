/**
 * The stack outputs a deployed MCP service is found by: the constructs write one output per fact
 * and service, its key the service's prefix followed by one of these suffixes, and `mcp-probe
 * status|maintenance|canary --stack <name>` reads them back with CloudFormation DescribeStacks.
 *
 * Internal: not exported from the package's public API. No aws-cdk-lib imports (bundled into
 * the CLI).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 */
export const STACK_OUTPUT_SUFFIXES = {
  /** The service name the operator commands take (the `ServiceName` of the probe metrics). */
  SERVICE_NAME: 'McpServiceName',
  /** The MCP endpoint URL clients use. */
  URL: 'McpUrl',
  /** The name of the service's health (composite) alarm. */
  HEALTH_ALARM: 'McpHealthAlarm',
} as const;

/** One of {@link STACK_OUTPUT_SUFFIXES}. */
export type StackOutputSuffix = typeof STACK_OUTPUT_SUFFIXES[keyof typeof STACK_OUTPUT_SUFFIXES];

/**
 * Splits an output key into the service prefix and the suffix it ends with, or undefined when it
 * is not one of a service's outputs. A CloudFormation output's logical id may carry the 8
 * hexadecimal digits of the hash CDK appends to ids of nested constructs; they are ignored.
 */
export function parseStackOutputKey(key: string): { readonly prefix: string; readonly suffix: StackOutputSuffix } | undefined {
  const suffixes = Object.values(STACK_OUTPUT_SUFFIXES).join('|');
  const match = new RegExp(`^(.*?)(${suffixes})(?:[0-9A-F]{8})?$`).exec(key);
  return match ? { prefix: match[1], suffix: match[2] as StackOutputSuffix } : undefined;
}
