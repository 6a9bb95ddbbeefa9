/**
 * `--stack <name>`: the operator commands find a service from its CloudFormation stack's outputs,
 * read with the real CloudFormation client (AWS query protocol) from the loopback fake.
 */
import type { FakeAws } from './fake-aws';
import { runCli, useFakeAws } from './support';
import { servicesOfOutputs } from '../../lambda/cli/ops/stack';
import { STACK_OUTPUT_SUFFIXES } from '../../src/contract/stack-outputs';

const fakeAws = useFakeAws();
let fake: FakeAws;
beforeEach(() => {
  fake = fakeAws();
  fake.compositeAlarms = ['orders-svc', 'payments-svc'].map((service) => ({
    AlarmName: `${service}-ServiceHealth`,
    AlarmDescription: `MCP service ${service} is unhealthy: at least one of its alarms is in ALARM.`,
    AlarmRule: 'FALSE',
    StateValue: 'OK',
    StateUpdatedTimestamp: Math.floor(Date.now() / 1000) - 60,
  }));
});

/** The outputs a stack with one service per prefix has. */
function outputs(...prefixes: string[]) {
  return prefixes.flatMap((prefix) => {
    const name = `${prefix.toLowerCase()}-svc`;
    return [
      { OutputKey: `${prefix}${STACK_OUTPUT_SUFFIXES.SERVICE_NAME}`, OutputValue: name },
      { OutputKey: `${prefix}${STACK_OUTPUT_SUFFIXES.URL}`, OutputValue: `https://${name}.example.com/mcp` },
      { OutputKey: `${prefix}${STACK_OUTPUT_SUFFIXES.HEALTH_ALARM}`, OutputValue: `${name}-ServiceHealth` },
    ];
  });
}

test('status --stack finds the only service of the stack from its outputs', async () => {
  fake.stacks = [{ StackName: 'OrdersStack', Outputs: [{ OutputKey: 'Other', OutputValue: 'x' }, ...outputs('Orders')] }];
  const run = await runCli(fake.endpoint, ['status', '--stack', 'OrdersStack']);
  expect(run.stderr).toBe('(service orders-svc of the stack OrdersStack, MCP URL https://orders-svc.example.com/mcp)\n');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^MCP service orders-svc: HEALTHY/);
  const describe = fake.requests.filter((r) => r.service === 'cloudformation');
  expect(describe.map((r) => r.input)).toEqual([expect.objectContaining({ Action: 'DescribeStacks', StackName: 'OrdersStack' })]);
});

test('a stack with several services lists them and asks for --service, which then chooses', async () => {
  fake.stacks = [{ StackName: 'Shop', Outputs: outputs('Orders', 'Payments') }];
  const ambiguous = await runCli(fake.endpoint, ['status', '--stack', 'Shop']);
  expect(ambiguous).toMatchObject({ code: 2, stdout: '' });
  expect(ambiguous.stderr).toBe('mcp-probe status: the stack Shop has 2 MCP services: orders-svc (https://orders-svc.example.com/mcp), '
    + 'payments-svc (https://payments-svc.example.com/mcp); choose one with --service <name>\n');
  const chosen = await runCli(fake.endpoint, ['status', '--stack', 'Shop', '--service', 'payments-svc', '--json']);
  expect(chosen.code).toBe(0);
  expect(JSON.parse(chosen.stdout)).toMatchObject({ service: 'payments-svc', healthy: true });
  const unknown = await runCli(fake.endpoint, ['status', '--stack', 'Shop', '--service', 'billing']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/the stack Shop has no MCP service "billing" \(--service\); it has orders-svc/);
});

test('the other commands take --stack too', async () => {
  fake.stacks = [{ StackName: 'OrdersStack', Outputs: outputs('Orders') }];
  const run = await runCli(fake.endpoint, ['maintenance', 'status', '--stack', 'OrdersStack', '--json']);
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout)).toMatchObject({ service: 'orders-svc', open: false });
});

test('a missing stack, and a stack without MCP outputs, exit 2 with what to check', async () => {
  fake.stacks = [{ StackName: 'Plain', Outputs: [{ OutputKey: 'BucketName', OutputValue: 'b' }] }];
  const missing = await runCli(fake.endpoint, ['status', '--stack', 'Nope']);
  expect(missing).toMatchObject({ code: 2, stdout: '' });
  expect(missing.stderr).toMatch(/^mcp-probe status: cloudformation:DescribeStacks failed: ValidationError: Stack with id Nope does not exist/);
  const plain = await runCli(fake.endpoint, ['status', '--stack', 'Plain']);
  expect(plain.code).toBe(2);
  expect(plain.stderr).toMatch(/the stack Plain has no MCP service output \(no output key ends with McpServiceName\): check the stack name and --region/);
});

test.each([
  [['status', 'orders-svc', '--stack', 'S'], /give the service as <service> or find it with --stack S, not both/],
  [['status', 'orders-svc', '--service', 'x'], /--service chooses among the services of a stack: give it with --stack <name>/],
  [['status'], /missing <service>: .* or --stack <name> to find it from its stack/],
])('%j is a usage error', async (argv, message) => {
  const run = await runCli(fake.endpoint, argv);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(fake.requests).toEqual([]);
});

test('output keys are matched by suffix, with or without the hash CDK appends to nested ids', () => {
  expect(servicesOfOutputs([
    { OutputKey: 'ApiMcpServiceNameA1B2C3D4', OutputValue: 'api' },
    { OutputKey: 'ApiMcpUrl0F0F0F0F', OutputValue: 'https://api/mcp' },
    { OutputKey: 'McpServiceName', OutputValue: 'root' },
    { OutputKey: 'McpServiceNameSuffixed', OutputValue: 'not a service' },
    { OutputKey: 'OnlyUrlMcpUrl', OutputValue: 'https://orphan/mcp' },
  ])).toEqual([
    { prefix: 'Api', serviceName: 'api', url: 'https://api/mcp' },
    { prefix: '', serviceName: 'root' },
  ]);
});
