/**
 * The request record: one JSON log line per JSON-RPC request an MCP server handles, written by
 * the server-side helpers this package ships (TypeScript SDK 1.x and 2.x, Python `mcp` and
 * FastMCP) and read by the per-tool metric filters, saved queries and dashboard of the service
 * constructs and by `mcp-probe status`. One module, imported by both sides, so a rename cannot
 * drift. Documented for users in `docs/per-tool.md`.
 *
 * The field names are the OpenTelemetry MCP semantic conventions' attribute names, written as
 * nested JSON objects (`mcp.method.name` is `{"mcp":{"method":{"name":...}}}`), so a CloudWatch
 * filter selector (`$.mcp.method.name`) and a Logs Insights field (`mcp.method.name`) are the
 * attribute name itself.
 *
 * @see https://github.com/open-telemetry/semantic-conventions-genai/blob/main/docs/gen-ai/mcp.md
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html (JSON selectors)
 *
 * Never in a record: a tool's arguments or result, a token, a raw session id.
 *
 * Internal: not exported from the package's public API. Keep this file free of aws-cdk-lib
 * imports: it is bundled into run-time code.
 */

/** The value of {@link REQUEST_RECORD.MARKER} on every record: what the metric filters match first. */
export const REQUEST_RECORD_MARKER = 'mcp.server.request';

/** The record's version; a change of meaning bumps it. */
export const REQUEST_RECORD_VERSION = 1;

/**
 * The JSON paths of the record's fields (a CloudWatch filter selector is `$.` + path; a Logs
 * Insights field is the path). Types in the comments.
 */
export const REQUEST_RECORD = {
  /** string, always {@link REQUEST_RECORD_MARKER}. */
  MARKER: 'record',
  /** number, always {@link REQUEST_RECORD_VERSION}. */
  VERSION: 'record_version',
  /** string, ISO 8601 UTC time the request arrived. */
  TIME: 'time',
  /** string, the JSON-RPC method (`tools/call`, `tools/list`, `server/discover`, `initialize`, ...). */
  METHOD: 'mcp.method.name',
  /** string, the tool name of a `tools/call` (as the client sent it; absent for other methods). */
  TOOL: 'gen_ai.tool.name',
  /** boolean, whether the tool name is one the server registered (only registered tools become metric dimensions). */
  TOOL_REGISTERED: 'cdk_mcp.tool.registered',
  /** number, milliseconds from the request's arrival to its response. */
  DURATION_MS: 'mcp.server.operation.duration_ms',
  /** string, one of {@link REQUEST_OUTCOMES}. */
  OUTCOME: 'cdk_mcp.outcome',
  /** string, the OpenTelemetry `error.type`: the JSON-RPC code as a string, `tool_error`, or a short error name (absent on success). */
  ERROR_TYPE: 'error.type',
  /** number, the JSON-RPC error code of an error response (absent otherwise). */
  RPC_CODE: 'rpc.response.status_code',
  /** string, the protocol version the request was made under. */
  PROTOCOL_VERSION: 'mcp.protocol.version',
  /** string, `legacy` (initialize and sessions, up to 2025-11-25) or `modern` (2026-07-28, server/discover). */
  ERA: 'cdk_mcp.era',
  /** string, the client's name (`clientInfo.name`), when the server knows it. */
  CLIENT_NAME: 'client.name',
  /** string, the client's version, when the server knows it. */
  CLIENT_VERSION: 'client.version',
  /** string, the first 16 hex digits of SHA-256 of the session id (legacy era only; never the id). */
  SESSION_HASH: 'mcp.session.id_sha256',
  /** string, the 32-hex W3C trace id from the request's `traceparent` (`_meta` first, then the HTTP header). */
  TRACE_ID: 'trace_id',
  /** string, the JSON-RPC request id as a string. */
  REQUEST_ID: 'jsonrpc.request.id',
} as const;

/** The outcomes a record states. */
export const REQUEST_OUTCOMES = {
  /** A result without `isError`. */
  OK: 'ok',
  /** A `CallToolResult` with `isError: true`. */
  TOOL_ERROR: 'tool_error',
  /** A JSON-RPC error response, or a handler that threw or timed out. */
  ERROR: 'error',
} as const;

/**
 * JSON-RPC codes the OpenTelemetry conventions say a server SHOULD NOT count as its own errors
 * (the client's fault): parse error, invalid request, method not found, invalid params (and
 * unknown tool), resource not found. A record still states them; the error-rate alarm leaves
 * them out.
 */
export const CLIENT_FAULT_RPC_CODES: readonly number[] = [-32700, -32600, -32601, -32602, -32002];
