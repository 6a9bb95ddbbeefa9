/**
 * The `/mcp` endpoint in its two modes.
 *
 * - Stateless (default): the SDK's dual-era `createMcpHandler`: 2026-07-28 requests natively,
 *   2025-era requests through its stateless fallback (GET and DELETE answer 405).
 * - Stateful: 2026-07-28 requests still go to `createMcpHandler` (strict, `legacy: 'reject'`);
 *   2025-era requests get sessions keyed by `Mcp-Session-Id`, each served by the SDK's
 *   `NodeStreamableHTTPServerTransport`, held in a {@link SessionStore} with idle TTL and cap.
 *
 * In both modes, modern `subscriptions/listen` streams are served by a second handler sharing
 * the change-event bus, so shutdown can end them gracefully while tool calls finish.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, InMemoryServerEventBus, isInitializeRequest, type McpServer } from '@modelcontextprotocol/server';
import type { ServerConfig } from './config';
import { header, RPC_ERROR, sendJsonRpcError } from './http-util';
import type { Logger } from './logger';
import { requestRecords } from './records';
import { SessionStore } from './session-store';

/** Protocol era of one request, as the SDK classifies it. */
export type Era = 'legacy' | 'modern';

/** What the HTTP layer learnt about a `/mcp` request before handing it over. */
export interface McpRequestInfo {
  /** The parsed JSON body of a POST (`undefined` for GET and DELETE). */
  readonly parsedBody: unknown;
  /** The SDK's classification of the request. */
  readonly era: Era;
  /** A stream that lives until the client leaves: a legacy GET stream or a modern `subscriptions/listen`. */
  readonly longLived: boolean;
}

/** Serves `/mcp` requests that passed the host/origin checks. */
export interface McpEndpoint {
  /** Serves one request. */
  handle(req: IncomingMessage, res: ServerResponse, info: McpRequestInfo): Promise<void>;
  /** Number of live legacy sessions (always 0 when stateless). */
  sessionCount(): number;
  /**
   * Ends long-lived server-to-client streams so clients reconnect elsewhere (drain start):
   * modern subscriptions get the spec's graceful close, legacy GET streams end.
   */
  closeStreams(): Promise<void>;
  /** Closes the SDK handler and every session. */
  close(): Promise<void>;
}

/**
 * Creates the endpoint for the configured session mode.
 *
 * @param config server configuration (session mode, TTL, cap)
 * @param createServer factory of a fresh server instance with all tools registered
 * @param logger receives session lifecycle lines
 */
export function createMcpEndpoint(config: ServerConfig, createServer: () => McpServer, logger: Logger): McpEndpoint {
  const onerror = (error: Error): void => logger.warn('mcp_error', { errorName: error.name, message: truncate(error.message) });
  // Modern `subscriptions/listen` streams get their own handler on the shared change-event bus, so
  // a drain can close them gracefully (handler.close()) without aborting in-flight tool calls.
  const bus = new InMemoryServerEventBus(onerror);
  const subscriptions = createMcpHandler(() => createServer(), { legacy: 'reject', onerror, bus });
  const serveSubscription = toNodeHandler(subscriptions, { onerror });
  const modern = requestRecords.wrapHandler(createMcpHandler(requestRecords.wrapFactory(() => createServer()),
    { legacy: config.sessionMode === 'stateless' ? 'stateless' : 'reject', onerror, bus }));
  const serveModern = toNodeHandler(modern, { onerror });
  const sessions = config.sessionMode === 'stateful' ? new LegacySessions(config, createServer, logger) : undefined;
  return {
    handle: async (req, res, info) => {
      if (info.era === 'modern' && info.longLived) {
        return serveSubscription(req, res, info.parsedBody);
      }
      if (info.era === 'legacy' && sessions !== undefined) {
        return sessions.handle(req, res, info.parsedBody);
      }
      return serveModern(req, res, info.parsedBody);
    },
    sessionCount: () => sessions?.size ?? 0,
    closeStreams: async () => {
      sessions?.closeStreams();
      await subscriptions.close();
    },
    close: async () => {
      await Promise.all([modern.close(), subscriptions.close(), sessions?.close()]);
    },
  };
}

