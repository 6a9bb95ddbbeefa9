/**
 * Front doors that need more than a status code to be told apart: Lambda Web Functions (its
 * `lambda-web-*` headers and `*.lambda-web.*.on.aws` hosts, its platform error types) and ECS
 * Express Mode (an AWS-managed ALB behind an `*.ecs.<region>.on.aws` host). Every server runs on
 * 127.0.0.1; AWS host names are resolved to 127.0.0.1 by a DNS stub that refuses every other
 * `on.aws` name, so nothing here can reach AWS.
 */
import dns from 'node:dns';
import type * as http from 'node:http';
import { result, sendJson, sendSse, startScripted, startServer, type TestServer } from './fixtures/http-server';
import { formatHuman } from '../../lambda/cli/format';
import { FRONT_DOORS, NEXT_STEPS, detectFrontDoor, nextStep, probe, type ProbeOptions, type ProbeResult } from '../../lambda/probe';

/** A regional Web Function domain, in the documented `domain-id.shard-id.lambda-web.region.on.aws` form. */
const WEB_HOST = 'bcdfghjklmnpqrst.b7t.lambda-web.us-east-1.on.aws';
/** An Express Mode endpoint, in the form its deployments show: `<prefix>-<32 hex>.ecs.<region>.on.aws`. */
const EXPRESS_HOST = 'mc-0123456789abcdef0123456789abcdef.ecs.eu-west-1.on.aws';
const STUBBED_HOSTS = new Set([WEB_HOST, EXPRESS_HOST]);

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

