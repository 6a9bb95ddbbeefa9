/**
 * The example server started the way its container starts on Fargate, for each example stack:
 * the image's file system is staged from the Dockerfile's COPY lines (honouring .dockerignore),
 * then its CMD runs from WORKDIR with the Dockerfile's ENV plus the environment the synthesized
 * task definition gives the container. Two deliberate differences: HOST is 127.0.0.1 (tests stay
 * on loopback) and PORT is 0 (any free port); the port the image really uses is checked against
 * the task definition separately.
 *
 * Then the target group's health check, the MCP handshake (the SDK 1.x client, and a raw request
 * with the Host header a load balancer forwards), the Dockerfile's HEALTHCHECK, and draining on
 * SIGTERM within the container's stopTimeout are exercised for real.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { McpFargateExampleStack, McpFargateStatefulExampleStack } from '../../examples/fargate-stack';
import { bundleExampleServer } from '../support/example-server-process';

const CONTEXT = path.join(__dirname, '..', '..', 'examples', 'server');
/** The Host header an Application Load Balancer forwards: its own DNS name. */
const ALB_HOST = 'mcp-example-1234567890.us-east-1.elb.amazonaws.com';

interface Dockerfile {
  readonly env: Record<string, string>;
  readonly workdir: string;
  readonly copies: Array<{ readonly src: string; readonly dest: string }>;
  readonly cmd: string[];
  readonly expose: number[];
  readonly healthcheck: string[];
  readonly user?: string;
  readonly volumes: string[];
}

