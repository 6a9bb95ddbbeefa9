/**
 * `mcp-probe <url> --origin <origin-url>` (issue 21): parsing, and the bundled binary against a
 * loopback front door answering as a broken CloudFront (WAF block, its own 502 page) with a
 * healthy SDK 2.x origin behind it, and with a broken one: both verdicts, the side, the exit status.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { useFrontDoorAndOrigin } from './fixtures/front-door-and-origin';
import { startSdk2 } from './fixtures/sdk-servers';
import { parseArgs, USAGE } from '../../lambda/cli/args';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mcp-probe');

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('parseArgs --origin', () => {
  test('the origin is probed with the front door\'s options at its own URL', () => {
    const parsed = parseArgs(['https://mcp.example.com/mcp', '--origin', 'https://abc.lambda-url.us-east-1.on.aws/mcp', '--header', 'X-One: 1', '--timeout', '4000', '--bearer-env', 'T'], { T: 'tok123456' });
    expect(parsed).toEqual(expect.objectContaining({
      kind: 'run',
      origin: { url: 'https://abc.lambda-url.us-east-1.on.aws/mcp', headers: { 'X-One': '1' }, timeoutMs: 4000, bearerToken: 'tok123456' },
    }));
  });

  test('--origin-sigv4 signs the origin instead of sending the front door\'s bearer token; the front door keeps its auth', () => {
    const parsed = parseArgs(['https://mcp.example.com/mcp', '--origin', 'https://abc.lambda-url.us-east-1.on.aws/mcp', '--origin-sigv4', 'us-east-1', '--bearer-env', 'T'], { T: 'tok123456' });
    if (parsed.kind !== 'run') throw new Error(JSON.stringify(parsed));
    expect(parsed.options.bearerToken).toBe('tok123456');
    expect(parsed.options.sigv4).toBeUndefined();
    expect(parsed.origin).toEqual({ url: 'https://abc.lambda-url.us-east-1.on.aws/mcp', sigv4: { region: 'us-east-1' } });
  });

  test('usage errors name the flag, the value and the fix', () => {
    expect(parseArgs(['https://mcp.example.com/mcp', '--origin-sigv4', 'us-east-1'], {})).toEqual({ kind: 'usage-error', message: '--origin-sigv4 signs the origin\'s requests: give it with --origin <origin-url>' });
    expect(parseArgs(['https://mcp.example.com/mcp', '--origin', 'https://mcp.example.com/mcp'], {})).toEqual({ kind: 'usage-error', message: expect.stringMatching(/^--origin "https:\/\/mcp\.example\.com\/mcp" is <url> itself: give the URL of the origin/) });
    expect(parseArgs(['https://mcp.example.com/mcp', '--origin', 'ftp://origin/mcp'], {})).toEqual({ kind: 'usage-error', message: expect.stringMatching(/^--origin /) });
    expect(parseArgs(['https://mcp.example.com/mcp', '--origin', 'https://o.example.com/mcp', '--origin-sigv4', 'Mars'], {})).toEqual({ kind: 'usage-error', message: expect.stringMatching(/^--origin-sigv4 region "Mars"/) });
    expect(parseArgs(['https://mcp.example.com/mcp', '--orign', 'https://o.example.com/mcp'], {})).toEqual({ kind: 'usage-error', message: 'unknown option --orign; did you mean --origin?' });
  });

  test('--profile is accepted with --origin-sigv4 alone', () => {
    expect(parseArgs(['https://mcp.example.com/mcp', '--origin', 'https://o.example.com/mcp', '--origin-sigv4', 'us-east-1', '--profile', 'ops'], {}).kind).toBe('run');
  });

  test('the help text documents both flags', () => {
    expect(USAGE).toMatch(/--origin <url> {10}Also probe the origin/);
    expect(USAGE).toMatch(/--origin-sigv4 <region> Sign the origin's requests/);
  });
});

describe('the binary with --origin', () => {
  beforeAll(() => {
    execFileSync('npx', ['projen', 'bundle:lambda/cli/main'], { cwd: ROOT, stdio: 'ignore' });
  });
  const servers = useFrontDoorAndOrigin();

  test('a WAF block with a healthy origin: both verdicts, the table and the side; exit 1', async () => {
    const run = await cli([servers.wafBlock.url, '--origin', servers.origin.url, '--timeout', '5000']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`mcp-probe ${servers.wafBlock.url}`);
    expect(run.stdout).toContain(`mcp-probe ${servers.origin.url}`);
    expect(run.stdout).toMatch(/^SIDE +VERDICT +CLASS +HTTP +TOTAL$/m);
    expect(run.stdout).toMatch(/^front door +FAIL +BLOCKED_BY_WAF +403 +\d+ ms$/m);
    expect(run.stdout).toMatch(/^origin +PASS +OK +200 +\d+ ms$/m);
    expect(run.stdout).toMatch(/^failed side: front door\. It fails \(BLOCKED_BY_WAF\) while the origin answers: look at the web ACL/m);
  });

  test('--json adds origin and failedSide to the front door\'s result', async () => {
    const run = await cli([servers.cloudFront502.url, '--origin', servers.brokenOrigin.url, '--json', '--timeout', '5000']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { ok: boolean; failureClass: string; failedSide: string; origin: { ok: boolean; failureClass: string } };
    expect(out).toEqual(expect.objectContaining({ ok: false, failureClass: 'BAD_GATEWAY', failedSide: 'origin' }));
    expect(out.origin).toEqual(expect.objectContaining({ ok: false, failureClass: 'UNAVAILABLE' }));
  });

  test('both healthy: exit 0, failedSide null', async () => {
    const second = await startSdk2('stateless');
    try {
      const run = await cli([servers.origin.url, '--origin', second.url, '--json', '--timeout', '5000']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(expect.objectContaining({ ok: true, failedSide: null, origin: expect.objectContaining({ ok: true }) }));
    } finally {
      await second.close();
    }
  });
});
