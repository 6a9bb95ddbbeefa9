/**
 * The probe as an OAuth client against real components on 127.0.0.1 (test/fixtures/oauth/
 * oauth-servers.mjs, a child process: oidc-provider is ESM only): oidc-provider as the
 * authorization server (client_credentials, DCR, resource indicators, S256), an MCP server behind
 * the TypeScript SDK 1.32's requireBearerAuth with expectedResource, tokens verified with jose
 * against the provider's JWKS. Each negative case is a test; no token or secret in any output.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { runAuth } from '../../lambda/cli/auth';
import { MemoryTokenCache, probe, tokenCacheKey, type OAuthClientOptions, type ProbeResult } from '../../lambda/probe';


const FIXTURE = path.join(__dirname, '..', 'fixtures', 'oauth', 'oauth-servers.mjs');
const SECRET = 'probe-secret-0123456789abcdef';
const CLIENT: OAuthClientOptions = { clientId: 'probe-client', clientSecret: SECRET };
const READY_MS = 45_000;

interface Deployment {
  readonly issuer: string;
  readonly mcpUrl: string;
  readonly tokens: { readonly valid: string; readonly expired: string; readonly otherIssuer: string };
  /** Token requests the authorization server answered so far. */
  tokenRequests(): number;
  stop(): Promise<void>;
}