let lookup: jest.SpyInstance;
beforeAll(() => {
  const real = dns.lookup.bind(dns) as (...args: unknown[]) => void;
  lookup = jest.spyOn(dns, 'lookup').mockImplementation(((host: string, options: unknown, callback?: LookupCallback) => {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as dns.LookupOptions;
    if (STUBBED_HOSTS.has(host)) {
      process.nextTick(() => (opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
      return;
    }
    if (/\.on\.aws\.?$|amazonaws\.com\.?$/i.test(host)) {
      process.nextTick(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (stubbed)`), { code: 'ENOTFOUND' }), ''));
      return;
    }
    real(host, options, callback);
  }) as unknown as typeof dns.lookup);
});
afterAll(() => lookup.mockRestore());

/** Probes a server (at `host` instead of 127.0.0.1 when given), then closes it. */
async function probeAt(server: TestServer, host?: string, options: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  const url = host ? server.url.replace('127.0.0.1', host) : server.url;
  try {
    return await probe({ url, timeoutMs: 3_000, ...options });
  } finally {
    await server.close();
  }
}

/** What a Web Function adds to every answer; Node sends the names in the case given. */
const WEB_HEADERS = {
  'Lambda-Web-Request-Id': '8f5d2c1e-0000-4000-8000-000000000000',
  'Lambda-Web-Logstream': '2026/12/01/[1]0123456789abcdef',
};

/** A Web Function platform error: a status and an error type header, with a small JSON body. */
const webError = (status: number, type: string) => (_req: http.IncomingMessage, reply: http.ServerResponse) =>
  sendJson(reply, status, { message: 'error' }, { ...WEB_HEADERS, 'lambda-web-error-type': type });

/** The page an ALB answers itself with (Express Mode's load balancer is an ALB). */
const albPage = (status: number, title: string) => (_req: http.IncomingMessage, reply: http.ServerResponse) => {
  reply.writeHead(status, { 'server': 'awselb/2.0', 'content-type': 'text/html' });
  reply.end(`<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`);
};

/** Control characters, tab included, that Node lets through in a header value. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;

describe('detectFrontDoor: Lambda Web Functions and ECS Express Mode', () => {
  test.each([
    // Regional (HomeRegion, PerRegion) and global (MultiRegion) Web Function domains.
    [{}, WEB_HOST, 'lambda-web'],
    [{}, 'abcdefghijklmnop.lambda-web.global.on.aws', 'lambda-web'],
    [{}, 'BCDFGHJKLMNPQRST.B7T.LAMBDA-WEB.EU-WEST-1.ON.AWS', 'lambda-web'],
    [{}, `${WEB_HOST}.`, 'lambda-web'],
    // The headers a Web Function adds, wherever the host (CloudFront passes them through).
    [{ 'lambda-web-request-id': 'r' }, 'mcp.example.com', 'lambda-web'],
    [{ 'lambda-web-logstream': 'l' }, '', 'lambda-web'],
    [{ 'lambda-web-error-type': 'Runtime.RequestTimeout' }, '', 'lambda-web'],
    // Lambda's request id next to the Web Function's: still a Web Function, not a Function URL.
    [{ 'lambda-web-request-id': 'r', 'x-amzn-requestid': 'r', 'x-amzn-trace-id': 't' }, '', 'lambda-web'],
    // The outermost hop wins.
    [{ 'lambda-web-request-id': 'r', 'x-amz-cf-id': 'cf' }, 'd111111abcdef8.cloudfront.net', 'cloudfront'],
    [{ 'lambda-web-request-id': 'r', 'apigw-requestid': 'a' }, 'abc123.execute-api.us-east-1.amazonaws.com', 'apigateway'],
    // Express Mode: its host, with or without the ALB's own evidence.
    [{}, EXPRESS_HOST, 'ecs-express'],
    [{ server: 'awselb/2.0' }, EXPRESS_HOST, 'ecs-express'],
    [{ 'set-cookie': 'AWSALB=abc; Path=/' }, EXPRESS_HOST.toUpperCase(), 'ecs-express'],
    [{ 'x-amz-cf-id': 'cf', 'server': 'awselb/2.0' }, EXPRESS_HOST, 'cloudfront'],
    // The same ALB evidence on any other host stays `alb`.
    [{ server: 'awselb/2.0' }, 'mcp.example.com', 'alb'],
    // Look-alikes are not AWS front doors.
    [{}, `${WEB_HOST}.example.com`, null],
    [{}, 'lambda-web.example.com', null],
    [{}, 'x.lambda-web.us-east-1.on.aws.evil.test', null],
    [{}, 'ecs.eu-west-1.amazonaws.com', null],
    [{}, 'mc.ecs.eu-west-1.on.aws.example.com', null],
    [{}, 'ecs.eu-west-1.on.aws', null],
  ])('%j on %s is %s', (headers, host, expected) => {
    expect(detectFrontDoor(headers as Record<string, string>, host)).toBe(expected);
  });

  test('the list of front doors names the new ones', () => {
    expect(FRONT_DOORS).toEqual(['apigateway', 'lambda-url', 'lambda-web', 'alb', 'ecs-express', 'cloudfront', 'apprunner']);
  });
});

describe('a Lambda Web Functions endpoint', () => {
  test('a healthy MCP server behind it is OK from a lambda-web front door, recognised by its headers', async () => {
    const server = await startScripted({
      initialize: (m, r) => sendJson(r, 200, result(m.id, {
        protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'web', version: '1.0.0' },
      }), WEB_HEADERS),
    });
    const res = await probeAt(server);
    expect(res).toMatchObject({ ok: true, failureClass: 'OK', frontDoor: 'lambda-web' });
  });

  test('a healthy MCP server is OK from a lambda-web front door, recognised by its host alone', async () => {
    const res = await probeAt(await startScripted(), WEB_HOST);
    expect(res).toMatchObject({ ok: true, frontDoor: 'lambda-web' });
  });

  test('a 504 with Runtime.RequestTimeout is GATEWAY_TIMEOUT naming the revision timeout', async () => {
    const res = await probeAt(await startServer(webError(504, 'Runtime.RequestTimeout')));
    expect(res).toMatchObject({ failureClass: 'GATEWAY_TIMEOUT', layer: 'http', httpStatus: 504, frontDoor: 'lambda-web' });
    expect(res.message).toMatch(/lambda-web-error-type Runtime\.RequestTimeout/);
    expect(res.message).toMatch(/revision's timeout/);
    expect(res.message).toMatch(/raise the timeout|make the tool faster/);
    expect(res.message).toMatch(/streamed .*cut/);
    expect(res.message).toMatch(/\[front door: lambda-web\]$/);
  });

  test('a 502 with Platform.InvalidNetworkConfiguration is BAD_GATEWAY naming the network connector', async () => {
    const res = await probeAt(await startServer(webError(502, 'Platform.InvalidNetworkConfiguration')));
    expect(res).toMatchObject({ failureClass: 'BAD_GATEWAY', httpStatus: 502, frontDoor: 'lambda-web' });
    expect(res.message).toMatch(/lambda-web-error-type Platform\.InvalidNetworkConfiguration/);
    expect(res.message).toMatch(/network connector/);
  });

  test.each([
    [503, 'Platform.CapacityUnavailable', 'UNAVAILABLE'],
    [502, 'Runtime.ExitError', 'BAD_GATEWAY'],
    [500, 'Platform.Unknown', 'HTTP_ERROR'],
  ])('an unknown error type on a %s (%s) keeps the class of the status, %s, and names the type', async (status, type, failureClass) => {
    const res = await probeAt(await startServer(webError(status, type)));
    expect(res).toMatchObject({ failureClass, httpStatus: status, frontDoor: 'lambda-web' });
    expect(res.message).toContain(`lambda-web-error-type ${type}`);
    expect(res.message).toMatch(/platform error this probe does not know/);
  });

  test('a known error type matches whatever its case and surrounding spaces', async () => {
    const res = await probeAt(await startServer(webError(504, '  runtime.requesttimeout ')));
    expect(res.failureClass).toBe('GATEWAY_TIMEOUT');
    expect(res.message).toMatch(/revision's timeout/);
  });

  test('an error type header is server text: controls escaped, secrets removed, cut short', async () => {
    const token = 'tok-4f1c2e9a7b3d5f60';
    const server = await startServer((req, reply) => {
      const sent = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      reply.writeHead(502, {
        'content-type': 'application/json',
        'lambda-web-request-id': 'r',
        // Tab, C1 CSI (U+009B) and NEL (U+0085) pass Node's header checks; the rest is a secret.
        'lambda-web-error-type': `Platform.Evil\t\u009b31m\u0085 ${sent} AKIAIOSFODNN7EXAMPLE ${'pad '.repeat(80)}`,
      });
      reply.end('{}');
    });
    const res = await probeAt(server, undefined, { bearerToken: token });
    expect(res).toMatchObject({ failureClass: 'BAD_GATEWAY', frontDoor: 'lambda-web' });
    expect(res.message).not.toMatch(CONTROLS);
    expect(res.message).not.toContain(token);
    expect(res.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(res.message).toMatch(/lambda-web-error-type 'Platform\.Evil\\x09\\x9b31m\\x85 \[REDACTED\] \[REDACTED\] (pad )+pa?d?…'/);
    expect(res.message).not.toMatch(/(pad ){40}/);
  });

  test('a streamed answer cut at the revision timeout is EMPTY_STREAM, and the next step names the timeout', async () => {
    const server = await startServer((_req, reply) => sendSse(reply, [': keepalive\n\n'], WEB_HEADERS));
    const res = await probeAt(server);
    expect(res).toMatchObject({ failureClass: 'EMPTY_STREAM', frontDoor: 'lambda-web' });
    expect(nextStep('EMPTY_STREAM', res.frontDoor)).toMatch(/cuts a streamed .*revision's timeout/);
    expect(formatHuman(server.url, res)).toContain(`Next: ${nextStep('EMPTY_STREAM', 'lambda-web')}`);
  });

  test('without an error type a 504 is an ordinary GATEWAY_TIMEOUT; the next step still says where to look', async () => {
    const res = await probeAt(await startServer((_req, reply) => sendJson(reply, 504, { message: 'timeout' }, WEB_HEADERS)));
    expect(res).toMatchObject({ failureClass: 'GATEWAY_TIMEOUT', frontDoor: 'lambda-web' });
    expect(res.message).not.toMatch(/lambda-web-error-type/);
    expect(nextStep('GATEWAY_TIMEOUT', 'lambda-web')).toMatch(/Runtime\.RequestTimeout.*timeout.*network connector/);
  });
});

describe('an ECS Express Mode endpoint', () => {
  test('a healthy MCP server behind it is OK from an ecs-express front door', async () => {
    const res = await probeAt(await startScripted(), EXPRESS_HOST);
    expect(res).toMatchObject({ ok: true, frontDoor: 'ecs-express' });
  });

  test('the load balancer 503 is UNAVAILABLE, and the next step points to the deployment and the health check', async () => {
    const server = await startServer(albPage(503, 'Service Temporarily Unavailable'));
    const res = await probeAt(server, EXPRESS_HOST);
    expect(res).toMatchObject({ failureClass: 'UNAVAILABLE', layer: 'http', httpStatus: 503, frontDoor: 'ecs-express' });
    expect(res.message).toMatch(/\[front door: ecs-express\]$/);
    const next = nextStep('UNAVAILABLE', 'ecs-express');
    expect(next).toMatch(/Express service/);
    expect(next).toMatch(/deployment/);
    expect(next).toMatch(/health check/);
    expect(formatHuman(server.url, res)).toContain(`Next: ${next}`);
  });

  test('the load balancer 502 is BAD_GATEWAY, and the next step points to the tasks and their logs', async () => {
    const res = await probeAt(await startServer(albPage(502, 'Bad Gateway')), EXPRESS_HOST);
    expect(res).toMatchObject({ failureClass: 'BAD_GATEWAY', frontDoor: 'ecs-express' });
    expect(nextStep('BAD_GATEWAY', 'ecs-express')).toMatch(/stopped tasks.*logs/);
  });

  test('the load balancer 504 is GATEWAY_TIMEOUT, and the next step names the idle timeout', async () => {
    const res = await probeAt(await startServer(albPage(504, 'Gateway Time-out')), EXPRESS_HOST);
    expect(res).toMatchObject({ failureClass: 'GATEWAY_TIMEOUT', frontDoor: 'ecs-express' });
    expect(nextStep('GATEWAY_TIMEOUT', 'ecs-express')).toMatch(/idle timeout/);
  });

  test('the same load balancer page on another host stays an alb front door', async () => {
    const res = await probeAt(await startServer(albPage(503, 'Service Temporarily Unavailable')));
    expect(res).toMatchObject({ failureClass: 'UNAVAILABLE', frontDoor: 'alb' });
  });
});

describe('nextStep', () => {
  test('falls back to the class step without a front door or without a specific one', () => {
    expect(nextStep('UNAVAILABLE', null)).toBe(NEXT_STEPS.UNAVAILABLE);
    expect(nextStep('SCHEMA_DRIFT', 'lambda-web')).toBe(NEXT_STEPS.SCHEMA_DRIFT);
    expect(nextStep('UNAVAILABLE', 'cloudfront')).toBe(NEXT_STEPS.UNAVAILABLE);
  });

  test('names the Web Function settings for timeouts, throttling and permissions', () => {
    expect(nextStep('TIMEOUT', 'lambda-web')).toMatch(/queue.*environment/);
    expect(nextStep('THROTTLED', 'lambda-web')).toMatch(/rateLimit.*maxEnvironments/);
    expect(nextStep('FORBIDDEN', 'lambda-web')).toMatch(/lambda:InvokeWebFunctionEndpoint.*X-Amz-Content-SHA256/);
  });
});
