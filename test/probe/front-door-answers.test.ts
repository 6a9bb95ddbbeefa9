/**
 * CloudFront, API Gateway and AWS WAF answering in the server's place: loopback servers replay
 * the answers recorded in ./fixtures/front-door-answers (each with its source), through the real
 * probe and the CLI's human output. Negative cases keep what a plain server's answer was.
 */
import type * as http from 'node:http';
import {
  ALB_502_THROUGH_CLOUDFRONT, ALB_WAF_BLOCK, APIGW_FORBIDDEN, APIGW_MISSING_TOKEN, APIGW_REMAPPED_CHALLENGE, APIGW_THROTTLED,
  APIGW_TIMEOUT, CLOUDFRONT_502, CLOUDFRONT_504, CLOUDFRONT_HEADERS, CLOUDFRONT_METHOD_NOT_ALLOWED, CLOUDFRONT_WAF_BLOCK,
  CUSTOM_WAF_BLOCK, replay, type RecordedAnswer,
} from './fixtures/front-door-answers';
import { sendJson, startServer, type TestServer } from './fixtures/http-server';
import { formatHuman } from '../../lambda/cli/format';
import { NEXT_STEPS, detectFrontDoor, nextStep, probe, type ProbeResult } from '../../lambda/probe';

/** Probes a server, then closes it; the server's requests stay readable. */
async function probeServer(server: TestServer): Promise<ProbeResult> {
  try {
    return await probe({ url: server.url, timeoutMs: 3_000 });
  } finally {
    await server.close();
  }
}

const probeAnswer = async (answer: RecordedAnswer) => probeServer(await startServer(replay(answer)));

