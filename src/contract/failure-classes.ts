/**
 * The failure classes the MCP probe names. One list, shared by the probe engine (lambda/probe),
 * the canary handler (metric dimension `FailureClass`), the CLI, and the constructs (alarms and
 * dashboards). Internal: not exported from the package's public API.
 */

/** Where a failure happened. */
export type FailureLayer = 'transport' | 'http' | 'protocol' | 'tools';

/** Every failure class, grouped by layer, in the order the probe can hit them. */
export const FAILURE_CLASSES_BY_LAYER = {
  transport: ['DNS_ERROR', 'CONNECTION_REFUSED', 'CONNECTION_RESET', 'TLS_ERROR', 'TIMEOUT'],
  http: [
    'REDIRECT',
    'AUTH_REQUIRED',
    'OAUTH_METADATA_MISSING',
    'OAUTH_RESOURCE_MISMATCH',
    'OAUTH_AS_METADATA_REJECTED',
    'OAUTH_TOKEN_REQUEST_FAILED',
    'OAUTH_TOKEN_REJECTED',
    'FORBIDDEN',
    'BLOCKED_BY_WAF',
    'NOT_FOUND',
    'THROTTLED',
    'BAD_GATEWAY',
    'UNAVAILABLE',
    'GATEWAY_TIMEOUT',
    'HTTP_ERROR',
    'RESPONSE_TOO_LARGE',
  ],
  protocol: ['NOT_MCP', 'EMPTY_STREAM', 'PROTOCOL_ERROR', 'VERSION_MISMATCH', 'SESSION_ERROR'],
  tools: ['NO_TOOLS', 'TOOLS_TRUNCATED', 'MISSING_TOOLS', 'SCHEMA_DRIFT', 'TOOL_ERROR', 'TOOL_CREDENTIALS', 'TOOL_TIMEOUT'],
} as const;

/** A failure class name, e.g. `GATEWAY_TIMEOUT`. */
export type FailureClass = (typeof FAILURE_CLASSES_BY_LAYER)[FailureLayer][number];

/** All failure classes, flat. */
export const FAILURE_CLASSES: readonly FailureClass[] = (Object.keys(FAILURE_CLASSES_BY_LAYER) as FailureLayer[]).flatMap(
  (layer) => FAILURE_CLASSES_BY_LAYER[layer],
);

/** The layer a failure class belongs to. */
export function layerOf(failureClass: FailureClass): FailureLayer {
  for (const layer of Object.keys(FAILURE_CLASSES_BY_LAYER) as FailureLayer[]) {
    if ((FAILURE_CLASSES_BY_LAYER[layer] as readonly string[]).includes(failureClass)) {
      return layer;
    }
  }
  throw new Error(`Unknown failure class ${failureClass}`);
}
