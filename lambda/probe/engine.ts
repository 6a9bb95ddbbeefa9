/**
 * The probe run: era detection, handshake, tools/list, the sentinel call and clean-up, each
 * timed; the first failure stops the run and becomes the result. All I/O goes through
 * {@link HttpClient}; every decision about what a response means is made in ./classify.
 */
import { classifyRpcError, interpretSseEvent, LEGACY_VERSIONS, MODERN_VERSION, toolErrorClass, type JsonRpcError } from './classify';
import { HttpClient, type EventStream, type ExchangeRequest, type ExchangeResult } from './http';
import { previewJson } from './json';
import { describeUrl, oneLine, redact, redactAll } from './redact';
import { credentialsFromEnv, signRequest, type AwsCredentials } from './sigv4';
import { deriveSigV4aKeyPair, signRequestV4a, type SigV4aKeyPair } from './sigv4a';
import { canonicalTool, printedHash, toolsDigest, type CanonicalTool } from './tools-hash';
import type { Era, Failure, ProbeOptions, ProbeResult } from './types';
import { PROBE_LIMITS, type ProbeLimit } from '../../src/contract/canary-env';
import { layerOf } from '../../src/contract/failure-classes';
import { DEFAULT_SIGNING_SERVICE, isRegionSet, REGION_NAME } from '../../src/contract/signing';
import { toolsHashMatches } from '../../src/contract/tools-hash-format';
import { isTransport } from '../../src/contract/transports';

/** The client name and version the probe announces. */
export const PROBE_CLIENT_INFO = { name: 'cdk-mcp-probe', version: '1.0.0' } as const;

/** The `_meta` every modern request carries (2026-07-28: no session, so each request says who and what it is). */
const MODERN_META = Object.freeze({
  'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
  'io.modelcontextprotocol/clientCapabilities': Object.freeze({}),
  'io.modelcontextprotocol/clientInfo': PROBE_CLIENT_INFO,
});

const DEFAULT_TIMEOUT_MS = 10_000;
const CLEANUP_TIMEOUT_MS = 2_000;
/** How many times a legacy SSE response stream closed after a priming event is resumed (SEP-1699). */
const MAX_SSE_RESUMES = 20;
/** The reconnection delay when a priming event gives no `retry`. */
const DEFAULT_SSE_RETRY_MS = 1_000;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What Node.js can send in a header value: tab, visible ASCII and latin-1, no control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A bearer token (RFC 6750 b64token, and the visible ASCII real tokens use). */
const BEARER_TOKEN = /^[\x21-\x7e]+$/;
/** An AWS Region name (`us-east-1`, `ap-southeast-2`, `us-gov-west-1`). */
const SENSITIVE_HEADER = /auth|token|key|secret|cookie|session|signature|credential|password/i;

type RpcOutcome =
  | { readonly ok: true; readonly result: Record<string, unknown>; readonly bytes: number }
  | {
    readonly ok: false;
    readonly failure: Failure;
    readonly timedOut: boolean;
    /** The JSON-RPC error of a 200 response. */
    readonly rpcError?: JsonRpcError;
    /** The JSON-RPC error in the body of a 4xx response (already classified in `failure`). */
    readonly httpRpcError?: JsonRpcError;
  };

interface Driver {
  readonly era: Era;
  /** `maxBytes` caps this response below the client's cap (streamable drivers; the SSE stream has its own). */
  rpc(method: string, params: Record<string, unknown>, extraHeaders?: Record<string, string>, maxBytes?: number): Promise<RpcOutcome>;
  notify(method: string): Promise<RpcOutcome>;
  cleanup(): Promise<void>;
}

/**
 * Checks probe options and returns one message per problem (empty when valid). Each message
 * names the option, the value given and the fix.
 *
 * @param options the options to check
 * @param env the environment SigV4 credentials are read from when not given
 */