/** What a WAF block's message and next step must say: where to find the request, which rules. */
function expectWafGuidance(text: string): void {
  expect(text).toMatch(/sampled requests/);
  expect(text).toMatch(/terminatingRuleId/);
  expect(text).toMatch(/SizeRestrictions_BODY \(JSON-RPC bodies over 8 KB/);
  expect(text).toMatch(/Claude-User/);
  expect(text).toMatch(/rate-based rules/);
}

describe('detectFrontDoor: the headers CloudFront and API Gateway add', () => {
  test.each([
    [{ 'x-amz-cf-pop': 'SEA19-C2' }, 'cloudfront'],
    [{ 'x-cache': 'Error from cloudfront' }, 'cloudfront'],
    [{ via: '1.1 61bc723adb3b1884ed759711e84e13a9.cloudfront.net (CloudFront)' }, 'cloudfront'],
    [{ 'x-amzn-remapped-www-authenticate': 'Bearer' }, 'apigateway'],
    [{ 'x-amzn-remapped-server': 'nginx' }, 'apigateway'],
    // API Gateway behind CloudFront (an edge-optimized API): the outermost hop.
    [{ 'x-amz-apigw-id': 'ZUBEgEhOywMEQSg=', 'x-amz-cf-pop': 'BNE50-P2' }, 'cloudfront'],
    // A header that merely starts like one is not evidence.
    [{ 'x-amzn-remapped': 'x' }, null],
  ])('%j is %s', (headers, expected) => {
    expect(detectFrontDoor(headers as Record<string, string>)).toBe(expected);
  });
});

describe('AWS WAF blocks are BLOCKED_BY_WAF, with where to look', () => {
  test("CloudFront's \"Request blocked.\" page is BLOCKED_BY_WAF at a cloudfront front door, with its request id", async () => {
    const res = await probeAnswer(CLOUDFRONT_WAF_BLOCK);
    expect(res).toMatchObject({ ok: false, failureClass: 'BLOCKED_BY_WAF', layer: 'http', httpStatus: 403, frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/^BLOCKED_BY_WAF: HTTP 403 from CloudFront itself: AWS WAF blocked the request \(the distribution's web ACL\)/);
    expect(res.message).toContain('CloudFront request id yaPSSJzUvDS5TF06LGBzHqc43V_VZkPAX8zVdX0KQnW12QD4bAcBbA==');
    expectWafGuidance(res.message);
    expect(res.message).toMatch(/\[front door: cloudfront\]$/);
  });

  test("an ALB's own 403 page is BLOCKED_BY_WAF at an alb front door", async () => {
    const res = await probeAnswer(ALB_WAF_BLOCK);
    expect(res).toMatchObject({ failureClass: 'BLOCKED_BY_WAF', httpStatus: 403, frontDoor: 'alb' });
    expect(res.message).toMatch(/HTTP 403 from the load balancer: AWS WAF blocked the request/);
    expectWafGuidance(res.message);
  });

  test('a custom block response whose body names AWS WAF is BLOCKED_BY_WAF', async () => {
    const res = await probeAnswer(CUSTOM_WAF_BLOCK);
    expect(res).toMatchObject({ failureClass: 'BLOCKED_BY_WAF', frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/HTTP 403 from CloudFront: AWS WAF blocked the request/);
  });

  test('a custom 429 from a rate-based rule that names AWS WAF is BLOCKED_BY_WAF, not THROTTLED', async () => {
    const res = await probeAnswer({ ...CUSTOM_WAF_BLOCK, status: 429 });
    expect(res).toMatchObject({ failureClass: 'BLOCKED_BY_WAF', httpStatus: 429 });
  });

  test('the next step names the web ACL of the front door, and the rules to suspect', () => {
    expect(nextStep('BLOCKED_BY_WAF', 'cloudfront')).toMatch(/^The distribution's web ACL \(a global web ACL, in us-east-1\)/);
    expect(nextStep('BLOCKED_BY_WAF', 'alb')).toMatch(/^The load balancer's web ACL/);
    expect(nextStep('BLOCKED_BY_WAF', 'apigateway')).toMatch(/^The stage's web ACL/);
    for (const door of ['cloudfront', 'alb', 'apigateway', null] as const) expectWafGuidance(nextStep('BLOCKED_BY_WAF', door));
    expect(NEXT_STEPS.BLOCKED_BY_WAF).toMatch(/^AWS WAF blocked the request before the server saw it: find the request/);
    expect(NEXT_STEPS.BLOCKED_BY_WAF).toMatch(/McpWebAcl .*RateLimitPerIp, BodySize and BadBotsExceptMcpClients\.$/);
  });

  test('the human output names the class, the front door and the next step', async () => {
    const server = await startServer(replay(CLOUDFRONT_WAF_BLOCK));
    const res = await probeServer(server);
    const text = formatHuman(server.url, res);
    expect(text).toContain('FAIL BLOCKED_BY_WAF (http layer, last HTTP status 403, front door cloudfront)');
    expect(text).toContain(`Next: ${nextStep('BLOCKED_BY_WAF', 'cloudfront')}`);
  });
});

describe('403s without WAF evidence stay what they were', () => {
  test('a plain server\'s 403 "403 Forbidden" page (no awselb server) is FORBIDDEN, no front door', async () => {
    const res = await probeAnswer({ ...ALB_WAF_BLOCK, headers: { 'Content-Type': 'text/html' } });
    expect(res).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: null, httpStatus: 403 });
    expect(res.message).toMatch(/^FORBIDDEN: HTTP 403 forbidden: '<html> <head><title>403 Forbidden<\/title>/);
  });

  test('a plain server\'s 403 saying "Request blocked." or naming AWS WAF is FORBIDDEN: no front door vouches for it', async () => {
    for (const body of ['Request blocked.', 'blocked by AWS WAF']) {
      const res = await probeServer(await startServer((_req, reply) => reply.writeHead(403, { 'content-type': 'text/plain' }).end(body)));
      expect(res).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: null });
    }
  });

  test('a listener fixed-response 403 with its own body at an ALB is FORBIDDEN', async () => {
    const res = await probeAnswer({ ...ALB_WAF_BLOCK, body: 'denied' });
    expect(res).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: 'alb' });
  });

  test('an origin\'s 403 through CloudFront is FORBIDDEN, said to come from the origin', async () => {
    const res = await probeServer(await startServer((_req, reply) => sendJson(reply, 403, { error: 'no' }, CLOUDFRONT_HEADERS)));
    expect(res).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/answered by the origin and passed through by CloudFront, not a CloudFront error page/);
  });

  test('API Gateway\'s "Forbidden" is FORBIDDEN naming the API key, the web ACL and private APIs, not BLOCKED_BY_WAF', async () => {
    const res = await probeAnswer(APIGW_FORBIDDEN);
    expect(res).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: 'apigateway', httpStatus: 403 });
    expect(res.message).toMatch(/HTTP 403 from API Gateway \("Forbidden"\): .*API key.*web ACL.*private API/);
    expect(nextStep('FORBIDDEN', 'apigateway')).toMatch(/"Forbidden": an API key .*web ACL/);
  });
});

