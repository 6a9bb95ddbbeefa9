/**
 * The contract between the `McpCanary` construct (synth time) and the canary Lambda handler
 * (run time): environment variable names, auth modes, and the Embedded Metric Format (EMF)
 * metric and dimension names. One module, imported by both sides, so a rename cannot drift.
 *
 * Internal: not exported from the package's public API. Keep this file free of aws-cdk-lib
 * imports: it is bundled into the canary Lambda.
 */

import { TRANSPORTS } from './transports';

/** Environment variable names the construct writes and the handler reads. */
export const CANARY_ENV = {
  /** Target MCP endpoint URL. Required. */
  URL: 'MCP_CANARY_URL',
  /** Value of the `ServiceName` metric dimension. Required. */
  SERVICE_NAME: 'MCP_CANARY_SERVICE_NAME',
  /** CloudWatch namespace of the EMF metrics. Required. */
  METRIC_NAMESPACE: 'MCP_CANARY_METRIC_NAMESPACE',
  /** Probe deadline in whole milliseconds. Required. */
  DEADLINE_MS: 'MCP_CANARY_DEADLINE_MS',
  /** `auto` | `modern` | `legacy` | `sse`. Optional, default `auto`. */
  TRANSPORT: 'MCP_CANARY_TRANSPORT',
  /** JSON array of tool names that must be listed. Optional. */
  EXPECTED_TOOLS: 'MCP_CANARY_EXPECTED_TOOLS',
  /** Expected hash of the tool schemas (as the probe computes it). Optional. */
  EXPECTED_TOOLS_HASH: 'MCP_CANARY_EXPECTED_TOOLS_HASH',
  /** Name of a read-only tool to call on every run. Optional. */
  SENTINEL_TOOL: 'MCP_CANARY_SENTINEL_TOOL',
  /** JSON object: arguments of the sentinel tool call. Optional. */
  SENTINEL_TOOL_ARGUMENTS: 'MCP_CANARY_SENTINEL_TOOL_ARGUMENTS',
  /** JSON object of extra, non-secret request headers. Optional. */
  HEADERS: 'MCP_CANARY_HEADERS',
  /** One of {@link CANARY_AUTH_MODES}. Optional, default `none`. */
  AUTH_MODE: 'MCP_CANARY_AUTH_MODE',
  /** ARN of the Secrets Manager secret holding the bearer token (auth mode `bearer-secret`). */
  AUTH_SECRET_ARN: 'MCP_CANARY_AUTH_SECRET_ARN',
  /** Field of a JSON secret that holds the token (auth modes `bearer-secret`, `header-secret`). Optional. */
  AUTH_SECRET_JSON_FIELD: 'MCP_CANARY_AUTH_SECRET_JSON_FIELD',
  /** Name of the request header whose value is read from AUTH_SECRET_ARN (auth mode `header-secret`). */
  AUTH_HEADER_NAME: 'MCP_CANARY_AUTH_HEADER_NAME',
  /** Region to sign for (auth mode `sigv4`). */
  SIGV4_REGION: 'MCP_CANARY_SIGV4_REGION',
  /** Service to sign for (auth modes `sigv4`, `sigv4a`), `lambda` for Function URLs and Web Functions. */
  SIGV4_SERVICE: 'MCP_CANARY_SIGV4_SERVICE',
  /**
   * Comma-separated Regions a SigV4a signature is valid in, or `*` for all (auth mode `sigv4a`,
   * sent as `X-Amz-Region-Set`). Optional, default `*`.
   */
  SIGV4A_REGION_SET: 'MCP_CANARY_SIGV4A_REGION_SET',
  /**
   * `true` to also emit the phase latencies, `ToolCount` and `CertDaysRemaining` as metrics
   * (they are always in the log line, for Logs Insights). Optional, default `false`.
   */
  DETAILED_METRICS: 'MCP_CANARY_DETAILED_METRICS',
  /**
   * Whole days: an https certificate that expires sooner fails the probe with `TLS_ERROR`, so the
   * probe alarm catches an expiring certificate without a metric of its own. Optional, default: no check.
   */
  MIN_CERT_DAYS: 'MCP_CANARY_MIN_CERT_DAYS',
  /** Most `tools/list` pages read (whole number, {@link PROBE_LIMITS}). Optional. */
  MAX_TOOL_PAGES: 'MCP_CANARY_MAX_TOOL_PAGES',
  /** Largest single response body in bytes (whole number, {@link PROBE_LIMITS}). Optional. */
  MAX_RESPONSE_BYTES: 'MCP_CANARY_MAX_RESPONSE_BYTES',
  /** Largest total of every `tools/list` response in bytes (whole number, {@link PROBE_LIMITS}). Optional. */
  MAX_TOOLS_BYTES: 'MCP_CANARY_MAX_TOOLS_BYTES',
  /**
   * The origin behind the front door at URL (a Function URL behind API Gateway, a Web Function
   * endpoint or a load balancer behind CloudFront). When set, a run whose probe of URL fails
   * also probes the origin, to tell which side broke (see {@link FAILED_SIDES}). Optional.
   */
  ORIGIN_URL: 'MCP_CANARY_ORIGIN_URL',
} as const;

