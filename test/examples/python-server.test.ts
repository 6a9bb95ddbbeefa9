/**
 * The Python example MCP server (examples/python-server), exercised for real: started through its
 * run.sh with the virtualenv's python on 127.0.0.1, probed by the probe engine in both protocol
 * eras; its Dockerfile and requirements checked for what can be checked without a Docker engine;
 * and the example stacks that deploy it.
 *
 * Needs `npx projen install:python-example` (CI runs it in .ci/run before the build).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { McpExpressPythonExampleStack } from '../../examples/express-stack';
import { McpLambdaPythonExampleStack, PYTHON_SERVER_CONTEXT } from '../../examples/lambda-stack';
import { probe, type ProbeOptions } from '../../lambda/probe';
import { LambdaWebAdapter } from '../../src';
import { CANARY_ENV } from '../../src/contract/canary-env';
import { ExampleServerProcess, REPO_ROOT } from '../support/example-server-process';

const RUN_SH = path.join(PYTHON_SERVER_CONTEXT, 'run.sh');
const DOCKERFILE = path.join(PYTHON_SERVER_CONTEXT, 'Dockerfile');
const REQUIREMENTS = path.join(PYTHON_SERVER_CONTEXT, 'requirements.txt');
const VENV_PYTHON = path.join(REPO_ROOT, '.venv-python-example', 'bin', 'python');
const INSTALL_COMMAND = 'npx projen install:python-example';
const TOOLS = ['echo', 'get_time', 'health'];
/** Importing the SDK takes seconds of CPU, and the test machines are shared: a generous bound. */
const START_TIMEOUT_MS = 60_000;

/** The virtualenv's python, or an error that says how to create it (never a silent skip). */
function venvPython(): string {
  if (!fs.existsSync(VENV_PYTHON)) {
    throw new Error(
      `${path.relative(REPO_ROOT, VENV_PYTHON)} does not exist: the Python example server's dependencies are not installed. ` +
        `Run "${INSTALL_COMMAND}" (creates .venv-python-example/ and pip installs examples/python-server/requirements.txt), then re-run the tests.`,
    );
  }
  return VENV_PYTHON;
}

