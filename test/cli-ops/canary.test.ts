/**
 * `mcp-probe canary <service>` with the real Lambda client against the loopback fake (REST-JSON):
 * the canary found across ListFunctions pages, invoked synchronously with the log tail, and its
 * probe result printed exactly as a local probe prints it. The fake canary answers with the real
 * EMF record of a real probe of an MCP server on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { lambdaError, type FakeAws, type FakeFunction } from './fake-aws';
import { runCli, useFakeAws } from './support';
import { parseCanaryConfig } from '../../lambda/canary/config';
import { buildEmfRecord } from '../../lambda/canary/emf';
import { formatHuman } from '../../lambda/cli/format';
import { probeResultOfRecord } from '../../lambda/cli/ops/canary';
import { probe, type ProbeResult } from '../../lambda/probe';
import type { TestServer } from '../probe/fixtures/http-server';
import { startSdk2 } from '../probe/fixtures/sdk-servers';

const fakeAws = useFakeAws();
let fake: FakeAws;
let server: TestServer;
let passing: ProbeResult;
let failing: ProbeResult;

beforeAll(async () => {
  server = await startSdk2('stateless');
  passing = await probe({ url: server.url, timeoutMs: 5_000 });
  failing = await probe({ url: server.url, timeoutMs: 5_000, expectTools: ['missing_tool'] });
  expect(passing.ok).toBe(true);
  expect(failing.failureClass).toBe('MISSING_TOOLS');
});
afterAll(() => server.close());
beforeEach(() => {
  fake = fakeAws();
});

/** A canary function answering with the EMF record the real handler builds for `result`. */
function canary(name: string, service: string, result: ProbeResult): FakeFunction {
  const config = parseCanaryConfig({ MCP_CANARY_URL: server.url, MCP_CANARY_SERVICE_NAME: service, MCP_CANARY_METRIC_NAMESPACE: 'MCP', MCP_CANARY_DEADLINE_MS: '5000' });
  return {
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    Environment: { Variables: { MCP_CANARY_SERVICE_NAME: service, MCP_CANARY_URL: server.url } },
    invoke: () => ({ payload: buildEmfRecord(config, result, Date.now()) }),
  };
}

