/**
 * The canary's origin probe (issue 21): `originUrl` and `originAuth` at synth (environment,
 * grants, validation), and the bundled handler against loopback servers: a front door answering
 * as a broken CloudFront (its own 502 page, a WAF block) with a healthy origin behind it, both
 * broken, and a healthy front door (the origin is then not probed). The EMF line is parsed as
 * CloudWatch would.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpCanary, McpCanaryAuth, McpCanaryProps } from '../../src';
import { CANARY_ENV, CANARY_ORIGIN_AUTH_ENV } from '../../src/contract/canary-env';
import { useFrontDoorAndOrigin } from '../probe/fixtures/front-door-and-origin';
import { sendJson, startServer } from '../probe/fixtures/http-server';
import { runCanaryBundle } from '../support/canary-bundle';
import { extractEmfDatapoints, metricKey } from '../support/cloudwatch-emf';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mcp/origin-key-AbCdEf';
const ORIGIN_KEY = 'origin_key_7c1e5a9b3d';

// Secrets Manager does not run here: the runtime's SDK client is replaced by one that answers the key.
jest.mock('@aws-sdk/client-secrets-manager', () => ({
  SecretsManagerClient: class {
    async send() {
      return { SecretString: 'origin_key_7c1e5a9b3d' };
    }
  },
  GetSecretValueCommand: class {
    constructor(readonly input: { SecretId: string }) {}
  },
}), { virtual: true });

function canaryStack(props: Partial<McpCanaryProps>, build?: (stack: Stack) => Partial<McpCanaryProps>): Stack {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'orders-mcp', ...props, ...build?.(stack) });
  return stack;
}

function canaryEnvironment(stack: Stack): Record<string, unknown> {
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('^MCP protocol canary') },
  })) as Array<{ Properties: { Environment: { Variables: Record<string, unknown> } } }>;
  return functions[0].Properties.Environment.Variables;
}

describe('originUrl and originAuth at synth', () => {
  test('the origin URL reaches the canary; without originAuth no origin auth variable is written (the handler uses auth)', () => {
    const env = canaryEnvironment(canaryStack({ originUrl: 'https://abc.lambda-url.us-east-1.on.aws/mcp' }));
    expect(env[CANARY_ENV.ORIGIN_URL]).toBe('https://abc.lambda-url.us-east-1.on.aws/mcp');
    expect(Object.keys(env).filter((name) => name.startsWith('MCP_CANARY_ORIGIN_AUTH') || name.startsWith('MCP_CANARY_ORIGIN_SIGV4'))).toEqual([]);
  });

  test('originAuth SigV4 to a Function URL writes the origin auth variables and grants lambda:InvokeFunctionUrl on that function', () => {
    const stack = canaryStack({}, (s) => {
      const fn = new lambda.Function(s, 'Server', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}') });
      const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
      return { originUrl: 'https://abc.lambda-url.us-east-1.on.aws/mcp', originAuth: McpCanaryAuth.sigV4(url) };
    });
    const env = canaryEnvironment(stack);
    expect(env[CANARY_ENV.AUTH_MODE]).toBe('none');
    expect(env[CANARY_ORIGIN_AUTH_ENV.AUTH_MODE]).toBe('sigv4');
    expect(env[CANARY_ORIGIN_AUTH_ENV.SIGV4_REGION]).toBe('us-east-1');
    expect(env[CANARY_ORIGIN_AUTH_ENV.SIGV4_SERVICE]).toBe('lambda');
    expect(env[CANARY_ENV.SIGV4_REGION]).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunctionUrl', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } } })]) },
    });
  });

  test('originAuth from a secret grants the canary read access to that secret and writes its ARN, never its value', () => {
    const stack = canaryStack({}, (s) => ({
      originUrl: 'https://origin.example.com/mcp',
      originAuth: McpCanaryAuth.headerFromSecret('X-Origin-Key', secretsmanager.Secret.fromSecretCompleteArn(s, 'Key', SECRET_ARN)),
    }));
    const env = canaryEnvironment(stack);
    expect(env[CANARY_ORIGIN_AUTH_ENV.AUTH_MODE]).toBe('header-secret');
    expect(env[CANARY_ORIGIN_AUTH_ENV.AUTH_HEADER_NAME]).toBe('X-Origin-Key');
    expect(env[CANARY_ORIGIN_AUTH_ENV.AUTH_SECRET_ARN]).toBe(SECRET_ARN);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: SECRET_ARN })]) },
    });
  });

  test('originAuth without originUrl is an error naming both props (cdk-mcp:originAuthWithoutOriginUrl)', () => {
    expect(() => canaryStack({ originAuth: McpCanaryAuth.none() })).toThrow(/originAuth is set but originUrl is not: .*Give originUrl, or remove originAuth/);
  });

  test('originUrl equal to url is an error (cdk-mcp:originUrlSameAsUrl)', () => {
    expect(() => canaryStack({ originUrl: 'https://mcp.example.com/mcp' })).toThrow(/originUrl is "https:\/\/mcp\.example\.com\/mcp", the same as url/);
  });

  test('originUrl is checked like url, and the message names originUrl (cdk-mcp:urlScheme, cdk-mcp:urlSecretQuery)', () => {
    expect(() => canaryStack({ originUrl: 'ftp://origin.example.com/mcp' })).toThrow(/originUrl is "ftp:\/\/origin\.example\.com\/mcp": the scheme must be https/);
    expect(() => canaryStack({ originUrl: 'https://origin.example.com/mcp?api_key=x' })).toThrow(/originUrl has the query parameter\(s\) api_key/);
  });

  test('a secret sent to a plain-http origin is warned about (cdk-mcp:canaryBearerOverPlainHttp)', () => {
    const stack = canaryStack({}, (s) => ({
      originUrl: 'http://10.0.0.5/mcp',
      originAuth: McpCanaryAuth.bearerTokenFromSecret(secretsmanager.Secret.fromSecretCompleteArn(s, 'Key', SECRET_ARN)),
    }));
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('sent in clear text to http://10.0.0.5/mcp'))).toBe(true);
  });
});

async function runHandler(env: Record<string, string>): Promise<{ line: string; record: Record<string, unknown>; ms: number }> {
  const { writes, record, ms } = await runCanaryBundle(env);
  expect(writes).toHaveLength(1);
  return { line: writes[0].slice(0, -1), record, ms };
}

/** The canary's synthesized environment with the two URLs swapped for loopback ones. */
function handlerEnv(url: string, originUrl: string, props: Partial<McpCanaryProps> = {}): Record<string, string> {
  const template = canaryEnvironment(canaryStack({ originUrl: 'https://origin.example.com/mcp', deadline: Duration.seconds(6), ...props }));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(template)) {
    const text = typeof value === 'string' ? value : undefined;
    if (text === undefined) throw new Error(`${name} is a token in the template; give the test a value for it`);
    env[name] = text;
  }
  return { ...env, [CANARY_ENV.URL]: url, [CANARY_ENV.ORIGIN_URL]: originUrl };
}

