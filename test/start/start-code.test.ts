/**
 * The start code the constructs put in front of the user's server, run for real: the Web Functions
 * start file with node, and the Lambda start wrapper (start.sh) with its Node.js and its Python
 * resolver, against a loopback Secrets Manager (JSON 1.1, SigV4 checked). The servers here read
 * only `PORT` and their secret variables, as the README's contract says.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSecretSpecs, portFromEndpoint, shellExports, valueOf } from '../../lambda/start/secrets';
import { FakeSecretsManager, functionEnvironment, startSecretsManager } from '../support/secrets-manager-server';

const ASSETS = path.join(__dirname, '..', '..', 'assets', 'lambda', 'start');
const LAYER = path.join(ASSETS, 'layer', 'cdk-mcp');
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-AbCdEf';
const DB = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-GhIjKl';
const DENIED = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:forbidden-MnOpQr';
// Quotes, a dollar, a backtick and a newline: the shell must pass them through untouched.
const TRICKY = 'it\'s "sk-123" $HOME `id`\nline2';

/** A server that reads only PORT, answers GET /healthz, and GET /env with its secret variables. */
const SERVER = `
const http = require('http');
http.createServer((req, res) => {
  if (req.url === '/healthz') { res.writeHead(200).end('ok'); return; }
  if (req.url === '/env') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ API_KEY: process.env.API_KEY, DB_PASSWORD: process.env.DB_PASSWORD })); return; }
  res.writeHead(404).end();
}).listen(Number(process.env.PORT));
`;

let sm: FakeSecretsManager;
let tmp: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(LAYER, 'start.sh'))) {
    execFileSync('npx', ['projen', 'bundle'], { cwd: path.join(__dirname, '..', '..'), stdio: 'ignore' });
  }
  sm = await startSecretsManager({ [SECRET]: TRICKY, [DB]: JSON.stringify({ username: 'app', password: 'pw-42' }) }, [DENIED]);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mcp-start-'));
});

afterAll(async () => {
  await sm.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function getUntilUp(url: string, deadlineMs = 10_000): Promise<Response> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(1000) });
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}


interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end without blocking the loopback server in this process. */
function run(command: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function secretsEnv(secrets: Record<string, string>): Record<string, string> {
  return { ...functionEnvironment(sm.endpoint), CDK_MCP_SECRETS: JSON.stringify(secrets) };
}

describe('the Web Functions start file', () => {
  function webFunctionDir(): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'wf-'));
    fs.copyFileSync(path.join(ASSETS, 'web-function-start', 'index.js'), path.join(dir, 'cdk-mcp-start.js'));
    fs.writeFileSync(path.join(dir, 'index.js'), SERVER);
    return dir;
  }

  test('a server that reads only PORT listens on AWS_LAMBDA_HTTP_ENDPOINT and sees its secrets as variables', async () => {
    // GIVEN the start file next to the server, as McpWebFunctionCode packages them
    const dir = webFunctionDir();
    const port = await freePort();
    // WHEN the runtime starts it with the endpoint variable (and no PORT)
    const child = spawn(process.execPath, [path.join(dir, 'cdk-mcp-start.js')], {
      env: { PATH: process.env.PATH, AWS_LAMBDA_HTTP_ENDPOINT: `127.0.0.1:${port}`, ...secretsEnv({ API_KEY: SECRET, DB_PASSWORD: `${DB}:password::` }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout!.on('data', (c) => { logs += c; });
    child.stderr!.on('data', (c) => { logs += c; });
    try {
      // THEN it answers there, with the secret values in its environment
      expect((await getUntilUp(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const env = await (await fetch(`http://127.0.0.1:${port}/env`)).json();
      expect(env).toEqual({ API_KEY: TRICKY, DB_PASSWORD: 'pw-42' });
      expect(logs).not.toContain('sk-123');
      expect(logs).not.toContain('pw-42');
    } finally {
      child.kill();
    }
  });

  test('loads an ES module server too', async () => {
    const dir = webFunctionDir();
    fs.writeFileSync(path.join(dir, 'server.mjs'), SERVER.replace("const http = require('http');", "import * as http from 'node:http';"));
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(dir, 'cdk-mcp-start.js')], {
      env: { PATH: process.env.PATH, AWS_LAMBDA_HTTP_ENDPOINT: `127.0.0.1:${port}`, CDK_MCP_SERVER_ENTRY: 'server.mjs' },
      stdio: 'ignore',
    });
    try {
      expect((await getUntilUp(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      child.kill();
    }
  });

  test('a denied secret fails the start with a line naming the variable and the ARN, before the server loads', async () => {
    const dir = webFunctionDir();
    fs.writeFileSync(path.join(dir, 'index.js'), 'console.log("SERVER LOADED");');
    const result = await run(process.execPath, [path.join(dir, 'cdk-mcp-start.js')],
      { PATH: process.env.PATH, AWS_LAMBDA_HTTP_ENDPOINT: '127.0.0.1:1', ...secretsEnv({ API_KEY: SECRET, TOKEN: DENIED }) });
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('SERVER LOADED');
    expect(result.stderr).toMatch(new RegExp(`cdk-mcp start: cannot set TOKEN from secret ${DENIED}: AccessDeniedException: .*not authorized`));
    expect(result.stderr).not.toContain('sk-123');
  });
});

describe('the Lambda start wrapper (start.sh)', () => {
  /** The next wrapper the Web Adapter would be: records the variables the server would get. */
  function recorder(): { script: string; out: string } {
    const dir = fs.mkdtempSync(path.join(tmp, 'lambda-'));
    const out = path.join(dir, 'env.json');
    const script = path.join(dir, 'next.sh');
    fs.writeFileSync(script, `#!/bin/sh\nprintf '%s' "$API_KEY" > "${out}.api"\nprintf '%s' "$DB_PASSWORD" > "${out}.db"\nprintf '%s' "$*" > "${out}.args"\n`, { mode: 0o755 });
    return { script, out };
  }

  /** PATH with python3 and the tools start.sh uses, but no node: a Python runtime. */
  function pythonOnlyPath(): string {
    const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
    // The interpreter itself, not a shim script that needs bash.
    fs.symlinkSync(execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim(), path.join(bin, 'python3'));
    fs.symlinkSync(execFileSync('/bin/sh', ['-c', 'command -v dirname'], { encoding: 'utf8' }).trim(), path.join(bin, 'dirname'));
    return bin;
  }

  const runtimes: Array<[string, () => string]> = [
    ['Node.js', () => `${path.dirname(process.execPath)}:/usr/bin:/bin`],
    ['Python', pythonOnlyPath],
  ];

  test.each(runtimes)('on a %s runtime the server process gets the secret values, a JSON key included', async (_runtime, pathOf) => {
    const { script, out } = recorder();
    const result = await run('/bin/sh', [path.join(LAYER, 'start.sh'), '/var/lang/bin/node', '/var/runtime/index.mjs'], { PATH: pathOf(), CDK_MCP_NEXT_WRAPPER: script, ...secretsEnv({ API_KEY: SECRET, DB_PASSWORD: `${DB}:password::` }) });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(`${out}.api`, 'utf8')).toBe(TRICKY);
    expect(fs.readFileSync(`${out}.db`, 'utf8')).toBe('pw-42');
    // The runtime's command reaches the Web Adapter's wrapper unchanged.
    expect(fs.readFileSync(`${out}.args`, 'utf8')).toBe('/var/lang/bin/node /var/runtime/index.mjs');
    expect(result.stdout).toBe('');
  });

  test.each(runtimes)('on a %s runtime a denied secret fails the start, naming the variable and the ARN', async (_runtime, pathOf) => {
    const { script, out } = recorder();
    const result = await run('/bin/sh', [path.join(LAYER, 'start.sh')], { PATH: pathOf(), CDK_MCP_NEXT_WRAPPER: script, ...secretsEnv({ API_KEY: SECRET, TOKEN: DENIED }) });
    expect(result.status).toBe(1);
    expect(fs.existsSync(`${out}.api`)).toBe(false);
    expect(result.stderr.trim()).toMatch(new RegExp(`^cdk-mcp start: cannot set TOKEN from secret ${DENIED}: AccessDeniedException: .*not authorized`));
    expect(result.stderr + result.stdout).not.toContain('sk-123');
  });

  test.each(runtimes)('on a %s runtime a missing JSON key fails the start, naming the key', async (_runtime, pathOf) => {
    const result = await run('/bin/sh', [path.join(LAYER, 'start.sh')], { PATH: pathOf(), CDK_MCP_NEXT_WRAPPER: '/bin/true', ...secretsEnv({ DB_PASSWORD: `${DB}:passwd::` }) });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cannot set DB_PASSWORD from secret ${DB}:passwd::: the secret's JSON has no key "passwd".`);
    expect(result.stderr).not.toContain('pw-42');
  });
});

describe('start-code parsing', () => {
  test('a reference in the ECS valueFrom form gives the secret id, the JSON key, the stage and the version', () => {
    expect(parseSecretSpecs(JSON.stringify({ A: `${DB}:password:AWSPREVIOUS:` }))).toEqual([
      { name: 'A', reference: `${DB}:password:AWSPREVIOUS:`, secretId: DB, jsonKey: 'password', versionStage: 'AWSPREVIOUS', versionId: undefined },
    ]);
  });

  test('an SSM parameter ARN is refused with the variable named', () => {
    expect(() => parseSecretSpecs(JSON.stringify({ A: 'arn:aws:ssm:us-east-1:1:parameter/x' }))).toThrow(/secret for A: .* is not a Secrets Manager ARN/);
  });

  test('a JSON value that is not a string is passed as JSON', () => {
    const [spec] = parseSecretSpecs(JSON.stringify({ A: `${DB}:port::` }));
    expect(valueOf(spec, { SecretString: '{"port":5432}' })).toBe('5432');
  });

  test('shell exports quote single quotes', () => {
    expect(shellExports({ A: "a'b" })).toBe("export A='a'\\''b'\n");
  });

  test.each([
    ['127.0.0.1:8080', { HOST: '127.0.0.1', PORT: '8080' }],
    ['[::1]:9000', { HOST: '::1', PORT: '9000' }],
    ['nonsense', undefined],
    [undefined, undefined],
  ])('AWS_LAMBDA_HTTP_ENDPOINT %s gives %j', (endpoint, expected) => {
    expect(portFromEndpoint(endpoint)).toEqual(expected);
  });
});
