/**
 * Every failure class, reproduced by a server on 127.0.0.1 that fails the way real deployments
 * do (including AWS-shaped answers from API Gateway, Function URLs and ALBs). The last test
 * checks that this file produced every class the probe can name.
 */
import type * as http from 'node:http';
import { makeCertificates, type TestCertificates } from './fixtures/certs';
import { result, rpcError, sendJson, sendSse, startScripted, startServer, type Handler, type Responder, type TestServer } from './fixtures/http-server';
import { freePort } from './fixtures/processes';
import { LEAKED_ACCOUNT, LEAKED_ARN, startSdk1Streamable, startSdk2 } from './fixtures/sdk-servers';
import { FAILURE_CLASSES, probe, type ProbeOptions, type ProbeResult } from '../../lambda/probe';

const produced = new Set<string>();

/** Probes a server, closes it, records the class produced. */
async function probeServer(server: TestServer, options: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  try {
    return record(await probe({ url: server.url, timeoutMs: 3_000, ...options }));
  } finally {
    await server.close();
  }
}

function record(res: ProbeResult): ProbeResult {
  produced.add(res.failureClass);
  // Every result, whatever the failure, is a complete contract object with a one-line message.
  // toolResult is there only when the sentinel tool answered with a result.
  expect(Object.keys(res).filter((k) => k !== 'toolResult').sort()).toEqual([
    'certDaysRemaining', 'era', 'failureClass', 'frontDoor', 'httpStatus', 'layer', 'message', 'ok',
    'protocolVersion', 'server', 'timings', 'toolCount', 'tools', 'toolsHash', 'traceId',
  ]);
  if (res.toolResult) expect(Object.keys(res.toolResult).sort()).toEqual(['isError', 'text', 'totalChars', 'truncated']);
  expect(res.message).not.toMatch(/\n/);
  expect(res.ok).toBe(res.failureClass === 'OK');
  return res;
}

const respond = (handler: Handler) => startServer(handler);

const APIGW_HEADERS = { 'x-amzn-requestid': 'c0ffee00-0000-4000-8000-000000000000', 'x-amz-apigw-id': 'AbCdEfGhIjKlMnO=' };
const ALB_HTML = (status: number, title: string) =>
  (_req: http.IncomingMessage, reply: http.ServerResponse) => {
    reply.writeHead(status, { 'server': 'awselb/2.0', 'content-type': 'text/html' });
    reply.end(`<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`);
  };

