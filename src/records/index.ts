/**
 * Server-side helpers that write one JSON line per MCP request (the request record), for
 * servers on the official TypeScript SDK 1.x and 2.x. Import them from `cdk-mcp/lib/records`;
 * they are plain Node.js code, outside the construct library's jsii API (not exported from the
 * package's index). The Python twin is `python/cdk_mcp_records.py`. Guide: `docs/per-tool.md`.
 */
export { McpRequestRecords, type FetchHandlerLike, type McpRequestRecordsOptions, type TransportLike } from './recorder';
export { buildRecord, sessionHash, traceIdOf, type RecordWriter } from './record';
export { CLIENT_FAULT_RPC_CODES, REQUEST_OUTCOMES, REQUEST_RECORD, REQUEST_RECORD_MARKER, REQUEST_RECORD_VERSION } from '../contract/request-record';
