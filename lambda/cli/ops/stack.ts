/**
 * `--stack <name>`: finds a service from its CloudFormation stack's outputs (see
 * src/contract/stack-outputs), so an operator needs only the stack name `cdk deploy` printed.
 */
import { DescribeStacksCommand, type CloudFormationClient, type Output } from '@aws-sdk/client-cloudformation';
import { awsCall } from './aws';
import { parseStackOutputKey, STACK_OUTPUT_SUFFIXES } from '../../../src/contract/stack-outputs';

/** A service a stack's outputs describe. */
export interface StackService {
  /** The prefix of its output keys (the part before the suffix). */
  readonly prefix: string;
  /** The service name the operator commands take. */
  readonly serviceName: string;
  /** The MCP endpoint URL. @default - no such output */
  readonly url?: string;
  /** The health alarm's name. @default - no such output */
  readonly healthAlarm?: string;
}

/** The stack has no MCP service, or several and none was chosen. */
export class StackServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackServiceError';
  }
}

/** The services a stack's outputs describe, in output order; a service is there when its name output is. Pure. */
export function servicesOfOutputs(outputs: readonly Output[]): StackService[] {
  const byPrefix = new Map<string, { serviceName?: string; url?: string; healthAlarm?: string }>();
  for (const output of outputs) {
    const parsed = parseStackOutputKey(output.OutputKey ?? '');
    if (!parsed || output.OutputValue === undefined) continue;
    const entry = byPrefix.get(parsed.prefix) ?? {};
    if (parsed.suffix === STACK_OUTPUT_SUFFIXES.SERVICE_NAME) entry.serviceName = output.OutputValue;
    if (parsed.suffix === STACK_OUTPUT_SUFFIXES.URL) entry.url = output.OutputValue;
    if (parsed.suffix === STACK_OUTPUT_SUFFIXES.HEALTH_ALARM) entry.healthAlarm = output.OutputValue;
    byPrefix.set(parsed.prefix, entry);
  }
  return [...byPrefix.entries()]
    .filter(([, e]) => e.serviceName !== undefined)
    .map(([prefix, e]) => ({
      prefix,
      serviceName: e.serviceName!,
      ...(e.url ? { url: e.url } : {}),
      ...(e.healthAlarm ? { healthAlarm: e.healthAlarm } : {}),
    }));
}

/**
 * The service of a stack: the only one, or the one `service` names (by service name or output prefix).
 *
 * @throws StackServiceError when the stack has none, or several and `service` names none of them
 * @throws AwsCallError when DescribeStacks fails (a missing stack included)
 */
export async function findStackService(cloudformation: CloudFormationClient, stack: string, service?: string): Promise<StackService> {
  const out = await awsCall('cloudformation:DescribeStacks', () => cloudformation.send(new DescribeStacksCommand({ StackName: stack })));
  const services = servicesOfOutputs(out.Stacks?.[0]?.Outputs ?? []);
  const list = services.map((s) => `${s.serviceName}${s.url ? ` (${s.url})` : ''}`).join(', ');
  if (services.length === 0) {
    throw new StackServiceError(`the stack ${stack} has no MCP service output (no output key ends with ${STACK_OUTPUT_SUFFIXES.SERVICE_NAME}): `
      + 'check the stack name and --region, and that it was deployed with a cdk-mcp version that writes stack outputs, or give the service name instead of --stack');
  }
  if (service !== undefined) {
    const chosen = services.find((s) => s.serviceName === service || s.prefix === service);
    if (!chosen) throw new StackServiceError(`the stack ${stack} has no MCP service ${JSON.stringify(service)} (--service); it has ${list}`);
    return chosen;
  }
  if (services.length > 1) {
    throw new StackServiceError(`the stack ${stack} has ${services.length} MCP services: ${list}; choose one with --service <name>`);
  }
  return services[0];
}
