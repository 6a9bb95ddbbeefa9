/**
 * The example server with the OAuth environment contract (MCP_OAUTH_*), for real: the esbuild
 * bundle on 127.0.0.1, tokens minted by a real OAuth server from npm (oauth2-mock-server, in its
 * own process: test/fixtures/oauth-server/server.mjs), both protocol eras, every refusal a test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { ConfigError, parseConfig } from '../../examples/server/src/config';
import { bearerChallenge, OAUTH_ENV } from '../../src/contract/oauth-env';
import { bundleExampleServer, ExampleServerProcess, initializeRequest, postMcp, REPO_ROOT } from '../support/example-server-process';

const RESOURCE = 'https://mcp.example.com/mcp';
const SCOPE = 'mcp:tools';
const CANARY_CLIENT = 'canary-client-id';

/** An oauth2-mock-server process; `token()` runs a client_credentials grant against it. */
class OAuthServerProcess {
  public static async start(): Promise<OAuthServerProcess> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'test', 'fixtures', 'oauth-server', 'server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const issuer = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the OAuth server did not start within 15 s')), 15_000);
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { issuer: string }).issuer);
      });
      child.once('exit', (code) => reject(new Error(`the OAuth server exited with ${code}`)));
    });
    return new OAuthServerProcess(child, issuer);
  }

  private constructor(private readonly child: ChildProcess, public readonly issuer: string) {}

  /** An access token from the client_credentials grant; fields go into the token request. */
  public async token(fields: { aud?: string; scope?: string; client_id?: string; expired?: boolean } = {}): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined) {
        body.set(name, String(value));
      }
    }
    const res = await fetch(`${this.issuer}/token`, { method: 'POST', body, signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  public stop(): void {
    this.child.kill('SIGTERM');
  }
}

const MODERN_DISCOVER = { jsonrpc: '2.0', id: 1, method: 'server/discover', params: {} };
const MODERN_HEADERS = { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'server/discover' };

let issuer: OAuthServerProcess;
let otherIssuer: OAuthServerProcess;
let server: ExampleServerProcess;
let port: number;
let cognitoLike: ExampleServerProcess;
let cognitoLikePort: number;
const AS_METADATA = { issuer: 'https://mcp.example.com', authorization_endpoint: 'https://login.example.com/oauth2/authorize', token_endpoint: 'https://login.example.com/oauth2/token', code_challenge_methods_supported: ['S256'] };

beforeAll(async () => {
  bundleExampleServer();
  [issuer, otherIssuer] = await Promise.all([OAuthServerProcess.start(), OAuthServerProcess.start()]);
  ({ server, port } = await ExampleServerProcess.start({
    [OAUTH_ENV.ISSUER]: issuer.issuer,
    [OAUTH_ENV.RESOURCE]: RESOURCE,
    [OAUTH_ENV.JWKS_URL]: `${issuer.issuer}/jwks`,
    [OAUTH_ENV.SCOPES]: SCOPE,
  }));
  // As McpAuth.oauth configures a Cognito-protected service: JWKS from discovery, the canary's
  // audience-less client_credentials tokens, augmented authorization-server metadata.
  ({ server: cognitoLike, port: cognitoLikePort } = await ExampleServerProcess.start({
    [OAUTH_ENV.ISSUER]: issuer.issuer,
    [OAUTH_ENV.RESOURCE]: RESOURCE,
    [OAUTH_ENV.SCOPES]: SCOPE,
    [OAUTH_ENV.AUDIENCELESS_CLIENT_IDS]: CANARY_CLIENT,
    [OAUTH_ENV.AUTHORIZATION_SERVER]: 'https://mcp.example.com',
    [OAUTH_ENV.AUTHORIZATION_SERVER_METADATA]: JSON.stringify(AS_METADATA),
  }));
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), cognitoLike?.stop()]);
  issuer?.stop();
  otherIssuer?.stop();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('the example server with MCP_OAUTH_ISSUER: open paths', () => {
  test('/healthz needs no token', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(200);
  });

  test.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
    'the protected-resource metadata at %s names the resource, the issuer and the scopes', async (wellKnown) => {
      const res = await fetch(`http://127.0.0.1:${port}${wellKnown}`, { signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        resource: RESOURCE, authorization_servers: [issuer.issuer], scopes_supported: [SCOPE], bearer_methods_supported: ['header'],
      });
    });

  test('augmented authorization-server metadata is served on the service\'s origin, and named in authorization_servers', async () => {
    const res = await fetch(`http://127.0.0.1:${cognitoLikePort}/.well-known/oauth-authorization-server`, { signal: AbortSignal.timeout(5_000) });
    expect(await res.json()).toEqual(AS_METADATA);
    const prm = await fetch(`http://127.0.0.1:${cognitoLikePort}/.well-known/oauth-protected-resource/mcp`, { signal: AbortSignal.timeout(5_000) });
    expect(((await prm.json()) as { authorization_servers: string[] }).authorization_servers).toEqual(['https://mcp.example.com']);
  });
});

