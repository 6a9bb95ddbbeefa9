/**
 * The probe's public contract: options in, one result out. The canary Lambda, the `mcp-probe`
 * CLI and the tests share it; the CLI's `--json` prints a {@link ProbeResult} as is.
 */
import type { FrontDoor } from './front-door';
import type { ToolOutput } from './tool-output';
import type { FailureClass, FailureLayer } from '../../src/contract/failure-classes';
import type { Era, Transport } from '../../src/contract/transports';

export type { Era, Transport } from '../../src/contract/transports';
export type { ToolOutput } from './tool-output';

/** How `sigv4` signs: SigV4 (one Region) or SigV4a (a Region set, `*` for all). */
export type SigningAlgorithm = 'sigv4' | 'sigv4a';

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1). */
export type TokenAuthMethod = 'basic' | 'post';

/** An OAuth client of the probe (`client_credentials` grant). Secrets never reach a message. */
export interface OAuthClientOptions {
  /** The client id. */
  clientId: string;
  /** The client secret. */
  clientSecret: string;
  /** Space-separated scopes to ask for. @default - the challenge's scope, else the metadata's scopes_supported, else none */
  scope?: string;
  /** The token endpoint. @default - discovered (protected-resource metadata, then authorization-server metadata) */
  tokenUrl?: string;
  /** The RFC 8707 resource indicator sent with the token request. @default - the URL probed */
  resource?: string;
  /**
   * `basic` (`client_secret_basic`) or `post` (`client_secret_post`).
   * @default - `basic` unless the authorization server's metadata lists only `client_secret_post`
   */
  tokenAuth?: TokenAuthMethod;
}

/** What to probe and how. */
export interface ProbeOptions {
  /** The MCP endpoint (`https://.../mcp`; for the 2024-11-05 transport, the SSE URL). */
  url: string;
  /** Transport to speak. @default 'auto' */
  transport?: Transport;
  /** One overall deadline for the whole probe, in milliseconds. @default 10_000 */
  timeoutMs?: number;
  /** Deadline for each TCP connection to be established. @default min(5_000, timeoutMs) */
  connectTimeoutMs?: number;
  /** Tool names that must be listed. @default - none */
  expectTools?: string[];
  /** The expected {@link ProbeResult.toolsHash} (with or without `sha256:`). @default - not checked */
  expectHash?: string;
  /** A read-only sentinel tool to call after listing. @default - no call */
  call?: { name: string; arguments?: Record<string, unknown> };
  /** Extra request headers. @default - none */
  headers?: Record<string, string>;
  /** Bearer token sent as `Authorization: Bearer <token>`. @default - none */
  bearerToken?: string;
  /**
   * Act as an OAuth client (`client_credentials`): get a token from the authorization server
   * (discovered through the server's protected-resource and authorization-server metadata unless
   * `tokenUrl` is given), send it as `Authorization: Bearer`, and retry once with a fresh token
   * when the server answers 401 to a cached one. Not with `bearerToken` or `sigv4`.
   * @default - no OAuth
   */
  oauth?: OAuthClientOptions;
  /**
   * Sign every request with AWS SigV4 (IAM-protected Lambda Function URLs and Web Function
   * endpoints), or with SigV4a (`algorithm: 'sigv4a'`, multi-Region Web Function endpoints).
   * @default - unsigned
   */
  sigv4?: {
    /** The Region to sign for. Required with `sigv4`; not used by `sigv4a`, which signs for `regionSet`. */
    region?: string;
    /** @default 'lambda' */
    service?: string;
    /** `sigv4` (`AWS4-HMAC-SHA256`) or `sigv4a` (`AWS4-ECDSA-P256-SHA256`). @default 'sigv4' */
    algorithm?: SigningAlgorithm;
    /** SigV4a only: the Regions the signature is valid in (`X-Amz-Region-Set`). @default ['*'] */
    regionSet?: string[];
    /** @default - AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from the environment */
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  };
  /** Largest response body accepted, in bytes (also the longest SSE line). @default 4 MiB (PROBE_LIMITS) */
  maxResponseBytes?: number;
  /** Most `tools/list` pages followed; a longer list fails as TOOLS_TRUNCATED. @default 100 (PROBE_LIMITS) */
  maxToolPages?: number;
  /** Largest total of the `tools/list` responses, in bytes; a longer list fails as TOOLS_TRUNCATED. @default 8 MiB (PROBE_LIMITS) */
  maxToolsBytes?: number;
  /** An extra trusted CA certificate (PEM), added to the default roots. @default - default roots only */
  ca?: string;
}

/** Milliseconds spent per phase; a phase that did not run is null. */
export interface ProbeTimings {
  /** DNS lookup and TCP connect of the first connection. */
  connectMs: number | null;
  /** TLS handshake of the first connection (https only). */
  tlsMs: number | null;
  /** MCP handshake (`server/discover`, or `initialize` + `notifications/initialized`), era detection included, connect and TLS excluded. */
  handshakeMs: number | null;
  /** Every `tools/list` page. */
  toolsListMs: number | null;
  /** The sentinel `tools/call`. */
  toolCallMs: number | null;
  /** Start to end of the probe, session clean-up included. */
  totalMs: number;
}

/** The outcome of one probe. Messages are redacted. */
export interface ProbeResult {
  /** True when every step passed. */
  ok: boolean;
  /** `OK`, or the first failure met. */
  failureClass: 'OK' | FailureClass;
  /** The layer of the failure; null when ok. */
  layer: FailureLayer | null;
  /** The era of the successful handshake; null when no handshake succeeded. */
  era: Era | null;
  /** The negotiated protocol revision (`2026-07-28`, `2025-11-25`, ...). */
  protocolVersion: string | null;
  /** The server's `serverInfo`. */
  server: { name: string; version: string } | null;
  /** Tools listed over every page; null before a successful handshake. */
  toolCount: number | null;
  /** Names of the tools listed. */
  tools: string[];
  /** `sha256:` and 16 hex digits over the whole tool list (see `toolsHash` in ./tools-hash); null when the list was not read whole. */
  toolsHash: string | null;
  /** Status of the failing response, or of the last one. */
  httpStatus: number | null;
  /** The AWS front door recognised from response evidence. */
  frontDoor: FrontDoor | null;
  /** Whole days until the server certificate expires (https only). */
  certDaysRemaining: number | null;
  /** Milliseconds per phase. */
  timings: ProbeTimings;
  /** One redacted line a person can act on. */
  message: string;
  /**
   * The W3C trace id (32 hex digits) every request of this run carried in its `traceparent` header
   * and `params._meta.traceparent`: the server's request records of this run carry it too
   * (docs/per-tool.md). Null when no request was sent (invalid options).
   */
  traceId: string | null;
  /**
   * What the sentinel tool returned (`call`): its text, redacted and cut. Present only when the
   * tool answered with a result (an error result included).
   * @default - absent: no call, or the call got no result
   */
  toolResult?: ToolOutput;
}

/** A classified failure, before it becomes a {@link ProbeResult}. */
export interface Failure {
  readonly failureClass: FailureClass;
  /** What happened and what to do, unredacted (the engine redacts). */
  readonly message: string;
  /** True when auto-detection may try the next transport instead of reporting this failure. */
  readonly fallback?: boolean;
  /** True when the answer shows a modern-only server (a legacy request refused with -32022 naming only 2026-07-28 or later). */
  readonly modernOnly?: boolean;
  /** The status of the HTTP response that failed; absent when no response failed (a network error, a check of the tool list). */
  readonly httpStatus?: number;
}
