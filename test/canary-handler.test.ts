/**
 * The bundled canary handler (assets/lambda/canary/handler/index.js, what Lambda runs), run
 * in-process with the environment the synthesized template gives it, against real MCP servers
 * from the official SDK on 127.0.0.1. Only the URL (and, for bearer auth, the secret ARN token)
 * is swapped for a local value.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as z from 'zod';
import { McpCanary, McpCanaryAuth, McpCanaryProps } from '../src';
import { CANARY_BUNDLE, runCanaryBundle } from './support/canary-bundle';
import { extractEmfDatapoints, metricKey } from './support/cloudwatch-emf';
import { CANARY_ENV } from '../src/contract/canary-env';

const BUNDLE = CANARY_BUNDLE;
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mcp/token-AbCdEf';
const TOKEN = 'tok_live_5f2c9a7e1b3d4c6a8e0f';

// Secrets Manager does not run here: the SDK client the Lambda runtime provides is replaced by one
// that records its calls. Everything else (probe, HTTP, MCP server) is real.
const mockSecretCalls: string[] = [];
let mockSecretString = TOKEN;
jest.mock('@aws-sdk/client-secrets-manager', () => ({
  SecretsManagerClient: class {
    async send(command: { input: { SecretId: string } }) {
      mockSecretCalls.push(command.input.SecretId);
      return { SecretString: mockSecretString };
    }
  },
  GetSecretValueCommand: class {
    constructor(readonly input: { SecretId: string }) {}
  },
}), { virtual: true });

interface LocalServer {
  readonly url: string;
  readonly requests: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** An SDK 2.x dual-era MCP server (`createMcpHandler`, legacy requests served statelessly) on loopback. */
async function startMcpServer(options: { requireToken?: string } = {}): Promise<LocalServer> {
  const mcp = createMcpHandler(() => {
    const server = new McpServer({ name: 'orders', version: '3.1.0' });
    server.registerTool('get_order', { description: 'Gets an order', inputSchema: { id: z.string() } }, async ({ id }) => ({
      content: [{ type: 'text' as const, text: `order ${id}: shipped` }],
    }));
    server.registerTool('list_orders', { description: 'Lists orders', inputSchema: {} }, async () => ({
      content: [{ type: 'text' as const, text: '[]' }],
    }));
    server.registerTool('list_tables', { description: 'Lists DynamoDB tables', inputSchema: {} }, async () => ({
      isError: true,
      content: [{ type: 'text' as const, text: 'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/orders/fn is not authorized to perform: dynamodb:ListTables' }],
    }));
    return server;
  }, { legacy: 'stateless' });
  const node = toNodeHandler(mcp);
  const requests: LocalServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: req.headers, body });
      if (options.requireToken && req.headers.authorization !== `Bearer ${options.requireToken}`) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end('{"error":"unauthorized"}');
        return;
      }
      void Promise.resolve(node(req, res, body ? JSON.parse(body) : undefined)).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    close: async () => {
      await mcp.close?.();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The canary function's environment in the synthesized template. */
function synthesizedEnvironment(props: Partial<McpCanaryProps>, build?: (stack: Stack) => Partial<McpCanaryProps>): Record<string, unknown> {
  const stack = new Stack(new App(), 'Stack');
  new McpCanary(stack, 'Canary', { url: 'https://orders.example.com/mcp', serviceName: 'orders-mcp', ...props, ...build?.(stack) });
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('^MCP protocol canary') },
  })) as Array<{ Properties: { Environment: { Variables: Record<string, unknown> } } }>;
  return functions[0].Properties.Environment.Variables;
}

/** Runs the bundled handler once with an environment; returns what it wrote to stdout and returned. */
const runHandler = runCanaryBundle;

/** The bundle as Lambda loads it (CommonJS); one module instance, so the token cache lives across runs as in a warm environment. */
function loadBundle(): { handler(event?: unknown): Promise<Record<string, unknown>> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the test runs the built artifact, not the TypeScript sources
  return require(BUNDLE) as { handler(event?: unknown): Promise<Record<string, unknown>> };
}

/** Template environment -> process environment: strings only, URL swapped, tokens replaced. */
function localEnvironment(template: Record<string, unknown>, url: string, tokens: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(template)) {
    if (name === CANARY_ENV.URL) {
      continue;
    } else if (typeof value === 'string') {
      env[name] = value;
    } else if (tokens[name] !== undefined) {
      env[name] = tokens[name];
    } else {
      throw new Error(`${name} is a token in the template (${JSON.stringify(value)}); give the test a value for it`);
    }
  }
  env[CANARY_ENV.URL] = url;
  return env;
}