/** The variables that say how the canary authenticates: one auth, for URL or for the origin. */
export interface CanaryAuthVariables {
  readonly AUTH_MODE: string;
  readonly AUTH_SECRET_ARN: string;
  readonly AUTH_SECRET_JSON_FIELD: string;
  readonly AUTH_HEADER_NAME: string;
  readonly SIGV4_REGION: string;
  readonly SIGV4_SERVICE: string;
  readonly SIGV4A_REGION_SET: string;
}

/**
 * How the canary authenticates to the origin (`ORIGIN_URL`): the auth variables of
 * {@link CANARY_ENV} with `MCP_CANARY_ORIGIN_` for `MCP_CANARY_`, same values. When
 * `MCP_CANARY_ORIGIN_AUTH_MODE` is not set, the origin is probed with the auth of URL.
 */
export const CANARY_ORIGIN_AUTH_ENV: CanaryAuthVariables = {
  AUTH_MODE: 'MCP_CANARY_ORIGIN_AUTH_MODE',
  AUTH_SECRET_ARN: 'MCP_CANARY_ORIGIN_AUTH_SECRET_ARN',
  AUTH_SECRET_JSON_FIELD: 'MCP_CANARY_ORIGIN_AUTH_SECRET_JSON_FIELD',
  AUTH_HEADER_NAME: 'MCP_CANARY_ORIGIN_AUTH_HEADER_NAME',
  SIGV4_REGION: 'MCP_CANARY_ORIGIN_SIGV4_REGION',
  SIGV4_SERVICE: 'MCP_CANARY_ORIGIN_SIGV4_SERVICE',
  SIGV4A_REGION_SET: 'MCP_CANARY_ORIGIN_SIGV4A_REGION_SET',
};

/** The origin-auth variable of an auth variable of {@link CANARY_ENV} (unchanged for any other name). */
export function originAuthVariable(name: string): string {
  const key = (Object.keys(CANARY_ORIGIN_AUTH_ENV) as Array<keyof CanaryAuthVariables>).find((k) => CANARY_ENV[k] === name);
  return key === undefined ? name : CANARY_ORIGIN_AUTH_ENV[key];
}

