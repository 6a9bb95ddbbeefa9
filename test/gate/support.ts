/** What the deploy gate tests share. */

/** The gate's environment for `url`: the canary's variables and the gate's own, short for tests. */
export function gateEnv(url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    MCP_CANARY_URL: url,
    MCP_CANARY_SERVICE_NAME: 'orders',
    MCP_CANARY_METRIC_NAMESPACE: 'Gate/MCP',
    MCP_CANARY_DEADLINE_MS: '3000',
    MCP_GATE_MAX_WAIT_MS: '20000',
    MCP_GATE_RETRY_BASE_MS: '250',
    ...extra,
  };
}
