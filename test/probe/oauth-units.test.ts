/**
 * The OAuth client's pure parts: challenge parsing, where clients look for metadata, what they
 * refuse, the token request, the cache's refresh time; discovery through an injected fetch (API
 * Gateway's renamed challenge); the CLI's OAuth flags and `auth` arguments.
 */
import { parseArgs } from '../../lambda/cli/args';
import { parseAuthArgs } from '../../lambda/cli/auth';
import { accessToken, chooseTokenAuth, MemoryTokenCache, refreshAt, tokenRequest } from '../../lambda/probe/oauth-client';
import { discover } from '../../lambda/probe/oauth-discovery';
import type { OAuthFetch, OAuthResponse } from '../../lambda/probe/oauth-http';
import {
  authorizationServerLocations, authorizationServerVerdicts, parseBearerChallenge, protectedResourceLocations, resourceVerdict,
} from '../../lambda/probe/oauth-verdicts';

const answer = (status: number, json?: unknown, headers: Record<string, string> = {}): OAuthResponse =>
  ({ status, headers, body: json === undefined ? '' : JSON.stringify(json), json });

/** A fetch that answers from a table of `METHOD url` keys; anything else is a 404. */
function fakeFetch(table: Record<string, OAuthResponse>, seen: string[] = []): OAuthFetch {
  return async (request) => {
    const key = `${request.method} ${request.url.href}`;
    seen.push(key);
    return table[key] ?? answer(404);
  };
}

describe('challenge and locations', () => {
  test('reads resource_metadata and scope from a Bearer challenge with other params', () => {
    expect(parseBearerChallenge('Bearer error="invalid_token", error_description="Missing", scope="a b", resource_metadata="https://h/.well-known/oauth-protected-resource/mcp"'))
      .toEqual({ error: 'invalid_token', scope: 'a b', resourceMetadata: 'https://h/.well-known/oauth-protected-resource/mcp' });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
  });

  test('protected-resource metadata: path-aware first, then the root', () => {
    expect(protectedResourceLocations(new URL('https://h/public/mcp')).map(String))
      .toEqual(['https://h/.well-known/oauth-protected-resource/public/mcp', 'https://h/.well-known/oauth-protected-resource']);
  });

  test('authorization-server metadata of an issuer with a path (Cognito): RFC 8414, OIDC inserted, OIDC appended', () => {
    expect(authorizationServerLocations(new URL('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC')).map(String)).toEqual([
      'https://cognito-idp.eu-west-1.amazonaws.com/.well-known/oauth-authorization-server/eu-west-1_AbC',
      'https://cognito-idp.eu-west-1.amazonaws.com/.well-known/openid-configuration/eu-west-1_AbC',
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/openid-configuration',
    ]);
    expect(authorizationServerLocations(new URL('https://auth.example.com')).map(String))
      .toEqual(['https://auth.example.com/.well-known/oauth-authorization-server', 'https://auth.example.com/.well-known/openid-configuration']);
  });
});

describe('verdicts', () => {
  test('resource: equal up to case of the host and a trailing slash is OK; a parent is a warning; another host fails', () => {
    expect(resourceVerdict('https://MCP.example.com/mcp/', 'https://mcp.example.com/mcp').status).toBe('ok');
    expect(resourceVerdict('https://mcp.example.com', 'https://mcp.example.com/mcp').status).toBe('warn');
    expect(resourceVerdict('https://abc.lambda-url.us-east-1.on.aws/mcp', 'https://mcp.example.com/mcp'))
      .toMatchObject({ status: 'fail', failureClass: 'OAUTH_RESOURCE_MISMATCH', blocksMachine: true });
  });

  const good = {
    issuer: 'https://as',
    token_endpoint: 'https://as/token',
    code_challenge_methods_supported: ['S256'],
    registration_endpoint: 'https://as/register',
    authorization_response_iss_parameter_supported: true,
  };
  const status = (metadata: Record<string, unknown>) => Object.fromEntries(authorizationServerVerdicts(metadata, 'https://as').map((s) => [s.id, s.status]));

  test('metadata Claude accepts passes every check', () => {
    expect(status(good)).toEqual({ 'issuer': 'ok', 'token-endpoint': 'ok', 'pkce': 'ok', 'registration': 'ok', 'iss-parameter': 'ok' });
  });

  test('another issuer fails for every client; missing S256 or registration only for interactive ones', () => {
    const steps = authorizationServerVerdicts({ ...good, issuer: 'https://other', code_challenge_methods_supported: ['plain'], registration_endpoint: undefined }, 'https://as');
    expect(steps.filter((s) => s.status === 'fail').map((s) => [s.id, s.failureClass, s.blocksMachine ?? false]))
      .toEqual([['issuer', 'OAUTH_AS_METADATA_REJECTED', true], ['pkce', 'OAUTH_AS_METADATA_REJECTED', false], ['registration', 'OAUTH_AS_METADATA_REJECTED', false]]);
  });

  test('CIMD without none among the token endpoint auth methods is a warning (Claude will not choose CIMD)', () => {
    const steps = authorizationServerVerdicts({ ...good, registration_endpoint: undefined, client_id_metadata_document_supported: true, token_endpoint_auth_methods_supported: ['client_secret_basic'] }, 'https://as');
    expect(steps.find((s) => s.id === 'registration')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/lacks none/) });
  });
});