function onlyLine(writes: string[]): string {
  expect(writes).toHaveLength(1);
  expect(writes[0].endsWith('\n')).toBe(true);
  expect(writes[0].slice(0, -1)).not.toContain('\n');
  return writes[0].slice(0, -1);
}

beforeAll(() => {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npx projen bundle:lambda/canary/handler\` first.`);
  }
});

describe('the bundled canary handler against a real MCP server', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startMcpServer();
  });
  afterAll(async () => {
    await server.close();
  });

  test('by default a passing probe publishes only ProbeSuccess and ProbeLatency (the rest is in the log line)', async () => {
    const env = localEnvironment(synthesizedEnvironment({ deadline: Duration.seconds(10) }), server.url);
    const { writes, record } = await runHandler(env);
    const points = extractEmfDatapoints(onlyLine(writes));
    expect(points.map(metricKey).sort()).toEqual(['MCP|ProbeLatency|ServiceName=orders-mcp', 'MCP|ProbeSuccess|ServiceName=orders-mcp']);
    expect((record as { probe: { toolCount: number } }).probe.toolCount).toBe(3);
  });

  test('with detailed metrics a passing probe writes exactly one EMF line: success, latencies, tool count, no failure class', async () => {
    const env = localEnvironment(synthesizedEnvironment({
      detailedMetrics: true,
      expectedTools: ['get_order', 'list_orders'],
      sentinelTool: 'get_order',
      sentinelToolArguments: '{"id":"42"}',
      deadline: Duration.seconds(10),
    }), server.url);
    const { writes, record } = await runHandler(env);
    const line = onlyLine(writes);
    expect(JSON.parse(line)).toEqual(record);

    const points = extractEmfDatapoints(line);
    const byName = Object.fromEntries(points.map((p) => [p.metricName, p]));
    expect(points.every((p) => p.namespace === 'MCP')).toBe(true);
    expect(points.every((p) => JSON.stringify(p.dimensions) === '{"ServiceName":"orders-mcp"}')).toBe(true);
    expect(byName.ProbeSuccess.value).toBe(1);
    // ProbeFailures is published only by failing runs (it costs only in the hours something fails).
    expect(byName.ProbeFailures).toBeUndefined();
    expect(byName.ToolCount.value).toBe(3);
    expect(byName.ProbeLatency.unit).toBe('Milliseconds');
    for (const phase of ['ProbeLatency', 'ConnectLatency', 'HandshakeLatency', 'ToolsListLatency', 'ToolCallLatency']) {
      expect(byName[phase].value).toBeGreaterThanOrEqual(0);
      expect(byName[phase].value).toBeLessThan(10_000);
    }
    // http: no TLS phase and no certificate metric.
    expect(byName.TlsLatency).toBeUndefined();
    expect(byName.CertDaysRemaining).toBeUndefined();
    expect(points.map(metricKey).sort()).toEqual([
      'MCP|ConnectLatency|ServiceName=orders-mcp',
      'MCP|HandshakeLatency|ServiceName=orders-mcp',
      'MCP|ProbeLatency|ServiceName=orders-mcp',
      'MCP|ProbeSuccess|ServiceName=orders-mcp',
      'MCP|ToolCallLatency|ServiceName=orders-mcp',
      'MCP|ToolCount|ServiceName=orders-mcp',
      'MCP|ToolsListLatency|ServiceName=orders-mcp',
    ]);

    const probe = (record as { probe: Record<string, unknown> }).probe;
    expect(probe).toEqual(expect.objectContaining({
      ok: true,
      failureClass: 'OK',
      server: { name: 'orders', version: '3.1.0' },
      tools: ['get_order', 'list_orders', 'list_tables'],
      target: server.url,
      transport: 'auto',
      auth: 'none',
    }));
    expect(record.FailureClass).toBe('OK');
  });

  test('a failing probe (missing tool) is one line with ProbeSuccess 0 and the failure counted by class, and no error', async () => {
    const env = localEnvironment(synthesizedEnvironment({ expectedTools: ['get_order', 'cancel_order'] }), server.url);
    const { writes } = await runHandler(env);
    const points = extractEmfDatapoints(onlyLine(writes));
    expect(points.find((p) => p.metricName === 'ProbeSuccess')?.value).toBe(0);
    const failures = points.filter((p) => p.metricName === 'ProbeFailures');
    expect(failures.map((p) => [p.dimensions, p.value])).toEqual([
      [{ ServiceName: 'orders-mcp' }, 1],
      [{ ServiceName: 'orders-mcp', FailureClass: 'MISSING_TOOLS' }, 1],
    ]);
    expect(JSON.parse(writes[0]).probe.message).toContain('cancel_order');
  });

  test('a sentinel tool failing on AWS credentials is TOOL_CREDENTIALS, with the account id redacted from the line', async () => {
    const env = localEnvironment(synthesizedEnvironment({ sentinelTool: 'list_tables' }), server.url);
    const { writes } = await runHandler(env);
    const line = onlyLine(writes);
    const failure = extractEmfDatapoints(line).find((p) => p.dimensions.FailureClass !== undefined);
    expect(failure?.dimensions.FailureClass).toBe('TOOL_CREDENTIALS');
    expect(line).not.toContain('123456789012');
  });

  test('an unreachable endpoint is CONNECTION_REFUSED with the latency still measured', async () => {
    const env = localEnvironment(synthesizedEnvironment({}), `http://127.0.0.1:${await closedPort()}/mcp`);
    const { writes, record } = await runHandler(env);
    const points = extractEmfDatapoints(onlyLine(writes));
    expect(record.FailureClass).toBe('CONNECTION_REFUSED');
    const names = points.map((p) => p.metricName);
    expect(names).toEqual(expect.arrayContaining(['ProbeSuccess', 'ProbeLatency', 'ProbeFailures']));
    expect(names.filter((n) => n === 'ProbeFailures')).toHaveLength(2);
    // Nothing after the failing step: no tools listed, no tool count.
    expect(names).not.toContain('ToolCount');
    expect(names).not.toContain('ToolsListLatency');
  });

  test('the probe deadline is capped by the time Lambda has left', async () => {
    const stalled = http.createServer(() => { /* never answers */ });
    const sockets = new Set<Socket>();
    stalled.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const env = localEnvironment(synthesizedEnvironment({ deadline: Duration.seconds(28) }), `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/mcp`);
      const { record, ms } = await runHandler(env, { getRemainingTimeInMillis: () => 2_500 });
      expect(record.FailureClass).toBe('TIMEOUT');
      expect(ms).toBeLessThan(2_500);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => stalled.close(() => resolve()));
    }
  });

  test('a configuration error throws (the canary\'s Errors metric) and writes no metrics line', async () => {
    const env = localEnvironment(synthesizedEnvironment({}), server.url);
    delete env[CANARY_ENV.SERVICE_NAME];
    env[CANARY_ENV.TRANSPORT] = 'websocket';
    const saved = { ...process.env };
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      Object.assign(process.env, env);
      delete process.env[CANARY_ENV.SERVICE_NAME];
      await expect(loadBundle().handler({})).rejects.toThrow(
        /MCP_CANARY_SERVICE_NAME is not set[\s\S]*MCP_CANARY_TRANSPORT is 'websocket'; use one of auto, modern, legacy, sse/,
      );
    } finally {
      spy.mockRestore();
      process.env = saved;
    }
    expect(writes).toEqual([]);
  });
});