/** Parses the instructions this test needs from a Dockerfile (exec-form CMD and HEALTHCHECK). */
function parseDockerfile(text: string): Dockerfile {
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const result: { -readonly [K in keyof Dockerfile]: Dockerfile[K] } = { env: {}, workdir: '/', copies: [], cmd: [], expose: [], healthcheck: [], volumes: [] };
  let workdir = '/';
  for (const line of logical) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = line.slice(instruction.length).trim();
    switch (instruction.toUpperCase()) {
      case 'ENV':
        for (const pair of rest) {
          const eq = pair.indexOf('=');
          if (eq > 0) result.env[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
        break;
      case 'WORKDIR':
        workdir = path.posix.resolve(workdir, args);
        break;
      case 'COPY':
        if (!rest.some((a) => a.startsWith('--from='))) {
          result.copies.push({ src: rest[0], dest: path.posix.resolve(workdir, rest[1]) + (rest[1].endsWith('/') ? '/' : '') });
        }
        break;
      case 'CMD':
        result.cmd.push(...JSON.parse(args));
        break;
      case 'EXPOSE':
        result.expose.push(...rest.map(Number));
        break;
      case 'USER':
        result.user = args;
        break;
      case 'VOLUME':
        result.volumes.push(...JSON.parse(args));
        break;
      case 'HEALTHCHECK':
        result.healthcheck.push(...JSON.parse(args.slice(args.indexOf('CMD') + 3).trim()));
        break;
    }
  }
  return { ...result, workdir };
}

/**
 * Files of the build context that .dockerignore lets through. The example's .dockerignore is an
 * allow-list (`*`, then `!path` lines); that shape is asserted, so nothing is guessed.
 */
function allowedContextFiles(): Set<string> {
  const lines = fs.readFileSync(path.join(CONTEXT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  expect(lines[0]).toBe('*');
  expect(lines.slice(1).every((l) => l.startsWith('!'))).toBe(true);
  return new Set(lines.slice(1).map((l) => l.slice(1)));
}

/** Stages the image's file system under `root` from the COPY lines; returns the copied paths. */
function stageImage(dockerfile: Dockerfile, root: string): string[] {
  const allowed = allowedContextFiles();
  const copied: string[] = [];
  for (const { src, dest } of dockerfile.copies) {
    const matching = [...allowed].filter((file) => (src.endsWith('/') ? file.startsWith(src) : file === src));
    for (const file of matching) {
      const target = path.join(root, dest.endsWith('/') ? path.posix.join(dest, file.slice(src.length)) : dest);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(CONTEXT, file), target);
      fs.chmodSync(target, fs.statSync(path.join(CONTEXT, file)).mode);
      copied.push(path.relative(root, target).split(path.sep).join('/'));
    }
  }
  return copied.sort();
}

/** What the synthesized task definition and target group say about the container. */
interface ContainerContract {
  readonly environment: Record<string, string>;
  readonly containerPort: number;
  readonly stopTimeoutSeconds: number;
  readonly healthCheckPath: string;
  readonly healthyCode: string;
  readonly sticky: boolean;
  readonly user?: string;
  readonly readonlyRootFilesystem: boolean;
  readonly writablePaths: string[];
}

function contractOf(stack: Stack): ContainerContract {
  const template = Template.fromStack(stack);
  const taskDefinition = (Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as any).Properties;
  const container = taskDefinition.ContainerDefinitions[0];
  const targetGroup = (Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0] as any).Properties;
  const attributes = Object.fromEntries(targetGroup.TargetGroupAttributes.map((a: any) => [a.Key, a.Value]));
  return {
    environment: Object.fromEntries((container.Environment ?? []).map((e: any) => [e.Name, e.Value])),
    containerPort: container.PortMappings[0].ContainerPort,
    stopTimeoutSeconds: container.StopTimeout,
    healthCheckPath: targetGroup.HealthCheckPath,
    healthyCode: targetGroup.Matcher.HttpCode,
    sticky: attributes['stickiness.enabled'] === 'true',
    user: container.User,
    readonlyRootFilesystem: container.ReadonlyRootFilesystem === true,
    writablePaths: (container.MountPoints ?? []).filter((m: any) => m.ReadOnly === false).map((m: any) => m.ContainerPath),
  };
}

/** The server process started from the staged image. */
class ContainerProcess {
  public readonly lines: Array<Record<string, unknown>> = [];
  public readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly waiters: Array<{ predicate: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }> = [];

  constructor(command: string, args: string[], cwd: string, env: Record<string, string>, user?: { uid: number; gid: number }) {
    this.child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...user });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (text) => {
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text);
        } catch {
          line = { raw: text };
        }
        this.lines.push(line);
        for (const waiter of [...this.waiters]) {
          if (waiter.predicate(line)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      });
    }
  }

  public waitFor(predicate: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
    const seen = this.lines.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line in ${timeoutMs} ms:\n${JSON.stringify(this.lines)}`)), timeoutMs);
      this.waiters.push({ predicate, resolve: (line) => { clearTimeout(timer); resolve(line); } });
      void this.exited.then(() => clearTimeout(timer));
    });
  }

  public signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  public async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** One HTTP request on loopback with full control of the Host header; bounded by a timeout. */
function request(port: number, options: { method: string; path: string; headers?: Record<string, string>; body?: string }):
Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method, path: options.path, headers: options.headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${options.method} ${options.path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The JSON-RPC message in a response body, whether sent as JSON or as SSE `data:` lines. */
function rpcMessage(body: string, contentType: string | string[] | undefined): any {
  if (String(contentType).startsWith('text/event-stream')) {
    const data = body.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
    return JSON.parse(data[data.length - 1]);
  }
  return JSON.parse(body);
}

const MCP_HEADERS = { 'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream', 'Host': ALB_HOST };

let dockerfile: Dockerfile;
let imageRoot: string;
let stagedFiles: string[];

/** Sets the write bits of a tree off (`writable` false) or on for its owner. */
function setWritable(root: string, writable: boolean): void {
  for (const entry of [root, ...fs.readdirSync(root, { recursive: true }).map((p) => path.join(root, String(p)))]) {
    const stat = fs.statSync(entry);
    const executable = stat.isDirectory() || fs.statSync(entry).mode.toString(8).slice(-3).split('').some((digit) => Number(digit) % 2 === 1);
    fs.chmodSync(entry, (executable ? 0o555 : 0o444) + (writable ? 0o200 : 0));
  }
}

/**
 * The user the server runs as: an unprivileged one (nobody) when the tests run as root, since
 * root ignores the read-only permissions that stand in for the read-only root file system.
 */
const SERVER_USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

beforeAll(() => {
  bundleExampleServer();
  dockerfile = parseDockerfile(fs.readFileSync(path.join(CONTEXT, 'Dockerfile'), 'utf8'));
  imageRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-fargate-image-'));
  stagedFiles = stageImage(dockerfile, imageRoot);
  // The task's root file system is read-only: so is the staged image, for an unprivileged user.
  setWritable(imageRoot, false);
}, 120_000);

afterAll(() => {
  setWritable(imageRoot, true);
  fs.rmSync(imageRoot, { recursive: true, force: true });
});

test('the image holds the start script and the bundle, and starts with an exec-form CMD from WORKDIR', () => {
  expect(stagedFiles).toEqual(['app/dist/server.js', 'app/dist/server.js.map', 'app/run.sh']);
  expect(() => fs.accessSync(path.join(imageRoot, 'app', 'run.sh'), fs.constants.X_OK)).not.toThrow();
  expect(dockerfile.workdir).toBe('/app');
  expect(dockerfile.cmd).toEqual(['./run.sh']);
});

describe.each([
  ['McpFargateExampleStack', McpFargateExampleStack, false],
  ['McpFargateStatefulExampleStack', McpFargateStatefulExampleStack, true],
] as const)('%s', (name, StackClass, stateful) => {
  let contract: ContainerContract;
  let server: ContainerProcess | undefined;
  let port: number;

  beforeAll(() => {
    contract = contractOf(new StackClass(new App(), name));
  });

  beforeEach(async () => {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...dockerfile.env,
      ...contract.environment,
      HOST: '127.0.0.1',
      PORT: '0',
    };
    const workdir = path.join(imageRoot, dockerfile.workdir);
    server = new ContainerProcess(path.resolve(workdir, dockerfile.cmd[0]), dockerfile.cmd.slice(1), workdir, env, SERVER_USER);
    const listening = await server.waitFor((line) => line.event === 'listening', 15_000);
    port = listening.port as number;
    expect(listening.mode).toBe(stateful ? 'stateful' : 'stateless');
  }, 20_000);

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  test('the task runs the image\'s unprivileged USER on a read-only root file system, /tmp a volume the image declares', () => {
    expect(dockerfile.user).toBe('node');
    expect(contract.user).toBe(dockerfile.user);
    expect(contract.readonlyRootFilesystem).toBe(true);
    expect(contract.writablePaths).toEqual(['/tmp']);
    // Without VOLUME, Fargate's /tmp volume is root-owned 0755 and the node user cannot write it.
    expect(dockerfile.volumes).toEqual(contract.writablePaths);
  });

  test('the image listens on the container port the task definition maps', () => {
    expect(Number(dockerfile.env.PORT)).toBe(contract.containerPort);
    expect(dockerfile.expose).toContain(contract.containerPort);
  });

  test('the target group\'s health check passes, and the MCP path would fail it', async () => {
    // The load balancer sends the task's private IP and port as Host.
    const health = await request(port, { method: 'GET', path: contract.healthCheckPath, headers: { Host: `10.0.1.23:${contract.containerPort}` } });
    // The matcher is a code or a range (`200-299`, the contract's 2xx).
    const [low, high = low] = contract.healthyCode.split('-').map(Number);
    expect(health.status).toBeGreaterThanOrEqual(low);
    expect(health.status).toBeLessThanOrEqual(high);
    const mcpGet = await request(port, { method: 'GET', path: '/mcp', headers: { Host: `10.0.1.23:${contract.containerPort}`, Accept: 'text/event-stream' } });
    expect(mcpGet.status).toBeGreaterThanOrEqual(400);
  });

  test('the Dockerfile HEALTHCHECK command succeeds against the running server', () => {
    expect(dockerfile.healthcheck.join(' ')).toContain(contract.healthCheckPath);
    const result = spawnSync(dockerfile.healthcheck[0], dockerfile.healthcheck.slice(1), {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(port) },
      timeout: 10_000,
    });
    expect(result.status).toBe(0);
  });

  test('an SDK 1.x client completes the MCP handshake and lists the tools', async () => {
    const client = new Client({ name: 'fargate-container-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBeTruthy();
      expect(transport.sessionId !== undefined).toBe(stateful);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['echo', 'get_time', 'health']);
    } finally {
      await client.close();
    }
  });

  test('requests with the load balancer\'s Host header are served; sessions match the target group\'s stickiness', async () => {
    const init = await request(port, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'alb-host-test', version: '1.0.0' } },
      }),
    });
    expect(init.status).toBe(200);
    expect(rpcMessage(init.body, init.headers['content-type']).result.serverInfo).toBeDefined();
    const sessionId = init.headers['mcp-session-id'] as string | undefined;
    // A server that hands out sessions must sit behind a sticky target group, and only then.
    expect(sessionId !== undefined).toBe(contract.sticky);
    const session: Record<string, string> = sessionId ? { 'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': '2025-06-18' } : {};
    await request(port, { method: 'POST', path: '/mcp', headers: { ...MCP_HEADERS, ...session }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const list = await request(port, {
      method: 'POST',
      path: '/mcp',
      headers: { ...MCP_HEADERS, ...session },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    expect(list.status).toBe(200);
    expect(rpcMessage(list.body, list.headers['content-type']).result.tools.length).toBe(3);
  });

  test('SIGTERM drains and exits 0 well within the container\'s stopTimeout', async () => {
    const started = Date.now();
    server!.signal('SIGTERM');
    const code = await Promise.race([
      server!.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running'), contract.stopTimeoutSeconds * 1000).unref()),
    ]);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(contract.stopTimeoutSeconds * 1000);
  }, 130_000);
});