export function validateProbeOptions(options: ProbeOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  // URLs are described without credentials or query values: messages must not echo secrets.
  try {
    url = new URL(options.url);
  } catch {
    problems.push(`url ${describeUrl(String(options.url))} is not a valid URL: give an absolute http:// or https:// URL`);
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`url ${describeUrl(options.url)} uses ${url.protocol}: only http:// and https:// are supported`);
  }
  if (options.transport !== undefined && !isTransport(options.transport)) {
    problems.push(`transport ${JSON.stringify(options.transport)} is unknown: use auto, modern, legacy or sse`);
  }
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      problems.push(`${name} ${JSON.stringify(value)} must be a positive integer`);
    }
  };
  positive('timeoutMs', options.timeoutMs);
  positive('connectTimeoutMs', options.connectTimeoutMs);
  const bounded = (name: keyof typeof PROBE_LIMITS, value: number | undefined) => {
    const limit: ProbeLimit = PROBE_LIMITS[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= limit.min && value <= limit.max)) {
      problems.push(`${name} ${JSON.stringify(value)} must be a whole number from ${limit.min} to ${limit.max}`);
    }
  };
  bounded('maxResponseBytes', options.maxResponseBytes);
  bounded('maxToolPages', options.maxToolPages);
  bounded('maxToolsBytes', options.maxToolsBytes);
  if (options.call && (typeof options.call.name !== 'string' || options.call.name === '')) {
    problems.push('call.name must be the non-empty name of a read-only tool');
  }
  if (options.call?.arguments !== undefined && (typeof options.call.arguments !== 'object' || options.call.arguments === null || Array.isArray(options.call.arguments))) {
    problems.push(`call.arguments ${previewJson(options.call.arguments, 80)} must be a JSON object`);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!HEADER_NAME.test(name)) problems.push(`headers: ${JSON.stringify(name)} is not a valid header name`);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      problems.push(`headers: the value of ${name} must be a string of printable ASCII or latin-1 characters, without line breaks or control characters`);
    }
  }
  if (options.bearerToken !== undefined && (typeof options.bearerToken !== 'string' || !BEARER_TOKEN.test(options.bearerToken))) {
    problems.push('bearerToken must be a non-empty token of printable ASCII characters, without spaces, line breaks or non-ASCII characters');
  }
  if (options.sigv4) {
    const algorithm = options.sigv4.algorithm ?? 'sigv4';
    if (algorithm !== 'sigv4' && algorithm !== 'sigv4a') {
      problems.push(`sigv4.algorithm ${JSON.stringify(algorithm)} is unknown: use sigv4 (one Region) or sigv4a (a Region set, * for all)`);
    } else if (algorithm === 'sigv4' && !REGION_NAME.test(options.sigv4.region ?? '')) {
      problems.push(`sigv4.region ${JSON.stringify(options.sigv4.region)} is not an AWS region name such as us-east-1`);
    } else if (algorithm === 'sigv4a') {
      const regionSet = options.sigv4.regionSet ?? ['*'];
      if (!Array.isArray(regionSet) || !isRegionSet(regionSet)) {
        problems.push(`sigv4.regionSet ${previewJson(regionSet, 80)} must be a non-empty list of AWS region names such as us-east-1, or ['*'] for every Region`);
      }
    }
    if (options.sigv4.service !== undefined && !/^[a-z0-9-]+$/.test(String(options.sigv4.service))) {
      problems.push(`sigv4.service ${JSON.stringify(options.sigv4.service)} is not an AWS signing name such as lambda`);
    }
    if (!options.sigv4.credentials && !credentialsFromEnv(env)) {
      problems.push('sigv4 needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) or pass sigv4.credentials');
    }
  }
  return problems;
}

