/**
 * One request record per JSON-RPC request an MCP server on the official TypeScript SDK handles,
 * written as one JSON line (the contract: `src/contract/request-record.ts`; the guide:
 * `docs/per-tool.md`). No SDK import and no AWS dependency: the SDK objects are used through the
 * few members the wiring needs, so the same code serves SDK 1.x and 2.x.
 *
 * - SDK 2.x (`@modelcontextprotocol/server`, `createMcpHandler`): {@link McpRequestRecords.wrapHandler}
 *   wraps the handler's `fetch`, which sees every request and its response as the client does
 *   (JSON or SSE, errors answered before any handler runs included); the SDK has no middleware
 *   hook. {@link McpRequestRecords.wrapFactory} lets it read the registered tools of the
 *   instances the factory builds.
 * - SDK 1.x (`@modelcontextprotocol/sdk`): {@link McpRequestRecords.attach} wraps the transport's
 *   `onmessage` and `send` after `server.connect(transport)`: every request and its response
 *   pass there, including the ones no request handler sees (unknown methods, invalid params).
 */
import {
  asObject, buildRecord, idKey, isRequest, isResponse, RegisteredTools, stdoutWriter,
  type JsonObject, type RecordWriter, type RequestFacts, type ResponseFacts,
} from './record';
import { SseMessages } from './sse';

/** Options of {@link McpRequestRecords}. */
export interface McpRequestRecordsOptions {
  /**
   * Where each record goes: called once per record with its JSON line (no newline).
   * @default - standard output, one line per record
   */
  readonly write?: RecordWriter;
  /**
   * The names of the tools the server registers (`cdk_mcp.tool.registered` is true only for these).
   * @default - the tools of the `McpServer` instances the helper sees (wrapFactory, attach), and the names the server itself lists in `tools/list`
   */
  readonly tools?: readonly string[];
  /**
   * The largest request body read to find the request's method (SDK 2.x), in bytes; a larger
   * request gets no record (the SDK answers it 413 by default).
   * @default 4_194_304 (4 MiB, the SDK 2.x handler's own limit)
   */
  readonly maxRequestBytes?: number;
  /**
   * How many legacy sessions' client names and versions are kept (the client says them once, in `initialize`).
   * @default 1_000
   */
  readonly maxSessions?: number;
}

/** The members of an SDK 2.x handler (`createMcpHandler`'s result) the helper uses. */
export interface FetchHandlerLike {
  /** Serves one HTTP request. */
  fetch(request: Request, options?: { parsedBody?: unknown }): Promise<Response>;
}

/** The members of an SDK 1.x transport the helper uses. */
export interface TransportLike {
  /** The session id (stateful Streamable HTTP). */
  readonly sessionId?: string;
  /** Set by `server.connect(transport)`. */
  onmessage?(message: unknown, extra?: unknown): void;
  /** Set by `server.connect(transport)`. */
  onclose?(): void;
  /** Sends a message to the client. */
  send(message: unknown, options?: unknown): Promise<void>;
}

/** What a legacy session's `initialize` said. */
interface SessionFacts {
  readonly name?: string;
  readonly version?: string;
  readonly protocolVersion?: string;
}

const MCP_SESSION_ID = 'mcp-session-id';

/**
 * Writes one record per JSON-RPC request an MCP server handles. Create one per process and
 * wire it to the server (see the class's module documentation and `docs/per-tool.md`).
 * Notifications and the client's responses get no record: they have no response to time.
 */
export class McpRequestRecords {
  private readonly write: RecordWriter;
  private readonly tools: RegisteredTools;
  private readonly maxRequestBytes: number;
  private readonly maxSessions: number;
  private readonly sessions = new Map<string, SessionFacts>();

