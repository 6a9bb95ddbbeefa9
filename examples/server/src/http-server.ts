/**
 * The HTTP front of the example server on node:http: `/healthz`, `/mcp` behind the host/origin
 * allow-list, one structured log line per request, and graceful draining on shutdown.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isJsonContentType, isLegacyRequest } from '@modelcontextprotocol/server';
import { AccessPolicy } from './access-policy';
import { OAuthGate } from './auth';
import type { ServerConfig } from './config';
import {
  BodyTimeoutError, BodyTooLargeError, header, hostHeaderCount, readBody, RPC_ERROR, sendJson, sendJsonRpcError,
} from './http-util';
import { elapsedMs, type Logger } from './logger';
import { createMcpEndpoint, type Era, type McpEndpoint } from './mcp-endpoint';
import { createMcpServer, TOOL_NAMES, type ServerStatus } from './tools';

/** Path of the MCP endpoint. */
export const MCP_PATH = '/mcp';
/** Path of the readiness check (Lambda Web Adapter, ALB target group, App Runner). */
export const HEALTH_PATH = '/healthz';
/** Largest accepted POST body, the SDK's own default. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * Keep idle connections open longer than an ALB's default 60 s idle timeout, so the load
 * balancer never reuses a connection the server is closing (a source of spurious 502s).
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** How often node:http checks `headersTimeout` and `requestTimeout` (its default is 30 s). */
const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;
/** Window of the event-loop delay histogram the `health` tool reads. */
const EVENT_LOOP_WINDOW_MS = 60_000;

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID',
  'Access-Control-Max-Age': '600',
};

/** What one request is doing, for its log line and for draining. */
interface RequestRecord {
  readonly res: ServerResponse;
  rpcMethod?: string;
  tool?: string;
  era?: Era;
  /** A stream that lives until the client leaves (legacy GET stream, modern `subscriptions/listen`). */
  longLived: boolean;
}

