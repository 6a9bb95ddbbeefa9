/**
 * The choices of an MCP probe: the transport it speaks and the phases it times. Their values are
 * the run-time names in src/contract (the canary's environment and EMF metric names).
 */

/**
 * The MCP transport the canary speaks.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports
 */
export enum McpTransport {
  /**
   * Detect the era: try the modern (2026-07-28) Streamable HTTP first, fall back to the legacy
   * Streamable HTTP `initialize` handshake, then to the 2024-11-05 HTTP+SSE transport.
   */
  AUTO = 'auto',
  /** Modern Streamable HTTP (protocol 2026-07-28): `server/discover`, stateless. */
  MODERN = 'modern',
  /** Legacy Streamable HTTP (protocol 2025-03-26 to 2025-11-25): `initialize`, optional sessions. */
  LEGACY = 'legacy',
  /** The deprecated 2024-11-05 HTTP+SSE transport (GET an event stream, POST to its endpoint). */
  SSE = 'sse',
}

/** A timed phase of one probe run, for {@link McpCanary.metricPhaseLatency}. */
export enum McpProbePhase {
  /** TCP connection set-up (after DNS resolution). */
  CONNECT = 'CONNECT',
  /** TLS handshake (https targets only). */
  TLS = 'TLS',
  /** The MCP handshake: `server/discover` (modern) or `initialize` (legacy). */
  HANDSHAKE = 'HANDSHAKE',
  /** `tools/list`, all pages. */
  TOOLS_LIST = 'TOOLS_LIST',
  /** The sentinel `tools/call` (only when a sentinel tool is configured). */
  TOOL_CALL = 'TOOL_CALL',
}

/**
 * Why a probe failed, as the probe names it: the `FailureClass` dimension of the `ProbeFailures`
 * metric, the `failureClass` of `mcp-probe --json`, and the first word of its human output.
 * The values are the run-time names (src/contract/failure-classes.ts); a test keeps the two equal.
 */