/** Polls GET /healthz until it answers 200, for at most `timeoutMs`; returns the body. */
async function waitForHealthz(port: number, timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) {
        return (await res.json()) as Record<string, unknown>;
      }
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`GET /healthz did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function dockerInstructions(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('the Python example server on 127.0.0.1', () => {
  let server: ExampleServerProcess | undefined;
  let port = 0;
  let url = '';

  beforeAll(async () => {
    const started = await ExampleServerProcess.start(
      { PYTHON: venvPython(), HOST: '127.0.0.1', LOG_LEVEL: 'info' }, RUN_SH, START_TIMEOUT_MS);
    server = started.server;
    port = started.port;
    url = `http://127.0.0.1:${port}/mcp`;
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await server?.stop();
  });

  const probeIt = (options: Omit<ProbeOptions, 'url'>) => probe({ url, timeoutMs: 20_000, ...options });

  test('GET /healthz answers 200 with the tool count', async () => {
    await expect(waitForHealthz(port, 30_000)).resolves.toMatchObject({ status: 'ok', tools: 3, mode: 'stateless' });
  });

  test('a legacy (2025-era, initialize) probe lists the tools and calls the health sentinel', async () => {
    const res = await probeIt({ transport: 'legacy', expectTools: TOOLS, call: { name: 'health' } });
    expect(res).toMatchObject({
      ok: true,
      failureClass: 'OK',
      era: 'legacy',
      protocolVersion: '2025-11-25',
      server: { name: 'cdk-mcp-python-example-server', version: '1.0.0' },
      toolCount: 3,
    });
    expect([...res.tools].sort()).toEqual(TOOLS);
    expect(res.timings.toolCallMs).not.toBeNull();
  });

  test('a modern (2026-07-28, server/discover) probe lists the tools and calls the health sentinel', async () => {
    const res = await probeIt({ transport: 'modern', expectTools: TOOLS, call: { name: 'health' } });
    expect(res).toMatchObject({ ok: true, failureClass: 'OK', era: 'modern', protocolVersion: '2026-07-28', toolCount: 3 });
  });

  test('an auto probe (the canary\'s default) picks the modern era', async () => {
    const res = await probeIt({ expectTools: TOOLS, call: { name: 'health' } });
    expect(res).toMatchObject({ ok: true, era: 'modern' });
  });

  test('both eras list the same tools (same hash)', async () => {
    const [legacy, modern] = [await probeIt({ transport: 'legacy' }), await probeIt({ transport: 'modern' })];
    expect(legacy.toolsHash).toMatch(/^sha256:/);
    expect(modern.toolsHash).toBe(legacy.toolsHash);
  });

  test('a tool that fails is a TOOL_ERROR (the checks above can fail)', async () => {
    const res = await probeIt({ call: { name: 'get_time', arguments: { timeZone: 'Not/AZone' } } });
    expect(res).toMatchObject({ ok: false, failureClass: 'TOOL_ERROR' });
    expect(res.message).toMatch(/Unknown time zone 'Not\/AZone'/);
  });

  test('a browser Origin that is not allowed gets 403 and one request_rejected line', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream', 'Origin': 'https://evil.example' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { message: expect.stringMatching(/MCP_ALLOWED_ORIGINS/) } });
    await server!.waitForLog((line) => line.event === 'request_rejected' && line.reason === 'origin');
  });

  test('logs are JSON lines only, with a tool_call line per call and no request data', async () => {
    const call = await server!.waitForLog((line) => line.event === 'tool_call' && line.tool === 'health');
    expect(call).toMatchObject({ level: 'info', success: true, durationMs: expect.any(Number) });
    expect(server!.otherOutput).toEqual([]);
    expect(server!.dump()).not.toMatch(/Not\/AZone/);
  });

  test('SIGTERM lets an in-flight call finish, then the server exits 0', async () => {
    const inFlight = probeIt({ transport: 'modern', call: { name: 'echo', arguments: { text: 'bye', delayMs: 1_500 } } });
    await server!.waitForLog((line) => line.event === 'request' && line.status === 200 && line.path === '/mcp');
    await new Promise((resolve) => setTimeout(resolve, 300));
    server!.signal('SIGTERM');
    await expect(inFlight).resolves.toMatchObject({ ok: true });
    await expect(server!.exited).resolves.toEqual({ code: 0, signal: null });
    await server!.waitForLog((line) => line.event === 'stopped');
  }, 30_000);

  test('requirements.txt pins the whole installed dependency tree', () => {
    const installed = execFileSync(venvPython(), ['-m', 'pip', 'freeze', '--disable-pip-version-check'], { encoding: 'utf8' })
      .split('\n').map((l) => l.trim().toLowerCase().replace(/_/g, '-')).filter((l) => l !== '').sort();
    const pinned = fs.readFileSync(REQUIREMENTS, 'utf8')
      .split('\n').map((l) => l.trim().toLowerCase().replace(/_/g, '-')).filter((l) => l !== '' && !l.startsWith('#')).sort();
    for (const line of pinned) {
      expect(line).toMatch(/^[a-z0-9.-]+==[^=\s]+$/);
    }
    expect(pinned).toContain('mcp==2.3.0');
    expect(installed).toEqual(pinned);
  });
});

test('an invalid PORT stops the server with one config_invalid line and exit code 1', async () => {
  const server = new ExampleServerProcess({ PYTHON: venvPython(), PORT: 'eighty', LOG_LEVEL: 'loud' }, RUN_SH);
  try {
    const line = await server.waitForLog((l) => l.event === 'config_invalid', START_TIMEOUT_MS);
    expect(line.message).toMatch(/PORT='eighty' is not a TCP port/);
    expect(line.message).toMatch(/LOG_LEVEL='loud' is not a level: use debug, info, warn or error/);
    await expect(server.exited).resolves.toEqual({ code: 1, signal: null });
  } finally {
    await server.stop();
  }
}, START_TIMEOUT_MS + 10_000);