describe('transport failures', () => {
  test('an unresolvable host name is DNS_ERROR', async () => {
    const res = record(await probe({ url: 'http://probe-test.invalid/mcp', timeoutMs: 3_000 }));
    expect(res).toMatchObject({ failureClass: 'DNS_ERROR', layer: 'transport', era: null, httpStatus: null });
    expect(res.message).toMatch(/cannot resolve probe-test\.invalid/);
  });

  test('a closed port is CONNECTION_REFUSED', async () => {
    const port = await freePort();
    const res = record(await probe({ url: `http://127.0.0.1:${port}/mcp` }));
    expect(res).toMatchObject({ failureClass: 'CONNECTION_REFUSED', layer: 'transport' });
  });

  test('a server that drops the connection on request is CONNECTION_RESET', async () => {
    const res = await probeServer(await respond((req) => req.socket.destroy()));
    expect(res).toMatchObject({ failureClass: 'CONNECTION_RESET', layer: 'transport' });
  });

  test('a server that closes mid-body is CONNECTION_RESET', async () => {
    const res = await probeServer(await respond((_req, reply) => {
      reply.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      reply.write('{"jsonrpc":"2.0",');
      setTimeout(() => reply.socket?.destroy(), 20);
    }));
    expect(res).toMatchObject({ failureClass: 'CONNECTION_RESET', httpStatus: 200 });
    expect(res.message).toMatch(/closed before a complete response/);
  });

  test('a server that accepts and never answers is TIMEOUT within the deadline', async () => {
    const started = Date.now();
    const res = await probeServer(await respond(() => undefined), { timeoutMs: 600 });
    expect(res).toMatchObject({ failureClass: 'TIMEOUT', layer: 'transport', era: null });
    expect(res.timings.totalMs).toBeGreaterThanOrEqual(590);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('an SSE stream that only sends keep-alives is TIMEOUT', async () => {
    const res = await probeServer(await respond((_req, reply) => {
      reply.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => reply.write(': keepalive\n\n'), 50);
      reply.on('close', () => clearInterval(timer));
    }), { timeoutMs: 600 });
    expect(res).toMatchObject({ failureClass: 'TIMEOUT', httpStatus: 200 });
  });

  test('an HTTP+SSE stream that never announces its endpoint is TIMEOUT at the deadline', async () => {
    const res = await probeServer(await respond((_req, reply) => {
      reply.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.write(': connected\n\n');
    }), { transport: 'sse', timeoutMs: 400 });
    expect(res).toMatchObject({ failureClass: 'TIMEOUT', httpStatus: 200 });
    expect(res.timings.totalMs).toBeLessThan(1_500);
  });

  test('an HTTP+SSE stream that accepts requests but never answers them is TIMEOUT', async () => {
    const res = await probeServer(await respond((req, reply) => {
      if (req.method === 'GET') {
        reply.writeHead(200, { 'content-type': 'text/event-stream' });
        reply.write('event: endpoint\ndata: /messages?sessionId=1\n\n');
        return;
      }
      reply.writeHead(202).end('Accepted');
    }), { transport: 'sse', timeoutMs: 400 });
    expect(res).toMatchObject({ failureClass: 'TIMEOUT', era: null });
  });

  test('a TIMEOUT behind API Gateway says it is usually a Lambda cold start', async () => {
    // The modern attempt is answered (400, API Gateway headers); initialize then never is.
    const res = await probeServer(await respond((_req, reply, body) => {
      if (body.includes('server/discover')) sendJson(reply, 400, { message: 'Bad Request' }, APIGW_HEADERS);
    }), { timeoutMs: 600 });
    expect(res).toMatchObject({ failureClass: 'TIMEOUT', frontDoor: 'apigateway', httpStatus: 400 });
    expect(res.message).toMatch(/usually a Lambda cold start/);
  });

  test('response headers larger than Node.js accepts are RESPONSE_TOO_LARGE', async () => {
    const res = await probeServer(await respond((req) => {
      req.socket.end(`HTTP/1.1 200 OK\r\nX-Big: ${'z'.repeat(64 * 1024)}\r\nContent-Length: 0\r\n\r\n`);
    }));
    expect(res.failureClass).toBe('RESPONSE_TOO_LARGE');
  });
});

describe('TLS', () => {
  let certs: TestCertificates;
  beforeAll(() => {
    certs = makeCertificates();
  });

  const tlsServer = (pair: { key: string; cert: string }) => startScripted({}, { tls: { key: pair.key, cert: pair.cert } });

  test('a server behind a valid certificate probes OK with TLS timings and days remaining', async () => {
    const res = await probeServer(await tlsServer(certs.valid), { ca: certs.ca });
    expect(res).toMatchObject({ ok: true, era: 'legacy' });
    expect(res.timings.tlsMs).not.toBeNull();
    expect(res.certDaysRemaining).toBeGreaterThanOrEqual(28);
    expect(res.certDaysRemaining).toBeLessThanOrEqual(30);
  });

  test('an expired certificate is TLS_ERROR saying it expired', async () => {
    const res = await probeServer(await tlsServer(certs.expired), { ca: certs.ca });
    expect(res).toMatchObject({ failureClass: 'TLS_ERROR', layer: 'transport' });
    expect(res.message).toMatch(/expired/);
  });

  test('a certificate for another host name is TLS_ERROR saying the name is wrong', async () => {
    const res = await probeServer(await tlsServer(certs.wrongHost), { ca: certs.ca });
    expect(res).toMatchObject({ failureClass: 'TLS_ERROR' });
    expect(res.message).toMatch(/wrong host name/);
  });

  test('a self-signed certificate is TLS_ERROR saying it is untrusted', async () => {
    const res = await probeServer(await tlsServer(certs.selfSigned));
    expect(res).toMatchObject({ failureClass: 'TLS_ERROR' });
    expect(res.message).toMatch(/untrusted/);
  });
});

describe('HTTP failures', () => {
  test('a redirect is REDIRECT and is not followed', async () => {
    const server = await respond((_req, reply) => reply.writeHead(307, { location: 'https://other.example.com/mcp' }).end());
    const requests = server.requests;
    const res = await probeServer(server);
    expect(res).toMatchObject({ failureClass: 'REDIRECT', layer: 'http', httpStatus: 307 });
    expect(res.message).toMatch(/to 'https:\/\/other\.example\.com\/mcp'/);
    expect(requests).toHaveLength(1);
  });

  test('Location and WWW-Authenticate values reach the message escaped, redacted and cut', async () => {
    // node:http lets tab and latin-1 (C1 U+009B CSI among them) through in header values.
    const hostile = 'https://evil.example.com/\u009b31m\tPASS?token=tok-REFLECT-1234567890' + 'x'.repeat(400);
    const redirect = await probeServer(await respond((_req, reply) => reply.writeHead(302, { location: Buffer.from(hostile, 'latin1').toString('latin1') }).end()),
      { bearerToken: 'tok-REFLECT-1234567890' });
    expect(redirect.failureClass).toBe('REDIRECT');
    expect(redirect.message).toContain('\\x9b31m\\x09PASS');
    expect(redirect.message).not.toContain('tok-REFLECT-1234567890');
    expect(redirect.message.length).toBeLessThan(400);
    const challenged = await probeServer(await respond((_req, reply) => reply.writeHead(401, { 'www-authenticate': 'Bearer realm="a\u009b2J"' }).end()));
    expect(challenged.failureClass).toBe('AUTH_REQUIRED');
    expect(challenged.message).toContain('realm="a\\x9b2J"');
    expect(challenged.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  test('a 401 advertising OAuth metadata is AUTH_REQUIRED naming the metadata URL', async () => {
    const res = await probeServer(await respond((_req, reply) => {
      reply.writeHead(401, { 'www-authenticate': 'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"' }).end();
    }));
    expect(res).toMatchObject({ failureClass: 'AUTH_REQUIRED', httpStatus: 401 });
    expect(res.message).toMatch(/metadata advertised at https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource/);
  });

  test('a 401 without OAuth metadata is AUTH_REQUIRED saying none was advertised', async () => {
    const res = await probeServer(await respond((_req, reply) => reply.writeHead(401).end()));
    expect(res.failureClass).toBe('AUTH_REQUIRED');
    expect(res.message).toMatch(/no OAuth protected-resource metadata advertised/);
  });

  test('the Function URL 403 is FORBIDDEN with the permission fix, from a lambda-url front door', async () => {
    const res = await probeServer(await respond((_req, reply) => sendJson(reply, 403, {
      Message: 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
    }, { 'x-amzn-requestid': 'abc', 'x-amzn-errortype': 'AccessDeniedException' })));
    expect(res).toMatchObject({ failureClass: 'FORBIDDEN', frontDoor: 'lambda-url', httpStatus: 403 });
    expect(res.message).toMatch(/lambda:InvokeFunctionUrl and lambda:InvokeFunction/);
  });

  test("an ALB's own 403 page (AWS WAF's default block) is BLOCKED_BY_WAF from an alb front door", async () => {
    const res = await probeServer(await respond(ALB_HTML(403, 'Forbidden')));
    expect(res).toMatchObject({ failureClass: 'BLOCKED_BY_WAF', frontDoor: 'alb', httpStatus: 403, layer: 'http' });
    expect(res.message).toMatch(/sampled requests/);
  });

  test('a plain 404 page is NOT_FOUND after every transport was tried', async () => {
    const server = await respond((_req, reply) => reply.writeHead(404, { 'content-type': 'text/html' }).end('<pre>Cannot POST /mcp</pre>'));
    const requests = server.requests;
    const res = await probeServer(server);
    expect(res).toMatchObject({ failureClass: 'NOT_FOUND', layer: 'http', httpStatus: 404 });
    expect(requests.map((r) => r.method)).toEqual(['POST', 'POST', 'GET']);
  });

  test('the API Gateway 429 is THROTTLED from an apigateway front door', async () => {
    const res = await probeServer(await respond((_req, reply) => sendJson(reply, 429, { message: 'Too Many Requests' }, APIGW_HEADERS)));
    expect(res).toMatchObject({ failureClass: 'THROTTLED', frontDoor: 'apigateway', httpStatus: 429 });
  });

  test('a Function URL throttling exception is THROTTLED whatever the status', async () => {
    const res = await probeServer(await respond((_req, reply) => sendJson(reply, 400, { message: 'Rate Exceeded.' }, {
      'x-amzn-requestid': 'abc', 'x-amzn-errortype': 'ThrottlingException',
    })));
    expect(res).toMatchObject({ failureClass: 'THROTTLED', frontDoor: 'lambda-url', httpStatus: 400 });
  });

  test('the ALB 502 HTML page is BAD_GATEWAY from an alb front door', async () => {
    const res = await probeServer(await respond(ALB_HTML(502, 'Bad Gateway')));
    expect(res).toMatchObject({ failureClass: 'BAD_GATEWAY', frontDoor: 'alb', httpStatus: 502 });
  });

  test('the API Gateway 502 for a failed Lambda is BAD_GATEWAY', async () => {
    const res = await probeServer(await respond((_req, reply) => sendJson(reply, 502, { message: 'Internal server error' }, APIGW_HEADERS)));
    expect(res).toMatchObject({ failureClass: 'BAD_GATEWAY', frontDoor: 'apigateway' });
  });

  test('the ALB 503 page (no healthy targets) is UNAVAILABLE', async () => {
    const res = await probeServer(await respond(ALB_HTML(503, 'Service Temporarily Unavailable')));
    expect(res).toMatchObject({ failureClass: 'UNAVAILABLE', frontDoor: 'alb', layer: 'http' });
  });

  test('the API Gateway 504 is GATEWAY_TIMEOUT blamed on the gateway, not the server', async () => {
    const res = await probeServer(await respond((_req, reply) => sendJson(reply, 504, { message: 'Endpoint request timed out' }, APIGW_HEADERS)));
    expect(res).toMatchObject({ failureClass: 'GATEWAY_TIMEOUT', frontDoor: 'apigateway', httpStatus: 504 });
    expect(res.message).toMatch(/Endpoint request timed out.*front door: apigateway/);
  });

  test('another status is HTTP_ERROR with the status and body', async () => {
    const res = await probeServer(await respond((_req, reply) => reply.writeHead(500, { 'content-type': 'text/plain' }).end('kaboom')));
    expect(res).toMatchObject({ failureClass: 'HTTP_ERROR', httpStatus: 500 });
    expect(res.message).toMatch(/HTTP 500: 'kaboom'/);
  });

  test('an oversized chunked body is RESPONSE_TOO_LARGE', async () => {
    const res = await probeServer(await respond((_req, reply) => {
      reply.writeHead(200, { 'content-type': 'application/json' });
      reply.end(`{"jsonrpc":"2.0","id":1,"result":{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}}`);
    }));
    expect(res).toMatchObject({ failureClass: 'RESPONSE_TOO_LARGE', layer: 'http' });
  });

  test('a declared Content-Length over the cap is RESPONSE_TOO_LARGE before reading', async () => {
    const res = await probeServer(await respond((_req, reply) => {
      reply.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 1024) });
      reply.end('x'.repeat(64 * 1024));
    }), { maxResponseBytes: 16 * 1024 });
    expect(res.failureClass).toBe('RESPONSE_TOO_LARGE');
    expect(res.message).toMatch(/65536 bytes exceeds the cap of 16384 bytes/);
  });

  test('an SSE line longer than the cap is RESPONSE_TOO_LARGE', async () => {
    const res = await probeServer(await respond((_req, reply) => {
      reply.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.write(`data: ${'y'.repeat(40 * 1024)}`);
    }), { maxResponseBytes: 32 * 1024 });
    expect(res.failureClass).toBe('RESPONSE_TOO_LARGE');
  });
});

describe('protocol failures', () => {
  test.each([
    ['an HTML page', 'text/html', '<!doctype html><title>Welcome</title>'],
    ['an empty JSON object', 'application/json', '{}'],
    ['plain text', 'text/plain', 'OK'],
  ])('a 200 with %s is NOT_MCP', async (_what, type, body) => {
    const res = await probeServer(await respond((_req, reply) => reply.writeHead(200, { 'content-type': type }).end(body)));
    expect(res).toMatchObject({ failureClass: 'NOT_MCP', layer: 'protocol', httpStatus: 200 });
  });

  test('an SSE response that ends after a notification is EMPTY_STREAM', async () => {
    const res = await probeServer(await respond((_req, reply) => sendSse(reply, [
      ': keepalive\n\n',
      'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}}\n\n',
    ])));
    expect(res).toMatchObject({ failureClass: 'EMPTY_STREAM', layer: 'protocol' });
    expect(res.message).toMatch(/1 keep-alive comments/);
  });

  const scripted = (overrides: Record<string, Responder>) => startScripted(overrides);

  test('a response with another id is PROTOCOL_ERROR', async () => {
    const res = await probeServer(await scripted({ initialize: (_m, r) => sendJson(r, 200, result(999, {})) }));
    expect(res).toMatchObject({ failureClass: 'PROTOCOL_ERROR' });
    expect(res.message).toMatch(/response id 999 does not match/);
  });

  test('malformed JSON labelled application/json is PROTOCOL_ERROR', async () => {
    const res = await probeServer(await scripted({ initialize: (_m, r) => sendJson(r, 200, '{"jsonrpc":"2.0","id":') }));
    expect(res.failureClass).toBe('PROTOCOL_ERROR');
  });

  test('an error answered to initialize is PROTOCOL_ERROR', async () => {
    const res = await probeServer(await scripted({ initialize: (m, r) => sendJson(r, 200, rpcError(m.id!, -32603, 'Internal error')) }));
    expect(res.failureClass).toBe('PROTOCOL_ERROR');
    expect(res.message).toMatch(/initialize returned JSON-RPC error -32603/);
  });

  test('an initialize result without serverInfo is PROTOCOL_ERROR', async () => {
    const res = await probeServer(await scripted({
      initialize: (m, r) => sendJson(r, 200, result(m.id, { protocolVersion: '2025-11-25', capabilities: {} })),
    }));
    expect(res.failureClass).toBe('PROTOCOL_ERROR');
    expect(res.message).toMatch(/serverInfo/);
  });

  test('a server choosing an unknown protocol version is VERSION_MISMATCH', async () => {
    const res = await probeServer(await scripted({
      initialize: (m, r) => sendJson(r, 200, result(m.id, { protocolVersion: '1999-01-01', capabilities: {}, serverInfo: { name: 'old', version: '0' } })),
    }));
    expect(res).toMatchObject({ failureClass: 'VERSION_MISMATCH', layer: 'protocol' });
    expect(res.message).toMatch(/1999-01-01/);
  });

  test('a modern-only server probed with the legacy transport forced is VERSION_MISMATCH', async () => {
    const res = await probeServer(await startSdk2('reject'), { transport: 'legacy' });
    expect(res.failureClass).toBe('VERSION_MISMATCH');
    expect(res.message).toMatch(/supports 2026-07-28/);
  });

  test('a session lost between initialize and tools/list is SESSION_ERROR', async () => {
    const server = await scripted({
      'initialize': (m, r) => sendJson(r, 200, result(m.id, { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } }), {
        'mcp-session-id': 'sess-4f1c2a9e7b',
      }),
      'tools/list': (_m, r) => sendJson(r, 404, rpcError(null, -32001, 'Session not found')),
    });
    const requests = server.requests;
    const res = await probeServer(server);
    expect(res).toMatchObject({ failureClass: 'SESSION_ERROR', httpStatus: 404, era: 'legacy' });
    const list = requests.find((r) => r.body.includes('tools/list'))!;
    expect(list.headers['mcp-session-id']).toBe('sess-4f1c2a9e7b');
    expect(list.headers['mcp-protocol-version']).toBe('2025-11-25');
    // The probe still tries to end the session it was given.
    expect(requests.at(-1)!.method).toBe('DELETE');
  });
});

