/**
 * What every request of one probe run shares: the HTTP client, the target, the base headers
 * (user agent, the caller's headers, the bearer token), SigV4/SigV4a signing, the request ids,
 * the deadline and the secrets kept out of every message. The drivers see it through the small
 * {@link DriverLink} interface; the engine and the era negotiation use the rest.
 */
import { PROBE_CLIENT_INFO, type DriverLink } from './drivers';
import { HttpClient, type EventStream, type ExchangeRequest, type ExchangeResult } from './http';
import { credentialsFromEnv, signRequest, type AwsCredentials } from './sigv4';
import { deriveSigV4aKeyPair, signRequestV4a, type SigV4aKeyPair } from './sigv4a';
import { newTraceId, traceparent } from './trace-context';
import type { ProbeOptions } from './types';
import { PROBE_LIMITS } from '../../src/contract/canary-env';
import { DEFAULT_SIGNING_SERVICE } from '../../src/contract/signing';

/** The probe's deadline when the options give none. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** The longest a session clean-up (a legacy DELETE) may take, within the deadline. */
const CLEANUP_TIMEOUT_MS = 2_000;
/** Header names whose values are kept out of every message. */
const SENSITIVE_HEADER = /auth|token|key|secret|cookie|session|signature|credential|password/i;

/** The shared state of one probe run's requests. */
export class Connection implements DriverLink {
  /** The HTTP client: connection facts, front door, last status and challenge. */
  public readonly http: HttpClient;
  /** The MCP endpoint. */
  public readonly target: URL;
  /** When the probe must be done (epoch milliseconds). */
  public readonly deadline: number;
  /** The W3C trace id of this run: in the `traceparent` of every request (./trace-context). */
  public readonly traceId = newTraceId();
  private readonly secretValues: string[] = [];
  private readonly baseHeaders: Record<string, string>;
  private readonly credentials: AwsCredentials | undefined;
  /** The SigV4a key of {@link credentials}, derived on first use. */
  private sigV4aKey: SigV4aKeyPair | undefined;
  private nextId = 1;

  constructor(private readonly options: ProbeOptions, started: number) {
    this.target = new URL(options.url);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.deadline = started + timeoutMs;
    const maxResponseBytes = options.maxResponseBytes ?? PROBE_LIMITS.maxResponseBytes.default;
    this.http = new HttpClient({
      deadline: this.deadline,
      connectTimeoutMs: options.connectTimeoutMs ?? Math.min(5_000, timeoutMs),
      maxResponseBytes,
      // The 2024-11-05 GET stream carries every answer, the whole tool list included.
      maxStreamBytes: maxResponseBytes + (options.maxToolsBytes ?? PROBE_LIMITS.maxToolsBytes.default),
      ca: options.ca,
      secrets: this.secretValues,
    });
    this.baseHeaders = {
      'user-agent': `${PROBE_CLIENT_INFO.name}/${PROBE_CLIENT_INFO.version}`,
      ...options.headers,
    };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (SENSITIVE_HEADER.test(name)) this.secretValues.push(value);
    }
    if (options.bearerToken) {
      this.baseHeaders.authorization = `Bearer ${options.bearerToken}`;
      this.secretValues.push(options.bearerToken);
    }
    const url = this.target;
    if (url.username || url.password) {
      this.secretValues.push(url.username, url.password, safeDecode(url.username), safeDecode(url.password));
    }
    // Query values of the target often carry keys (`?key=...`, `?code=...`): keep them out of every message.
    if (url.search !== '') url.searchParams.forEach((value) => this.remember(value));
    this.credentials = options.sigv4 ? (options.sigv4.credentials ?? credentialsFromEnv()) : undefined;
    if (this.credentials) this.secretValues.push(this.credentials.secretAccessKey, this.credentials.sessionToken ?? '', this.credentials.accessKeyId);
  }

  /** The secret values seen so far (tokens, keys, session ids), removed from every message. */
  public get secrets(): readonly string[] {
    return this.secretValues;
  }

  /** Milliseconds left before the deadline. */
  public get remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** The deadline of a session clean-up started now. */
  public get cleanupDeadline(): number {
    return Math.min(this.deadline, Date.now() + CLEANUP_TIMEOUT_MS);
  }

  /** A fresh JSON-RPC request id. */
  public nextRequestId(): number {
    return this.nextId++;
  }

  /** Keeps a value out of every message from now on. */
  public remember(secret: string): void {
    this.secretValues.push(secret);
  }

  /** A `traceparent` for one request: this run's trace id, a new parent id. */
  public traceparent(): string {
    return traceparent(this.traceId);
  }

  /** One exchange; the request's headers are completed with the base headers and signed. */
  public send(request: ExchangeRequest, expectedId: number | null): Promise<ExchangeResult> {
    return this.http.exchange(this.complete(request), expectedId);
  }

  /** Opens an event stream (the 2024-11-05 GET), headers completed and signed. */
  public openEventStream(request: ExchangeRequest): Promise<{ stream: EventStream } | ExchangeResult> {
    return this.http.openEventStream(this.complete(request));
  }

  /** GETs a JSON document (OAuth metadata), headers completed and signed. */
  public fetchJson(url: URL, headers: Record<string, string>): ReturnType<HttpClient['fetchJson']> {
    return this.http.fetchJson(url, this.headersFor('GET', url, '', headers));
  }

  public close(): void {
    this.http.close();
  }

  private complete(request: ExchangeRequest): ExchangeRequest {
    return { ...request, headers: this.headersFor(request.method, request.url, request.body ?? '', request.headers) };
  }

  /** Headers for one request: base headers, extras, then SigV4 over all of them. */
  private headersFor(method: string, url: URL, body: string, extra: Record<string, string>): Record<string, string> {
    // Every request carries the run's trace context; a driver's own (the one in `_meta` too) wins.
    const headers = { ...this.baseHeaders, traceparent: extra.traceparent ?? this.traceparent(), ...extra };
    const sigv4 = this.options.sigv4;
    if (!this.credentials || !sigv4) return headers;
    const common = { method, url, headers, body, service: sigv4.service ?? DEFAULT_SIGNING_SERVICE, credentials: this.credentials, date: new Date() };
    if (sigv4.algorithm === 'sigv4a') {
      // One key derivation per run (an HMAC and a P-256 point multiplication), not per request.
      this.sigV4aKey ??= deriveSigV4aKeyPair(this.credentials);
      return signRequestV4a({ ...common, regionSet: sigv4.regionSet ?? ['*'] }, this.sigV4aKey);
    }
    return signRequest({ ...common, region: sigv4.region ?? '' });
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