/** One probe run. Internal; {@link probe} is the entry point. */
class ProbeRun {
  private readonly url: URL;
  private readonly client: HttpClient;
  private readonly deadline: number;
  private readonly secrets: string[] = [];
  private readonly baseHeaders: Record<string, string>;
  private readonly credentials: AwsCredentials | undefined;
  /** The SigV4a key of {@link credentials}, derived on first use. */
  private sigV4aKey: SigV4aKeyPair | undefined;
  private nextId = 1;
  private era: Era | null = null;
  private protocolVersion: string | null = null;
  private server: { name: string; version: string } | null = null;
  /** Whether the server declared the tools capability (modern: server/discover; legacy: initialize). */
  private offersTools = true;
  /** The tools listed, as the hash covers them: the tool objects themselves are not kept. */
  private tools: CanonicalTool[] = [];
  /** The sentinel tool's `x-mcp-header` parameters, mirrored into `Mcp-Param-*` headers (SEP-2243). */
  private paramHeaders: Array<{ readonly path: string[]; readonly header: string }> = [];
  private hash: string | null = null;
  private fullDigest: string | null = null;
  private handshakeMs: number | null = null;
  private toolsListMs: number | null = null;
  private toolCallMs: number | null = null;
  private httpStatus: number | null = null;
  private driver: Driver | undefined;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: ProbeOptions, private readonly started: number) {
    this.url = new URL(options.url);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.deadline = started + timeoutMs;
    const maxResponseBytes = options.maxResponseBytes ?? PROBE_LIMITS.maxResponseBytes.default;
    this.maxResponseBytes = maxResponseBytes;
    this.client = new HttpClient({
      deadline: this.deadline,
      connectTimeoutMs: options.connectTimeoutMs ?? Math.min(5_000, timeoutMs),
      maxResponseBytes,
      // The 2024-11-05 GET stream carries every answer, the whole tool list included.
      maxStreamBytes: maxResponseBytes + (options.maxToolsBytes ?? PROBE_LIMITS.maxToolsBytes.default),
      ca: options.ca,
      secrets: this.secrets,
    });
    this.baseHeaders = {
      'user-agent': `${PROBE_CLIENT_INFO.name}/${PROBE_CLIENT_INFO.version}`,
      ...options.headers,
    };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (SENSITIVE_HEADER.test(name)) this.secrets.push(value);
    }
    if (options.bearerToken) {
      this.baseHeaders.authorization = `Bearer ${options.bearerToken}`;
      this.secrets.push(options.bearerToken);
    }
    if (this.url.username || this.url.password) {
      this.secrets.push(this.url.username, this.url.password, safeDecode(this.url.username), safeDecode(this.url.password));
    }
    // Query values of the target often carry keys (`?key=...`, `?code=...`): keep them out of every message.
    if (this.url.search !== '') this.url.searchParams.forEach((value) => this.remember(value));
    this.credentials = options.sigv4 ? (options.sigv4.credentials ?? credentialsFromEnv()) : undefined;
    if (this.credentials) this.secrets.push(this.credentials.secretAccessKey, this.credentials.sessionToken ?? '', this.credentials.accessKeyId);
  }

  public async execute(): Promise<ProbeResult> {
    const handshakeStart = Date.now();
    const handshake = await this.handshake();
    this.handshakeMs = Math.max(0, Date.now() - handshakeStart - (this.client.facts.connectMs ?? 0) - (this.client.facts.tlsMs ?? 0));
    if (handshake) return this.finish(handshake);

    if (!this.offersTools) {
      return this.finish({ failureClass: 'NO_TOOLS', message: `the server does not offer tools (no "tools" in the ${this.era === 'modern' ? 'server/discover' : 'initialize'} capabilities)` });
    }
    const listFailure = await this.listTools();
    if (listFailure) return this.finish(listFailure);

    const toolFailure = this.checkTools() ?? (await this.callSentinel());
    return this.finish(toolFailure);
  }

  public close(): void {
    this.client.close();
  }

  /** Turns an unexpected exception (a bug) into a result rather than a rejection. */
  public internalError(error: unknown): ProbeResult {
    return this.result({ failureClass: 'PROTOCOL_ERROR', message: `internal probe error: ${error instanceof Error ? error.message : String(error)}` });
  }

  /** After a 401: what OAuth protected-resource metadata the server publishes (RFC 9728), within the deadline. */
  public async describeAuth(failure: Failure): Promise<Failure> {
    if (failure.failureClass !== 'AUTH_REQUIRED') return failure;
    const challenge = this.client.lastChallenge ?? '';
    const advertised = /resource_metadata="?([^",\s]+)"?/i.exec(challenge)?.[1];
    const candidates: URL[] = [];
    let note = '';
    if (advertised) {
      let metadataUrl: URL | undefined;
      try {
        metadataUrl = new URL(advertised, this.url);
      } catch {
        note = '; the advertised metadata URL is not a valid URL';
      }
      if (metadataUrl && metadataUrl.origin === this.url.origin) candidates.push(metadataUrl);
      else if (metadataUrl) note = `; the metadata is on another origin (${metadataUrl.origin}) and was not fetched`;
    } else {
      const path = this.url.pathname === '/' ? '' : this.url.pathname.replace(/\/$/, '');
      if (path) candidates.push(new URL(`/.well-known/oauth-protected-resource${path}`, this.url.origin));
      candidates.push(new URL('/.well-known/oauth-protected-resource', this.url.origin));
    }
    const tried: string[] = [];
    for (const candidate of candidates) {
      const fetched = await this.client.fetchJson(candidate, this.headersFor('GET', candidate, '', { accept: 'application/json' }));
      if ('value' in fetched && isObject(fetched.value)) {
        const metadata = fetched.value;
        const servers = Array.isArray(metadata.authorization_servers) ? metadata.authorization_servers.map(String) : [];
        const scopes = Array.isArray(metadata.scopes_supported) ? metadata.scopes_supported.map(String) : [];
        note = `; OAuth protected-resource metadata found at ${candidate.pathname}: resource ${typeof metadata.resource === 'string' ? metadata.resource : '(not named)'}, `
          + `authorization servers ${servers.length ? servers.join(', ') : '(none listed)'}${scopes.length ? `, scopes ${scopes.join(' ')}` : ''}`;
        break;
      }
      tried.push(`${candidate.pathname} ${'status' in fetched ? `answered HTTP ${fetched.status}` : 'failure' in fetched ? `failed (${fetched.failure})` : 'is not a JSON object'}`);
    }
    if (tried.length === candidates.length && tried.length > 0) note = `; no metadata found (${tried.join('; ')})`;
    return { ...failure, message: `${failure.message}${note}` };
  }

  // ---------------------------------------------------------------- handshake and era detection

  private async handshake(): Promise<Failure | undefined> {
    const transport = this.options.transport ?? 'auto';
    const auto = transport === 'auto';
    let reported: Failure | undefined;
    if (auto || transport === 'modern') {
      const failure = await this.modernHandshake(auto);
      if (!failure) return undefined;
      if (!auto && failure.fallback && failure.failureClass !== 'VERSION_MISMATCH' && failure.failureClass !== 'NOT_FOUND') {
        // A legacy server's answer to server/discover: forced modern, that is a version mismatch.
        return { failureClass: 'VERSION_MISMATCH', message: `the server does not speak MCP ${MODERN_VERSION} (server/discover: ${failure.failureClass}: ${failure.message}); try --transport auto or legacy` };
      }
      if (!(auto && failure.fallback)) return this.describeAuth(failure);
      reported = failure;
    }
    if (auto || transport === 'legacy') {
      const failure = await this.legacyHandshake(auto);
      if (!failure) return undefined;
      // A modern-only server refused the legacy attempt: what the modern handshake met is the news.
      if (failure.modernOnly && reported) return this.describeAuth({ ...reported, fallback: false });
      if (!(auto && failure.fallback)) return this.describeAuth(failure);
      reported = failure;
    }
    const sse = await this.sseHandshake(auto);
    if (!sse) return undefined;
    // A GET that did not open an event stream says little: report what the POST attempts said.
    return this.describeAuth(sse.fallback && reported ? reported : sse);
  }

  private async modernHandshake(auto: boolean): Promise<Failure | undefined> {
    const driver = new StreamableDriver(this, 'modern');
    let outcome = await driver.rpc('server/discover', {});
    let corrected = false;
    while (!outcome.ok && (outcome.rpcError ?? outcome.httpRpcError)) {
      const error = (outcome.rpcError ?? outcome.httpRpcError)!;
      const verdict = modernVerdict(error);
      if (verdict === 'legacy') return outcome.rpcError ? { ...classifyRpcError(error, 'server/discover'), fallback: true } : { ...outcome.failure, fallback: true };
      // -32022 naming a version the probe speaks: retry once, as the SDK v2 client does.
      if (verdict === 'retry' && !corrected) {
        corrected = true;
        outcome = await driver.rpc('server/discover', {});
        continue;
      }
      // A recognised modern error (-32020, -32021, -32022): the server is modern, no fallback.
      const failure = outcome.rpcError ? classifyRpcError(error, 'server/discover') : outcome.failure;
      return error.code === -32022
        ? { failureClass: 'VERSION_MISMATCH', message: failure.message }
        : { failureClass: 'PROTOCOL_ERROR', message: `${failure.message} (a modern server refused the probe's request)` };
    }
    if (!outcome.ok) return outcome.failure;
    const result = outcome.result;
    const supported = Array.isArray(result.supportedVersions) ? result.supportedVersions.map(String) : undefined;
    if (!supported || !isObject(result.capabilities)) {
      return { failureClass: 'PROTOCOL_ERROR', message: 'the server/discover result lacks "supportedVersions" or "capabilities"', fallback: auto };
    }
    if (!supported.includes(MODERN_VERSION)) {
      const legacy = supported.some((v) => (LEGACY_VERSIONS as readonly string[]).includes(v));
      return { failureClass: 'VERSION_MISMATCH', message: `the server supports ${supported.join(', ') || 'no version'}, the probe speaks ${MODERN_VERSION}`, fallback: legacy };
    }
    const meta = isObject(result._meta) ? result._meta : {};
    this.adopt(driver, MODERN_VERSION, result.serverInfo ?? meta['io.modelcontextprotocol/serverInfo']);
    this.offersTools = isObject(result.capabilities.tools);
    return undefined;
  }

  private async legacyHandshake(auto: boolean): Promise<Failure | undefined> {
    const driver = new StreamableDriver(this, 'legacy');
    const failure = await this.initialize(driver, LEGACY_VERSIONS[0], auto);
    if (failure) {
      await driver.cleanup();
      return failure;
    }
    return undefined;
  }

  private async sseHandshake(auto: boolean): Promise<Failure | undefined> {
    const opened = await this.client.openEventStream({
      method: 'GET',
      url: this.url,
      headers: this.headersFor('GET', this.url, '', { accept: 'text/event-stream' }),
    });
    if (!('stream' in opened)) return this.failureOf(opened, auto);
    const endpoint = await opened.stream.next((event) => (event.event === 'endpoint' ? event.data.trim() : undefined));
    if (!('value' in endpoint)) {
      opened.stream.close();
      return endpoint.failure.failureClass === 'EMPTY_STREAM'
        ? { failureClass: 'EMPTY_STREAM', message: 'the SSE stream ended without the "endpoint" event of the 2024-11-05 transport' }
        : endpoint.failure;
    }
    let postUrl: URL;
    try {
      postUrl = new URL(endpoint.value, this.url);
    } catch {
      opened.stream.close();
      return { failureClass: 'PROTOCOL_ERROR', message: `the "endpoint" event names an invalid URL: ${JSON.stringify(endpoint.value)}` };
    }
    if (postUrl.origin !== this.url.origin) {
      opened.stream.close();
      return { failureClass: 'PROTOCOL_ERROR', message: `the "endpoint" event points at another origin (${postUrl.origin}); the probe only posts to ${this.url.origin}` };
    }
    // The endpoint's query usually carries the session id: keep it out of every message.
    postUrl.searchParams.forEach((value) => this.remember(value));
    const driver = new SseDriver(this, opened.stream, postUrl);
    const failure = await this.initialize(driver, '2024-11-05', false);
    if (failure) await driver.cleanup();
    return failure;
  }

  private async initialize(driver: StreamableDriver | SseDriver, version: string, auto: boolean): Promise<Failure | undefined> {
    const outcome = await driver.rpc('initialize', {
      protocolVersion: version,
      capabilities: {},
      clientInfo: PROBE_CLIENT_INFO,
    });
    if (!outcome.ok) {
      if (outcome.rpcError) {
        const failure = classifyRpcError(outcome.rpcError, 'initialize');
        return { ...failure, fallback: auto && (outcome.rpcError.code === -32601 || failure.failureClass === 'SESSION_ERROR') };
      }
      const refused = outcome.httpRpcError;
      if (refused?.code === -32022 && modernVerdict(refused) !== 'legacy') return { ...outcome.failure, fallback: false, modernOnly: true };
      return outcome.failure;
    }
    const result = outcome.result;
    if (typeof result.protocolVersion !== 'string' || !isObject(result.capabilities) || !isObject(result.serverInfo) || typeof result.serverInfo.name !== 'string') {
      return { failureClass: 'PROTOCOL_ERROR', message: 'the initialize result lacks "protocolVersion", "capabilities" or "serverInfo.name"' };
    }
    const accepted: readonly string[] = driver.era === 'sse' ? ['2024-11-05'] : LEGACY_VERSIONS;
    if (!accepted.includes(result.protocolVersion)) {
      return { failureClass: 'VERSION_MISMATCH', message: `the server chose protocol version ${JSON.stringify(result.protocolVersion)}; the probe speaks ${accepted.join(', ')}` };
    }
    if (driver instanceof StreamableDriver) driver.negotiated = result.protocolVersion;
    const initialized = await driver.notify('notifications/initialized');
    if (!initialized.ok) return initialized.failure;
    this.adopt(driver, result.protocolVersion, result.serverInfo);
    return undefined;
  }

  private adopt(driver: Driver, protocolVersion: string, serverInfo: unknown): void {
    this.offersTools = true;
    this.driver = driver;
    this.era = driver.era;
    this.protocolVersion = protocolVersion;
    if (isObject(serverInfo) && typeof serverInfo.name === 'string') {
      this.server = { name: serverInfo.name, version: typeof serverInfo.version === 'string' ? serverInfo.version : '' };
    }
  }

  // ---------------------------------------------------------------- tools

  private async listTools(): Promise<Failure | undefined> {
    const driver = this.driver!;
    const started = Date.now();
    const maxPages = this.options.maxToolPages ?? PROBE_LIMITS.maxToolPages.default;
    const maxBytes = this.options.maxToolsBytes ?? PROBE_LIMITS.maxToolsBytes.default;
    const seen = new Set<string>();
    let cursor: string | undefined;
    let bytes = 0;
    try {
      for (let page = 0; ; page++) {
        if (page === maxPages) {
          return this.truncated(`after ${maxPages} pages (the limit; --max-tool-pages) the server still gave a nextCursor`);
        }
        // The page may use what is left of the byte budget, so the total read stays under it.
        const budget = maxBytes - bytes;
        const outcome = await driver.rpc('tools/list', cursor === undefined ? {} : { cursor }, {}, budget);
        if (!outcome.ok && outcome.failure.failureClass === 'RESPONSE_TOO_LARGE' && budget < this.maxResponseBytes) {
          return this.truncated(`page ${page + 1} would take the tool list over ${maxBytes} bytes (the limit; --max-tools-bytes)`);
        }
        if (!outcome.ok) return outcome.rpcError ? classifyRpcError(outcome.rpcError, 'tools/list') : outcome.failure;
        const tools = outcome.result.tools;
        const next = outcome.result.nextCursor;
        // The last page, and no sentinel call to make: the session is no longer needed. Its DELETE
        // goes out now and travels while the list is checked and hashed; finish() awaits it.
        if ((typeof next !== 'string' || next === '') && !this.options.call) {
          // The status reported is this page's, not the DELETE's.
          this.httpStatus = this.client.lastStatus;
          void driver.cleanup();
        }
        if (!Array.isArray(tools) || !tools.every((t) => isObject(t) && typeof t.name === 'string')) {
          return { failureClass: 'PROTOCOL_ERROR', message: 'the tools/list result has no "tools" array of named tools' };
        }
        for (const tool of tools as Array<Record<string, unknown>>) {
          this.tools.push(canonicalTool(tool));
          if (this.options.call && tool.name === this.options.call.name) this.paramHeaders = mcpHeaderParams(tool.inputSchema);
        }
        bytes += outcome.bytes;
        if (Date.now() >= this.deadline) {
          return { failureClass: 'TIMEOUT', message: `tools/list did not complete before the probe deadline (${page + 1} pages, ${this.tools.length} tools read)` };
        }
        if (bytes > maxBytes) return this.truncated(`the tool list is ${bytes} bytes, over the limit of ${maxBytes} (--max-tools-bytes)`);
        if (typeof next !== 'string' || next === '') break;
        if (seen.has(next)) return this.truncated(`the server repeated the cursor of an earlier page after ${page + 1} pages (a pagination loop)`);
        if (bytes >= maxBytes) {
          return this.truncated(`after ${page + 1} pages the tool list reached ${bytes} bytes (the limit is ${maxBytes}; --max-tools-bytes) and the server gave another nextCursor`);
        }
        seen.add(next);
        cursor = next;
      }
      this.fullDigest = toolsDigest(this.tools);
      this.hash = printedHash(this.fullDigest);
    } finally {
      this.toolsListMs = Date.now() - started;
    }
    return undefined;
  }

  private truncated(where: string): Failure {
    return { failureClass: 'TOOLS_TRUNCATED', message: `the tool list was cut: ${where}; ${this.tools.length} tools read, no hash computed` };
  }

  private checkTools(): Failure | undefined {
    if (this.tools.length === 0) {
      return { failureClass: 'NO_TOOLS', message: 'the server lists no tools' };
    }
    const names = new Set(this.tools.map((t) => t.name));
    const expected = [...(this.options.expectTools ?? []), ...(this.options.call ? [this.options.call.name] : [])];
    const missing = [...new Set(expected.filter((n) => !names.has(n)))];
    if (missing.length > 0) {
      return { failureClass: 'MISSING_TOOLS', message: `missing tools: ${missing.join(', ')} (listed: ${[...names].slice(0, 20).join(', ')})` };
    }
    if (this.options.expectHash && !toolsHashMatches(this.options.expectHash, this.fullDigest!)) {
      return { failureClass: 'SCHEMA_DRIFT', message: `the tool list hash is ${this.hash}, expected ${this.options.expectHash}` };
    }
    return undefined;
  }

  private async callSentinel(): Promise<Failure | undefined> {
    const call = this.options.call;
    if (!call) return undefined;
    const started = Date.now();
    const args = call.arguments ?? {};
    const outcome = await this.driver!.rpc('tools/call', { name: call.name, arguments: args }, paramHeaderValues(this.paramHeaders, args));
    this.toolCallMs = Date.now() - started;
    if (!outcome.ok) {
      if (outcome.timedOut) {
        return { failureClass: 'TOOL_TIMEOUT', message: `the sentinel tool ${call.name} did not answer before the deadline (handshake and tools/list succeeded)` };
      }
      return outcome.rpcError ? classifyRpcError(outcome.rpcError, 'tools/call') : outcome.failure;
    }
    const result = outcome.result;
    if (result.resultType === 'input_required') {
      return { failureClass: 'TOOL_ERROR', message: `the sentinel tool ${call.name} asked for input; choose a tool that needs none` };
    }
    if (result.isError === true) {
      const text = Array.isArray(result.content)
        ? result.content.map((c) => (isObject(c) && typeof c.text === 'string' ? c.text : '')).join(' ')
        : '';
      const detail = (text || previewJson(result.structuredContent ?? {}, 2_000)).slice(0, 4_000);
      return { failureClass: toolErrorClass(detail), message: `the sentinel tool ${call.name} failed: ${detail}` };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- results

  private async finish(failure: Failure | undefined): Promise<ProbeResult> {
    this.httpStatus ??= this.client.lastStatus;
    if (this.driver) await this.driver.cleanup();
    return this.result(failure);
  }

  private result(failure: Failure | undefined): ProbeResult {
    const facts = this.client.facts;
    const totalMs = Date.now() - this.started;
    const frontDoor = this.client.frontDoor;
    let message: string;
    if (failure) {
      const via = frontDoor ? ` [front door: ${frontDoor}]` : '';
      const coldStart = failure.failureClass === 'TIMEOUT' && (frontDoor === 'apigateway' || frontDoor === 'lambda-url')
        ? '; behind API Gateway or a Function URL this is usually a Lambda cold start'
        : '';
      message = `${failure.failureClass}: ${failure.message}${coldStart}${via}`;
    } else {
      const server = this.server ? `${this.server.name} ${this.server.version}`.trim() : 'unnamed server';
      // The names are server-controlled: they are redacted with the message, and below.
      const call = this.options.call ? `, ${this.options.call.name} ok` : '';
      message = `OK: ${server} over ${this.era} MCP ${this.protocolVersion}, ${this.tools.length} tools (${this.hash})${call} in ${totalMs} ms`;
    }
    return {
      ok: failure === undefined,
      failureClass: failure?.failureClass ?? 'OK',
      layer: failure ? layerOf(failure.failureClass) : null,
      era: this.era,
      protocolVersion: this.protocolVersion,
      // A server may reflect request headers (the token, a session id) into its name or tool names.
      // Redacted first, then cut: a name is a label, not a payload.
      server: this.server ? { name: this.label(this.server.name), version: this.label(this.server.version) } : null,
      toolCount: this.era ? this.tools.length : null,
      tools: redactAll(this.tools.map((t) => t.name), this.secrets).map((name) => clip(name, MAX_NAME)),
      toolsHash: this.hash,
      httpStatus: this.httpStatus ?? this.client.lastStatus,
      frontDoor,
      certDaysRemaining: facts.certDaysRemaining,
      timings: {
        connectMs: facts.connectMs,
        tlsMs: facts.tlsMs,
        handshakeMs: this.handshakeMs,
        toolsListMs: this.toolsListMs,
        toolCallMs: this.toolCallMs,
        totalMs,
      },
      message: oneLine(message, this.secrets),
    };
  }

  /** A server-controlled name as reported: redacted, then cut. */
  private label(name: string): string {
    return clip(redact(name, this.secrets), MAX_NAME);
  }

  // ---------------------------------------------------------------- plumbing shared by drivers

  /** Headers for one request: base headers, extras, then SigV4 over all of them. */
  public headersFor(method: string, url: URL, body: string, extra: Record<string, string>): Record<string, string> {
    const headers = { ...this.baseHeaders, ...extra };
    if (!this.credentials || !this.options.sigv4) return headers;
    if (this.options.sigv4.algorithm === 'sigv4a') {
      // One key derivation per run (an HMAC and a P-256 point multiplication), not per request.
      this.sigV4aKey ??= deriveSigV4aKeyPair(this.credentials);
      return signRequestV4a({
        method,
        url,
        headers,
        body,
        regionSet: this.options.sigv4.regionSet ?? ['*'],
        service: this.options.sigv4.service ?? DEFAULT_SIGNING_SERVICE,
        credentials: this.credentials,
        date: new Date(),
      }, this.sigV4aKey);
    }
    return signRequest({
      method,
      url,
      headers,
      body,
      region: this.options.sigv4.region ?? '',
      service: this.options.sigv4.service ?? DEFAULT_SIGNING_SERVICE,
      credentials: this.credentials,
      date: new Date(),
    });
  }

  public nextRequestId(): number {
    return this.nextId++;
  }

  public get http(): HttpClient {
    return this.client;
  }

  public get target(): URL {
    return this.url;
  }

  public get remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  public get cleanupDeadline(): number {
    return Math.min(this.deadline, Date.now() + CLEANUP_TIMEOUT_MS);
  }

  public remember(secret: string): void {
    this.secrets.push(secret);
  }

  public get knownSecrets(): readonly string[] {
    return this.secrets;
  }

  /** The failure an exchange ended in, or the JSON-RPC outcome it carried. */
  public outcomeOf(result: ExchangeResult): RpcOutcome {
    if (result.kind === 'transport') return { ok: false, failure: result.failure, timedOut: result.timedOut };
    const interpretation = result.interpretation;
    if (interpretation.kind === 'failure') {
      const httpRpcError = interpretation.rpcError;
      return { ok: false, failure: interpretation.failure, timedOut: false, ...(httpRpcError ? { httpRpcError } : {}) };
    }
    if (interpretation.kind === 'accepted') return { ok: true, result: {}, bytes: result.bytes };
    const message = interpretation.message;
    if (message.error) {
      return { ok: false, failure: { failureClass: 'PROTOCOL_ERROR', message: message.error.message }, timedOut: false, rpcError: message.error };
    }
    return { ok: true, result: message.result ?? {}, bytes: result.bytes };
  }

  private failureOf(result: ExchangeResult, auto: boolean): Failure {
    const outcome = this.outcomeOf(result);
    if (outcome.ok) return { failureClass: 'NOT_MCP', message: 'the GET did not open an SSE stream', fallback: auto };
    return { ...outcome.failure, fallback: auto && outcome.failure.fallback === true };
  }
}

/** Modern and legacy Streamable HTTP: one POST per message. */
class StreamableDriver implements Driver {
  public negotiated: string | undefined;
  private sessionId: string | undefined;
  /** The session's end, once started. */
  private cleaning: Promise<void> | undefined;

  constructor(private readonly run: ProbeRun, public readonly era: 'modern' | 'legacy') {}

  public async rpc(
    method: string,
    params: Record<string, unknown>,
    extraHeaders: Record<string, string> = {},
    maxBytes?: number,
  ): Promise<RpcOutcome> {
    const id = this.run.nextRequestId();
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: this.withMeta(params) });
    const cap = maxBytes !== undefined ? { maxBytes } : {};
    let result = await this.run.http.exchange(this.request(method, params, body, extraHeaders, maxBytes), id);
    if (method === 'initialize' && result.kind === 'http') {
      const session = result.headers['mcp-session-id'];
      if (typeof session === 'string' && session !== '') {
        this.sessionId = session;
        this.run.remember(session);
      }
    }
    // SSE polling (SEP-1699, 2025-11-25): the server closed the response stream after a priming
    // event; reconnect with GET and Last-Event-ID until the answer arrives or the deadline passes.
    for (let attempt = 0; this.era === 'legacy' && result.kind === 'http' && result.resume && attempt < MAX_SSE_RESUMES; attempt++) {
      const { lastEventId, retryMs } = result.resume;
      const wait = Math.min(retryMs ?? DEFAULT_SSE_RETRY_MS, this.run.remainingMs);
      if (wait >= this.run.remainingMs) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
      const url = this.run.target;
      result = await this.run.http.exchange({
        method: 'GET',
        url,
        headers: this.run.headersFor('GET', url, '', { 'accept': 'text/event-stream', 'last-event-id': lastEventId, ...this.sessionHeaders() }),
        ...cap,
      }, id);
    }
    return this.run.outcomeOf(result);
  }

  public async notify(method: string): Promise<RpcOutcome> {
    const body = JSON.stringify({ jsonrpc: '2.0', method });
    return this.run.outcomeOf(await this.run.http.exchange(this.request(method, {}, body), null));
  }

  /** Ends a legacy session with DELETE; a 405 (sessions cannot be ended) is fine. Idempotent: one DELETE. */
  public cleanup(): Promise<void> {
    this.cleaning ??= this.endSession();
    return this.cleaning;
  }

  private async endSession(): Promise<void> {
    if (this.era !== 'legacy' || !this.sessionId) return;
    const url = this.run.target;
    await this.run.http.exchange({
      method: 'DELETE',
      url,
      headers: this.run.headersFor('DELETE', url, '', this.sessionHeaders()),
      deadline: this.run.cleanupDeadline,
    }, null);
    this.sessionId = undefined;
  }

  private withMeta(params: Record<string, unknown>): Record<string, unknown> {
    return this.era === 'modern' ? { ...params, _meta: MODERN_META } : params;
  }

  private sessionHeaders(): Record<string, string> {
    return {
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
      ...(this.negotiated ? { 'mcp-protocol-version': this.negotiated } : {}),
    };
  }

  private request(
    method: string,
    params: Record<string, unknown>,
    body: string,
    extraHeaders: Record<string, string> = {},
    maxBytes?: number,
  ): ExchangeRequest {
    const url = this.run.target;
    const extra: Record<string, string> = {
      'accept': 'application/json, text/event-stream',
      'content-type': 'application/json',
    };
    if (this.era === 'modern') {
      extra['mcp-protocol-version'] = MODERN_VERSION;
      extra['mcp-method'] = method;
      if (method === 'tools/call' && typeof params.name === 'string') extra['mcp-name'] = encodeHeaderValue(params.name);
      Object.assign(extra, extraHeaders);
    } else {
      Object.assign(extra, this.sessionHeaders());
    }
    const headers = this.run.headersFor('POST', url, body, extra);
    return maxBytes === undefined ? { method: 'POST', url, body, headers } : { method: 'POST', url, body, headers, maxBytes };
  }
}