describe('the example server with MCP_OAUTH_ISSUER: a valid token, both eras', () => {
  test('a 2026-07-28 client (server/discover) with a token for the resource is served', async () => {
    const token = await issuer.token({ aud: RESOURCE, scope: SCOPE });
    const client = new V2Client({ name: 'oauth-modern', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new V2Transport(ExampleServerProcess.mcpUrl(port), { requestInit: { headers: bearer(token) } }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('health');
    } finally {
      await client.close();
    }
  });

  test('a 2025-era client (initialize) with a token for the resource is served', async () => {
    const token = await issuer.token({ aud: RESOURCE, scope: SCOPE });
    const res = await postMcp(port, initializeRequest(), bearer(token));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/"protocolVersion":"2025-06-18"/);
  });

  test('the canary\'s audience-less client_credentials token is accepted when its client id is listed', async () => {
    const res = await postMcp(cognitoLikePort, initializeRequest(), bearer(await issuer.token({ scope: SCOPE, client_id: CANARY_CLIENT })));
    expect(res.status).toBe(200);
  });
});

describe('the example server with MCP_OAUTH_ISSUER: refusals', () => {
  const challengeBase = bearerChallenge(RESOURCE, [SCOPE]);
  const resourceMetadata = /resource_metadata="https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource\/mcp"/;

  async function expect401(res: Response, description: RegExp): Promise<void> {
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer error="invalid_token"/);
    expect(challenge).toMatch(resourceMetadata);
    expect(challenge).toMatch(/scope="mcp:tools"/);
    expect(challenge).toMatch(description);
  }

  test('no token, 2026-07-28 request: 401 with resource_metadata and scope', async () => {
    expect(challengeBase).toMatch(resourceMetadata);
    await expect401(await postMcp(port, MODERN_DISCOVER, MODERN_HEADERS), /Missing Authorization header/);
  });

  test('no token, 2025-era initialize: 401 with resource_metadata and scope', async () => {
    await expect401(await postMcp(port, initializeRequest()), /Missing Authorization header/);
  });

  test('a token for another audience: 401', async () => {
    const token = await issuer.token({ aud: 'https://other.example.com/mcp', scope: SCOPE });
    await expect401(await postMcp(port, MODERN_DISCOVER, { ...MODERN_HEADERS, ...bearer(token) }), /not issued for this resource/);
  });

  test('a token without aud from a client that is not listed: 401', async () => {
    const token = await issuer.token({ scope: SCOPE, client_id: 'someone-else' });
    await expect401(await postMcp(cognitoLikePort, initializeRequest(), bearer(token)), /not issued for this resource/);
  });

  test('an expired token: 401', async () => {
    const token = await issuer.token({ aud: RESOURCE, scope: SCOPE, expired: true });
    await expect401(await postMcp(port, initializeRequest(), bearer(token)), /expired/);
  });

  test('a token from another issuer: 401', async () => {
    const token = await otherIssuer.token({ aud: RESOURCE, scope: SCOPE });
    await expect401(await postMcp(port, MODERN_DISCOVER, { ...MODERN_HEADERS, ...bearer(token) }), /not valid/);
  });

  test('a token with a tampered signature: 401', async () => {
    const token = await issuer.token({ aud: RESOURCE, scope: SCOPE });
    const [head, payload, signature] = token.split('.');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    await expect401(await postMcp(port, initializeRequest(), bearer(`${head}.${payload}.${flipped}`)), /signature is not valid/);
  });

  test('a token whose payload was altered (scope added) after signing: 401', async () => {
    const token = await issuer.token({ aud: RESOURCE, scope: 'other' });
    const [head, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: SCOPE })).toString('base64url');
    await expect401(await postMcp(port, initializeRequest(), bearer(`${head}.${forged}.${signature}`)), /signature is not valid/);
  });

  test('a token without the required scope: 403 insufficient_scope with the challenge', async () => {
    const token = await issuer.token({ aud: RESOURCE, scope: 'other' });
    const res = await postMcp(port, MODERN_DISCOVER, { ...MODERN_HEADERS, ...bearer(token) });
    expect(res.status).toBe(403);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer error="insufficient_scope"/);
    expect(challenge).toMatch(/scope="mcp:tools"/);
    expect(challenge).toMatch(resourceMetadata);
  });

  test('no refusal logs the token', async () => {
    const token = await issuer.token({ aud: 'https://other.example.com/mcp', scope: SCOPE });
    await postMcp(port, initializeRequest(), bearer(token));
    await server.waitForLog((line) => line.event === 'request_unauthorized' && line.reason === 'invalid_token');
    expect(JSON.stringify(server.logs)).not.toContain(token.split('.')[2]);
  });
});

