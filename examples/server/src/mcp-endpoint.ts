/**
 * The `/mcp` endpoint in its two modes.
 *
 * - Stateless (default): the SDK's dual-era `createMcpHandler`: 2026-07-28 requests natively,
 *   2025-era requests through its stateless fallback (GET and DELETE answer 405).
 * - Stateful: 2026-07-28 requests still go to `createMcpHandler` (strict, `legacy: 'reject'`);
 *   2025-era requests get sessions keyed by `Mcp-Session-Id`, each served by the SDK's
 *   `NodeStreamableHTTPServerTransport`, held in a {@link SessionStore} with idle TTL and cap.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, isInitializeRequest, type McpServer } from '@modelcontextprotocol/server';
import type { ServerConfig } from './config';
import { header, RPC_ERROR, sendJsonRpcError } from './http-util';
import type { Logger } from './logger';
import { SessionStore } from './session-store';

/** Protocol era of one request, as the SDK classifies it. */
export type Era = 'legacy' | 'modern';

/** Serves `/mcp` requests that passed the host/origin checks. */
export interface McpEndpoint {
  /**
   * Serves one request.
   *
   * @param parsedBody the parsed JSON body of a POST (`undefined` for GET and DELETE)
   * @param era the SDK's classification of the request
   */
  handle(req: IncomingMessage, res: ServerResponse, parsedBody: unknown, era: Era): Promise<void>;
  /** Number of live legacy sessions (always 0 when stateless). */
  sessionCount(): number;
  /** Ends long-lived server-to-client streams so clients reconnect elsewhere (drain start). */
  closeStreams(): void;
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
  if (config.sessionMode === 'stateless') {
    const handler = createMcpHandler(() => createServer(), { legacy: 'stateless', onerror });
    const serve = toNodeHandler(handler, { onerror });
    return {
      handle: (req, res, parsedBody) => serve(req, res, parsedBody),
      sessionCount: () => 0,
      closeStreams: () => undefined,
      close: () => handler.close(),
    };
  }
  return new StatefulEndpoint(config, createServer, logger, onerror);
}

/** A 2025-era session: one server instance bound to one transport. */
class LegacySession {
  constructor(readonly server: McpServer, readonly transport: NodeStreamableHTTPServerTransport) {}

  public async close(): Promise<void> {
    await this.server.close();
  }
}

class StatefulEndpoint implements McpEndpoint {
  private readonly modern: ReturnType<typeof createMcpHandler>;
  private readonly serveModern: ReturnType<typeof toNodeHandler>;
  private readonly sessions: SessionStore<LegacySession>;

  constructor(private readonly config: ServerConfig, private readonly createServer: () => McpServer,
    private readonly logger: Logger, onerror: (error: Error) => void) {
    this.modern = createMcpHandler(() => createServer(), { legacy: 'reject', onerror });
    this.serveModern = toNodeHandler(this.modern, { onerror });
    this.sessions = new SessionStore<LegacySession>({
      ttlMs: config.sessionTtlMs,
      maxSessions: config.maxSessions,
      onEvict: (reason, error) => {
        const fields = { reason, sessions: this.sessions.size };
        if (error === undefined) {
          logger.info('session_evicted', fields);
        } else {
          logger.warn('session_evicted', { ...fields, errorName: error.name, message: truncate(error.message) });
        }
      },
    });
    this.sessions.startSweeper(Math.min(Math.max(config.sessionTtlMs / 2, 250), 60_000));
  }

  public async handle(req: IncomingMessage, res: ServerResponse, parsedBody: unknown, era: Era): Promise<void> {
    if (era === 'modern') {
      return this.serveModern(req, res, parsedBody);
    }
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

  public sessionCount(): number {
    return this.sessions.size;
  }

  public closeStreams(): void {
    for (const session of this.sessions.values()) {
      session.transport.closeStandaloneSSEStream();
    }
  }

  public async close(): Promise<void> {
    await Promise.all([this.modern.close(), this.sessions.closeAll()]);
  }

  private async serveSession(sessionId: string, req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    const session = this.sessions.acquire(sessionId);
    if (session === undefined) {
      sendJsonRpcError(res, 404, RPC_ERROR.SESSION_NOT_FOUND,
        'Session not found: it expired, was deleted or lives on another instance. Start a new session with initialize.');
      return;
    }
    res.once('close', () => this.sessions.release(sessionId));
    await session.transport.handleRequest(req, res, parsedBody);
  }

  private async startSession(req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    if (!this.sessions.tryReserve()) {
      this.logger.warn('session_rejected', { reason: 'capacity', sessions: this.sessions.size });
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
        this.sessions.commit(id, new LegacySession(server, transport));
        this.logger.info('session_created', { sessions: this.sessions.size });
      },
      onsessionclosed: (id) => {
        this.sessions.forget(id);
        this.logger.info('session_closed', { reason: 'client_delete', sessions: this.sessions.size });
      },
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, parsedBody);
    } finally {
      if (!created) {
        this.sessions.cancelReservation();
        await server.close();
      }
    }
  }
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
