import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { IMcpService } from '../../src';
import { parseStackOutputKey, STACK_OUTPUT_SUFFIXES } from '../../src/contract/stack-outputs';
import { testStack } from '../support/kit';
import { minimalService } from '../support/service-kinds';

type Outputs = Record<string, { Value: unknown; Description?: string; Export?: unknown }>;

/** Each service kind, built with id `Mcp` or the id given, and the props a test adds. */
const kinds: Array<[string, (stack: Stack, extra?: { stackOutputs?: boolean }) => IMcpService]> = [
  ['McpLambdaService', (stack, extra) => minimalService.lambda(stack, extra)],
  ['McpWebFunctionService', (stack, extra) => minimalService.webFunction(stack, extra)],
  ['McpFargateService', (stack, extra) => minimalService.fargate(stack, extra)],
  ['McpExpressService', (stack, extra) => minimalService.express(stack, extra)],
  ['McpAppRunnerService', (stack, extra) => minimalService.appRunner(stack, extra)],
];

function outputsOf(stack: Stack): Outputs {
  return Template.fromStack(stack).toJSON().Outputs ?? {};
}

/** The outputs by the suffix the contract's parser finds in their keys, with the prefix it finds. */
function bySuffix(outputs: Outputs): Record<string, { prefix: string; value: unknown; description?: string }> {
  const found: Record<string, { prefix: string; value: unknown; description?: string }> = {};
  for (const [key, output] of Object.entries(outputs)) {
    const parsed = parseStackOutputKey(key);
    if (parsed) {
      found[parsed.suffix] = { prefix: parsed.prefix, value: output.Value, description: output.Description };
    }
  }
  return found;
}

describe.each(kinds)('%s: stack outputs', (_name, make) => {
  test('by default it writes the MCP URL, the service name and the health alarm, with keys the contract parses', () => {
    // GIVEN a service at defaults
    const stack = testStack();
    const service = make(stack);
    // THEN three outputs, each key parsed by the CLI's parser to the service's id and one suffix
    const outputs = outputsOf(stack);
    expect(Object.keys(outputs)).toHaveLength(3);
    const found = bySuffix(outputs);
    expect(Object.keys(found).sort()).toEqual(Object.values(STACK_OUTPUT_SUFFIXES).sort());
    for (const output of Object.values(found)) {
      expect(output.prefix).toBe('Mcp');
      expect(output.description).toMatch(/Stack\/Mcp$/);
    }
    // AND the values are the service's URL, its monitoring's service name and its health alarm's name
    expect(found[STACK_OUTPUT_SUFFIXES.URL].value).toEqual(stack.resolve(service.url));
    expect(found[STACK_OUTPUT_SUFFIXES.SERVICE_NAME].value).toEqual(stack.resolve(service.monitoring.serviceName));
    expect(found[STACK_OUTPUT_SUFFIXES.HEALTH_ALARM].value).toEqual(stack.resolve(service.healthAlarm.alarmName));
    // AND none is exported (no cross-stack coupling a user did not ask for)
    expect(Object.values(outputs).filter((o) => o.Export !== undefined)).toEqual([]);
  });

  test('stackOutputs: false writes none', () => {
    const stack = testStack();
    make(stack, { stackOutputs: false });
    expect(outputsOf(stack)).toEqual({});
  });
});

test('two services in one stack write distinct outputs, told apart by their construct ids', () => {
  // GIVEN two services in one stack, both with the construct id `Mcp`, one under another scope
  const stack = testStack();
  const a = minimalService.lambda(stack, { serviceName: 'orders-mcp' });
  const c = minimalService.webFunction(new Construct(stack, 'Billing'), { serviceName: 'billing-mcp' });
  // THEN six outputs in this stack, two prefixes, each with its own service name and URL
  const outputs = outputsOf(stack);
  expect(Object.keys(outputs)).toHaveLength(6);
  const prefixes = new Map<string, Record<string, unknown>>();
  for (const [key, output] of Object.entries(outputs)) {
    const parsed = parseStackOutputKey(key)!;
    expect(parsed).toBeDefined();
    prefixes.set(parsed.prefix, { ...prefixes.get(parsed.prefix), [parsed.suffix]: output.Value });
  }
  expect([...prefixes.keys()].sort()).toEqual(['BillingMcp', 'Mcp']);
  expect(prefixes.get('Mcp')![STACK_OUTPUT_SUFFIXES.SERVICE_NAME]).toBe('orders-mcp');
  expect(prefixes.get('BillingMcp')![STACK_OUTPUT_SUFFIXES.SERVICE_NAME]).toBe('billing-mcp');
  expect(prefixes.get('Mcp')![STACK_OUTPUT_SUFFIXES.URL]).toEqual(stack.resolve(a.url));
  expect(prefixes.get('BillingMcp')![STACK_OUTPUT_SUFFIXES.URL]).toEqual(stack.resolve(c.url));
});
