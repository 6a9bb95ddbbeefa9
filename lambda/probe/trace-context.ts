/**
 * W3C Trace Context for the probe: one trace id per probe run, a fresh parent (span) id per
 * request, sent as the `traceparent` HTTP header and as `params._meta.traceparent` (MCP SEP-414,
 * 2026-07-28; a harmless extra `_meta` key for 2025-era servers), so the server's request record
 * of a probe's request carries the probe's trace id.
 *
 * @see https://www.w3.org/TR/trace-context/#traceparent-header
 * @see https://github.com/modelcontextprotocol/modelcontextprotocol/blob/main/seps/414-request-meta.md
 */
import { randomBytes } from 'node:crypto';

/** Random lowercase hex of `bytes` bytes, never all zeros (an all-zero trace or parent id is invalid). */
function randomHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!/^0+$/.test(hex)) return hex;
  }
}

/** A new 32-hex trace id. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A `traceparent` value (version 00, sampled) for a trace, with a new 16-hex parent id. */
export function traceparent(traceId: string): string {
  return `00-${traceId}-${randomHex(8)}-01`;
}
