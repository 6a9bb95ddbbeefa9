/**
 * `mcp-probe` answers like a good CLI: every command in --help and each with its own, --version,
 * did-you-mean for typos (exit 2), SigV4 credentials from the AWS chain and profiles, the
 * sentinel tool's result, verdicts that report the response that failed, and a probe process
 * that loads nothing it does not use (the AWS SDK lives in a bundle of its own). The bundled
 * binary is spawned against servers on 127.0.0.1.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeCertificates } from './fixtures/certs';
import { result, sendJson, startScripted, startServer } from './fixtures/http-server';
import { startSdk1Streamable } from './fixtures/sdk-servers';
import { signatureCheckingServer, verifiesSigV4 } from './fixtures/signing';
import { OPS_COMMANDS } from '../../lambda/cli/ops/usage';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mcp-probe');
const MAIN_BUNDLE = path.join(ROOT, 'assets', 'lambda', 'cli', 'main', 'index.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables that would let the AWS SDK find real credentials or reach a real endpoint. */
const AWS_VARIABLES = /^AWS_/;

/**
 * Runs the bundled CLI with the test's environment, minus every AWS_ variable of this process
 * (none of the machine's AWS configuration reaches the binary).
 */
function cli(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !AWS_VARIABLES.test(k))) as Record<string, string>;
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, BIN, ...args], {
      env: { ...base, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', ...env },
      timeout: 30_000,
    }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }));
  });
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(() => {
  // The binary requires the esbuild bundles in assets/; build them as the library build does.
  execFileSync('npx', ['projen', 'bundle:lambda/cli/main'], { cwd: ROOT, stdio: 'ignore' });
});