/** The deprecated 2024-11-05 HTTP+SSE transport: POSTs to the announced endpoint, answers on the GET stream. */
class SseDriver implements Driver {
  public readonly era = 'sse' as const;

  constructor(private readonly run: ProbeRun, private readonly stream: EventStream, private readonly postUrl: URL) {}

  public async rpc(method: string, params: Record<string, unknown>): Promise<RpcOutcome> {
    const id = this.run.nextRequestId();
    const posted = await this.post({ jsonrpc: '2.0', id, method, params });
    if (!posted.ok) return posted;
    const answer = await this.stream.next((event) => {
      const verdict = interpretSseEvent(event, id, this.run.knownSecrets);
      return verdict === 'skip' ? undefined : { interpretation: verdict, bytes: event.data.length };
    });
    if (!('value' in answer)) {
      const failure = answer.failure.failureClass === 'EMPTY_STREAM'
        ? { failureClass: 'EMPTY_STREAM' as const, message: `the SSE stream ended without the response to ${method} (id ${id})` }
        : answer.failure;
      return { ok: false, failure, timedOut: answer.timedOut };
    }
    return this.run.outcomeOf({ kind: 'http', status: 200, headers: {}, interpretation: answer.value.interpretation, bytes: answer.value.bytes });
  }

  public async notify(method: string): Promise<RpcOutcome> {
    return this.post({ jsonrpc: '2.0', method });
  }