/** Default, smallest and largest value of a probe limit. */
export interface ProbeLimit {
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The probe's size and page limits: the same defaults and bounds for the probe options, the
 * CLI flags (`--max-tool-pages`, `--max-response-bytes`, `--max-tools-bytes`) and the canary
 * variables above. With the defaults a probe stays well under 128 MB of memory; a tool list
 * cut by a limit fails as TOOLS_TRUNCATED, never passes with part of the list.
 */
export const PROBE_LIMITS: {
  readonly maxToolPages: ProbeLimit;
  readonly maxResponseBytes: ProbeLimit;
  readonly maxToolsBytes: ProbeLimit;
} = {
  maxToolPages: { default: 100, min: 1, max: 1_000 },
  maxResponseBytes: { default: 4 * 1024 * 1024, min: 1_024, max: 16 * 1024 * 1024 },
  maxToolsBytes: { default: 8 * 1024 * 1024, min: 1_024, max: 32 * 1024 * 1024 },
};

/** How the canary authenticates to the MCP endpoint. */
export const CANARY_AUTH_MODES = ['none', 'bearer-secret', 'header-secret', 'sigv4', 'sigv4a'] as const;

/** One of {@link CANARY_AUTH_MODES}. */
export type CanaryAuthMode = (typeof CANARY_AUTH_MODES)[number];

/** The transports the probe speaks (values of the `TRANSPORT` variable). */
export const CANARY_TRANSPORTS = TRANSPORTS;

/** The default CloudWatch namespace of the canary's metrics. */
export const DEFAULT_METRIC_NAMESPACE = 'MCP';

/** EMF dimension names. Low cardinality only: never a URL, a session or a request id. */
export const CANARY_DIMENSIONS = {
  SERVICE_NAME: 'ServiceName',
  FAILURE_CLASS: 'FailureClass',
} as const;

/** EMF metric names. */
export const CANARY_METRICS = {
  /** 1 when the probe passed, 0 when it failed. Unit: None. */
  PROBE_SUCCESS: 'ProbeSuccess',
  /** Total probe duration in milliseconds. */
  PROBE_LATENCY: 'ProbeLatency',
  /** Number of tools listed. Unit: Count. */
  TOOL_COUNT: 'ToolCount',
  /** Days until the TLS certificate expires (https targets only). Unit: None. */
  CERT_DAYS_REMAINING: 'CertDaysRemaining',
  /** 1 per failed probe; emitted per `ServiceName` and per `ServiceName, FailureClass`. */
  PROBE_FAILURES: 'ProbeFailures',
  /**
   * 1 when the origin's probe passed, 0 when it failed; emitted only by runs that probed the
   * origin (an origin is configured and the probe of the front door failed). Unit: None.
   */
  ORIGIN_PROBE_SUCCESS: 'OriginProbeSuccess',
  /**
   * 1 per run whose failed side is the front door ({@link FAILED_SIDES}: the front door failed
   * while the origin answered, or AWS WAF blocked the probe); emitted only then. Unit: Count.
   */
  FRONT_DOOR_FAILURES: 'FrontDoorFailures',
} as const;

/**
 * Which side of a front door broke, when the probe of the front door failed and the origin was
 * probed: the value of the canary log line's `FailedSide` property, the deploy gate's message
 * and `mcp-probe --origin`'s `failedSide`.
 *
 * - `front-door`: the front door (CloudFront, API Gateway, AWS WAF, DNS, the certificate of the
 *   custom domain) fails while the origin answers; or AWS WAF blocked the probe, whatever the
 *   origin did (the block is the front door's answer: the request never reached the origin, and
 *   fixing the origin would not let clients in; an origin failure is reported beside it).
 * - `origin`: the origin fails too: the server (or what is between the front door and it) broke.
 */
export const FAILED_SIDES = {
  FRONT_DOOR: 'front-door',
  ORIGIN: 'origin',
} as const;

/** One of {@link FAILED_SIDES}. */
export type FailedSide = (typeof FAILED_SIDES)[keyof typeof FAILED_SIDES];

/** The log line's property that names the failed side (not a dimension: a property for Logs Insights). */
export const FAILED_SIDE_PROPERTY = 'FailedSide';

/**
 * The share of the probe deadline the front door's probe may use when an origin is configured;
 * the origin's probe gets what is left of the deadline (at least the other third, all of it when
 * the front door fails fast, as a WAF block or a CloudFront error page does).
 */
export const FRONT_DOOR_DEADLINE_SHARE = 2 / 3;

/** The timed phases of a probe, as named in the probe result's `timings`. */
export type CanaryPhase = 'connectMs' | 'tlsMs' | 'handshakeMs' | 'toolsListMs' | 'toolCallMs';

/** EMF metric name of each phase latency (milliseconds). */
export const CANARY_PHASE_METRICS: { readonly [phase in CanaryPhase]: string } = {
  connectMs: 'ConnectLatency',
  tlsMs: 'TlsLatency',
  handshakeMs: 'HandshakeLatency',
  toolsListMs: 'ToolsListLatency',
  toolCallMs: 'ToolCallLatency',
};

/** Margin added to the probe deadline to get the canary Lambda timeout (cold start, secret read, log write). */
export const CANARY_TIMEOUT_MARGIN_SECONDS = 10;

/** Lambda's maximum timeout, in seconds. */
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