describe('tool failures', () => {
  test('a server without tools is NO_TOOLS', async () => {
    const res = await probeServer(await startSdk1Streamable({ stateful: false, json: true, tools: false }));
    expect(res).toMatchObject({ failureClass: 'NO_TOOLS', layer: 'tools', era: 'legacy' });
  });

  test('an empty tool list is NO_TOOLS', async () => {
    const res = await probeServer(await startScripted({ 'tools/list': (m, r) => sendJson(r, 200, result(m.id, { tools: [] })) }));
    expect(res).toMatchObject({ failureClass: 'NO_TOOLS', toolCount: 0 });
  });

  test('a tool list longer than maxToolPages is TOOLS_TRUNCATED, with no hash, never a pass', async () => {
    const res = await probeServer(await startScripted({
      'tools/list': (m, r) => {
        const n = Number(m.params?.cursor ?? 0);
        sendJson(r, 200, result(m.id, { tools: [{ name: `t${n}`, inputSchema: { type: 'object' } }], nextCursor: String(n + 1) }));
      },
    }), { maxToolPages: 5 });
    expect(res).toMatchObject({ ok: false, failureClass: 'TOOLS_TRUNCATED', layer: 'tools', toolCount: 5, toolsHash: null });
    expect(res.message).toMatch(/^TOOLS_TRUNCATED: the tool list was cut: after 5 pages/);
  });

  test('a tool list over maxToolsBytes is TOOLS_TRUNCATED naming the byte limit', async () => {
    const big = Array.from({ length: 50 }, (_, i) => ({ name: `tool_${i}`, description: 'x'.repeat(1_000), inputSchema: { type: 'object' } }));
    const res = await probeServer(await startScripted({ 'tools/list': (m, r) => sendJson(r, 200, result(m.id, { tools: big })) }), { maxToolsBytes: 20_000 });
    expect(res).toMatchObject({ failureClass: 'TOOLS_TRUNCATED', toolsHash: null });
    expect(res.message).toMatch(/page 1 would take the tool list over 20000 bytes \(the limit; --max-tools-bytes\)/);
  });

  test('an expected tool that is not listed is MISSING_TOOLS naming it', async () => {
    const res = await probeServer(await startSdk2('stateless'), { expectTools: ['echo', 'query_orders'] });
    expect(res).toMatchObject({ failureClass: 'MISSING_TOOLS', layer: 'tools', toolCount: 4 });
    expect(res.message).toMatch(/missing tools: query_orders/);
  });

  test('a tool list with another hash than expected is SCHEMA_DRIFT, the same hash is OK', async () => {
    const server = await startSdk2('stateless');
    try {
      const first = record(await probe({ url: server.url }));
      const same = record(await probe({ url: server.url, expectHash: first.toolsHash! }));
      const drift = record(await probe({ url: server.url, expectHash: 'sha256:0000000000000000' }));
      expect(same.ok).toBe(true);
      expect(drift).toMatchObject({ failureClass: 'SCHEMA_DRIFT', toolsHash: first.toolsHash });
    } finally {
      await server.close();
    }
  });

  test('a sentinel returning isError is TOOL_ERROR with its message', async () => {
    const res = await probeServer(await startSdk2('stateless'), { call: { name: 'broken' } });
    expect(res).toMatchObject({ failureClass: 'TOOL_ERROR', layer: 'tools' });
    expect(res.message).toMatch(/the widget service returned 500/);
  });

  test('a sentinel answered with a JSON-RPC error is TOOL_ERROR', async () => {
    const res = await probeServer(await startScripted({ 'tools/call': (m, r) => sendJson(r, 200, rpcError(m.id!, -32602, 'Invalid params: text is required')) }), {
      call: { name: 'echo' },
    });
    expect(res.failureClass).toBe('TOOL_ERROR');
    expect(res.message).toMatch(/-32602/);
  });

  test('a sentinel failing with AccessDenied is TOOL_CREDENTIALS, with account and ARN redacted', async () => {
    const res = await probeServer(await startSdk1Streamable({ stateful: true, json: false }), { call: { name: 'list_buckets' } });
    expect(res).toMatchObject({ failureClass: 'TOOL_CREDENTIALS', layer: 'tools' });
    expect(res.message).toMatch(/not authorized to perform: s3:ListAllMyBuckets/);
    expect(res.message).toMatch(/arn:aws:sts:\[REDACTED\]/);
    expect(res.message).not.toContain(LEAKED_ACCOUNT);
    expect(res.message).not.toContain(LEAKED_ARN);
  });

  test('a sentinel that outlives the deadline is TOOL_TIMEOUT with tools/list timed', async () => {
    const res = await probeServer(await startSdk2('stateless'), { call: { name: 'slow', arguments: { ms: 10_000 } }, timeoutMs: 1_500 });
    expect(res).toMatchObject({ failureClass: 'TOOL_TIMEOUT', layer: 'tools', era: 'modern', toolCount: 4 });
    expect(res.timings.toolCallMs).toBeGreaterThan(0);
    expect(res.timings.totalMs).toBeLessThan(2_500);
  });
});