  public async cleanup(): Promise<void> {
    // Closing the GET stream ends the session on the server.
    this.stream.close();
  }

  private async post(message: Record<string, unknown>): Promise<RpcOutcome> {
    const body = JSON.stringify(message);
    const headers = this.run.headersFor('POST', this.postUrl, body, { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' });
    return this.run.outcomeOf(await this.run.http.exchange({ method: 'POST', url: this.postUrl, headers, body }, null));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The longest server name, version or tool name reported (the spec limits tool names to 128). */
const MAX_NAME = 256;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * What a JSON-RPC error to server/discover says about the era, as the SDK v2 client reads it:
 * `legacy` (fall back), `retry` (-32022 naming a version the probe speaks), or `modern` (a
 * recognised modern error: report it, do not fall back).
 */
function modernVerdict(error: JsonRpcError): 'legacy' | 'retry' | 'modern' {
  if (error.code === -32020 || error.code === -32021) return 'modern';
  if (error.code !== -32022) return 'legacy';
  const supported = isObject(error.data) && Array.isArray(error.data.supported) && error.data.supported.every((v) => typeof v === 'string')
    ? (error.data.supported as string[])
    : [];
  if (supported.length === 0) return 'legacy';
  if (supported.includes(MODERN_VERSION)) return 'retry';
  // Only legacy versions listed: a legacy server; a later modern version: modern, no common version.
  return supported.some((v) => v > '2025-11-25') ? 'modern' : 'legacy';
}

/** RFC 9110 token: the syntax of a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A header value as SEP-2243 has clients send it: plain when it is printable ASCII (0x20-0x7E)
 * with no leading or trailing whitespace, else `=?base64?<base64 of the UTF-8>?=`. Control
 * characters, tab included (0x00-0x1F, 0x7F), always take the Base64 form (2026-07-28 Streamable
 * HTTP, "Custom headers from tool parameters"; the conformance scenario `http-custom-headers`
 * checks the tab case).
 */
export function encodeHeaderValue(value: string): string {
  const plain = value !== '' && value === value.trim() && /^[\x20-\x7e]*$/.test(value) && !(value.startsWith('=?base64?') && value.endsWith('?='));
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** The `x-mcp-header` parameters of a tool's input schema, reachable through `properties` only. */
function mcpHeaderParams(schema: unknown): Array<{ path: string[]; header: string }> {
  const found: Array<{ path: string[]; header: string }> = [];
  const visit = (node: unknown, path: string[]) => {
    if (!isObject(node) || path.length > 16) return;
    const header = node['x-mcp-header'];
    if (path.length > 0 && typeof header === 'string' && TOKEN.test(header) && ['string', 'integer', 'boolean'].includes(String(node.type))) {
      found.push({ path, header });
    }
    if (isObject(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, [...path, key]);
    }
  };
  visit(schema, []);
  return found;
}

/** The `Mcp-Param-<name>` headers of one call: primitive argument values, encoded. */
function paramHeaderValues(params: ReadonlyArray<{ path: string[]; header: string }>, args: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { path, header } of params) {
    let value: unknown = args;
    for (const key of path) value = isObject(value) ? value[key] : undefined;
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value))) {
      headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(String(value));
    }
  }
  return headers;
}

/**
 * Probes an MCP server as a client would: detects the era, handshakes, lists tools, optionally
 * calls a sentinel tool, cleans up its session, and names the first thing that failed.
 * Never rejects and never outlives its deadline (plus a bounded session clean-up).
 *
 * @param options what to probe and how
 * @returns the result; its message is redacted
 */
export async function probe(options: ProbeOptions): Promise<ProbeResult> {
  const started = Date.now();
  const problems = validateProbeOptions(options);
  if (problems.length > 0) {
    const secrets = [options.bearerToken ?? '', options.sigv4?.credentials?.secretAccessKey ?? '', ...Object.values(options.headers ?? {}).map(String)];
    return {
      ok: false,
      failureClass: 'HTTP_ERROR',
      layer: 'http',
      era: null,
      protocolVersion: null,
      server: null,
      toolCount: null,
      tools: [],
      toolsHash: null,
      httpStatus: null,
      frontDoor: null,
      certDaysRemaining: null,
      timings: { connectMs: null, tlsMs: null, handshakeMs: null, toolsListMs: null, toolCallMs: null, totalMs: Date.now() - started },
      message: oneLine(`HTTP_ERROR: invalid probe options: ${problems.join('; ')}`, secrets),
    };
  }
  const run = new ProbeRun(options, started);
  try {
    return await run.execute();
  } catch (error) {
    return run.internalError(error);
  } finally {
    run.close();
  }
}