describe('CloudFront: its own errors, told apart from the origin\'s', () => {
  test('its own 502 page is BAD_GATEWAY saying CloudFront could not reach the origin', async () => {
    const res = await probeAnswer(CLOUDFRONT_502);
    expect(res).toMatchObject({ failureClass: 'BAD_GATEWAY', httpStatus: 502, frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/HTTP 502 from CloudFront itself: it could not connect to the origin/);
    expect(res.message).toMatch(/origin's TLS certificate/);
    expect(res.message).toContain('CloudFront request id H_HGBG3sTOqEomHzHubi8ruLbGXe2MRyVhGBn4apM0y_LjQa_9W2Jg==');
  });

  test('its own 504 page is GATEWAY_TIMEOUT naming the origin response timeout', async () => {
    const res = await probeAnswer(CLOUDFRONT_504);
    expect(res).toMatchObject({ failureClass: 'GATEWAY_TIMEOUT', frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/HTTP 504 from CloudFront itself: .*origin response timeout, 30 s by default/);
  });

  test('its 403 for a POST the cache behavior does not allow is FORBIDDEN naming the allowed methods', async () => {
    const res = await probeAnswer(CLOUDFRONT_METHOD_NOT_ALLOWED);
    expect(res).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/does not allow POST .*AllowedMethods\.ALLOW_ALL/);
  });

  test('an origin ALB\'s 502 through CloudFront is BAD_GATEWAY naming the origin side and its front door', async () => {
    const res = await probeAnswer(ALB_502_THROUGH_CLOUDFRONT);
    expect(res).toMatchObject({ failureClass: 'BAD_GATEWAY', httpStatus: 502, frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/HTTP 502 bad gateway: .*502 Bad Gateway.* \(answered by the origin \(alb\) and passed through by CloudFront, not a CloudFront error page\)/);
    expect(res.message).not.toMatch(/from CloudFront itself/);
  });

  test('an origin\'s plain 502 through CloudFront names the origin side without guessing its front door', async () => {
    const res = await probeServer(await startServer((_req, reply) => sendJson(reply, 502, { error: 'upstream' }, CLOUDFRONT_HEADERS)));
    expect(res).toMatchObject({ failureClass: 'BAD_GATEWAY', frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/\(answered by the origin and passed through by CloudFront/);
  });

  test('another status of its own page keeps its class and says CloudFront generated it', async () => {
    const res = await probeAnswer({ ...CLOUDFRONT_502, status: 500 });
    expect(res).toMatchObject({ failureClass: 'HTTP_ERROR', frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/\(a page CloudFront generated itself, CloudFront request id H_HGBG/);
  });

  test('the next step behind CloudFront tells its own 502 from the origin\'s', () => {
    expect(nextStep('BAD_GATEWAY', 'cloudfront')).toMatch(/If CloudFront generated the page.*If the origin answered 502/);
    expect(nextStep('GATEWAY_TIMEOUT', 'cloudfront')).toMatch(/origin response timeout \(30 s by default\)/);
  });
});

describe('API Gateway: its gateway responses, named', () => {
  test('"Missing Authentication Token" is FORBIDDEN naming the stage, path and method, or an unsigned IAM request', async () => {
    const res = await probeAnswer(APIGW_MISSING_TOKEN);
    expect(res).toMatchObject({ failureClass: 'FORBIDDEN', httpStatus: 403, frontDoor: 'apigateway' });
    expect(res.message).toMatch(/HTTP 403 from API Gateway \("Missing Authentication Token"\): no route matches: check the stage name/);
    expect(res.message).toMatch(/AWS_IAM auth and the request was not signed/);
  });

  test('"Too Many Requests" from an edge-optimized API is THROTTLED, from API Gateway through CloudFront', async () => {
    const res = await probeAnswer(APIGW_THROTTLED);
    expect(res).toMatchObject({ failureClass: 'THROTTLED', httpStatus: 429, frontDoor: 'cloudfront' });
    expect(res.message).toMatch(/HTTP 429 from API Gateway \("Too Many Requests"\): API Gateway throttled the request/);
    expect(res.message).toMatch(/answered by the origin \(apigateway\) and passed through by CloudFront/);
  });

  test('"Limit Exceeded" is THROTTLED naming the usage plan quota', async () => {
    const res = await probeAnswer({ ...APIGW_MISSING_TOKEN, status: 429, body: '{"message":"Limit Exceeded"}' });
    expect(res).toMatchObject({ failureClass: 'THROTTLED', frontDoor: 'apigateway' });
    expect(res.message).toMatch(/usage plan's quota/);
  });

  test('"Endpoint request timed out" is GATEWAY_TIMEOUT naming the integration timeout', async () => {
    const res = await probeAnswer(APIGW_TIMEOUT);
    expect(res).toMatchObject({ failureClass: 'GATEWAY_TIMEOUT', frontDoor: 'apigateway' });
    expect(res.message).toMatch(/"Endpoint request timed out"\): the integration did not answer within API Gateway's integration timeout \(REST 29 s/);
    expect(nextStep('GATEWAY_TIMEOUT', 'apigateway')).toMatch(/^The front door timed out waiting for the integration/);
  });

  test('a 401 whose challenge API Gateway renamed is AUTH_REQUIRED saying so, and the well-known path is tried', async () => {
    const server = await startServer((req: http.IncomingMessage, reply: http.ServerResponse) => {
      if (req.method === 'GET' && req.url?.startsWith('/.well-known/oauth-protected-resource')) {
        sendJson(reply, 200, { resource: 'https://mcp.example.com/mcp', authorization_servers: ['https://auth.example.com'] });
        return;
      }
      replay(APIGW_REMAPPED_CHALLENGE)(req, reply);
    });
    const requests = server.requests;
    const res = await probeServer(server);
    // httpStatus is the last response's: the metadata GET.
    expect(res).toMatchObject({ failureClass: 'AUTH_REQUIRED', frontDoor: 'apigateway' });
    expect(res.message).toMatch(/^AUTH_REQUIRED: HTTP 401: authentication required; API Gateway renamed the server's WWW-Authenticate \(with resource_metadata\) to x-amzn-Remapped-WWW-Authenticate, which MCP clients do not read/);
    expect(res.message).not.toMatch(/no OAuth protected-resource metadata advertised/);
    expect(res.message).toMatch(/OAuth protected-resource metadata found at \/\.well-known\/oauth-protected-resource/);
    expect(requests.some((r) => r.method === 'GET' && r.url.startsWith('/.well-known/oauth-protected-resource'))).toBe(true);
  });

  test('a 401 with its WWW-Authenticate intact says nothing about renaming, even from API Gateway', async () => {
    const res = await probeAnswer({
      ...APIGW_REMAPPED_CHALLENGE,
      headers: { ...APIGW_REMAPPED_CHALLENGE.headers, 'WWW-Authenticate': 'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"' },
    });
    expect(res).toMatchObject({ failureClass: 'AUTH_REQUIRED' });
    expect(res.message).not.toMatch(/renamed/);
  });

  test('an API Gateway answer with a body it never writes keeps the class of its status', async () => {
    const res = await probeAnswer({ ...APIGW_MISSING_TOKEN, body: '{"message":"Missing Authentication Token","extra":1}' });
    expect(res).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: 'apigateway' });
    expect(res.message).toMatch(/^FORBIDDEN: HTTP 403 forbidden: /);
  });
});