describe('token request and cache', () => {
  test('client_secret_basic form-encodes id and secret before base64 and sends resource; post puts them in the body', () => {
    const basic = tokenRequest({ clientId: 'a b', clientSecret: 's:1' }, 'basic', 'https://h/mcp', 'x y');
    expect(Buffer.from(basic.headers.authorization.slice(6), 'base64').toString()).toBe('a+b:s%3A1');
    expect(new URLSearchParams(basic.body).get('resource')).toBe('https://h/mcp');
    expect(new URLSearchParams(basic.body).get('client_secret')).toBeNull();
    const post = new URLSearchParams(tokenRequest({ clientId: 'id', clientSecret: 'sec' }, 'post', 'https://h/mcp', undefined).body);
    expect([post.get('client_id'), post.get('client_secret'), post.has('scope')]).toEqual(['id', 'sec', false]);
  });

  test('post only when the metadata lists client_secret_post without client_secret_basic', () => {
    expect(chooseTokenAuth(['client_secret_post'])).toBe('post');
    expect(chooseTokenAuth(['client_secret_post', 'client_secret_basic'])).toBe('basic');
    expect(chooseTokenAuth(undefined)).toBe('basic');
  });

  test('a token is refreshed shortly before it expires: 60 s early for an hour, a tenth for 5 minutes', () => {
    expect(refreshAt(0, 3600)).toBe(3_540_000);
    expect(refreshAt(0, 300)).toBe(270_000);
  });

  test('a cached token is used until its refresh time, then a new one is requested', async () => {
    let requests = 0;
    const fetch: OAuthFetch = async () => {
      requests++;
      return answer(200, { access_token: `tok-${requests}`, token_type: 'Bearer', expires_in: 300 });
    };
    let now = 1_000_000;
    const deps = { fetch, tokenCache: new MemoryTokenCache(), now: () => now };
    const oauth = { clientId: 'c', clientSecret: 's3cret-value', tokenUrl: 'https://as/token' };
    expect(await accessToken('https://h/mcp', oauth, deps)).toEqual({ token: 'tok-1', fresh: true });
    now += 269_000;
    expect(await accessToken('https://h/mcp', oauth, deps)).toEqual({ token: 'tok-1', fresh: false });
    now += 2_000;
    expect(await accessToken('https://h/mcp', oauth, deps)).toEqual({ token: 'tok-2', fresh: true });
  });
});