describe('OAuth client failures (--oauth-client-id)', () => {
  /** A protected server on one port: 401 challenge, metadata, token endpoint; `faults` breaks one step. */
  async function oauthServer(faults: { prmResource?: string; issuer?: string; noPrm?: boolean; tokenStatus?: number }): Promise<TestServer> {
    let base = '';
    const server = await respond((req, reply) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/mcp') {
        return reply.writeHead(401, { 'www-authenticate': `Bearer error="invalid_token", error_description="Token was not issued for this resource", resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` }).end();
      }
      if (path === '/.well-known/oauth-protected-resource/mcp' && !faults.noPrm) {
        return sendJson(reply, 200, { resource: faults.prmResource ?? `${base}/mcp`, authorization_servers: [base] });
      }
      if (path === '/.well-known/oauth-authorization-server') {
        return sendJson(reply, 200, { issuer: faults.issuer ?? base, token_endpoint: `${base}/token`, code_challenge_methods_supported: ['S256'] });
      }
      if (path === '/token') {
        return faults.tokenStatus
          ? sendJson(reply, faults.tokenStatus, { error: 'invalid_client', error_description: 'bad secret oauth-s3cret-0123456789' })
          : sendJson(reply, 200, { access_token: 'tok-0123456789abcdefREJECTED', token_type: 'Bearer', expires_in: 300 });
      }
      return reply.writeHead(404).end();
    });
    base = server.url.replace(/\/mcp$/, '');
    return server;
  }
  const oauth = { clientId: 'c1', clientSecret: 'oauth-s3cret-0123456789' };

  test.each([
    ['no protected-resource metadata is OAUTH_METADATA_MISSING', { noPrm: true }, 'OAUTH_METADATA_MISSING', /no protected-resource metadata/],
    ['metadata for another resource is OAUTH_RESOURCE_MISMATCH', { prmResource: 'https://other.example.com/mcp' }, 'OAUTH_RESOURCE_MISMATCH', /not the URL probed/],
    ['authorization-server metadata with another issuer is OAUTH_AS_METADATA_REJECTED', { issuer: 'https://other.example.com' }, 'OAUTH_AS_METADATA_REJECTED', /"issuer" is "https:\/\/other\.example\.com"/],
    ['a token endpoint 401 is OAUTH_TOKEN_REQUEST_FAILED', { tokenStatus: 401 }, 'OAUTH_TOKEN_REQUEST_FAILED', /answered HTTP 401 invalid_client/],
    ['a fresh token refused with 401 is OAUTH_TOKEN_REJECTED', {}, 'OAUTH_TOKEN_REJECTED', /Token was not issued for this resource/],
  ])('%s', async (_name, faults, failureClass, message) => {
    const res = await probeServer(await oauthServer(faults), { oauth });
    expect(res).toMatchObject({ failureClass, layer: 'http' });
    expect(res.message).toMatch(message);
    expect(JSON.stringify(res)).not.toMatch(/oauth-s3cret-0123456789|tok-0123456789abcdefREJECTED/);
  });
});

test('every failure class was reproduced above', () => {
  // Jest runs the tests of a file in order: by now every test above has recorded its class.
  const missing = FAILURE_CLASSES.filter((c) => !produced.has(c));
  expect(missing).toEqual([]);
});