export enum McpFailureClass {
  /** The host name did not resolve. */
  DNS_ERROR = 'DNS_ERROR',
  /** Nothing listens on the port (TCP RST on connect). */
  CONNECTION_REFUSED = 'CONNECTION_REFUSED',
  /** The connection was reset or closed mid-request. */
  CONNECTION_RESET = 'CONNECTION_RESET',
  /** The TLS handshake failed (certificate invalid, expired, wrong host, expiring within the threshold). */
  TLS_ERROR = 'TLS_ERROR',
  /** The deadline passed before the probe finished. */
  TIMEOUT = 'TIMEOUT',
  /** The endpoint answered with a redirect (MCP clients do not follow them for POST). */
  REDIRECT = 'REDIRECT',
  /** 401: the endpoint wants credentials, and the probe was given none (no token, no OAuth client, no signing). */
  AUTH_REQUIRED = 'AUTH_REQUIRED',
  /**
   * OAuth discovery found no metadata where MCP clients look for it: no protected-resource
   * metadata (RFC 9728) at the challenge's `resource_metadata` URL nor at the well-known paths, or
   * no authorization-server metadata (RFC 8414 or OpenID Connect discovery) at any of the
   * locations the MCP spec lists for the issuer, or a JWKS that does not answer.
   *
   * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
   */
  OAUTH_METADATA_MISSING = 'OAUTH_METADATA_MISSING',
  /**
   * The protected-resource metadata names another `resource` than the URL probed: MCP clients
   * refuse it (RFC 9728 §3.3). Usually the metadata names the origin's URL behind a custom
   * domain, or the other way round.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
   */
  OAUTH_RESOURCE_MISMATCH = 'OAUTH_RESOURCE_MISMATCH',
  /**
   * The authorization-server metadata is one the big clients refuse: its `issuer` differs from
   * the issuer the URL was built from, `code_challenge_methods_supported` does not list `S256`
   * (Claude and ChatGPT refuse), or it offers no way to register (no `registration_endpoint`, no
   * `client_id_metadata_document_supported`).
   *
   * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
   */
  OAUTH_AS_METADATA_REJECTED = 'OAUTH_AS_METADATA_REJECTED',
  /**
   * The probe's `client_credentials` token request failed: the token endpoint refused the client
   * (401 `invalid_client`), the scope or resource (400 `invalid_scope`, `invalid_target`), or
   * did not answer with an access token.
   */
  OAUTH_TOKEN_REQUEST_FAILED = 'OAUTH_TOKEN_REQUEST_FAILED',
  /**
   * The MCP server refused a token the authorization server had just issued (401 twice, the
   * second time with a fresh token, or 403 `insufficient_scope`): the audience (the token's
   * `aud` must name the server's canonical URL, RFC 8707), the issuer or JWKS the server trusts,
   * or the scopes it requires.
   */
  OAUTH_TOKEN_REJECTED = 'OAUTH_TOKEN_REJECTED',
  /** 403: the credentials were refused (an IAM policy, a SigV4 signature, an API key), or a WAF block without evidence enough for `BLOCKED_BY_WAF`. */
  FORBIDDEN = 'FORBIDDEN',
  /**
   * AWS WAF blocked the request at the front door, recognised by CloudFront's or an Application
   * Load Balancer's own block page, or by a custom block response (from a front door a web ACL
   * protects) whose body names AWS WAF. The server never saw the request. Look up the request in the web ACL's sampled
   * requests or logs (`terminatingRuleId`); for MCP traffic the usual rules are the common rule
   * set's `SizeRestrictions_BODY` (JSON-RPC bodies over 8 KB), bot and user-agent rules (AI
   * clients such as `Claude-User`) and rate-based rules. An API Gateway `{"message":"Forbidden"}`
   * is `FORBIDDEN`: a missing API key answers the same way.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html
   */
  BLOCKED_BY_WAF = 'BLOCKED_BY_WAF',
  /** 404 on the MCP path (outside a session). */
  NOT_FOUND = 'NOT_FOUND',
  /** 429, or a front door's throttling answer. */
  THROTTLED = 'THROTTLED',
  /** 502 from a front door: the server crashed or answered garbage. */
  BAD_GATEWAY = 'BAD_GATEWAY',
  /** 503: no healthy server behind the front door. */
  UNAVAILABLE = 'UNAVAILABLE',
  /** 504: the server did not answer the front door in time. */
  GATEWAY_TIMEOUT = 'GATEWAY_TIMEOUT',
  /** Any other unexpected HTTP status. */
  HTTP_ERROR = 'HTTP_ERROR',
  /** A response, header or stream larger than the probe reads. */
  RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE',
  /** The answer is not MCP (HTML, plain text, a JSON document that is not JSON-RPC). */
  NOT_MCP = 'NOT_MCP',
  /** An SSE response ended without the JSON-RPC answer. */
  EMPTY_STREAM = 'EMPTY_STREAM',
  /** A JSON-RPC error or a malformed result. */
  PROTOCOL_ERROR = 'PROTOCOL_ERROR',
  /** Client and server share no protocol version. */
  VERSION_MISMATCH = 'VERSION_MISMATCH',
  /** A legacy session was lost or refused (404 "Session not found" without stickiness). */
  SESSION_ERROR = 'SESSION_ERROR',
  /** The server lists no tools, or does not offer the tools capability. */
  NO_TOOLS = 'NO_TOOLS',
  /**
   * The tool list was longer than the probe reads (more pages or bytes than its caps): the
   * expectations and the tools hash were not checked. Raise the caps or shorten the list.
   */
  TOOLS_TRUNCATED = 'TOOLS_TRUNCATED',
  /** A tool the canary expects is missing from `tools/list`. */
  MISSING_TOOLS = 'MISSING_TOOLS',
  /** The tool schemas no longer match the expected tools hash. */
  SCHEMA_DRIFT = 'SCHEMA_DRIFT',
  /** The sentinel tool call returned an error. */
  TOOL_ERROR = 'TOOL_ERROR',
  /** The sentinel tool call failed on AWS credentials (AccessDenied, expired token). */
  TOOL_CREDENTIALS = 'TOOL_CREDENTIALS',
  /** The sentinel tool call timed out inside the server. */
  TOOL_TIMEOUT = 'TOOL_TIMEOUT',
}
