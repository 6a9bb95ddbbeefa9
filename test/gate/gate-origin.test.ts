/**
 * The deploy gate with an origin behind the front door (issue 21): after the front door's probes
 * fail, the gate probes the origin once and its error names the failed side. Loopback servers: a
 * front door answering as CloudFront (its own 502 page, a WAF block), a healthy SDK 2.x origin and
 * a broken one. Also the auth the gate shares with the canary (a secret header).
 */
import { gateEnv } from './support';
import { createGateHandler, type GateDeps, type GateEvent } from '../../lambda/gate/handler';
import { useFrontDoorAndOrigin } from '../probe/fixtures/front-door-and-origin';
import { sendJson, startServer } from '../probe/fixtures/http-server';

const CREATE: GateEvent = { RequestType: 'Create', StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1', ResourceProperties: { Trigger: 'v2' } };
/** A short gate without a maintenance window (no CloudWatch here). */
const FAST = { MCP_GATE_MAX_WAIT_MS: '600', MCP_GATE_MAINTENANCE: 'false' };
const logs: Array<Record<string, unknown>> = [];
const servers = useFrontDoorAndOrigin();
beforeEach(() => {
  logs.length = 0;
});

function gate(env: NodeJS.ProcessEnv, deps: GateDeps = {}) {
  return createGateHandler({ env, log: (r) => logs.push(r), stackStatus: async () => 'CREATE_IN_PROGRESS', ...deps });
}

test('a broken front door with a healthy origin fails the deployment, naming the front door as the failed side', async () => {
  const error = await gate(gateEnv(servers.cloudFront502.url, { ...FAST, MCP_CANARY_ORIGIN_URL: servers.origin.url }))(CREATE).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(/^MCP deploy gate: orders failed its probe \d+ time\(s\) over \d+ s \(http layer\): BAD_GATEWAY: .*\. failed side: front door\. It fails \(BAD_GATEWAY\) while the origin answers: look at the front door \(CloudFront, API Gateway, AWS WAF, DNS, the custom domain's certificate\), not the server\. Next: /);
  expect(logs).toContainEqual(expect.objectContaining({ event: 'gate-origin-probe', ok: true, failureClass: 'OK' }));
  expect(logs.filter((l) => l.event === 'gate-origin-probe')).toHaveLength(1);
});

test('front door and origin both broken: the origin is the failed side', async () => {
  await expect(gate(gateEnv(servers.cloudFront502.url, { ...FAST, MCP_CANARY_ORIGIN_URL: servers.brokenOrigin.url }))(CREATE))
    .rejects.toThrow(/\. failed side: origin\. The origin fails too \(UNAVAILABLE\): the server \(or the path from the front door to it\) broke/);
});

test('a WAF block with a broken origin: the front door is the failed side, and the message names the origin\'s failure too', async () => {
  await expect(gate(gateEnv(servers.wafBlock.url, { ...FAST, MCP_CANARY_ORIGIN_URL: servers.brokenOrigin.url }))(CREATE))
    .rejects.toThrow(/BLOCKED_BY_WAF: .*failed side: front door\. AWS WAF blocked the probe \(BLOCKED_BY_WAF\), and the origin fails too \(UNAVAILABLE\)/);
});

test('a passing front door is not followed by an origin probe', async () => {
  const before = servers.brokenOrigin.requests.length;
  const response = await gate(gateEnv(servers.origin.url, { ...FAST, MCP_CANARY_ORIGIN_URL: servers.brokenOrigin.url }))(CREATE);
  expect(response.Data!.Attempts).toBe('1');
  expect(servers.brokenOrigin.requests.length).toBe(before);
  expect(logs.some((l) => l.event === 'gate-origin-probe')).toBe(false);
});

test('without an origin the message is as before (no side)', async () => {
  const error = await gate(gateEnv(servers.cloudFront502.url, FAST))(CREATE).catch((e: Error) => e);
  expect((error as Error).message).not.toContain('failed side');
});

test('a secret header (McpCanaryAuth.headerFromSecret) is sent by the gate as by the canary, and redacted', async () => {
  const key = 'gate_key_8d2f6b0a4c';
  const guarded = await startServer((req, res) => sendJson(res, 503, { message: `down; key was ${String(req.headers['x-api-key'])}` }));
  try {
    const error = await gate(gateEnv(guarded.url, {
      ...FAST,
      MCP_CANARY_AUTH_MODE: 'header-secret',
      MCP_CANARY_AUTH_HEADER_NAME: 'X-Api-Key',
      MCP_CANARY_AUTH_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:key-AbCdEf',
    }), { getSecretString: async () => key })(CREATE).catch((e: Error) => e);
    expect(guarded.requests.length).toBeGreaterThan(0);
    expect(guarded.requests.every((r) => r.headers['x-api-key'] === key)).toBe(true);
    expect((error as Error).message).not.toContain(key);
  } finally {
    await guarded.close();
  }
});
