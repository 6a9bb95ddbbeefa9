/**
 * What to check first for each failure class: the runbook line the CLI prints under a failed
 * verdict. One table, so the CLI and the documentation say the same thing.
 */
import type { FailureClass } from '../../src/contract/failure-classes';

/** The first thing to check for each failure class. */
export const NEXT_STEPS: Readonly<Record<FailureClass, string>> = {
  DNS_ERROR: 'Check the host name in the URL and that its DNS record exists (custom domain mapping, deleted Function URL).',
  CONNECTION_REFUSED: 'Nothing listens on that port: check the service is running and the port, security group and target are right.',
  CONNECTION_RESET: 'The connection closed mid-response: check for crashes or restarts in the server logs, and idle timeouts of the load balancer.',
  TLS_ERROR: 'Check the certificate: expiry, the names it covers (custom domain) and the chain the server sends.',
  TIMEOUT: 'Nothing answered in time: behind API Gateway or a Function URL this is usually a Lambda cold start (add provisioned concurrency) or a hung server; check the function duration and the server logs.',
  REDIRECT: 'Probe the final URL directly (https, trailing slash, /mcp path); MCP clients must not follow redirects.',
  AUTH_REQUIRED: 'Give the probe credentials: a bearer token (--bearer-env) or SigV4 (--sigv4) for an AWS_IAM Function URL.',
  FORBIDDEN: 'Check permissions: Function URL resource policy (lambda:InvokeFunctionUrl and lambda:InvokeFunction), IAM signing, token scope, Origin validation.',
  NOT_FOUND: 'Check the path (usually /mcp) and the routes of the API or load balancer.',
  THROTTLED: 'Raise the concurrency or throttling limits (reserved concurrency, API Gateway usage plan) or reduce load.',
  BAD_GATEWAY: 'The front door got no valid answer from the server: check the server or function logs for crashes and errors.',
  UNAVAILABLE: 'No healthy server behind the front door: check target health, running task count, or an HTTP API 30 s timeout.',
  GATEWAY_TIMEOUT: 'The front door timed out waiting for the server: check function duration, cold starts and the integration timeout.',
  HTTP_ERROR: 'Read the status and body in the message; check the server logs for that request.',
  RESPONSE_TOO_LARGE: 'The answer exceeds the size cap: check the URL points at the MCP endpoint, or raise the cap.',
  NOT_MCP: 'Something other than an MCP server answered (an HTML page, a health check, a proxy): check the URL and the routing.',
  EMPTY_STREAM: 'The server closed its SSE stream without answering: check the server logs for errors while handling the request.',
  PROTOCOL_ERROR: 'The server broke the MCP or JSON-RPC rules: check the SDK version and the server logs.',
  VERSION_MISMATCH: 'Client and server share no protocol version: upgrade the server SDK, or force a transport with --transport.',
  SESSION_ERROR: 'Session required, rejected or lost: use stateless mode, or make load balancing sticky for a stateful server.',
  NO_TOOLS: 'The server lists no tools: check tool registration at start-up in the server logs.',
  TOOLS_TRUNCATED: 'The tool list is longer than the probe reads (pages or bytes): raise --max-tool-pages / --max-tools-bytes (canary: MCP_CANARY_MAX_TOOL_PAGES / MCP_CANARY_MAX_TOOLS_BYTES), or check the server does not page forever.',
  MISSING_TOOLS: 'Expected tools are missing: check the deployed version and the tool registration.',
  SCHEMA_DRIFT: 'The tool list changed: if intended, update the expected hash; otherwise check what was deployed.',
  TOOL_ERROR: 'The sentinel tool failed: read its error in the message and the server logs.',
  TOOL_CREDENTIALS: "The tool's cloud credentials are broken: check the server's role, its policies and credential expiry.",
  TOOL_TIMEOUT: 'The sentinel tool did not finish in time: check what it calls downstream, or raise the probe deadline.',
};