describe('discovery through an injected fetch', () => {
  test('API Gateway\'s renamed challenge is named, and the well-known path-aware metadata is used', async () => {
    const seen: string[] = [];
    const found = await discover('https://api.example.com/prod/mcp', fakeFetch({
      'POST https://api.example.com/prod/mcp': answer(401, { message: 'Unauthorized' }, { 'x-amzn-remapped-www-authenticate': 'Bearer resource_metadata="https://api.example.com/prod/.well-known/oauth-protected-resource"' }),
      'GET https://api.example.com/.well-known/oauth-protected-resource/prod/mcp': answer(200, { resource: 'https://api.example.com/prod/mcp', authorization_servers: ['https://as'] }),
    }, seen));
    expect(found.steps[0]).toMatchObject({ id: 'challenge', status: 'warn', detail: expect.stringMatching(/x-amzn-remapped-www-authenticate/) });
    expect(found.steps[1]).toMatchObject({ id: 'protected-resource-metadata', status: 'ok' });
    expect(found.steps.find((s) => s.id === 'authorization-server-metadata')).toMatchObject({ status: 'fail', failureClass: 'OAUTH_METADATA_MISSING' });
    expect(seen).toContain('GET https://as/.well-known/openid-configuration');
  });

  test('no metadata anywhere is OAUTH_METADATA_MISSING naming each location tried', async () => {
    const found = await discover('https://h/mcp', fakeFetch({ 'POST https://h/mcp': answer(401, {}, { 'www-authenticate': 'Bearer' }) }));
    expect(found.steps.at(-1)).toMatchObject({
      id: 'protected-resource-metadata',
      status: 'fail',
      failureClass: 'OAUTH_METADATA_MISSING',
      detail: '/.well-known/oauth-protected-resource/mcp HTTP 404; /.well-known/oauth-protected-resource HTTP 404'.replace(/^/, 'no protected-resource metadata (').replace(/$/, ')'),
    });
  });
});

describe('CLI', () => {
  const env = { SECRET: 'cli-secret-0123456789' };

  test('the OAuth flags map onto probe options; the secret comes from the variable', () => {
    const parsed = parseArgs(['https://h/mcp', '--oauth-client-id', 'c1', '--oauth-client-secret-env', 'SECRET', '--oauth-scope', 'a b',
      '--oauth-token-url', 'https://as/token', '--oauth-resource', 'https://h/mcp', '--oauth-token-auth', 'post'], env);
    expect(parsed).toMatchObject({ kind: 'run', options: { oauth: { clientId: 'c1', clientSecret: env.SECRET, scope: 'a b', tokenUrl: 'https://as/token', resource: 'https://h/mcp', tokenAuth: 'post' } } });
  });

  test.each([
    [['--oauth-client-id', 'c1'], /--oauth-client-id needs --oauth-client-secret-env <VAR>/],
    [['--oauth-client-id', 'c1', '--oauth-client-secret-env', 'UNSET_VAR'], /--oauth-client-secret-env UNSET_VAR: the environment variable UNSET_VAR is unset or empty/],
    [['--oauth-scope', 'a'], /--oauth-scope needs --oauth-client-id/],
    [['--oauth-client-id', 'c1', '--oauth-client-secret-env', 'SECRET', '--oauth-token-auth', 'jwt'], /--oauth-token-auth "jwt" is unknown: use basic \(client_secret_basic\) or post/],
    [['--oauth-client-id', 'c1', '--oauth-client-secret-env', 'SECRET', '--bearer-env', 'SECRET'], /--bearer-env and --oauth-client-id are both given/],
    [['--oauth-client-id', 'c1', '--oauth-client-secret-env', 'SECRET', '--oauth-token-url', 'ftp://x'], /--oauth-token-url "ftp:\/\/x\/?" must be an absolute http:\/\/ or https:\/\/ URL/],
    [['--oauth-client-secret', 'x'], /--oauth-client-secret would put the secret on the command line: export it in an environment variable and pass --oauth-client-secret-env VAR/],
  ])('usage error %j', (flags, message) => {
    const parsed = parseArgs(['https://h/mcp', ...flags], env);
    expect(parsed).toMatchObject({ kind: 'usage-error', message: expect.stringMatching(message) });
    expect(JSON.stringify(parsed)).not.toContain(env.SECRET);
  });

  test('a mistyped auth command gets a did-you-mean', () => {
    expect(parseArgs(['atuh', 'https://h/mcp'], {})).toMatchObject({ kind: 'usage-error', message: expect.stringMatching(/did you mean "auth"/) });
  });

  test('auth takes one URL, --json and --timeout', () => {
    expect(parseAuthArgs(['https://h/mcp', '--json', '--timeout', '5000'])).toEqual({ kind: 'run', url: 'https://h/mcp', json: true, timeoutMs: 5000 });
    expect(parseAuthArgs([])).toMatchObject({ kind: 'usage-error', message: expect.stringMatching(/missing <url>/) });
    expect(parseAuthArgs(['https://h/mcp', '--jsno'])).toMatchObject({ kind: 'usage-error', message: expect.stringMatching(/did you mean --json/) });
  });
});