/** A 2025-era session: one server instance bound to one transport. */
class LegacySession {
  constructor(readonly server: McpServer, readonly transport: NodeStreamableHTTPServerTransport) {}

  public async close(): Promise<void> {
    await this.server.close();
  }
}

/** 2025-era sessions keyed by `Mcp-Session-Id`, each on its own SDK transport. */
class LegacySessions {
  private readonly store: SessionStore<LegacySession>;

  constructor(private readonly config: ServerConfig, private readonly createServer: () => McpServer, private readonly logger: Logger) {
    this.store = new SessionStore<LegacySession>({
      ttlMs: config.sessionTtlMs,
      maxLifetimeMs: config.sessionMaxLifetimeMs,
      maxSessions: config.maxSessions,
      onEvict: (reason, error) => {
        const fields = { reason, sessions: this.store.size };
        if (error === undefined) {
          logger.info('session_evicted', fields);
        } else {
          logger.warn('session_evicted', { ...fields, errorName: error.name, message: truncate(error.message) });
        }
      },
    });
    const shortest = Math.min(config.sessionTtlMs, config.sessionMaxLifetimeMs);
    this.store.startSweeper(Math.min(Math.max(shortest / 2, 250), 60_000));
  }

  public get size(): number {
    return this.store.size;
  }

  public async handle(req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    const sessionId = header(req, 'mcp-session-id');
    if (sessionId !== undefined) {
      return this.serveSession(sessionId, req, res, parsedBody);
    }
    if (req.method === 'POST' && isInitializeRequest(parsedBody)) {
      return this.startSession(req, res, parsedBody);
    }
    sendJsonRpcError(res, 400, RPC_ERROR.SERVER_ERROR,
      'Bad Request: Mcp-Session-Id header is required (this server is stateful: send initialize first and reuse the session id it returns).');
  }

  public closeStreams(): void {
    for (const session of this.store.values()) {
      session.transport.closeStandaloneSSEStream();
    }
  }

  public close(): Promise<void> {
    return this.store.closeAll();
  }

  private async serveSession(sessionId: string, req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    // A GET stream is not activity: a client holding only a stream still loses the session after
    // the TTL (or its lifetime), and evicting the session ends the stream.
    const use = req.method === 'GET' ? 'stream' : 'request';
    const session = this.store.acquire(sessionId, use);
    if (session === undefined) {
      sendJsonRpcError(res, 404, RPC_ERROR.SESSION_NOT_FOUND,
        'Session not found: it expired, was deleted or lives on another instance. Start a new session with initialize.');
      return;
    }
    res.once('close', () => this.store.release(sessionId, use));
    await session.transport.handleRequest(req, res, parsedBody);
  }

  private async startSession(req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    if (!this.store.tryReserve()) {
      this.logger.warn('session_rejected', { reason: 'capacity', sessions: this.store.size });
      sendJsonRpcError(res, 503, RPC_ERROR.SERVER_ERROR,
        `Server at capacity: ${this.config.maxSessions} sessions are open (MCP_MAX_SESSIONS). `
        + 'Retry later, end sessions with DELETE, or raise MCP_MAX_SESSIONS / lower MCP_SESSION_TTL_SECONDS.',
        { 'Retry-After': '5' });
      return;
    }
    let created = false;
    const server = this.createServer();
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        created = true;
        this.store.commit(id, new LegacySession(server, transport));
        this.logger.info('session_created', { sessions: this.store.size });
      },
      onsessionclosed: (id) => {
        this.store.forget(id);
        this.logger.info('session_closed', { reason: 'client_delete', sessions: this.store.size });
      },
    });
    try {
      await server.connect(transport);
      requestRecords.attach(transport, server);
      await transport.handleRequest(req, res, parsedBody);
    } finally {
      if (!created) {
        this.store.cancelReservation();
        await server.close();
      }
    }
  }
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