  constructor(options: McpRequestRecordsOptions = {}) {
    this.write = options.write ?? stdoutWriter;
    this.tools = new RegisteredTools(options.tools);
    this.maxRequestBytes = options.maxRequestBytes ?? 4 * 1024 * 1024;
    this.maxSessions = options.maxSessions ?? 1_000;
  }

  /**
   * SDK 2.x: wraps the factory given to `createMcpHandler`, so the records know the tools each
   * instance registers. The instances are unchanged.
   */
  public wrapFactory<C, S>(factory: (ctx: C) => S | Promise<S>): (ctx: C) => Promise<S> {
    return async (ctx: C) => {
      const server = await factory(ctx);
      this.tools.watch(server);
      return server;
    };
  }

  /**
   * SDK 2.x: a handler like `handler` whose `fetch` writes one record per JSON-RPC request. The
   * response is returned as the handler made it; the records read a copy of its body (a stream
   * too, as it arrives) and never hold the client's copy back.
   */
  public wrapHandler<H extends FetchHandlerLike>(handler: H): H {
    const fetch = (request: Request, options?: { parsedBody?: unknown }) => this.fetch(handler, request, options);
    return { ...handler, fetch } as H;
  }

  /**
   * SDK 1.x: records the requests that pass through `transport`. Call it after
   * `server.connect(transport)` (which sets the callbacks this wraps). `server` is the
   * `McpServer` (to know its registered tools).
   */
  public attach(transport: TransportLike, server?: unknown): void {
    const onmessage = transport.onmessage;
    if (!onmessage) {
      throw new Error('McpRequestRecords.attach(transport): the transport has no onmessage handler. Call it after `await server.connect(transport)`.');
    }
    this.tools.watch(server);
    const pending = new Map<string, RequestFacts>();
    let session: SessionFacts = {};
    transport.onmessage = (message: unknown, extra?: unknown) => {
      if (isRequest(message)) {
        const headers = asObject(asObject(asObject(extra)?.requestInfo)?.headers) ?? {};
        pending.set(idKey(message.id), this.arrived(message, headerOf(headers.traceparent), headerOf(headers['mcp-protocol-version']), session));
      }
      onmessage.call(transport, message, extra);
    };
    const send = transport.send;
    transport.send = (message: unknown, options?: unknown) => {
      const sent = send.call(transport, message, options);
      if (isResponse(message)) {
        const facts = pending.get(idKey(message.id));
        if (facts) {
          pending.delete(idKey(message.id));
          if (facts.message.method === 'initialize') session = initializeFacts(facts.message, message);
          this.finish(facts, { message, sessionId: transport.sessionId });
        }
      }
      return sent;
    };
    const onclose = transport.onclose;
    transport.onclose = () => {
      for (const facts of pending.values()) this.finish(facts, { sessionId: transport.sessionId });
      pending.clear();
      onclose?.call(transport);
    };
  }

  private arrived(
    message: JsonObject, traceparent: string | undefined, protocolVersion: string | undefined, session: SessionFacts | undefined,
  ): RequestFacts {
    return {
      message,
      arrivedAt: Date.now(),
      startedAt: performance.now(),
      traceparentHeader: traceparent,
      protocolVersionHeader: protocolVersion,
      sessionClient: session,
      sessionProtocolVersion: session?.protocolVersion,
    };
  }

  /**
   * Ends a request's duration now, and builds and writes its record once the response is on its
   * way (`setImmediate`: off the response's path). A failing writer never fails the request.
   */
  private finish(request: RequestFacts, response: Omit<ResponseFacts, 'endedAt' | 'toolRegistered'>): void {
    const endedAt = performance.now();
    setImmediate(() => {
      try {
        const method = request.message.method as string;
        this.tools.learn(method, response.message);
        const name = asObject(request.message.params)?.name;
        const toolRegistered = method === 'tools/call' && typeof name === 'string' ? this.tools.has(name) : undefined;
        this.write(JSON.stringify(buildRecord(request, { ...response, endedAt, toolRegistered })));
      } catch {
        // A record is telemetry: losing one must not turn into a failed request.
      }
    });
  }