describe('help, version and usage errors', () => {
  test('--help lists every operator command with one line each', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: mcp-probe <url> \[options\]\n {7}mcp-probe <command> <service> \[options\]/);
    for (const command of OPS_COMMANDS) expect(run.stdout).toMatch(new RegExp(`\\n  ${command} +[A-Z][^\\n]+\\.\\n`));
    expect(run.stdout).toContain('-V, --version');
  });

  test.each(OPS_COMMANDS.map((c) => [c]))('%s has its own --help', async (command) => {
    const run = await cli([command, '--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(new RegExp(`^Usage: mcp-probe ${command} `));
    expect(run.stdout).toContain('--stack <name>');
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await cli([flag]);
      expect(run).toEqual({ code: 0, stdout: `mcp-probe ${version}\n`, stderr: '' });
    }
  });

  test.each([
    [['statuss', 'svc'], 'mcp-probe: unknown command "statuss"; did you mean "status"?\n'],
    [['canry', 'svc'], 'mcp-probe: unknown command "canry"; did you mean "canary"?\n'],
    [['maintenence'], 'mcp-probe: unknown command "maintenence"; did you mean "maintenance"?\n'],
    [['http://127.0.0.1:9/mcp', '--sigv44', 'us-east-1'], 'mcp-probe: unknown option --sigv44; did you mean --sigv4?\n'],
    [['http://127.0.0.1:9/mcp', '--jsno'], 'mcp-probe: unknown option --jsno; did you mean --json?\n'],
    [['http://127.0.0.1:9/mcp', '--zzz'], 'mcp-probe: unknown option --zzz; see mcp-probe --help\n'],
    [['status', 'svc', '--regoin', 'eu-west-1'], 'mcp-probe status: unknown option --regoin; did you mean --region?\n'],
    [['maintenance', 'strat', 'svc'], 'mcp-probe maintenance: unknown action "strat"; did you mean "start"?\n'],
  ])('%j is a usage error with a did-you-mean, exit 2', async (argv, stderr) => {
    const run = await cli(argv);
    expect(run).toEqual({ code: 2, stdout: '', stderr });
  });

  test('two words that are not a command and a URL name the commands', async () => {
    const run = await cli(['orders', 'svc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "orders": the commands are status, maintenance, canary; to probe a server, give its URL/);
  });
});

describe('--sigv4 and --sigv4a sign with the AWS credential chain', () => {
  const profile = { accessKeyId: 'AKIDPROFILEEXAMPLE', secretAccessKey: 'profileSecretKey/EXAMPLE0123456789', sessionToken: 'profileSessionTokenEXAMPLE' };
  const configured = { accessKeyId: 'AKIDCONFIGEXAMPLE', secretAccessKey: 'configSecretKey/EXAMPLE0123456789', sessionToken: 'configSessionTokenEXAMPLE' };
  let home: string;
  let env: Record<string, string>;

  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-probe-home-'));
    fs.mkdirSync(path.join(home, '.aws'));
    fs.writeFileSync(path.join(home, '.aws', 'credentials'), [
      '[probe-test]', `aws_access_key_id = ${profile.accessKeyId}`, `aws_secret_access_key = ${profile.secretAccessKey}`, `aws_session_token = ${profile.sessionToken}`, '',
    ].join('\n'));
    fs.writeFileSync(path.join(home, '.aws', 'config'), [
      '[profile from-config]', 'region = eu-west-1', `aws_access_key_id = ${configured.accessKeyId}`,
      `aws_secret_access_key = ${configured.secretAccessKey}`, `aws_session_token = ${configured.sessionToken}`, '',
    ].join('\n'));
    env = { HOME: home, AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'), AWS_CONFIG_FILE: path.join(home, '.aws', 'config') };
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  test('--profile takes the credentials of a profile in the shared credentials file', async () => {
    const verdicts: boolean[] = [];
    const server = await signatureCheckingServer(verifiesSigV4(profile, 'eu-west-1'), verdicts);
    try {
      const run = await cli([server.url, '--sigv4', 'eu-west-1', '--profile', 'probe-test'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // discover, initialize, notifications/initialized, tools/list: all signed with the profile's keys.
      expect(verdicts).toEqual([true, true, true, true]);
      expect(run.stdout).not.toContain(profile.secretAccessKey);
    } finally {
      await server.close();
    }
  });

  test('AWS_PROFILE names a profile of the config file, as the operator commands read it', async () => {
    const verdicts: boolean[] = [];
    const server = await signatureCheckingServer(verifiesSigV4(configured, 'eu-west-1'), verdicts);
    try {
      const run = await cli([server.url, '--sigv4', 'eu-west-1', '--json'], { ...env, AWS_PROFILE: 'from-config' });
      expect(run.code).toBe(0);
      expect(verdicts.length).toBeGreaterThanOrEqual(4);
      expect(verdicts.every(Boolean)).toBe(true);
    } finally {
      await server.close();
    }
  });

  test('no credentials: exit 2, the message names the flag and the profile and says what to do, never an internal option', async () => {
    const server = await startScripted();
    try {
      for (const [flag, value] of [['--sigv4', 'eu-west-1'], ['--sigv4a', '*']]) {
        const run = await cli([server.url, flag, value, '--profile', 'missing-profile'], env);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(new RegExp(`^mcp-probe: ${flag}: no AWS credentials to sign with from the profile "missing-profile" \\(--profile\\) .*: run aws sso login or aws configure`));
        expect(run.stderr).not.toMatch(/sigv4\.|credentials\b.*option/);
      }
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('--profile without --sigv4 is a usage error', async () => {
    const run = await cli(['http://127.0.0.1:9/mcp', '--profile', 'probe-test'], env);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/--profile names the AWS credentials to sign with: give it with --sigv4/);
  });
});

describe('--call prints the tool result', () => {
  test('the text content, redacted, under the verdict; --json carries it in toolResult', async () => {
    const server = await startScripted({
      'tools/call': (m, res) => sendJson(res, 200, result(m.id, {
        content: [
          { type: 'text', text: 'line one\nkey AKIAIOSFODNN7EXAMPLE in arn:aws:iam::123456789012:role/x\n\u001b[31mred' },
          { type: 'image', mimeType: 'image/png', data: Buffer.alloc(1234).toString('base64') },
          { type: 'resource_link', uri: 'file:///tmp/report.txt', name: 'report' },
        ],
      })),
    });
    try {
      const human = await cli([server.url, '--call', 'echo', '--args', '{"text":"hi"}']);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain([
        '  tool result:',
        '    line one',
        '    key [REDACTED] in arn:aws:iam:[REDACTED]',
        '    \\x1b[31mred',
        '',
        '    [image image/png 1234 bytes]',
        '',
        '    [resource link file:///tmp/report.txt]',
      ].join('\n'));
      expect(human.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE');
      const json = await cli([server.url, '--call', 'echo', '--json']);
      const parsed = JSON.parse(json.stdout) as { toolResult: { isError: boolean; text: string; truncated: boolean } };
      expect(parsed.toolResult).toMatchObject({ isError: false, truncated: false });
      expect(parsed.toolResult.text).toMatch(/^line one\nkey \[REDACTED\]/);
      expect(parsed.toolResult.text).not.toMatch(/iVBOR|AAAA/);
    } finally {
      await server.close();
    }
  });

  test('a long answer is cut with a note; an error result is shown with the failure', async () => {
    const long = await startScripted({ 'tools/call': (m, res) => sendJson(res, 200, result(m.id, { content: [{ type: 'text', text: 'lorem ipsum '.repeat(5_000) }] })) });
    const failing = await startScripted({ 'tools/call': (m, res) => sendJson(res, 200, result(m.id, { isError: true, content: [{ type: 'text', text: 'database unreachable' }] })) });
    try {
      const cut = await cli([long.url, '--call', 'echo']);
      expect(cut.code).toBe(0);
      expect(cut.stdout).toMatch(/\n {4}(lorem ipsum ){333}lore\n {2}\(cut at 4000 of 60000 characters/);
      const failed = await cli([failing.url, '--call', 'echo']);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/FAIL TOOL_ERROR[^\n]*\n[^\n]*database unreachable[^\n]*\nNext: [^\n]*\n {2}tool result \(isError: true\):\n {4}database unreachable\n$/);
    } finally {
      await long.close();
      await failing.close();
    }
  });
});

describe('verdicts report the response that failed', () => {
  test('a health path answering GET 200 reports the 404 of the POSTs, not the 200', async () => {
    const server = await startServer((req, res) => (req.method === 'GET'
      ? res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
      : res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found')), { path: '/healthz' });
    try {
      const run = await cli([server.url]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('FAIL NOT_FOUND (http layer, last HTTP status 404)');
      expect(run.stdout).toContain('HTTP 404');
      expect(JSON.parse((await cli([server.url, '--json'])).stdout)).toMatchObject({ failureClass: 'NOT_FOUND', httpStatus: 404 });
    } finally {
      await server.close();
    }
  });

  test('an OAuth-protected server reports the 401, not the status of the metadata fetched after it', async () => {
    let metadataUrl = '';
    const server = await startServer((req, res) => {
      if (req.url === '/.well-known/oauth-protected-resource') {
        sendJson(res, 200, { resource: 'http://127.0.0.1/mcp', authorization_servers: ['https://auth.example.com'] });
        return;
      }
      res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${metadataUrl}"`, 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
    });
    metadataUrl = `http://127.0.0.1:${server.port}/.well-known/oauth-protected-resource`;
    try {
      const run = await cli([server.url]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('FAIL AUTH_REQUIRED (http layer, last HTTP status 401)');
      expect(run.stdout).toContain('authorization servers https://auth.example.com');
      expect(JSON.parse((await cli([server.url, '--json'])).stdout)).toMatchObject({ failureClass: 'AUTH_REQUIRED', httpStatus: 401 });
      // The metadata was fetched: the 200 came after the 401.
      expect(server.requests.some((r) => r.url === '/.well-known/oauth-protected-resource')).toBe(true);
    } finally {
      await server.close();
    }
  });

  test('https:// to a plain-HTTP port says the port speaks plain HTTP, not to check the certificate', async () => {
    const server = await startScripted();
    try {
      const run = await cli([server.url.replace('http://', 'https://')]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/FAIL TLS_ERROR \(transport layer\)\n {2}TLS_ERROR: 127\.0\.0\.1 answered the TLS handshake with something that is not TLS: the port speaks plain HTTP; try http:\/\//);
      expect(run.stdout).toMatch(/\nNext: The port speaks plain HTTP: probe it with http:\/\//);
      expect(run.stdout).not.toContain('Check the certificate');
    } finally {
      await server.close();
    }
  });

  test('a certificate problem still points at the certificate (negative control)', async () => {
    const certs = makeCertificates();
    const server = await startScripted({}, { tls: certs.selfSigned });
    try {
      const run = await cli([server.url]);
      expect(run.stdout).toMatch(/FAIL TLS_ERROR[^\n]*\n[^\n]*untrusted[^\n]*\nNext: Check the certificate/);
    } finally {
      await server.close();
    }
  });

  test('--transport sse on a Streamable HTTP endpoint says so and to drop --transport sse', async () => {
    const server = await startSdk1Streamable({ stateful: true, json: false });
    try {
      const run = await cli([server.url, '--transport', 'sse']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/FAIL VERSION_MISMATCH \(protocol layer, last HTTP status 4\d\d\)\n {2}VERSION_MISMATCH: the endpoint speaks Streamable HTTP, not the 2024-11-05 HTTP\+SSE transport: drop --transport sse/);
      expect(run.stdout).toMatch(/\nNext: Drop --transport sse/);
      expect(run.stdout).not.toMatch(/stateless mode/);
    } finally {
      await server.close();
    }
  });

  test('a refused connection shows no handshake time beside a connect that never happened', async () => {
    const run = await cli([`http://127.0.0.1:${await closedPort()}/mcp`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\n {2}connect {11}-\n {2}tls {15}-\n {2}handshake {9}-\n/);
    expect(run.stdout).toContain('FAIL CONNECTION_REFUSED');
  });
});

describe('a probe loads nothing it does not use', () => {
  test('the main bundle holds no AWS SDK, and a probe never loads the operations bundle', async () => {
    expect(fs.readFileSync(MAIN_BUNDLE, 'utf8')).not.toContain('@aws-sdk');
    const hook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-probe-hook-')), 'hook.js');
    fs.writeFileSync(hook, "process.on('exit', () => process.stderr.write('LOADED ' + Object.keys(require.cache).filter((f) => f.includes('cli/ops')).join(',') + '\\n'));");
    const server = await startScripted();
    try {
      const probeRun = await cli([server.url], {}, ['--require', hook]);
      expect(probeRun.code).toBe(0);
      expect(probeRun.stderr).toBe('LOADED \n');
      // The operator commands do load it (the negative control of the check above).
      const opsRun = await cli(['status', 'svc', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1'], { AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake', AWS_MAX_ATTEMPTS: '1' }, ['--require', hook]);
      expect(opsRun.stderr).toMatch(/LOADED \S*cli\/ops\/index\/index\.js/);
    } finally {
      await server.close();
      fs.rmSync(path.dirname(hook), { recursive: true, force: true });
    }
  });
});
