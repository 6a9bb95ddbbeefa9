/**
 * The deploy gate handler against real MCP servers on 127.0.0.1 (SDK 2.x), with its CloudWatch
 * calls going to the loopback fake through AWS_ENDPOINT_URL, as the default client of the Lambda
 * runtime would send them: passing, failing (the server answers errors), slow to become ready
 * (nothing listens for ~2 s), Delete, rollback, configuration errors.
 */
import * as net from 'node:net';
import { gateEnv } from './support';
import { createGateHandler, type GateDeps, type GateEvent } from '../../lambda/gate/handler';
import { cloudWatchError, type FakeAws } from '../cli-ops/fake-aws';
import { useFakeAws } from '../cli-ops/support';
import { sendJson, startServer, type TestServer } from '../probe/fixtures/http-server';
import { LEAKED_ACCOUNT, startSdk2 } from '../probe/fixtures/sdk-servers';

const fakeAws = useFakeAws();
let fake: FakeAws;
let mcp: TestServer;
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  mcp = await startSdk2('stateless');
});
afterAll(() => mcp.close());
beforeEach(() => {
  fake = fakeAws();
  process.env.AWS_ENDPOINT_URL = fake.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  logs.length = 0;
});

const CREATE: GateEvent = { RequestType: 'Create', StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1', ResourceProperties: { Trigger: 'v2' } };

function gate(env: NodeJS.ProcessEnv, deps: GateDeps = {}) {
  return createGateHandler({ env, log: (r) => logs.push(r), stackStatus: async () => 'UPDATE_IN_PROGRESS', ...deps });
}

function puts(): Array<{ metric: string; count: number; value: number; namespace: string }> {
  return fake.calls('PutMetricData').map((c) => {
    const data = c.MetricData as Array<{ MetricName: string; Value: number; Dimensions: unknown }>;
    expect(data.every((d) => JSON.stringify(d.Dimensions) === '[{"Name":"ServiceName","Value":"orders"}]')).toBe(true);
    return { metric: data[0].MetricName, count: data.length, value: data[0].Value, namespace: c.Namespace as string };
  });
}

test('a healthy server passes at the first probe; the window is opened for the gate\'s time, then closed', async () => {
  const started = Math.floor(Date.now() / 1000);
  const response = await gate(gateEnv(mcp.url, { MCP_CANARY_EXPECTED_TOOLS: '["echo"]' }))(CREATE);
  expect(response).toEqual({
    PhysicalResourceId: 'mcp-deploy-gate:orders',
    Data: { Attempts: '1', Message: expect.stringMatching(/^OK: sdk2-test 2\.0\.0 over /), ToolsHash: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) },
  });
  // 20 s of gate: a window of ceil(20/60) + 1 = 2 minutes (3 datapoints), closed over the 2-hour horizon.
  const writes = puts();
  expect(writes).toEqual([
    { metric: 'MaintenanceWindow', count: 3, value: expect.any(Number), namespace: 'Gate/MCP' },
    { metric: 'MaintenanceWindow', count: 121, value: expect.any(Number), namespace: 'Gate/MCP' },
  ]);
  // Open: 2 x epoch seconds (even); close: 2 x epoch seconds + 1 (odd), later, so it wins the Maximum.
  expect(writes[0].value % 2).toBe(0);
  expect(writes[1].value % 2).toBe(1);
  expect(writes[0].value / 2).toBeGreaterThanOrEqual(started);
  expect(writes[1].value).toBeGreaterThan(writes[0].value);
  expect(logs).toEqual([expect.objectContaining({ event: 'gate-probe', service: 'orders', attempt: 1, ok: true })]);
});

test('a server answering errors fails the deployment after retries, with the failure class and a redacted message', async () => {
  const broken = await startServer((_req, res) => sendJson(res, 503, { error: 'upstream not ready' }));
  try {
    const started = Date.now();
    const run = gate(gateEnv(broken.url, { MCP_GATE_MAX_WAIT_MS: '1500' }))(CREATE);
    await expect(run).rejects.toThrow(/^MCP deploy gate: orders failed its probe [2-9] time\(s\) over [0-2] s \(http layer\): UNAVAILABLE: .*\. Next: /);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(logs.filter((l) => l.event === 'gate-probe').length).toBeGreaterThanOrEqual(2);
    expect(puts().map((p) => p.value % 2)).toEqual([0, 1]);
  } finally {
    await broken.close();
  }
});

test('a tool that leaks an account id and role ARN fails the gate with both redacted', async () => {
  // One attempt with the whole probe deadline (a loaded machine must not turn it into TOOL_TIMEOUT):
  // the first retry would start after the gate's budget, so the gate stops after one probe.
  const run = gate(gateEnv(mcp.url, { MCP_CANARY_SENTINEL_TOOL: 'list_buckets', MCP_GATE_MAX_WAIT_MS: '3000', MCP_GATE_RETRY_BASE_MS: '10000' }))(CREATE);
  const error = await run.catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(/^MCP deploy gate: orders failed its probe 1 time\(s\) over [0-3] s \(tools layer\): TOOL_CREDENTIALS: /);
  expect((error as Error).message).not.toContain(LEAKED_ACCOUNT);
  expect((error as Error).message).toContain('arn:aws:sts:[REDACTED]');
});

