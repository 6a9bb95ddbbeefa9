/**
 * The example server's request records: one JSON line per MCP request on stdout, beside its
 * own log lines (docs/per-tool.md). A user's server imports the helper from
 * `cdk-mcp/lib/records`; the example, inside the repository, imports the source.
 *
 * Wired in ./mcp-endpoint: the SDK 2.x handler that serves requests is wrapped (`wrapHandler`,
 * its factory with `wrapFactory`), and each 2025-era session's transport is attached (`attach`).
 * Long-lived `subscriptions/listen` streams are not recorded (their response comes when the
 * stream ends: a duration of no use to a per-tool latency).
 */
import { McpRequestRecords } from '../../../src/records';

/** The one recorder of the process; its lines go to stdout. */
export const requestRecords = new McpRequestRecords();