/** The example MCP server: bind with {@link listen}, stop with {@link shutdown}. */
export class ExampleMcpServer {
  private readonly http: Server;
  private readonly endpoint: McpEndpoint;
  private readonly policy: AccessPolicy;
  /** Bearer-token checks and OAuth discovery documents, when `MCP_OAUTH_ISSUER` is set. */
  private readonly oauth: OAuthGate | undefined;
  private readonly inFlight = new Set<RequestRecord>();
  private readonly startedAt = performance.now();
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });
  private loopDelayReset: NodeJS.Timeout | undefined;
  private draining = false;
  private drained: (() => void) | undefined;
  private shutdownPromise: Promise<boolean> | undefined;

  constructor(private readonly config: ServerConfig, private readonly logger: Logger) {
    const status: ServerStatus = {
      mode: config.sessionMode,
      startedAt: this.startedAt,
      maxSessions: config.maxSessions,
      sessionCount: () => this.endpoint.sessionCount(),
      eventLoopDelayP99Ms: () => this.loopDelay.percentile(99) / 1e6,
    };
    const factory = () => createMcpServer(status, logger);
    // Build one instance up front so a broken tool definition fails at start, not on the first call.
    void factory().close();
    this.endpoint = createMcpEndpoint(config, factory, logger);
    this.policy = new AccessPolicy(config.allowedHosts, config.allowedOrigins);
    this.oauth = config.oauth !== undefined ? new OAuthGate(config.oauth) : undefined;
    // headersTimeout bounds a request's headers, requestTimeout the whole request (headers and
    // body, not the response: tool calls and streams may take longer); node:http answers 408.
    // readJsonBody also bounds the body itself, to answer 408 with a JSON-RPC error.
    this.http = createServer({
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.headersTimeoutMs + config.bodyTimeoutMs,
      connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS,
    }, (req, res) => this.onRequest(req, res));
  }

  /** Binds the configured host and port; resolves with the bound address once ready. */
  public async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.config.port, this.config.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    this.loopDelay.enable();
    this.loopDelayReset = setInterval(() => this.loopDelay.reset(), EVENT_LOOP_WINDOW_MS).unref();
    const address = this.http.address() as AddressInfo;
    this.logger.info('listening', {
      host: address.address, port: address.port, mode: this.config.sessionMode, tools: TOOL_NAMES.length,
    });
    return address;
  }

  /**
   * Stops accepting connections, answers `/healthz` with 503, ends long-lived streams, waits up to
   * `graceMs` for in-flight requests to finish, then closes everything. Idempotent.
   *
   * @returns whether every in-flight request finished within the grace period
   */
  public shutdown(graceMs: number): Promise<boolean> {
    this.shutdownPromise ??= this.drain(graceMs);
    return this.shutdownPromise;
  }

  private async drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    this.logger.info('shutdown_started', { inFlight: this.busyCount(), sessions: this.endpoint.sessionCount() });
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    for (const record of this.inFlight) {
      if (!record.res.headersSent) {
        record.res.setHeader('Connection', 'close');
      }
    }
    await this.endpoint.closeStreams();
    const drained = await this.waitForInFlight(graceMs);
    await this.endpoint.close();
    this.http.closeAllConnections();
    await closed;
    this.loopDelay.disable();
    clearInterval(this.loopDelayReset);
    if (drained) {
      this.logger.info('stopped', { reason: 'drained' });
    } else {
      this.logger.warn('stopped', { reason: 'grace_period_elapsed', inFlight: this.busyCount() });
    }
    return drained;
  }

  private busyCount(): number {
    return [...this.inFlight].filter((record) => !record.longLived).length;
  }

  private waitForInFlight(graceMs: number): Promise<boolean> {
    if (this.busyCount() === 0) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.drained = undefined;
        resolve(false);
      }, graceMs);
      this.drained = () => {
        clearTimeout(timer);
        this.drained = undefined;
        resolve(true);
      };
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const start = performance.now();
    const path = pathOf(req.url);
    const record: RequestRecord = { res, longLived: false };
    this.inFlight.add(record);
    if (this.draining) {
      res.setHeader('Connection', 'close');
    }
    res.once('close', () => {
      this.inFlight.delete(record);
      this.logRequest(req, res, path, record, elapsedMs(start));
      if (this.drained !== undefined && this.busyCount() === 0) {
        this.drained();
      }
    });
    this.route(req, res, path, record).catch((error: Error) => {
      this.logger.error('request_failed', { path, errorName: error.name, message: error.message.slice(0, 200) });
      if (!res.headersSent) {
        sendJsonRpcError(res, 500, RPC_ERROR.INTERNAL_ERROR, 'Internal error');
      } else {
        res.destroy();
      }
    });
  }

  private logRequest(req: IncomingMessage, res: ServerResponse, path: string, record: RequestRecord, durationMs: number): void {
    const completed = res.writableFinished;
    const fields = {
      method: req.method,
      rpcMethod: record.rpcMethod,
      tool: record.tool,
      era: record.era,
      path,
      status: res.statusCode,
      durationMs,
      success: completed && res.statusCode < 400,
      reason: completed ? undefined : 'connection_closed',
    };
    if (path === HEALTH_PATH && fields.success) {
      this.logger.debug('request', fields);
    } else if (res.statusCode >= 500) {
      this.logger.error('request', fields);
    } else {
      this.logger.info('request', fields);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string, record: RequestRecord): Promise<void> {
    if (hostHeaderCount(req) > 1) {
      // RFC 9112 section 3.2: more than one Host field line is a 400, whatever the path (node:http
      // would silently keep the first value, letting a second one slip past proxies' checks).
      this.logger.warn('request_rejected', { method: req.method, path, reason: 'duplicate_host' });
      sendJsonRpcError(res, 400, RPC_ERROR.SERVER_ERROR, 'Bad Request: more than one Host header (RFC 9112 section 3.2): send exactly one.',
        { Connection: 'close' });
      return;
    }
    if (path === HEALTH_PATH) {
      this.serveHealth(req, res);
      return;
    }
    if (this.oauth?.serveMetadata(req, res, path)) {
      return;
    }
    if (path !== MCP_PATH) {
      sendJson(res, 404, { error: `Not found: ${path}. The MCP endpoint is POST ${MCP_PATH}; readiness is GET ${HEALTH_PATH}.` });
      return;
    }
    const origin = header(req, 'origin');
    const access = this.policy.check(header(req, 'host'), origin);
    if (!access.allowed) {
      this.logger.warn('request_rejected', { method: req.method, path, reason: access.reason });
      sendJsonRpcError(res, 403, RPC_ERROR.SERVER_ERROR, access.message);
      return;
    }
    const corsOrigin = this.policy.corsOrigin(origin);
    if (corsOrigin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', corsOrigin);
      res.setHeader('Access-Control-Expose-Headers', 'Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsOrigin === undefined ? {} : CORS_HEADERS).end();
      return;
    }
    if (this.draining) {
      sendJsonRpcError(res, 503, RPC_ERROR.SERVER_ERROR, 'Server is shutting down: retry the request (it will reach another instance).',
        { 'Retry-After': '1' });
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      sendJsonRpcError(res, 405, RPC_ERROR.SERVER_ERROR, `Method not allowed: ${req.method}. Use POST (or GET/DELETE for sessions).`,
        { Allow: 'GET, POST, DELETE, OPTIONS' });
      return;
    }
    if (this.oauth !== undefined) {
      const authorized = await this.oauth.authorize(req, res);
      if (typeof authorized === 'string') {
        this.logger.info('request_unauthorized', { method: req.method, path, reason: authorized });
        return;
      }
    }
    let parsedBody: unknown;
    if (req.method === 'POST') {
      const parsed = await this.readJsonBody(req, res);
      if (!parsed.ok) {
        return;
      }
      parsedBody = parsed.body;
      Object.assign(record, describeMessage(parsedBody));
    }
    record.era = await classifyEra(req, parsedBody);
    record.longLived = req.method === 'GET' || record.rpcMethod === 'subscriptions/listen';
    await this.endpoint.handle(req, res, { parsedBody, era: record.era, longLived: record.longLived });
  }

  private async readJsonBody(req: IncomingMessage, res: ServerResponse): Promise<{ ok: true; body: unknown } | { ok: false }> {
    if (!isJsonContentType(header(req, 'content-type') ?? '')) {
      sendJsonRpcError(res, 415, RPC_ERROR.SERVER_ERROR, 'Unsupported Media Type: Content-Type must be application/json.');
      return { ok: false };
    }
    let text: string;
    try {
      text = await readBody(req, MAX_BODY_BYTES, this.config.bodyTimeoutMs);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendJsonRpcError(res, 413, RPC_ERROR.SERVER_ERROR, `Payload Too Large: the body limit is ${MAX_BODY_BYTES} bytes.`,
          { Connection: 'close' });
        return { ok: false };
      }
      if (error instanceof BodyTimeoutError) {
        sendJsonRpcError(res, 408, RPC_ERROR.SERVER_ERROR,
          `Request Timeout: the body did not arrive within ${error.timeoutMs} ms (MCP_BODY_TIMEOUT_SECONDS).`, { Connection: 'close' });
        return { ok: false };
      }
      throw error;
    }
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      sendJsonRpcError(res, 400, RPC_ERROR.PARSE_ERROR, 'Parse error: the body is not valid JSON.');
      return { ok: false };
    }
  }

  private serveHealth(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: `Method not allowed: ${req.method}. Use GET ${HEALTH_PATH}.` }, { Allow: 'GET, HEAD' });
      return;
    }
    const body = {
      status: this.draining ? 'draining' : 'ok',
      tools: TOOL_NAMES.length,
      mode: this.config.sessionMode,
      sessions: this.endpoint.sessionCount(),
      // Requests being served besides this one (long-lived streams excluded), as draining waits for them.
      inFlight: Math.max(0, this.busyCount() - 1),
      // Open server-to-client streams (legacy GET streams, modern subscriptions), closed at shutdown.
      streams: this.inFlight.size - this.busyCount(),
      uptimeSeconds: Math.round((performance.now() - this.startedAt) / 1000),
    };
    sendJson(res, this.draining ? 503 : 200, body);
  }
}

/** The request's path without query string; `/` for an unparseable target. */
function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '/';
  }
}

/** The JSON-RPC method(s) and tool name of a parsed body, for the log line only. */
function describeMessage(body: unknown): { rpcMethod?: string; tool?: string } {
  const messages = Array.isArray(body) ? body : [body];
  const methods = messages
    .map((message) => (isRecord(message) && typeof message.method === 'string' ? message.method.slice(0, 64) : undefined))
    .filter((method): method is string => method !== undefined);
  const first = messages[0];
  const params = isRecord(first) && isRecord(first.params) ? first.params : undefined;
  const tool = methods[0] === 'tools/call' && typeof params?.name === 'string' ? params.name.slice(0, 64) : undefined;
  return { rpcMethod: methods.length === 0 ? undefined : [...new Set(methods)].join(','), tool };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Classifies the request's era exactly as the SDK's handler will (same predicate). */
async function classifyEra(req: IncomingMessage, parsedBody: unknown): Promise<Era> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) {
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }
  const request = new Request(`http://localhost${MCP_PATH}`, { method: req.method, headers });
  return (await isLegacyRequest(request, parsedBody)) ? 'legacy' : 'modern';
}