function functions(...canaries: FakeFunction[]): void {
  fake.functions = [
    { FunctionName: 'unrelated', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:unrelated', Environment: { Variables: { A: 'b' } } },
    { FunctionName: 'no-env', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:no-env' },
    ...canaries,
  ];
  fake.pageSize.listFunctions = 2;
}

test('finds the canary over ListFunctions pages, invokes it, and prints exactly what a local probe prints', async () => {
  functions(canary('payments-canary', 'payments', failing), canary('orders-canary', 'orders', passing));
  const human = await runCli(fake.endpoint, ['canary', 'orders']);
  expect(human.code).toBe(0);
  expect(human.stdout).toBe(formatHuman(server.url, passing));
  expect(human.stderr).toBe('(probed by the canary function orders-canary)\n');

  const json = await runCli(fake.endpoint, ['canary', 'orders', '--json']);
  expect(json).toEqual({ code: 0, stdout: `${JSON.stringify(passing)}\n`, stderr: '' });

  const lists = fake.requests.filter((r) => r.operation.startsWith('GET'));
  expect(lists.map((r) => new URL(r.url, 'http://x').searchParams.get('Marker'))).toEqual([null, '2', null, '2']);
  expect(lists[0].url).toBe('/2015-03-31/functions?MaxItems=50');
  const invoke = fake.requests.find((r) => r.operation.startsWith('POST'))!;
  expect(invoke.operation).toBe('POST /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders-canary/invocations');
  expect(invoke.headers).toMatchObject({ 'x-amz-invocation-type': 'RequestResponse', 'x-amz-log-type': 'Tail' });
  expect(invoke.headers.authorization).toMatch(/Credential=AKIDFAKEFAKEFAKE\/\d{8}\/us-east-1\/lambda\/aws4_request/);
  expect(invoke.body).toBe('{}');
});

test('a failing canary probe exits 1 with the local probe\'s FAIL output', async () => {
  functions(canary('payments-canary', 'payments', failing));
  const run = await runCli(fake.endpoint, ['canary', 'payments']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe(formatHuman(server.url, failing));
  expect(run.stdout).toMatch(/^FAIL MISSING_TOOLS \(tools layer/m);
  const json = await runCli(fake.endpoint, ['canary', 'payments', '--json']);
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(failing)));
});

test('the EMF record maps back to the probe result, key order included', () => {
  const config = parseCanaryConfig({ MCP_CANARY_URL: `${server.url}?key=secret1234`, MCP_CANARY_SERVICE_NAME: 's', MCP_CANARY_METRIC_NAMESPACE: 'MCP', MCP_CANARY_DEADLINE_MS: '5000' });
  const run = probeResultOfRecord(buildEmfRecord(config, passing, 0));
  expect(JSON.stringify(run!.result)).toBe(JSON.stringify(passing));
  expect(run!.target).toBe(`${server.url}?[QUERY]`);
  expect(formatHuman(run!.target, run!.result).split('\n')[0]).toBe(`mcp-probe ${server.url}?…`);
  expect(probeResultOfRecord({ probe: { ok: 'yes' } })).toBeUndefined();
  expect(probeResultOfRecord(null)).toBeUndefined();
});

test('no canary for the service: exit 2, listing the services that have one', async () => {
  functions(canary('payments-canary', 'payments', failing), canary('orders-canary', 'orders', passing));
  const run = await runCli(fake.endpoint, ['canary', 'order']);
  expect(run).toEqual({ code: 2, stdout: '', stderr: 'mcp-probe canary: no MCP canary for a service named "order"; found 2: orders, payments\n' });
  functions();
  expect((await runCli(fake.endpoint, ['canary', 'orders'])).stderr).toMatch(/no MCP canary function found \(no function has MCP_CANARY_SERVICE_NAME/);
});

test('two canaries for one service: exit 2 naming them; --function picks one without listing', async () => {
  functions(canary('a-canary', 'orders', passing), canary('b-canary', 'orders', failing));
  const ambiguous = await runCli(fake.endpoint, ['canary', 'orders']);
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.stderr).toMatch(/2 canary functions probe "orders": a-canary, b-canary; name one with --function/);
  fake.requests.length = 0;
  const picked = await runCli(fake.endpoint, ['canary', 'orders', '--function', 'b-canary']);
  expect(picked.code).toBe(1);
  expect(fake.requests.map((r) => r.operation)).toEqual(['POST /2015-03-31/functions/b-canary/invocations']);
});

test('the canary function fails (configuration error): exit 2 with its message and log tail', async () => {
  functions({
    ...canary('orders-canary', 'orders', passing),
    invoke: () => ({
      functionError: 'Unhandled',
      payload: { errorType: 'CanaryConfigError', errorMessage: 'Invalid MCP canary configuration:\n- MCP_CANARY_URL is not set' },
      log: 'START RequestId: 1\nERROR Invalid MCP canary configuration\nEND RequestId: 1\nREPORT RequestId: 1 Duration: 3 ms',
    }),
  });
  const run = await runCli(fake.endpoint, ['canary', 'orders']);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe('mcp-probe canary: the canary function orders-canary failed (Unhandled): CanaryConfigError: Invalid MCP canary configuration: - MCP_CANARY_URL is not set; '
    + 'log tail: ERROR Invalid MCP canary configuration | END RequestId: 1 | REPORT RequestId: 1 Duration: 3 ms\n');
});

test('a payload without a probe result: exit 2', async () => {
  functions({ ...canary('orders-canary', 'orders', passing), invoke: () => ({ payload: { hello: 'world' } }) });
  const run = await runCli(fake.endpoint, ['canary', 'orders']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/returned no probe result .*\{"hello":"world"\}/);
});

test('Lambda errors: AccessDenied on Invoke, ExpiredToken on ListFunctions, TooManyRequests retried', async () => {
  functions(canary('orders-canary', 'orders', passing));
  fake.script.set('Invoke', [lambdaError(403, 'AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: lambda:InvokeFunction')]);
  const denied = await runCli(fake.endpoint, ['canary', 'orders']);
  expect(denied.code).toBe(2);
  expect(denied.stderr).toMatch(/^mcp-probe canary: lambda:InvokeFunction failed: AccessDeniedException: User: arn:aws:sts:\[REDACTED\] .*\(the credentials lack permission lambda:InvokeFunction/);

  fake.script.set('ListFunctions', [lambdaError(403, 'ExpiredTokenException', 'The security token included in the request is expired')]);
  const expired = await runCli(fake.endpoint, ['canary', 'orders']);
  expect(expired.code).toBe(2);
  expect(expired.stderr).toMatch(/lambda:ListFunctions failed: ExpiredTokenException: .*refresh them/);

  fake.script.set('ListFunctions', [lambdaError(429, 'TooManyRequestsException', 'Rate exceeded')]);
  fake.requests.length = 0;
  const retried = await runCli(fake.endpoint, ['canary', 'orders', '--json']);
  expect(retried.code).toBe(0);
  expect(fake.requests.filter((r) => r.operation.startsWith('GET')).map((r) => r.headers['amz-sdk-request'])[1]).toBe('attempt=2; max=3');
});

test('mcp-probe hands status, maintenance and canary over to the operator commands', async () => {
  const root = path.join(__dirname, '..', '..');
  const run = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'lambda', 'cli', 'main.ts'), 'maintenance', '--help'],
      { cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'lambda', 'tsconfig.json') }, timeout: 60_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }));
  });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Usage: mcp-probe maintenance start <service> --for <duration>/);
});

test('a canary that probed the origin: the side sentence under the FAIL output, origin and failedSide in --json', async () => {
  const env = { MCP_CANARY_URL: server.url, MCP_CANARY_ORIGIN_URL: `${server.url}?origin`, MCP_CANARY_SERVICE_NAME: 'orders', MCP_CANARY_METRIC_NAMESPACE: 'MCP', MCP_CANARY_DEADLINE_MS: '5000' };
  const config = parseCanaryConfig(env);
  fake.functions = [{
    FunctionName: 'orders-canary',
    FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-canary',
    Environment: { Variables: { MCP_CANARY_SERVICE_NAME: 'orders', MCP_CANARY_URL: server.url } },
    invoke: () => ({ payload: buildEmfRecord(config, failing, Date.now(), [], passing) }),
  }];
  const run = await runCli(fake.endpoint, ['canary', 'orders']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe(`${formatHuman(server.url, failing)}failed side: front door. It fails (MISSING_TOOLS) while the origin answers: look at the front door (CloudFront, API Gateway, AWS WAF, DNS, the custom domain's certificate), not the server\n`);
  const json = JSON.parse((await runCli(fake.endpoint, ['canary', 'orders', '--json'])).stdout) as { failedSide: string; origin: { ok: boolean } };
  expect(json.failedSide).toBe('front-door');
  expect(json.origin.ok).toBe(true);
});
