/**
 * The `mcp-probe` CLI: argument parsing driven directly, and the bundled binary spawned against
 * servers on 127.0.0.1 (exit codes, --json contract, human output, secrets kept off argv).
 */
import { execFile, execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ALB_502_THROUGH_CLOUDFRONT, ALB_WAF_BLOCK, APIGW_MISSING_TOKEN, CLOUDFRONT_WAF_BLOCK, replay, type RecordedAnswer } from './fixtures/front-door-answers';
import { sendJson, startScripted, startServer } from './fixtures/http-server';
import { startSdk2 } from './fixtures/sdk-servers';
import { parseArgs, USAGE } from '../../lambda/cli/args';
import { formatHuman } from '../../lambda/cli/format';
import type { ProbeResult } from '../../lambda/probe';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mcp-probe');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI asynchronously (the servers live in this process). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  // The binary requires the esbuild bundle in assets/; build it as the library build does.
  execFileSync('npx', ['projen', 'bundle:lambda/cli/main'], { cwd: ROOT, stdio: 'ignore' });
});

describe('parseArgs', () => {
  test('maps every flag onto probe options', () => {
    const parsed = parseArgs([
      'https://example.com/mcp', '--json', '--timeout', '2500', '--expect-tools', 'a, b', '--expect-hash=sha256:0123456789abcdef',
      '--call', 'search', '--args', '{"q":"ping"}', '--header', 'X-One: 1', '--header', 'X-Two:2', '--bearer-env', 'TOKEN_VAR',
      '--sigv4', 'eu-west-1', '--transport', 'legacy',
    ], { TOKEN_VAR: 'tok123456', AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(parsed).toEqual({
      kind: 'run',
      json: true,
      options: {
        url: 'https://example.com/mcp',
        timeoutMs: 2500,
        expectTools: ['a', 'b'],
        expectHash: 'sha256:0123456789abcdef',
        call: { name: 'search', arguments: { q: 'ping' } },
        headers: { 'X-One': '1', 'X-Two': '2' },
        bearerToken: 'tok123456',
        sigv4: { region: 'eu-west-1' },
        transport: 'legacy',
      },
    });
  });

  test.each([
    ['*', ['*']],
    ['us-east-1,eu-west-1', ['us-east-1', 'eu-west-1']],
  ])('--sigv4a %j signs with SigV4a for the Region set %j', (value: string, regionSet: string[]) => {
    const parsed = parseArgs(['https://abc.lambda-web.global.on.aws/mcp', '--sigv4a', value], { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(parsed).toEqual({
      kind: 'run',
      json: false,
      options: { url: 'https://abc.lambda-web.global.on.aws/mcp', sigv4: { algorithm: 'sigv4a', regionSet } },
    });
  });

  test.each([
    [[], /missing <url>/],
    [['http://h/mcp', 'b'], /expected one <url>, got 2/],
    [['a', 'b'], /unknown command "a": the commands are status, maintenance, canary/],
    [['u', '--bogus'], /unknown option --bogus/],
    [['http://h/mcp', '--timeout'], /--timeout needs a value/],
    [['http://h/mcp', '--timeout', '0'], /--timeout "0" must be a whole number/],
    [['http://h/mcp', '--timeout', '1', '--timeout', '2'], /--timeout is given twice/],
    [['http://h/mcp', '--args', '{}'], /--args needs --call/],
    [['http://h/mcp', '--call', 't', '--args', '{nope'], /--args "\{nope" is not valid JSON/],
    [['http://h/mcp', '--call', 't', '--args', '[1]'], /must be a JSON object, not an array/],
    [['http://h/mcp', '--header', 'novalue'], /must look like 'Name: value'/],
    [['http://h/mcp', '--header', 'Authorization: Bearer abc'], /use --bearer-env|pass --bearer-env VAR/],
    [['http://h/mcp', '--bearer-env', 'UNSET_VAR_X'], /UNSET_VAR_X is unset or empty/],
    [['http://h/mcp', '--transport', 'grpc'], /--transport "grpc" is unknown/],
    [['http://h/mcp', '--expect-hash', 'abc'], /is not a tools hash/],
    [['http://h/mcp', '--sigv4', 'Mars'], /sigv4.region "Mars" is not an AWS region/],
    [['http://h/mcp', '--sigv4a', 'Mars'], /--sigv4a "Mars" is not a Region set: give '\*' \(quoted, so the shell does not expand it\) for every Region, or Region names separated by commas/],
    [['http://h/mcp', '--sigv4a', 'README.md'], /--sigv4a "README.md" is not a Region set/],
    [['http://h/mcp', '--sigv4a', 'us-east-1,'], /--sigv4a "us-east-1," is not a Region set/],
    [['http://h/mcp', '--sigv4a', '*', '--sigv4', 'us-east-1'], /--sigv4 and --sigv4a are both given: give --sigv4 <region> .* or --sigv4a '\*'/],
    [['http://h/mcp', '--profile', 'dev'], /--profile names the AWS credentials to sign with/],
    [['http://h/mcp', '--sigv4a'], /--sigv4a needs a value/],
    [['ftp://h/mcp'], /only http:\/\/ and https:\/\/ are supported/],
    [['not a url'], /is not a valid URL/],
  ])('%j is a usage error matching %s', (argv, message) => {
    const parsed = parseArgs(argv as string[], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    expect(parsed.kind).toBe('usage-error');
    expect(parsed.kind === 'usage-error' && parsed.message).toMatch(message);
  });

  test('the usage text documents every flag', () => {
    for (const flag of ['--json', '--timeout', '--expect-tools', '--expect-hash', '--call', '--args', '--header', '--bearer-env', '--sigv4', '--sigv4a', '--profile', '--transport', '--help', '--version']) {
      expect(USAGE).toContain(flag);
    }
  });
});

describe('formatHuman', () => {
  const base: ProbeResult = {
    ok: true,
    failureClass: 'OK',
    layer: null,
    era: 'modern',
    protocolVersion: '2026-07-28',
    server: { name: 'srv', version: '1.2.3' },
    toolCount: 2,
    tools: ['a', 'b'],
    toolsHash: 'sha256:0123456789abcdef',
    httpStatus: 200,
    frontDoor: 'cloudfront',
    certDaysRemaining: 41,
    timings: { connectMs: 12, tlsMs: 20, handshakeMs: 30, toolsListMs: 9, toolCallMs: null, totalMs: 75 },
    message: 'OK: srv',
    traceId: null,
  };

  test('a healthy result shows every phase, the certificate, the verdict and the tools', () => {
    expect(formatHuman('https://user:pw@mcp.example.com/mcp?key=secret', base)).toBe([
      'mcp-probe https://mcp.example.com/mcp?…',
      '  connect       12 ms',
      '  tls           20 ms   certificate expires in 41 days',
      '  handshake     30 ms   modern 2026-07-28, server srv 1.2.3',
      '  tools/list     9 ms   2 tools (sha256:0123456789abcdef)',
      '  tools/call        -',
      '  total         75 ms',
      'PASS OK: srv',
      '  tools: a, b',
      '',
    ].join('\n'));
  });

  test('a failed result names the class, layer, status and front door, and what to check next', () => {
    const text = formatHuman('http://h/mcp', {
      ...base,
      ok: false,
      failureClass: 'THROTTLED',
      layer: 'http',
      httpStatus: 429,
      message: 'THROTTLED: HTTP 429',
      era: null,
      timings: { ...base.timings, handshakeMs: 3, toolsListMs: null },
    });
    expect(text).toContain('FAIL THROTTLED (http layer, last HTTP status 429, front door cloudfront)\n  THROTTLED: HTTP 429\nNext: Raise the concurrency');
    expect(text).toMatch(/ {2}handshake +3 ms\n/);
  });
});

describe('the mcp-probe binary', () => {
  test('--help prints the usage and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: mcp-probe <url> [options]');
    expect(run.stdout).toMatch(/Exit status: 0 .* 1 .*\n2 bad usage/);
  });

  test('bad usage exits 2 with the problem on stderr', async () => {
    const run = await cli(['http://127.0.0.1:9/mcp', '--timeout', 'soon']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^mcp-probe: --timeout "soon" must be a whole number/);
  });

  test('--json prints exactly the probe result and exits 0 for a healthy server', async () => {
    const server = await startSdk2('stateless');
    try {
      const run = await cli([server.url, '--json', '--call', 'echo', '--args', '{"text":"hi"}', '--expect-tools', 'echo,slow']);
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(Object.keys(result).sort()).toEqual([
        'certDaysRemaining', 'era', 'failureClass', 'frontDoor', 'httpStatus', 'layer', 'message', 'ok',
        'protocolVersion', 'server', 'timings', 'toolCount', 'toolResult', 'tools', 'toolsHash', 'traceId',
      ]);
      expect(Object.keys(result.timings).sort()).toEqual(['connectMs', 'handshakeMs', 'tlsMs', 'toolCallMs', 'toolsListMs', 'totalMs']);
      expect(result).toMatchObject({ ok: true, failureClass: 'OK', era: 'modern', toolCount: 4 });
    } finally {
      await server.close();
    }
  });

  test('human output shows the phases, the verdict and the tools', async () => {
    const server = await startSdk2('stateless');
    try {
      const run = await cli([server.url, '--transport', 'legacy']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^mcp-probe http:\/\/127\.0\.0\.1:\d+\/mcp\n/);
      expect(run.stdout).toMatch(/ {2}handshake +\d+ ms {3}legacy 2025-11-25, server sdk2-test 2\.0\.0/);
      expect(run.stdout).toMatch(/ {2}tools\/list +\d+ ms {3}4 tools \(sha256:[0-9a-f]{16}\)/);
      expect(run.stdout).toMatch(/\nPASS OK: /);
    } finally {
      await server.close();
    }
  });

  test('a failed probe exits 1 and says what to look at next', async () => {
    const server = await startServer((_req, res) => sendJson(res, 504, { message: 'Endpoint request timed out' }, { 'x-amz-apigw-id': 'x' }));
    try {
      const run = await cli([server.url]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('FAIL GATEWAY_TIMEOUT (http layer, last HTTP status 504, front door apigateway)');
      expect(run.stdout).toMatch(/\nNext: The front door timed out/);
    } finally {
      await server.close();
    }
  });

  /** Runs the CLI twice against a server replaying a recorded answer: human output, then --json. */
  async function cliAgainst(answer: RecordedAnswer): Promise<{ human: Run; json: Run; result: ProbeResult }> {
    const server = await startServer(replay(answer));
    try {
      const human = await cli([server.url]);
      const json = await cli([server.url, '--json']);
      return { human, json, result: JSON.parse(json.stdout) as ProbeResult };
    } finally {
      await server.close();
    }
  }

  test('a WAF block at CloudFront: the human output names the class, the front door and the rules; --json the same', async () => {
    const { human, json, result } = await cliAgainst(CLOUDFRONT_WAF_BLOCK);
    expect([human.code, json.code]).toEqual([1, 1]);
    expect(human.stdout).toContain('FAIL BLOCKED_BY_WAF (http layer, last HTTP status 403, front door cloudfront)');
    expect(human.stdout).toMatch(/\nNext: The distribution's web ACL \(a global web ACL, in us-east-1\) blocked the request: find the request in the web ACL's sampled requests .*SizeRestrictions_BODY .*Claude-User/);
    expect(result).toMatchObject({ failureClass: 'BLOCKED_BY_WAF', layer: 'http', httpStatus: 403, frontDoor: 'cloudfront' });
    expect(result.message).toMatch(/sampled requests or logs \(terminatingRuleId\); suspect SizeRestrictions_BODY/);
  });

  test("an origin's 502 through CloudFront: the output says the origin (an ALB) answered, not CloudFront", async () => {
    const { human, result } = await cliAgainst(ALB_502_THROUGH_CLOUDFRONT);
    expect(human.stdout).toContain('FAIL BAD_GATEWAY (http layer, last HTTP status 502, front door cloudfront)');
    expect(human.stdout).toMatch(/answered by the origin \(alb\) and passed through by CloudFront/);
    expect(human.stdout).toMatch(/\nNext: If CloudFront generated the page, .* If the origin answered 502/);
    expect(result).toMatchObject({ failureClass: 'BAD_GATEWAY', frontDoor: 'cloudfront' });
    expect(result.message).toMatch(/answered by the origin \(alb\)/);
  });

  test('API Gateway\'s "Missing Authentication Token": FORBIDDEN naming the stage and path, in both outputs', async () => {
    const { human, result } = await cliAgainst(APIGW_MISSING_TOKEN);
    expect(human.stdout).toContain('FAIL FORBIDDEN (http layer, last HTTP status 403, front door apigateway)');
    expect(human.stdout).toMatch(/\nNext: "Missing Authentication Token": the stage, path or method does not exist/);
    expect(result).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: 'apigateway' });
    expect(result.message).toMatch(/"Missing Authentication Token"\): no route matches: check the stage name/);
  });

  test('a plain server\'s 403 page stays FORBIDDEN with no front door, in both outputs', async () => {
    const { human, result } = await cliAgainst({ ...ALB_WAF_BLOCK, headers: { 'Content-Type': 'text/html' } });
    expect(human.stdout).toContain('FAIL FORBIDDEN (http layer, last HTTP status 403)\n');
    expect(result).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: null });
  });

  test('the bearer token comes from the named variable, reaches the server and is never printed', async () => {
    const server = await startServer((req, res) => res.writeHead(403, { 'content-type': 'text/plain' }).end(`bad token ${req.headers.authorization}`));
    try {
      const run = await cli([server.url, '--json', '--bearer-env', 'PROBE_TOKEN', '--header', 'X-Trace: on'], { PROBE_TOKEN: 'tok-CLI-5566778899' });
      expect(run.code).toBe(1);
      expect(server.requests[0].headers).toMatchObject({ 'authorization': 'Bearer tok-CLI-5566778899', 'x-trace': 'on' });
      expect(run.stdout).not.toContain('tok-CLI-5566778899');
      expect(JSON.parse(run.stdout)).toMatchObject({ failureClass: 'FORBIDDEN' });
    } finally {
      await server.close();
    }
  });

  test('--expect-hash with another hash exits 1 with SCHEMA_DRIFT', async () => {
    const server = await startScripted();
    try {
      const run = await cli([server.url, '--json', '--expect-hash', 'sha256:ffffffffffffffff']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ failureClass: 'SCHEMA_DRIFT', layer: 'tools' });
    } finally {
      await server.close();
    }
  });
});
