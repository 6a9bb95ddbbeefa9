/**
 * Credentials never land in the template: secret-looking canary headers and URL query
 * parameters are synth errors, and `McpCanaryAuth.headerFromSecret` sends such a header with its
 * value read at run time (tested against a loopback server through the handler's source).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { handler } from '../../lambda/canary/handler';
import { McpCanary, McpCanaryAuth, McpCanaryProps } from '../../src';
import { CANARY_ENV } from '../../src/contract/canary-env';
import { sendJson, startScripted } from '../probe/fixtures/http-server';
import { fakeSecrets } from '../support/fake-secrets-manager';
import { canaryEnvironment } from '../support/kit';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mcp/api-key-AbCdEf';
const API_KEY = 'sk-live-7d1e2f3a4b5c6d7e8f90';

jest.mock('@aws-sdk/client-secrets-manager', () => jest.requireActual('../support/fake-secrets-manager').module, { virtual: true });

/** The canary's required variables plus header-secret auth, against `url`. */
function headerSecretEnv(url: string, headerName?: string): Record<string, string> {
  return {
    [CANARY_ENV.URL]: url,
    [CANARY_ENV.SERVICE_NAME]: 'orders-mcp',
    [CANARY_ENV.METRIC_NAMESPACE]: 'MCP',
    [CANARY_ENV.DEADLINE_MS]: '3000',
    [CANARY_ENV.AUTH_MODE]: 'header-secret',
    [CANARY_ENV.AUTH_SECRET_ARN]: SECRET_ARN,
    ...(headerName ? { [CANARY_ENV.AUTH_HEADER_NAME]: headerName } : {}),
  };
}

function canary(props: Partial<McpCanaryProps>, build?: (stack: Stack) => Partial<McpCanaryProps>) {
  const stack = new Stack(new App(), 'Stack');
  new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'orders-mcp', ...props, ...build?.(stack) });
  return Template.fromStack(stack);
}

describe('credentials in canary props are synth errors', () => {
  test.each(['X-Api-Key', 'api-key', 'Api_Key', 'Token', 'X-Secret', 'Password', 'Cookie', 'X-Auth-Token', 'X-Authorization', 'Proxy-Authorization'])(
    'a %s header points to headerFromSecret, without echoing the value', (name) => {
      let message = '';
      try {
        canary({ headers: { [name]: 'sk-live-abcdef0123456789' } });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(new RegExp(`headers sets "${name}", which looks like a credential.*McpCanaryAuth\\.headerFromSecret\\('${name}', secret\\).*\\[cdk-mcp:credentialHeader\\]`));
      expect(message).not.toContain('sk-live');
    });

  test('harmless headers still pass', () => {
    expect(() => canary({ headers: { 'X-Tenant': 'blue', 'X-Request-Source': 'canary' } })).not.toThrow();
  });

  test.each(['api_key', 'key', 'token', 'access_token', 'signature', 'X-Amz-Signature', 'apikey', 'client_secret'])(
    'a url with ?%s= is rejected naming the parameter, never its value', (param) => {
      let message = '';
      try {
        canary({ url: `https://mcp.example.com/mcp?region=eu&${param}=QRY-9a8b7c6d5e4f` });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(new RegExp(`url has the query parameter\\(s\\) ${param}, which look like credentials.*headerFromSecret`));
      expect(message).not.toContain('QRY-9a8b7c6d5e4f');
    });

  test('a url with ordinary query parameters passes', () => {
    expect(() => canary({ url: 'https://mcp.example.com/mcp?region=eu&tenant=blue' })).not.toThrow();
  });
});

describe('McpCanaryAuth.headerFromSecret', () => {
  test('writes the header name and the secret ARN (never a value) and grants read access', () => {
    const template = canary({}, (stack) => ({
      auth: McpCanaryAuth.headerFromSecret('X-Api-Key', secretsmanager.Secret.fromSecretCompleteArn(stack, 'Key', SECRET_ARN), { jsonField: 'key' }),
    }));
    expect(canaryEnvironment(template)).toMatchObject({
      [CANARY_ENV.AUTH_MODE]: 'header-secret',
      [CANARY_ENV.AUTH_HEADER_NAME]: 'X-Api-Key',
      [CANARY_ENV.AUTH_SECRET_ARN]: SECRET_ARN,
      [CANARY_ENV.AUTH_SECRET_JSON_FIELD]: 'key',
    });
    type Policy = { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } };
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => (p as Policy).Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: SECRET_ARN,
    }));
  });

  test('over plain http the secret header raises the clear-text warning', () => {
    const stack = new Stack(new App(), 'Stack');
    new McpCanary(stack, 'Canary', {
      url: 'http://mcp.internal.example.com/mcp',
      serviceName: 'orders-mcp',
      auth: McpCanaryAuth.headerFromSecret('X-Api-Key', secretsmanager.Secret.fromSecretCompleteArn(stack, 'Key', SECRET_ARN)),
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Canary', Match.stringLikeRegexp('the secret header is sent in clear text.*cdk-mcp:canaryBearerOverPlainHttp'));
  });

  test.each([
    ['Bad Header', /McpCanaryAuth.headerFromSecret: headerName is "Bad Header", which is not a header name.*\[cdk-mcp:headerNameFormat\]/],
    ['Content-Type', /headerName is "Content-Type", which no prop may set: the probe sets it per request.*\[cdk-mcp:reservedHeader\]/],
  ])('rejects the header name %s', (name, message) => {
    const stack = new Stack();
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Key', SECRET_ARN);
    expect(() => McpCanaryAuth.headerFromSecret(name, secret)).toThrow(message);
  });

  test('the handler sends the header with the secret value, reads the secret once per five minutes and never logs the value', async () => {
    const seen: Array<string | undefined> = [];
    const server = await startScripted({
      '*': (_m, res, req) => {
        seen.push(req.headers['x-api-key'] as string | undefined);
        if (req.headers['x-api-key'] !== API_KEY) {
          sendJson(res, 401, { error: 'unauthorized' });
          return true;
        }
        return false;
      },
    });
    const saved = process.env;
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      process.env = { ...saved, ...headerSecretEnv(server.url, 'X-Api-Key') };
      fakeSecrets.calls.length = 0;
      fakeSecrets.secretString = API_KEY;
      const first = await handler(undefined, { getRemainingTimeInMillis: () => 10_000 });
      const second = await handler(undefined, { getRemainingTimeInMillis: () => 10_000 });
      expect(first.FailureClass).toBe('OK');
      expect(second.FailureClass).toBe('OK');
      expect(fakeSecrets.calls).toEqual([SECRET_ARN]);
      expect(seen.length).toBeGreaterThan(2);
      expect(seen.every((v) => v === API_KEY)).toBe(true);
      expect(lines.join('')).not.toContain(API_KEY);
    } finally {
      spy.mockRestore();
      process.env = saved;
      await server.close();
    }
  });

  test('a missing header name is a configuration error naming the variable', async () => {
    const saved = process.env;
    try {
      process.env = { ...saved, ...headerSecretEnv('http://127.0.0.1:9/mcp') };
      await expect(handler()).rejects.toThrow(/MCP_CANARY_AUTH_MODE is header-secret but MCP_CANARY_AUTH_HEADER_NAME is not a header name/);
    } finally {
      process.env = saved;
    }
  });
});
