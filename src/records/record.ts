/**
 * The pure half of the request-record helpers: what one JSON-RPC request and its response
 * say, turned into one record of `src/contract/request-record.ts`, and that record turned into
 * one JSON line. No I/O and no SDK import: the SDK-specific wiring (./sdk2, ./sdk1) feeds it.
 */
import { createHash } from 'node:crypto';
import { REQUEST_OUTCOMES, REQUEST_RECORD, REQUEST_RECORD_MARKER, REQUEST_RECORD_VERSION } from '../contract/request-record';

/** The `_meta` key of a modern (2026-07-28) request's protocol version. */
export const META_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
/** The `_meta` key of a modern request's client name and version. */
export const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
/** The longest tool or client name a record keeps (the MCP specification limits tool names to 128 characters). */
export const MAX_NAME_CHARS = 128;

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** What is known of a request when it arrives. */
export interface RequestFacts {
  /** The JSON-RPC request (`method`, `id`, `params`). */
  readonly message: JsonObject;
  /** `Date.now()` at arrival. */
  readonly arrivedAt: number;
  /** `performance.now()` at arrival (the duration's start). */
  readonly startedAt: number;
  /** The HTTP `traceparent` header, when there was one. */
  readonly traceparentHeader?: string;
  /** The HTTP `mcp-protocol-version` header, when there was one. */
  readonly protocolVersionHeader?: string;
  /** The client's name and version when the server knows them from an earlier `initialize` of the session. */
  readonly sessionClient?: { readonly name?: string; readonly version?: string };
  /** The legacy protocol version `initialize` agreed for the session, when known. */
  readonly sessionProtocolVersion?: string;
}

/** How a request ended. */
export interface ResponseFacts {
  /** The JSON-RPC response (`result` or `error`), when one came. */
  readonly message?: JsonObject;
  /** An HTTP status that ended the request without a JSON-RPC response (a 413, a plain 500). */
  readonly httpStatus?: number;
  /** An exception that ended the request without a response. */
  readonly thrown?: unknown;
  /** `performance.now()` when the response was seen. */
  readonly endedAt: number;
  /** The legacy session id (never written: only its hash). */
  readonly sessionId?: string;
  /** Whether the tool of a `tools/call` is one the server registered. */
  readonly toolRegistered?: boolean;
}

/** A JSON object, or undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as JsonObject : undefined;
}

/** A JSON-RPC request (a method and an id), as opposed to a notification or a response. */
export function isRequest(message: unknown): message is JsonObject {
  const m = asObject(message);
  return m !== undefined && typeof m.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number');
}

/** A JSON-RPC response (`result` or `error`, and an id, possibly null). */
export function isResponse(message: unknown): message is JsonObject {
  const m = asObject(message);
  return m !== undefined && m.method === undefined && 'id' in m && ('result' in m || 'error' in m);
}

/** The key under which a request id is matched to its response. */
export function idKey(id: unknown): string {
  return `${typeof id}:${String(id)}`;
}

/**
 * The 32-hex trace id of a W3C `traceparent` value, or undefined when it is not one (wrong
 * shape, version `ff`, an all-zero trace or parent id).
 *
 * @see https://www.w3.org/TR/trace-context/#traceparent-header-field-values
 */
export function traceIdOf(traceparent: unknown): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/.exec(traceparent.trim());
  if (!m || m[1] === 'ff' || (m[1] === '00' && m[4] !== undefined)) return undefined;
  if (/^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined;
  return m[2];
}

/** The first 16 hex digits of SHA-256 of a session id (`mcp.session.id_sha256`). */
export function sessionHash(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex').slice(0, 16);
}

/** A name as a record keeps it: a string, at most {@link MAX_NAME_CHARS} characters. */
function clip(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, MAX_NAME_CHARS) : undefined;
}

/** A short, low-cardinality name for an exception: its class name, else `_OTHER` (OpenTelemetry's fallback). */
function errorName(thrown: unknown): string {
  const name = thrown instanceof Error ? thrown.constructor.name || thrown.name : '';
  return /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : '_OTHER';
}

/** A flat record (dotted paths) as nested JSON objects: `a.b` becomes `{"a":{"b":...}}`. */
function nest(flat: Array<[string, unknown]>): JsonObject {
  const out: JsonObject = {};
  for (const [path, value] of flat) {
    if (value === undefined) continue;
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as JsonObject;
    node[keys[keys.length - 1]] = value;
  }
  return out;
}

/**
 * The record of one request: every field of `REQUEST_RECORD` that is known, as nested JSON.
 * Never a tool's arguments or result, never a header but `traceparent`'s trace id, never the
 * session id itself.
 */