describe('the bundled canary handler with auth', () => {
  test('bearer auth reads the secret once per five minutes, sends the token, and never logs it', async () => {
    const server = await startMcpServer({ requireToken: TOKEN });
    try {
      const template = synthesizedEnvironment({}, (stack) => ({
        auth: McpCanaryAuth.bearerTokenFromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'Token', SECRET_ARN)),
      }));
      expect(template[CANARY_ENV.AUTH_SECRET_ARN]).toBe(SECRET_ARN);
      const env = localEnvironment(template, server.url);
      mockSecretCalls.length = 0;
      const first = await runHandler(env);
      const second = await runHandler(env);
      expect(mockSecretCalls).toEqual([SECRET_ARN]);
      for (const run of [first, second]) {
        const line = onlyLine(run.writes);
        expect(run.record.FailureClass).toBe('OK');
        expect(line).not.toContain(TOKEN);
      }
      expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      await server.close();
    }
  });

  test('a wrong token is AUTH_REQUIRED, a metric and not an error', async () => {
    const server = await startMcpServer({ requireToken: 'another-token-value' });
    try {
      const env = localEnvironment(synthesizedEnvironment({}, (stack) => ({
        auth: McpCanaryAuth.bearerTokenFromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'Token', SECRET_ARN.replace('AbCdEf', 'AbCdE2')), { jsonField: 'token' }),
      })), server.url);
      mockSecretString = JSON.stringify({ token: TOKEN });
      const { writes, record } = await runHandler(env);
      expect(record.FailureClass).toBe('AUTH_REQUIRED');
      expect(onlyLine(writes)).not.toContain(TOKEN);
    } finally {
      mockSecretString = TOKEN;
      await server.close();
    }
  });

  test('a secret without the configured JSON field is a configuration error', async () => {
    const env = localEnvironment(synthesizedEnvironment({}, (stack) => ({
      auth: McpCanaryAuth.bearerTokenFromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'Token', SECRET_ARN.replace('AbCdEf', 'AbCdE3')), { jsonField: 'apiKey' }),
    })), 'http://127.0.0.1:9/mcp');
    mockSecretString = JSON.stringify({ token: TOKEN });
    try {
      await expect(runHandler(env)).rejects.toThrow(/The auth secret has no string field 'apiKey'/);
    } finally {
      mockSecretString = TOKEN;
    }
  });

  test('SigV4 auth signs every request with the function\'s credentials for the Function URL\'s region', async () => {
    const server = await startMcpServer();
    try {
      const template = synthesizedEnvironment({}, (stack) => {
        const fn = new lambda.Function(stack, 'Server', {
          runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}'),
        });
        const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
        return { url: url.url, auth: McpCanaryAuth.sigV4(url) };
      });
      const env = {
        ...localEnvironment(template, server.url, { [CANARY_ENV.SIGV4_REGION]: 'eu-west-1' }),
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE12',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN',
      };
      const { writes, record } = await runHandler(env);
      expect(record.FailureClass).toBe('OK');
      const line = onlyLine(writes);
      expect(line).not.toContain('wJalrXUtnFEMI');
      expect(server.requests.length).toBeGreaterThan(0);
      for (const request of server.requests) {
        expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE12\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
        expect(request.headers['x-amz-security-token']).toBe('IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN');
      }
    } finally {
      await server.close();
    }
  });

  test('SigV4a auth signs every request for the Region set * with the function\'s credentials (multi-Region Web Function endpoint)', async () => {
    const server = await startMcpServer();
    try {
      const template = synthesizedEnvironment({}, (stack) => {
        const endpoint = lambda.WebFunctionEndpoint.fromWebFunctionEndpointAttributes(stack, 'Global', {
          endpointArn: 'arn:aws:lambda:us-east-1:123456789012:web-function/f/endpoint/prod-abc',
          domainName: 'abc.lambda-web.global.on.aws',
          endpointType: lambda.WebFunctionEndpointType.MULTI_REGION,
          authType: lambda.WebFunctionAuthType.IAM_AUTH,
        });
        return { url: 'https://abc.lambda-web.global.on.aws/mcp', auth: McpCanaryAuth.sigV4aForWebFunction(endpoint) };
      });
      expect(template).toMatchObject({ [CANARY_ENV.AUTH_MODE]: 'sigv4a', [CANARY_ENV.SIGV4A_REGION_SET]: '*', [CANARY_ENV.SIGV4_SERVICE]: 'lambda' });
      const env = {
        ...localEnvironment(template, server.url),
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE12',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN',
      };
      const { writes, record } = await runHandler(env);
      expect(record.FailureClass).toBe('OK');
      expect(onlyLine(writes)).not.toContain('wJalrXUtnFEMI');
      expect(server.requests.length).toBeGreaterThan(0);
      for (const request of server.requests) {
        expect(request.headers.authorization).toMatch(/^AWS4-ECDSA-P256-SHA256 Credential=ASIAEXAMPLEEXAMPLE12\/\d{8}\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-region-set[a-z0-9;-]*, Signature=30[0-9a-f]+$/);
        expect(request.headers['x-amz-region-set']).toBe('*');
        expect(request.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
        expect(request.headers['x-amz-security-token']).toBe('IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN');
      }
    } finally {
      await server.close();
    }
  });
});