/** Starts the fixture with `env`, waits (bounded) for its ready line. */
async function deploy(env: Record<string, string> = {}): Promise<Deployment> {
  const child: ChildProcess = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let tokens = 0;
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the OAuth fixture did not start within ${READY_MS} ms: ${output}`)), READY_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      // oidc-provider writes its warnings to stdout too.
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as Record<string, unknown>;
      if (event.event === 'token') tokens++;
      if (event.event === 'ready') {
        clearTimeout(timer);
        resolve(event);
      }
    });
    void exited.then(() => reject(new Error(`the OAuth fixture exited: ${output}`)));
  });
  return {
    issuer: ready.issuer as string,
    mcpUrl: ready.mcpUrl as string,
    tokens: ready.tokens as Deployment['tokens'],
    tokenRequests: () => tokens,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A stream that keeps what is written. */
function sink(): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({ write: (chunk: Buffer, _enc, next) => { text += chunk.toString(); next(); } });
  return Object.assign(stream, { text: () => text });
}

/** The token the cache holds for a client of a URL (to check it never reaches an output). */
function cachedToken(cache: MemoryTokenCache, url: string, oauth: OAuthClientOptions): string {
  return cache.get(tokenCacheKey(url, oauth))!.accessToken;
}

/** Waits until the fixture has logged `count` token requests (its stdout lags the HTTP answer). */
async function tokenRequestsReach(deployment: Deployment, count: number): Promise<number> {
  for (let i = 0; i < 50 && deployment.tokenRequests() < count; i++) await new Promise((r) => setTimeout(r, 20));
  return deployment.tokenRequests();
}

function expectNoSecret(result: ProbeResult | string, ...secrets: string[]): void {
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  for (const secret of [SECRET, ...secrets]) expect(text).not.toContain(secret);
}

let good: Deployment;
let noS256: Deployment;
let mismatch: Deployment;

beforeAll(async () => {
  [good, noS256, mismatch] = await Promise.all([
    deploy(),
    deploy({ OAUTH_VARIANT: 'no-s256' }),
    deploy({ OAUTH_PRM_RESOURCE: 'https://mcp.example.com/mcp' }),
  ]);
}, 3 * READY_MS);

afterAll(async () => {
  await Promise.all([good, noS256, mismatch].filter(Boolean).map((d) => d.stop()));
});

describe('client_credentials against oidc-provider and the SDK bearer middleware', () => {
  test('GIVEN a discovered token endpoint WHEN probing with client_secret_basic THEN the probe passes and no token or secret is in the result', async () => {
    const cache = new MemoryTokenCache();
    const result = await probe({ url: good.mcpUrl, oauth: CLIENT, timeoutMs: 15_000 }, { tokenCache: cache });
    expect(result).toMatchObject({ ok: true, failureClass: 'OK', tools: ['whoami'] });
    expectNoSecret(result, cachedToken(cache, good.mcpUrl, CLIENT));
  });

  test('client_secret_post at a given token endpoint passes', async () => {
    const oauth: OAuthClientOptions = { clientId: 'post-client', clientSecret: 'post-secret-0123456789abcdef', tokenAuth: 'post', tokenUrl: `${good.issuer}/token`, scope: 'mcp:read' };
    const result = await probe({ url: good.mcpUrl, oauth, timeoutMs: 15_000 });
    expect(result).toMatchObject({ ok: true });
    expectNoSecret(result, 'post-secret-0123456789abcdef');
  });

  test('a cached token is reused: the second probe makes no token request', async () => {
    const cache = new MemoryTokenCache();
    const before = good.tokenRequests();
    expect((await probe({ url: good.mcpUrl, oauth: CLIENT, timeoutMs: 15_000 }, { tokenCache: cache })).ok).toBe(true);
    const afterFirst = await tokenRequestsReach(good, before + 1);
    expect((await probe({ url: good.mcpUrl, oauth: CLIENT, timeoutMs: 15_000 }, { tokenCache: cache })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(afterFirst).toBe(before + 1);
    expect(good.tokenRequests()).toBe(afterFirst);
  });

  test.each([
    ['expired', () => good.tokens.expired],
    ['issued by another issuer', () => good.tokens.otherIssuer],
    ['with a tampered signature', () => tamper(good.tokens.valid)],
  ])('a cached token %s gets 401, and the probe retries once with a fresh one', async (_name, bad) => {
    const cache = new MemoryTokenCache();
    cache.set(tokenCacheKey(good.mcpUrl, CLIENT), { accessToken: bad(), refreshAt: Date.now() + 60_000 });
    const before = good.tokenRequests();
    const result = await probe({ url: good.mcpUrl, oauth: CLIENT, timeoutMs: 15_000 }, { tokenCache: cache });
    expect(result).toMatchObject({ ok: true });
    expect(await tokenRequestsReach(good, before + 1)).toBe(before + 1);
    expectNoSecret(result, bad());
  });

  test('the untampered token the negative cases start from is accepted', async () => {
    expect((await probe({ url: good.mcpUrl, bearerToken: good.tokens.valid, transport: 'legacy', timeoutMs: 10_000 })).ok).toBe(true);
  });

  test.each([
    ['expired', () => good.tokens.expired],
    ['issued by another issuer', () => good.tokens.otherIssuer],
    ['with a tampered signature', () => tamper(good.tokens.valid)],
  ])('the server refuses a static token %s: AUTH_REQUIRED naming invalid_token, the token redacted', async (_name, bad) => {
    const result = await probe({ url: good.mcpUrl, bearerToken: bad(), transport: 'legacy', timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, failureClass: 'AUTH_REQUIRED', httpStatus: 401 });
    expect(result.message).toMatch(/rejected by the server as invalid_token/);
    expectNoSecret(result, bad());
  });

  test('a token for another audience is OAUTH_TOKEN_REJECTED, after one fresh token', async () => {
    const oauth = { ...CLIENT, resource: good.mcpUrl.replace(/\/mcp$/, '/other') };
    const cache = new MemoryTokenCache();
    const result = await probe({ url: good.mcpUrl, oauth, timeoutMs: 15_000 }, { tokenCache: cache });
    expect(result).toMatchObject({ ok: false, failureClass: 'OAUTH_TOKEN_REJECTED', layer: 'http', httpStatus: 401 });
    expect(result.message).toMatch(/Token was not issued for this resource/);
    expect(result.message).toMatch(/asked for resource http:\/\/127\.0\.0\.1:\d+\/other/);
    expectNoSecret(result, cachedToken(cache, good.mcpUrl, oauth));
  });

  test('a token without the required scope is OAUTH_TOKEN_REJECTED (403 insufficient_scope)', async () => {
    const result = await probe({ url: good.mcpUrl, oauth: { ...CLIENT, scope: 'mcp:other' }, timeoutMs: 15_000 });
    expect(result).toMatchObject({ ok: false, failureClass: 'OAUTH_TOKEN_REJECTED', httpStatus: 403 });
    expect(result.message).toMatch(/403 insufficient_scope/);
  });

  test('a wrong client secret is OAUTH_TOKEN_REQUEST_FAILED: 401 invalid_client, the secret not shown', async () => {
    const result = await probe({ url: good.mcpUrl, oauth: { ...CLIENT, clientSecret: 'wrong-secret-abcdef0123456789' }, timeoutMs: 15_000 });
    expect(result).toMatchObject({ ok: false, failureClass: 'OAUTH_TOKEN_REQUEST_FAILED' });
    expect(result.message).toMatch(/answered HTTP 401 invalid_client/);
    expectNoSecret(result, 'wrong-secret-abcdef0123456789');
  });

  test('a resource the authorization server does not serve is OAUTH_TOKEN_REQUEST_FAILED: 400 invalid_target', async () => {
    const result = await probe({ url: good.mcpUrl, oauth: { ...CLIENT, resource: 'https://mcp.example.com/not-served' }, timeoutMs: 15_000 });
    expect(result).toMatchObject({ ok: false, failureClass: 'OAUTH_TOKEN_REQUEST_FAILED' });
    expect(result.message).toMatch(/answered HTTP 400 invalid_target/);
  });

  test('metadata that names another resource is OAUTH_RESOURCE_MISMATCH, before any token request', async () => {
    const before = mismatch.tokenRequests();
    const result = await probe({ url: mismatch.mcpUrl, oauth: CLIENT, timeoutMs: 15_000 });
    expect(result).toMatchObject({ ok: false, failureClass: 'OAUTH_RESOURCE_MISMATCH' });
    expect(result.message).toMatch(/"resource" is "https:\/\/mcp\.example\.com\/mcp", not the URL probed/);
    expect(mismatch.tokenRequests()).toBe(before);
  });

  test('an authorization server without S256 still serves a machine client (no PKCE in client_credentials)', async () => {
    expect((await probe({ url: noS256.mcpUrl, oauth: CLIENT, timeoutMs: 15_000 })).ok).toBe(true);
  });
});

describe('mcp-probe auth <url>', () => {
  async function auth(url: string, json = true): Promise<{ code: number; out: string; err: string }> {
    const out = sink();
    const err = sink();
    const code = await runAuth([url, ...(json ? ['--json'] : [])], out, err);
    return { code, out: out.text(), err: err.text() };
  }

  test('GIVEN a server Claude accepts THEN every step is OK in the clients\' order and the exit status is 0', async () => {
    const run = await auth(good.mcpUrl);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as { proceed: boolean; steps: Array<{ id: string; status: string }> };
    expect(report.proceed).toBe(true);
    expect(report.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'challenge:ok', 'protected-resource-metadata:ok', 'resource:ok', 'authorization-server-metadata:ok', 'issuer:ok',
      'token-endpoint:ok', 'pkce:ok', 'registration:ok', 'iss-parameter:ok', 'jwks:ok',
    ]);
  });

  test('authorization-server metadata without S256 is refused: pkce FAIL, OAUTH_AS_METADATA_REJECTED, exit 1', async () => {
    const run = await auth(noS256.mcpUrl);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as { failureClass: string; steps: Array<{ id: string; status: string; detail: string }> };
    expect(report.failureClass).toBe('OAUTH_AS_METADATA_REJECTED');
    expect(report.steps.find((s) => s.id === 'pkce')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/no "code_challenge_methods_supported"/) });
  });

  test('the human output names the refusal and its fix', async () => {
    const run = await auth(mismatch.mcpUrl, false);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/FAIL {2}resource +"resource" is "https:\/\/mcp\.example\.com\/mcp", not the URL probed/);
    expect(run.out).toMatch(/fix: set "resource" in the protected-resource metadata to http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(run.out).toMatch(/^FAIL OAUTH_RESOURCE_MISMATCH: a client would refuse at resource$/m);
  });
});

describe('the CLI as an OAuth client', () => {
  const ROOT = path.join(__dirname, '..', '..');
  beforeAll(() => {
    // The binary requires the esbuild bundle in assets/; build it as the library build does.
    execFileSync('npx', ['projen', 'bundle:lambda/cli/main'], { cwd: ROOT, stdio: 'ignore' });
  });

  function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [path.join(ROOT, 'bin', 'mcp-probe'), ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (error, out, err) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err }));
    });
  }

  test('--oauth-client-id with the secret in a variable passes; --json has neither the secret nor the token', async () => {
    const run = await cli([good.mcpUrl, '--json', '--oauth-client-id', 'probe-client', '--oauth-client-secret-env', 'PROBE_SECRET', '--oauth-scope', 'mcp:read'], { PROBE_SECRET: SECRET });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ ok: true, failureClass: 'OK' });
    expectNoSecret(run.out + run.err);
    expect(run.out).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  test('a refused token request exits 1 with the class; human output without the secret', async () => {
    const run = await cli([good.mcpUrl, '--oauth-client-id', 'probe-client', '--oauth-client-secret-env', 'PROBE_SECRET'], { PROBE_SECRET: 'not-the-secret-0123456789' });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^FAIL OAUTH_TOKEN_REQUEST_FAILED/m);
    expect(run.out + run.err).not.toContain('not-the-secret-0123456789');
  });
});

/** The token with one character in the middle of its signature changed. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  const i = Math.floor(signature.length / 2);
  return `${header}.${payload}.${signature.slice(0, i)}${signature[i] === 'A' ? 'B' : 'A'}${signature.slice(i + 1)}`;
}
