/**
 * The transports a negotiated probe speaks through, behind one {@link Driver} interface: modern
 * and legacy Streamable HTTP (one POST per message; the legacy session, its SSE resumption and
 * its DELETE) and the deprecated 2024-11-05 HTTP+SSE transport. A driver keeps the negotiated
 * protocol version itself, and reaches the run only through {@link DriverLink}.
 */
import { interpretSseEvent, MODERN_VERSION } from './classify';
import type { EventStream, ExchangeRequest, ExchangeResult } from './http';
import { encodeHeaderValue } from './param-headers';
import { outcomeOf, type RpcOutcome } from './rpc-outcome';
import type { Era } from './types';

export type { RpcOutcome } from './rpc-outcome';

/** The client name and version the probe announces. */
export const PROBE_CLIENT_INFO = { name: 'cdk-mcp-probe', version: '1.0.0' } as const;

/** How many times a legacy SSE response stream closed after a priming event is resumed (SEP-1699). */
const MAX_SSE_RESUMES = 20;
/** The reconnection delay when a priming event gives no `retry`. */
const DEFAULT_SSE_RETRY_MS = 1_000;

/** The `_meta` every modern request carries (2026-07-28: no session, so each request says who and what it is). */
const MODERN_META = Object.freeze({
  'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
  'io.modelcontextprotocol/clientCapabilities': Object.freeze({}),
  'io.modelcontextprotocol/clientInfo': PROBE_CLIENT_INFO,
});

/** What a driver needs of the probe run: one signed exchange at a time, ids, the deadline, the secrets. */
export interface DriverLink {
  /** The MCP endpoint. */
  readonly target: URL;
  /** Secret values kept out of every message. */
  readonly secrets: readonly string[];
  /** Milliseconds left before the deadline. */
  readonly remainingMs: number;
  /** The deadline of a session clean-up started now. */
  readonly cleanupDeadline: number;
  /** One exchange; the link adds the base headers (user agent, auth) and signs. */
  send(request: ExchangeRequest, expectedId: number | null): Promise<ExchangeResult>;
  /** A fresh JSON-RPC request id. */
  nextRequestId(): number;
  /** Keeps a value (a session id) out of every message from now on. */
  remember(secret: string): void;
  /** A `traceparent` for one request: the run's trace id, a new parent id (./trace-context). */
  traceparent(): string;
}

/** One transport of a negotiated (or negotiating) probe. */
export interface Driver {
  readonly era: Era;
  /** One request. `maxBytes` caps this response below the client's cap (streamable drivers; the SSE stream has its own). */
  rpc(method: string, params: Record<string, unknown>, extraHeaders?: Record<string, string>, maxBytes?: number): Promise<RpcOutcome>;
  /** One notification. */
  notify(method: string): Promise<RpcOutcome>;
  /** Records the protocol version `initialize` agreed, sent from now on where the transport sends it. */
  setProtocolVersion(version: string): void;
  /** Ends the session, if the transport has one. Idempotent. */
  cleanup(): Promise<void>;
}

/** Modern and legacy Streamable HTTP: one POST per message. */
export class StreamableDriver implements Driver {
  private negotiated: string | undefined;
  private sessionId: string | undefined;
  /** The session's end, once started. */
  private cleaning: Promise<void> | undefined;

  constructor(private readonly link: DriverLink, public readonly era: 'modern' | 'legacy') {}