function datapoints(line: string): Record<string, number> {
  return Object.fromEntries(extractEmfDatapoints(line).filter((p) => p.dimensions.FailureClass === undefined).map((p) => [p.metricName, p.value]));
}

describe('the bundled canary handler with an origin', () => {
  const servers = useFrontDoorAndOrigin();

  test('a healthy front door: the origin is not probed and no origin metric is published', async () => {
    const before = servers.origin.requests.length;
    const { line, record } = await runHandler(handlerEnv(servers.origin.url, servers.brokenOrigin.url));
    const requestsToBroken = servers.brokenOrigin.requests.length;
    expect(datapoints(line)).toEqual({ ProbeSuccess: 1, ProbeLatency: expect.any(Number) });
    expect(record.FailedSide).toBeUndefined();
    expect((record.probe as Record<string, unknown>).origin).toBeUndefined();
    expect(servers.origin.requests.length).toBeGreaterThan(before);
    expect(requestsToBroken).toBe(0);
  });

  test('CloudFront\'s own 502 with a healthy origin: the front door is the failed side, FrontDoorFailures 1, OriginProbeSuccess 1', async () => {
    const { line, record } = await runHandler(handlerEnv(servers.cloudFront502.url, servers.origin.url));
    expect(extractEmfDatapoints(line).map(metricKey).sort()).toEqual([
      'MCP|FrontDoorFailures|ServiceName=orders-mcp',
      'MCP|OriginProbeSuccess|ServiceName=orders-mcp',
      'MCP|ProbeFailures|FailureClass=BAD_GATEWAY,ServiceName=orders-mcp',
      'MCP|ProbeFailures|ServiceName=orders-mcp',
      'MCP|ProbeLatency|ServiceName=orders-mcp',
      'MCP|ProbeSuccess|ServiceName=orders-mcp',
    ]);
    expect(datapoints(line)).toEqual(expect.objectContaining({ ProbeSuccess: 0, OriginProbeSuccess: 1, FrontDoorFailures: 1 }));
    expect(record.FailedSide).toBe('front-door');
    const probe = record.probe as Record<string, unknown>;
    expect(probe.failedSide).toBe('front-door');
    expect(probe.sideMessage).toMatch(/^failed side: front door\. It fails \(BAD_GATEWAY\) while the origin answers/);
    expect(probe.origin).toEqual(expect.objectContaining({ ok: true, failureClass: 'OK', target: servers.origin.url, auth: 'none' }));
  });

  test('front door and origin both broken: the origin is the failed side, OriginProbeSuccess 0 and no FrontDoorFailures', async () => {
    const { line, record } = await runHandler(handlerEnv(servers.cloudFront502.url, servers.brokenOrigin.url));
    const points = datapoints(line);
    expect(points).toEqual(expect.objectContaining({ ProbeSuccess: 0, OriginProbeSuccess: 0 }));
    expect(points.FrontDoorFailures).toBeUndefined();
    expect(record.FailedSide).toBe('origin');
    const probe = record.probe as { sideMessage: string; origin: { failureClass: string } };
    expect(probe.origin.failureClass).toBe('UNAVAILABLE');
    expect(probe.sideMessage).toMatch(/^failed side: origin\. The origin fails too \(UNAVAILABLE\)/);
  });

  test('a WAF block is the front door\'s side even when the origin fails too, and the message names both', async () => {
    const { line, record } = await runHandler(handlerEnv(servers.wafBlock.url, servers.brokenOrigin.url));
    expect(datapoints(line)).toEqual(expect.objectContaining({ ProbeSuccess: 0, OriginProbeSuccess: 0, FrontDoorFailures: 1 }));
    expect(record.FailureClass).toBe('BLOCKED_BY_WAF');
    expect(record.FailedSide).toBe('front-door');
    expect((record.probe as { sideMessage: string }).sideMessage).toMatch(/AWS WAF blocked the probe \(BLOCKED_BY_WAF\), and the origin fails too \(UNAVAILABLE\): fix the web ACL rule first/);
  });

  test('the two probes share the deadline: a front door that never answers leaves the origin a third of it', async () => {
    const sockets = new Set<Socket>();
    const stalled = http.createServer(() => { /* never answers */ });
    stalled.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const { record, ms } = await runHandler(handlerEnv(`http://127.0.0.1:${(stalled.address() as AddressInfo).port}/mcp`, servers.origin.url, { deadline: Duration.seconds(3) }));
      expect(record.FailureClass).toBe('TIMEOUT');
      expect(record.FailedSide).toBe('front-door');
      const timings = (record.probe as { timings: { totalMs: number } }).timings;
      // Two thirds of 3 s for the front door; the origin passes in what is left; the whole run within the deadline.
      expect(timings.totalMs).toBeGreaterThanOrEqual(1_900);
      expect(timings.totalMs).toBeLessThan(2_500);
      expect(ms).toBeLessThan(3_500);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => stalled.close(() => resolve()));
    }
  });

  test('the origin\'s own auth: a secret header read from its secret, sent to the origin only, and redacted from the line', async () => {
    // The origin echoes the key in its error, as a careless server would.
    const guarded = await startServer((req, res) => sendJson(res, 503, { message: `down; key was ${String(req.headers['x-origin-key'])}` }));
    try {
      const env = handlerEnv(servers.cloudFront502.url, guarded.url);
      const withKey = canaryEnvironment(canaryStack({}, (s) => ({
        originUrl: 'https://origin.example.com/mcp',
        originAuth: McpCanaryAuth.headerFromSecret('X-Origin-Key', secretsmanager.Secret.fromSecretCompleteArn(s, 'Key', SECRET_ARN)),
      })));
      for (const name of Object.values(CANARY_ORIGIN_AUTH_ENV)) if (typeof withKey[name] === 'string') env[name] = withKey[name] as string;
      const { line, record } = await runHandler(env);
      expect(record.FailedSide).toBe('origin');
      expect((record.probe as { origin: { auth: string } }).origin.auth).toBe('header-secret');
      expect(guarded.requests.length).toBeGreaterThan(0);
      expect(guarded.requests.every((r) => r.headers['x-origin-key'] === ORIGIN_KEY)).toBe(true);
      expect(servers.cloudFront502.requests.every((r) => r.headers['x-origin-key'] === undefined)).toBe(true);
      expect(line).not.toContain(ORIGIN_KEY);
    } finally {
      await guarded.close();
    }
  });
});