describe('the Python example Dockerfile (checked as text: no Docker engine here)', () => {
  const instructions = dockerInstructions(fs.readFileSync(DOCKERFILE, 'utf8'));
  const env = instructions.filter((i) => i.startsWith('ENV ')).join(' ');

  test('copies the Lambda Web Adapter extension of the release McpLambdaService attaches as a layer', () => {
    expect(LambdaWebAdapter.DEFAULT_LAYER_VERSION).toBe(30); // 1.1.0; update the Dockerfile's tag with the layer
    expect(instructions).toContain('COPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:1.1.0 /lambda-adapter /opt/extensions/lambda-adapter');
  });

  test('is not an AWS Lambda base image (the adapter needs a plain one, or an overridden ENTRYPOINT)', () => {
    const from = instructions.filter((i) => i.startsWith('FROM '));
    expect(from).toEqual([expect.stringMatching(/^FROM public\.ecr\.aws\/docker\/library\/python:3\.11-slim$/)]);
  });

  test('sets the contract: PORT 8080 on 0.0.0.0, readiness on /healthz', () => {
    expect(env).toMatch(/\bPORT=8080\b/);
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(env).toMatch(/\bAWS_LWA_READINESS_CHECK_PATH=\/healthz\b/);
  });

  test('installs the pinned requirements before copying the code, and starts run.sh', () => {
    const copyRequirements = instructions.indexOf('COPY requirements.txt ./');
    const install = instructions.findIndex((i) => /^RUN pip install .*-r requirements\.txt$/.test(i));
    const copyCode = instructions.indexOf('COPY server.py cdk_mcp_records.py run.sh ./');
    expect(copyRequirements).toBeGreaterThan(-1);
    expect(install).toBeGreaterThan(copyRequirements);
    expect(copyCode).toBeGreaterThan(install);
    expect(instructions[instructions.length - 1]).toBe('CMD ["./run.sh"]');
  });

  test('runs as a non-root user', () => {
    const users = instructions.filter((i) => i.startsWith('USER '));
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^USER (root|0)(:|$)/);
  });

  test('run.sh is an executable LF shell script', () => {
    const script = fs.readFileSync(RUN_SH, 'utf8');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).not.toMatch(/\r/);
    // eslint-disable-next-line no-bitwise
    expect(fs.statSync(RUN_SH).mode & 0o111).not.toBe(0);
  });
});

/** The Docker image assets of a stack, from its synthesized asset manifest (staged, never built). */
function dockerImageSources(app: App, stackName: string): Array<{ directory: string; platform?: string }> {
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, `${stackName}.assets.json`), 'utf8')) as {
    dockerImages?: Record<string, { source: { directory: string; platform?: string } }>;
  };
  return Object.values(manifest.dockerImages ?? {}).map((image) => image.source);
}

describe('the example stacks deploy it', () => {
  test('on Lambda as a container image built from examples/python-server, with the canary calling health', () => {
    const app = new App();
    const stack = new McpLambdaPythonExampleStack(app, 'Py');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { PackageType: 'Image', Architectures: ['arm64'] });
    const images = dockerImageSources(app, 'Py');
    expect(images).toEqual([{ directory: expect.any(String), platform: 'linux/arm64' }]);
    expect(fs.readFileSync(path.join(app.outdir, images[0].directory, 'Dockerfile'), 'utf8')).toBe(fs.readFileSync(DOCKERFILE, 'utf8'));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [CANARY_ENV.EXPECTED_TOOLS]: JSON.stringify(TOOLS), [CANARY_ENV.SENTINEL_TOOL]: 'health' }) },
    });
  });

  test('on ECS Express Mode from the same Dockerfile', () => {
    const app = new App();
    new McpExpressPythonExampleStack(app, 'PyExpress');
    const images = dockerImageSources(app, 'PyExpress');
    expect(images).toEqual([{ directory: expect.any(String), platform: 'linux/amd64' }]);
    expect(fs.readFileSync(path.join(app.outdir, images[0].directory, 'Dockerfile'), 'utf8')).toBe(fs.readFileSync(DOCKERFILE, 'utf8'));
  });
});