export function buildRecord(request: RequestFacts, response: ResponseFacts): JsonObject {
  const method = request.message.method as string;
  const params = asObject(request.message.params);
  const meta = asObject(params?._meta);
  const modernVersion = meta?.[META_PROTOCOL_VERSION];
  const era = typeof modernVersion === 'string' || method === 'server/discover' ? 'modern' : 'legacy';

  const result = asObject(response.message?.result);
  const error = asObject(response.message?.error);
  let outcome: string = REQUEST_OUTCOMES.OK;
  let errorType: string | undefined;
  let code: number | undefined;
  if (error) {
    outcome = REQUEST_OUTCOMES.ERROR;
    code = typeof error.code === 'number' ? error.code : undefined;
    errorType = code !== undefined ? String(code) : '_OTHER';
  } else if (response.message === undefined) {
    outcome = REQUEST_OUTCOMES.ERROR;
    errorType = response.thrown !== undefined ? errorName(response.thrown)
      : response.httpStatus !== undefined ? String(response.httpStatus) : 'no_response';
  } else if (method === 'tools/call' && result?.isError === true) {
    outcome = REQUEST_OUTCOMES.TOOL_ERROR;
    errorType = 'tool_error';
  }

  // Legacy: `initialize` names the version the server agreed (its result); later requests say it
  // in the header. Modern: every request says it in `_meta`.
  const protocolVersion = typeof modernVersion === 'string' ? modernVersion
    : method === 'initialize' ? clip(result?.protocolVersion) ?? clip(params?.protocolVersion)
      : request.protocolVersionHeader ?? request.sessionProtocolVersion;
  const clientInfo = asObject(meta?.[META_CLIENT_INFO]) ?? (method === 'initialize' ? asObject(params?.clientInfo) : undefined) ?? request.sessionClient;
  const isToolCall = method === 'tools/call';
  const tool = isToolCall ? clip(params?.name) : undefined;

  return nest([
    [REQUEST_RECORD.MARKER, REQUEST_RECORD_MARKER],
    [REQUEST_RECORD.VERSION, REQUEST_RECORD_VERSION],
    [REQUEST_RECORD.TIME, new Date(request.arrivedAt).toISOString()],
    [REQUEST_RECORD.METHOD, method.slice(0, MAX_NAME_CHARS)],
    [REQUEST_RECORD.TOOL, tool],
    [REQUEST_RECORD.TOOL_REGISTERED, tool !== undefined ? response.toolRegistered === true : undefined],
    [REQUEST_RECORD.DURATION_MS, Math.max(0, Math.round((response.endedAt - request.startedAt) * 1000) / 1000)],
    [REQUEST_RECORD.OUTCOME, outcome],
    [REQUEST_RECORD.ERROR_TYPE, errorType],
    [REQUEST_RECORD.RPC_CODE, code],
    [REQUEST_RECORD.PROTOCOL_VERSION, clip(protocolVersion)],
    [REQUEST_RECORD.ERA, era],
    [REQUEST_RECORD.CLIENT_NAME, clip(clientInfo?.name)],
    [REQUEST_RECORD.CLIENT_VERSION, clip(clientInfo?.version)],
    [REQUEST_RECORD.SESSION_HASH, era === 'legacy' && response.sessionId ? sessionHash(response.sessionId) : undefined],
    [REQUEST_RECORD.TRACE_ID, traceIdOf(meta?.traceparent) ?? traceIdOf(request.traceparentHeader)],
    [REQUEST_RECORD.REQUEST_ID, String(request.message.id).slice(0, MAX_NAME_CHARS)],
  ]);
}

/** Where records go: one call per record, with the JSON line without its newline. */
export type RecordWriter = (line: string) => void;

/** The default writer: the line and a newline on standard output (where every AWS kind collects logs). */
export const stdoutWriter: RecordWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

/** The tool names the server registered, from a list, from server instances and from the server's own `tools/list` answers. */
export class RegisteredTools {
  private readonly names = new Set<string>();
  private readonly servers: Array<WeakRef<object>> = [];

  constructor(private readonly fixed: readonly string[] | undefined) {}

  /** Reads an SDK `McpServer`'s registered tools (the 1.x and 2.x `McpServer` keep them by name) when the record is written. */
  public watch(server: unknown): void {
    if (this.fixed || typeof server !== 'object' || server === null) return;
    if (this.servers.length > 0 && this.servers[this.servers.length - 1].deref() === server) return;
    this.servers.push(new WeakRef(server));
    // Per-request instances (SDK 2.x): keep the most recent few, whose tool sets are the same.
    if (this.servers.length > 8) this.servers.splice(0, this.servers.length - 8);
  }

  /** Learns the names a server listed in its own `tools/list` result (the server's word, not the client's). */
  public learn(method: string, response: JsonObject | undefined): void {
    if (this.fixed || method !== 'tools/list') return;
    const tools = asObject(response?.result)?.tools;
    if (!Array.isArray(tools)) return;
    for (const tool of tools) {
      const name = asObject(tool)?.name;
      if (typeof name === 'string') this.names.add(name);
    }
  }

  /** Whether the server registered this tool (an enabled one, for `McpServer`). */
  public has(name: string): boolean {
    if (this.fixed) return this.fixed.includes(name);
    if (this.names.has(name)) return true;
    for (const ref of this.servers) {
      const tools = asObject(asObject(ref.deref())?._registeredTools);
      const tool = tools ? asObject(Object.prototype.hasOwnProperty.call(tools, name) ? tools[name] : undefined) : undefined;
      if (tool && tool.enabled !== false) return true;
    }
    return false;
  }
}