  private async fetch(handler: FetchHandlerLike, request: Request, options?: { parsedBody?: unknown }): Promise<Response> {
    const sessionId = request.headers.get(MCP_SESSION_ID) ?? undefined;
    if (request.method === 'DELETE' && sessionId) this.sessions.delete(sessionId);
    if (request.method !== 'POST') return handler.fetch(request, options);
    const body = options?.parsedBody !== undefined ? options.parsedBody : await readJson(request.clone(), this.maxRequestBytes);
    const messages = (Array.isArray(body) ? body : [body]).filter(isRequest);
    if (messages.length === 0) return handler.fetch(request, options);

    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    const traceparent = request.headers.get('traceparent') ?? undefined;
    const version = request.headers.get('mcp-protocol-version') ?? undefined;
    const pending = new Map(messages.map((m) => [idKey(m.id), this.arrived(m, traceparent, version, session)]));
    let response: Response;
    try {
      response = await handler.fetch(request, options);
    } catch (thrown) {
      for (const facts of pending.values()) this.finish(facts, { thrown, sessionId });
      throw thrown;
    }
    const responseSession = response.headers.get(MCP_SESSION_ID) ?? sessionId;
    const settle = (message: unknown) => {
      if (!isResponse(message)) return;
      // An error answered before the request was read (id null) belongs to the one request sent.
      const key = message.id === null && pending.size === 1 ? pending.keys().next().value! : idKey(message.id);
      const facts = pending.get(key);
      if (!facts) return;
      pending.delete(key);
      if (facts.message.method === 'initialize' && responseSession) this.remember(responseSession, initializeFacts(facts.message, message));
      this.finish(facts, { message, sessionId: responseSession });
    };
    const unanswered = () => {
      for (const facts of pending.values()) this.finish(facts, { httpStatus: response.status, sessionId: responseSession });
      pending.clear();
    };
    if (!response.body) {
      unanswered();
      return response;
    }
    if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      // A stream the client reads as it arrives: read a copy alongside, never holding it back.
      void readEvents(response.clone(), settle, () => pending.size === 0).then(unanswered, unanswered);
      return response;
    }
    // A JSON body is whole already (the SDK serialises it at once): read it, and hand the client
    // the same bytes in a new Response (no second copy of the stream to keep in step).
    const text = await response.text();
    readBody(text, settle);
    unanswered();
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  private remember(sessionId: string, facts: SessionFacts): void {
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, facts);
    while (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
  }
}

/** The one value of a Node.js header (the first of a repeated one). */
function headerOf(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** What an `initialize` exchange says of its session: the client and the version agreed. */
function initializeFacts(request: JsonObject, response: JsonObject): SessionFacts {
  const client = asObject(asObject(request.params)?.clientInfo);
  const agreed = asObject(response.result)?.protocolVersion;
  return {
    name: typeof client?.name === 'string' ? client.name : undefined,
    version: typeof client?.version === 'string' ? client.version : undefined,
    protocolVersion: typeof agreed === 'string' ? agreed : undefined,
  };
}

/** The JSON of a request body of at most `maxBytes`, or undefined (too large, not JSON). */
async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Settles the requests a JSON response body (one message or a batch) answers. */
function readBody(text: string, settle: (message: unknown) => void): void {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return;
  }
  for (const message of Array.isArray(body) ? body : [body]) settle(message);
}

/** Reads an SSE response as it arrives and settles each request when its response passes; stops once `done()`. */
async function readEvents(response: Response, settle: (message: unknown) => void, done: () => boolean): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events = new SseMessages();
  try {
    while (!done()) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      for (const message of events.push(decoder.decode(value, { stream: true }))) settle(message);
    }
  } finally {
    // The client's copy goes on; only this one stops.
    await reader.cancel().catch(() => undefined);
  }
}