  public async rpc(
    method: string,
    params: Record<string, unknown>,
    extraHeaders: Record<string, string> = {},
    maxBytes?: number,
  ): Promise<RpcOutcome> {
    const id = this.link.nextRequestId();
    // The same trace context in `_meta` (SEP-414) and in the HTTP header, so either finds the server's record.
    const traceparent = this.link.traceparent();
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: this.withMeta(params, traceparent) });
    const cap = maxBytes !== undefined ? { maxBytes } : {};
    let result = await this.link.send(this.request(method, params, body, { ...extraHeaders, traceparent }, maxBytes), id);
    if (method === 'initialize' && result.kind === 'http') {
      const session = result.headers['mcp-session-id'];
      if (typeof session === 'string' && session !== '') {
        this.sessionId = session;
        this.link.remember(session);
      }
    }
    // SSE polling (SEP-1699, 2025-11-25): the server closed the response stream after a priming
    // event; reconnect with GET and Last-Event-ID until the answer arrives or the deadline passes.
    for (let attempt = 0; this.era === 'legacy' && result.kind === 'http' && result.resume && attempt < MAX_SSE_RESUMES; attempt++) {
      const { lastEventId, retryMs } = result.resume;
      const wait = Math.min(retryMs ?? DEFAULT_SSE_RETRY_MS, this.link.remainingMs);
      if (wait >= this.link.remainingMs) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
      result = await this.link.send({
        method: 'GET',
        url: this.link.target,
        headers: { 'accept': 'text/event-stream', 'last-event-id': lastEventId, ...this.sessionHeaders() },
        ...cap,
      }, id);
    }
    return outcomeOf(result);
  }

  public async notify(method: string): Promise<RpcOutcome> {
    const body = JSON.stringify({ jsonrpc: '2.0', method });
    return outcomeOf(await this.link.send(this.request(method, {}, body), null));
  }

  public setProtocolVersion(version: string): void {
    this.negotiated = version;
  }

  /** Ends a legacy session with DELETE; a 405 (sessions cannot be ended) is fine. Idempotent: one DELETE. */
  public cleanup(): Promise<void> {
    this.cleaning ??= this.endSession();
    return this.cleaning;
  }

  private async endSession(): Promise<void> {
    if (this.era !== 'legacy' || !this.sessionId) return;
    await this.link.send({ method: 'DELETE', url: this.link.target, headers: this.sessionHeaders(), deadline: this.link.cleanupDeadline }, null);
    this.sessionId = undefined;
  }

  private withMeta(params: Record<string, unknown>, traceparent: string): Record<string, unknown> {
    // 2025-era servers accept unknown `_meta` keys (SDK 1.x RequestMetaSchema is a loose object).
    return { ...params, _meta: this.era === 'modern' ? { ...MODERN_META, traceparent } : { traceparent } };
  }

  private sessionHeaders(): Record<string, string> {
    return {
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
      ...(this.negotiated ? { 'mcp-protocol-version': this.negotiated } : {}),
    };
  }

  private request(
    method: string,
    params: Record<string, unknown>,
    body: string,
    extraHeaders: Record<string, string> = {},
    maxBytes?: number,
  ): ExchangeRequest {
    const url = this.link.target;
    const headers: Record<string, string> = {
      'accept': 'application/json, text/event-stream',
      'content-type': 'application/json',
    };
    if (this.era === 'modern') {
      headers['mcp-protocol-version'] = MODERN_VERSION;
      headers['mcp-method'] = method;
      if (method === 'tools/call' && typeof params.name === 'string') headers['mcp-name'] = encodeHeaderValue(params.name);
      Object.assign(headers, extraHeaders);
    } else {
      Object.assign(headers, this.sessionHeaders());
      if (extraHeaders.traceparent) headers.traceparent = extraHeaders.traceparent;
    }
    return maxBytes === undefined ? { method: 'POST', url, body, headers } : { method: 'POST', url, body, headers, maxBytes };
  }
}

/** The deprecated 2024-11-05 HTTP+SSE transport: POSTs to the announced endpoint, answers on the GET stream. */
export class SseDriver implements Driver {
  public readonly era = 'sse' as const;

  constructor(private readonly link: DriverLink, private readonly stream: EventStream, private readonly postUrl: URL) {}

  public async rpc(method: string, params: Record<string, unknown>): Promise<RpcOutcome> {
    const id = this.link.nextRequestId();
    const traceparent = this.link.traceparent();
    const posted = await this.post({ jsonrpc: '2.0', id, method, params: { ...params, _meta: { traceparent } } }, traceparent);
    if (!posted.ok) return posted;
    const answer = await this.stream.next((event) => {
      const verdict = interpretSseEvent(event, id, this.link.secrets);
      return verdict === 'skip' ? undefined : { interpretation: verdict, bytes: event.data.length };
    });
    if (!('value' in answer)) {
      const failure = answer.failure.failureClass === 'EMPTY_STREAM'
        ? { failureClass: answer.failure.failureClass, message: `the SSE stream ended without the response to ${method} (id ${id})` }
        : answer.failure;
      return { ok: false, failure, timedOut: answer.timedOut };
    }
    return outcomeOf({ kind: 'http', status: 200, headers: {}, interpretation: answer.value.interpretation, bytes: answer.value.bytes });
  }

  public async notify(method: string): Promise<RpcOutcome> {
    return this.post({ jsonrpc: '2.0', method });
  }

  /** The 2024-11-05 transport sends no version header: nothing to keep. */
  public setProtocolVersion(_version: string): void {}

  public async cleanup(): Promise<void> {
    // Closing the GET stream ends the session on the server.
    this.stream.close();
  }

  private async post(message: Record<string, unknown>, traceparent = this.link.traceparent()): Promise<RpcOutcome> {
    const body = JSON.stringify(message);
    const headers = { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', traceparent };
    return outcomeOf(await this.link.send({ method: 'POST', url: this.postUrl, headers, body }, null));
  }
}