describe('the OAuth configuration (config_invalid)', () => {
  test('MCP_OAUTH_ISSUER without MCP_OAUTH_RESOURCE is refused, naming the variable and the fix', () => {
    expect(() => parseConfig({ [OAUTH_ENV.ISSUER]: 'https://login.example.com' })).toThrow(ConfigError);
    expect(() => parseConfig({ [OAUTH_ENV.ISSUER]: 'https://login.example.com' })).toThrow(/MCP_OAUTH_RESOURCE is not set: .* e\.g\. https:\/\/mcp\.example\.com\/mcp/);
  });

  test('an http issuer that is not loopback, and a resource with a trailing slash, are both reported', () => {
    expect(() => parseConfig({ [OAUTH_ENV.ISSUER]: 'http://login.example.com', [OAUTH_ENV.RESOURCE]: 'https://mcp.example.com/mcp/' }))
      .toThrow(/MCP_OAUTH_ISSUER="http:\/\/login.example.com" is not an https URL[\s\S]*MCP_OAUTH_RESOURCE="https:\/\/mcp.example.com\/mcp\/" is not a canonical MCP URL/);
  });

  test('an OAuth variable without MCP_OAUTH_ISSUER is refused rather than ignored', () => {
    expect(() => parseConfig({ [OAUTH_ENV.RESOURCE]: RESOURCE })).toThrow(/MCP_OAUTH_RESOURCE is set but MCP_OAUTH_ISSUER is not/);
  });

  test('without MCP_OAUTH_ISSUER there is no OAuth', () => {
    expect(parseConfig({}).oauth).toBeUndefined();
  });

  test('the full contract parses', () => {
    expect(parseConfig({
      [OAUTH_ENV.ISSUER]: 'https://login.example.com/', [OAUTH_ENV.RESOURCE]: RESOURCE, [OAUTH_ENV.SCOPES]: 'a b', [OAUTH_ENV.AUDIENCE]: 'urn:api',
    }).oauth).toMatchObject({ issuer: 'https://login.example.com/', resource: RESOURCE, requiredScopes: ['a', 'b'], scopesSupported: ['a', 'b'], audience: 'urn:api', authorizationServer: 'https://login.example.com/' });
  });
});
