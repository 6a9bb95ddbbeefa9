/**
 * The transports the probe speaks: one list shared by the `McpTransport` enum (synth time), the
 * canary's `MCP_CANARY_TRANSPORT` variable, the probe engine and the CLI's `--transport` flag.
 *
 * Internal: not exported from the package's public API. No aws-cdk-lib imports (bundled into
 * the canary and the CLI).
 */

/** Every transport value, in the order the CLI documents them. */
export const TRANSPORTS = ['auto', 'modern', 'legacy', 'sse'] as const;

/** A transport value: `auto` detects the era, the others force one. */
export type Transport = (typeof TRANSPORTS)[number];

/** The protocol era a probe ran in (a forced or detected transport, never `auto`). */
export type Era = Exclude<Transport, 'auto'>;

/** Whether `value` is one of {@link TRANSPORTS}. */
export function isTransport(value: unknown): value is Transport {
  return typeof value === 'string' && (TRANSPORTS as readonly string[]).includes(value);
}