test('a server that starts listening after ~2 s passes once it is ready', async () => {
  // Reserve a port, leave it closed for 2 s, then forward it to the real server.
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((socket) => {
    const upstream = net.connect(mcp.port, '127.0.0.1');
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  const timer = setTimeout(() => proxy.listen(port, '127.0.0.1'), 2_000);
  try {
    const started = Date.now();
    const response = await gate(gateEnv(`http://127.0.0.1:${port}/mcp`))(CREATE);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(10_000);
    const probes = logs.filter((l) => l.event === 'gate-probe');
    expect(probes.length).toBeGreaterThanOrEqual(2);
    expect(probes[0]).toMatchObject({ ok: false, failureClass: 'CONNECTION_REFUSED' });
    expect(probes[probes.length - 1]).toMatchObject({ ok: true });
    expect(response.Data!.Attempts).toBe(String(probes.length));
  } finally {
    clearTimeout(timer);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (proxy.listening ? proxy.close(() => resolve()) : resolve()));
  }
});

test('Delete succeeds at once, without probing or writing', async () => {
  const probe = jest.fn();
  const response = await gate(gateEnv(mcp.url), { probe })({ RequestType: 'Delete', PhysicalResourceId: 'mcp-deploy-gate:orders' });
  expect(response).toEqual({ PhysicalResourceId: 'mcp-deploy-gate:orders' });
  expect(probe).not.toHaveBeenCalled();
  expect(fake.requests).toHaveLength(0);
});

test('Update keeps the physical id; a rollback succeeds without probing', async () => {
  const update: GateEvent = { ...CREATE, RequestType: 'Update', PhysicalResourceId: 'existing-id' };
  expect((await gate(gateEnv(mcp.url))(update)).PhysicalResourceId).toBe('existing-id');
  fake.requests.length = 0;
  const probe = jest.fn();
  const rollback = await gate(gateEnv(mcp.url), { probe, stackStatus: async () => 'UPDATE_ROLLBACK_IN_PROGRESS' })(update);
  expect(rollback).toEqual({ PhysicalResourceId: 'existing-id', Data: { Attempts: '0', Message: 'skipped: the stack is in UPDATE_ROLLBACK_IN_PROGRESS', ToolsHash: '' } });
  expect(probe).not.toHaveBeenCalled();
  expect(fake.requests).toHaveLength(0);
});

test('the Lambda time left bounds the gate; without maintenance nothing is written', async () => {
  const broken = await startServer((_req, res) => sendJson(res, 500, {}));
  try {
    const started = Date.now();
    const context = { getRemainingTimeInMillis: () => 15_000 + 400 };
    await expect(gate(gateEnv(broken.url, { MCP_GATE_MAINTENANCE: 'false' }))(CREATE, context)).rejects.toThrow(/failed its probe/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(fake.requests).toHaveLength(0);
  } finally {
    await broken.close();
  }
});

test('configuration errors fail the resource with the variable to fix', async () => {
  await expect(gate({ ...gateEnv(mcp.url), MCP_CANARY_URL: '' })(CREATE)).rejects.toThrow(/MCP_CANARY_URL is not set/);
  await expect(gate(gateEnv(mcp.url, { MCP_GATE_MAX_WAIT_MS: 'soon' }))(CREATE)).rejects.toThrow(/MCP_GATE_MAX_WAIT_MS is 'soon'; it must be a positive whole number/);
  await expect(gate(gateEnv(mcp.url, { MCP_GATE_MAINTENANCE: 'maybe' }))(CREATE)).rejects.toThrow(/MCP_GATE_MAINTENANCE is 'maybe'; use true or false/);
  expect(fake.requests).toHaveLength(0);
});

test('a window that cannot be opened fails the gate, naming the call', async () => {
  fake.script.set('PutMetricData', [cloudWatchError(403, 'AccessDenied', 'not authorized')]);
  await expect(gate(gateEnv(mcp.url))(CREATE)).rejects.toThrow(
    'MCP deploy gate for orders: could not open the maintenance window: cloudwatch:PutMetricData failed: AccessDenied: not authorized (the credentials lack permission cloudwatch:PutMetricData: grant it to the role or user you run as)');
});

test('a window that cannot be closed is logged, the gate still passes (the window runs out by itself)', async () => {
  fake.script.set('PutMetricData', [{ status: 200, body: {} }, cloudWatchError(500, 'InternalServiceError', 'boom'), cloudWatchError(500, 'InternalServiceError', 'boom'), cloudWatchError(500, 'InternalServiceError', 'boom')]);
  const response = await gate(gateEnv(mcp.url))(CREATE);
  expect(response.Data!.Attempts).toBe('1');
  expect(logs).toContainEqual(expect.objectContaining({ event: 'gate-close-failed', message: expect.stringMatching(/^cloudwatch:PutMetricData failed: InternalServiceFault: boom \(an error on the AWS side, after the SDK's retries: retry later\)$/) }));
});
