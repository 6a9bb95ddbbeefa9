/**
 * The probe run: era detection, handshake, tools/list, the sentinel call and clean-up, each
 * timed; the first failure stops the run and becomes the result. All I/O goes through
 * {@link HttpClient}; every decision about what a response means is made in ./classify.
 */
import { classifyRpcError, interpretSseEvent, LEGACY_VERSIONS, MODERN_VERSION, toolErrorClass, type JsonRpcError } from './classify';
import { HttpClient, type EventStream, type ExchangeResult } from './http';
import { oneLine } from './redact';
import { credentialsFromEnv, signRequest, type AwsCredentials } from './sigv4';
import { hashMatches, toolsHash } from './tools-hash';
import type { Era, Failure, ProbeOptions, ProbeResult } from './types';
import { layerOf } from '../../src/contract/failure-classes';
import { isTransport } from '../../src/contract/transports';

/** The client name and version the probe announces. */
export const PROBE_CLIENT_INFO = { name: 'cdk-mcp-probe', version: '1.0.0' } as const;

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_MAX_TOOL_PAGES = 10;
const CLEANUP_TIMEOUT_MS = 2_000;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SENSITIVE_HEADER = /auth|token|key|secret|cookie|session|signature|credential|password/i;

type RpcOutcome =
  | { readonly ok: true; readonly result: Record<string, unknown> }
  | { readonly ok: false; readonly failure: Failure; readonly timedOut: boolean; readonly rpcError?: JsonRpcError };

interface Driver {
  readonly era: Era;
  rpc(method: string, params: Record<string, unknown>): Promise<RpcOutcome>;
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
  try {
    url = new URL(options.url);
  } catch {
    problems.push(`url ${JSON.stringify(options.url)} is not a valid URL: give an absolute http:// or https:// URL`);
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`url ${JSON.stringify(options.url)} uses ${url.protocol}: only http:// and https:// are supported`);
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
  positive('maxResponseBytes', options.maxResponseBytes);
  positive('maxToolPages', options.maxToolPages);
  if (options.call && (typeof options.call.name !== 'string' || options.call.name === '')) {
    problems.push('call.name must be the non-empty name of a read-only tool');
  }
  if (options.call?.arguments !== undefined && (typeof options.call.arguments !== 'object' || options.call.arguments === null || Array.isArray(options.call.arguments))) {
    problems.push(`call.arguments ${JSON.stringify(options.call.arguments)} must be a JSON object`);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!HEADER_NAME.test(name)) problems.push(`headers: ${JSON.stringify(name)} is not a valid header name`);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) problems.push(`headers: the value of ${name} must be a string without line breaks`);
  }
  if (options.bearerToken !== undefined && (options.bearerToken === '' || /[\s]/.test(options.bearerToken))) {
    problems.push('bearerToken must be a non-empty token without spaces or line breaks');
  }
  if (options.sigv4) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.sigv4.region ?? '')) {
      problems.push(`sigv4.region ${JSON.stringify(options.sigv4.region)} is not an AWS region name such as us-east-1`);
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
  private nextId = 1;
  private era: Era | null = null;
  private protocolVersion: string | null = null;
  private server: { name: string; version: string } | null = null;
  private tools: Array<Record<string, unknown>> = [];
  private hash: string | null = null;
  private handshakeMs: number | null = null;
  private toolsListMs: number | null = null;
  private toolCallMs: number | null = null;
  private httpStatus: number | null = null;
  private driver: Driver | undefined;

  constructor(private readonly options: ProbeOptions, private readonly started: number) {
    this.url = new URL(options.url);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.deadline = started + timeoutMs;
    this.client = new HttpClient({
      deadline: this.deadline,
      connectTimeoutMs: options.connectTimeoutMs ?? Math.min(5_000, timeoutMs),
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      ca: options.ca,
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
    if (this.url.username || this.url.password) this.secrets.push(this.url.username, this.url.password);
    this.credentials = options.sigv4 ? (options.sigv4.credentials ?? credentialsFromEnv()) : undefined;
    if (this.credentials) this.secrets.push(this.credentials.secretAccessKey, this.credentials.sessionToken ?? '', this.credentials.accessKeyId);
  }

  public async execute(): Promise<ProbeResult> {
    const handshakeStart = Date.now();
    const handshake = await this.handshake();
    this.handshakeMs = Math.max(0, Date.now() - handshakeStart - (this.client.facts.connectMs ?? 0) - (this.client.facts.tlsMs ?? 0));
    if (handshake) return this.finish(handshake);

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

  // ---------------------------------------------------------------- handshake and era detection

  private async handshake(): Promise<Failure | undefined> {
    const transport = this.options.transport ?? 'auto';
    const auto = transport === 'auto';
    let reported: Failure | undefined;
    if (auto || transport === 'modern') {
      const failure = await this.modernHandshake(auto);
      if (!failure) return undefined;
      if (!(auto && failure.fallback)) return failure;
      reported = failure;
    }
    if (auto || transport === 'legacy') {
      const failure = await this.legacyHandshake(auto);
      if (!failure) return undefined;
      if (!(auto && failure.fallback)) return failure;
      reported = failure;
    }
    const sse = await this.sseHandshake(auto);
    if (!sse) return undefined;
    // A GET that did not open an event stream says little: report what the POST attempts said.
    return sse.fallback && reported ? reported : sse;
  }

  private async modernHandshake(auto: boolean): Promise<Failure | undefined> {
    const driver = new StreamableDriver(this, 'modern');
    const outcome = await driver.rpc('server/discover', {});
    if (!outcome.ok) {
      // A JSON-RPC error to server/discover means the server is not modern: try legacy.
      return outcome.rpcError ? { ...classifyRpcError(outcome.rpcError, 'server/discover'), fallback: true } : outcome.failure;
    }
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
    const maxPages = this.options.maxToolPages ?? DEFAULT_MAX_TOOL_PAGES;
    const seen = new Set<string>();
    let cursor: string | undefined;
    try {
      for (let page = 0; page < maxPages; page++) {
        const outcome = await driver.rpc('tools/list', cursor === undefined ? {} : { cursor });
        if (!outcome.ok) return outcome.rpcError ? classifyRpcError(outcome.rpcError, 'tools/list') : outcome.failure;
        const tools = outcome.result.tools;
        if (!Array.isArray(tools) || !tools.every((t) => isObject(t) && typeof t.name === 'string')) {
          return { failureClass: 'PROTOCOL_ERROR', message: 'the tools/list result has no "tools" array of named tools' };
        }
        this.tools.push(...(tools as Array<Record<string, unknown>>));
        const next = outcome.result.nextCursor;
        if (typeof next !== 'string' || next === '' || seen.has(next)) break;
        seen.add(next);
        cursor = next;
      }
    } finally {
      this.toolsListMs = Date.now() - started;
    }
    this.hash = toolsHash(this.tools);
    return undefined;
  }

  private checkTools(): Failure | undefined {
    if (this.tools.length === 0) {
      return { failureClass: 'NO_TOOLS', message: 'the server lists no tools' };
    }
    const names = new Set(this.tools.map((t) => String(t.name)));
    const expected = [...(this.options.expectTools ?? []), ...(this.options.call ? [this.options.call.name] : [])];
    const missing = [...new Set(expected.filter((n) => !names.has(n)))];
    if (missing.length > 0) {
      return { failureClass: 'MISSING_TOOLS', message: `missing tools: ${missing.join(', ')} (listed: ${[...names].slice(0, 20).join(', ')})` };
    }
    if (this.options.expectHash && !hashMatches(this.options.expectHash, this.hash!)) {
      return { failureClass: 'SCHEMA_DRIFT', message: `the tool list hash is ${this.hash}, expected ${this.options.expectHash}` };
    }
    return undefined;
  }

  private async callSentinel(): Promise<Failure | undefined> {
    const call = this.options.call;
    if (!call) return undefined;
    const started = Date.now();
    const outcome = await this.driver!.rpc('tools/call', { name: call.name, arguments: call.arguments ?? {} });
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
      const detail = text || JSON.stringify(result.structuredContent ?? {});
      return { failureClass: toolErrorClass(detail), message: `the sentinel tool ${call.name} failed: ${detail}` };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- results

  private async finish(failure: Failure | undefined): Promise<ProbeResult> {
    this.httpStatus = this.client.lastStatus;
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
      const call = this.options.call ? `, ${this.options.call.name} ok` : '';
      message = `OK: ${server} over ${this.era} MCP ${this.protocolVersion}, ${this.tools.length} tools (${this.hash})${call} in ${totalMs} ms`;
    }
    return {
      ok: failure === undefined,
      failureClass: failure?.failureClass ?? 'OK',
      layer: failure ? layerOf(failure.failureClass) : null,
      era: this.era,
      protocolVersion: this.protocolVersion,
      server: this.server,
      toolCount: this.era ? this.tools.length : null,
      tools: this.tools.map((t) => String(t.name)),
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

  // ---------------------------------------------------------------- plumbing shared by drivers

  /** Headers for one request: base headers, extras, then SigV4 over all of them. */
  public headersFor(method: string, url: URL, body: string, extra: Record<string, string>): Record<string, string> {
    const headers = { ...this.baseHeaders, ...extra };
    if (!this.credentials || !this.options.sigv4) return headers;
    return signRequest({
      method,
      url,
      headers,
      body,
      region: this.options.sigv4.region,
      service: this.options.sigv4.service ?? 'lambda',
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

  public get cleanupDeadline(): number {
    return Math.min(this.deadline, Date.now() + CLEANUP_TIMEOUT_MS);
  }

  public remember(secret: string): void {
    this.secrets.push(secret);
  }

  /** The failure an exchange ended in, or the JSON-RPC outcome it carried. */
  public outcomeOf(result: ExchangeResult): RpcOutcome {
    if (result.kind === 'transport') return { ok: false, failure: result.failure, timedOut: result.timedOut };
    const interpretation = result.interpretation;
    if (interpretation.kind === 'failure') return { ok: false, failure: interpretation.failure, timedOut: false };
    if (interpretation.kind === 'accepted') return { ok: true, result: {} };
    const message = interpretation.message;
    if (message.error) {
      return { ok: false, failure: { failureClass: 'PROTOCOL_ERROR', message: message.error.message }, timedOut: false, rpcError: message.error };
    }
    return { ok: true, result: message.result ?? {} };
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

  constructor(private readonly run: ProbeRun, public readonly era: 'modern' | 'legacy') {}

  public async rpc(method: string, params: Record<string, unknown>): Promise<RpcOutcome> {
    const id = this.run.nextRequestId();
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: this.withMeta(params) });
    const result = await this.run.http.exchange(this.request(method, params, body), id);
    if (method === 'initialize' && result.kind === 'http') {
      const session = result.headers['mcp-session-id'];
      if (typeof session === 'string' && session !== '') {
        this.sessionId = session;
        this.run.remember(session);
      }
    }
    return this.run.outcomeOf(result);
  }

  public async notify(method: string): Promise<RpcOutcome> {
    const body = JSON.stringify({ jsonrpc: '2.0', method });
    return this.run.outcomeOf(await this.run.http.exchange(this.request(method, {}, body), null));
  }

  /** Ends a legacy session with DELETE; a 405 (sessions cannot be ended) is fine. */
  public async cleanup(): Promise<void> {
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
    if (this.era !== 'modern') return params;
    return {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': PROBE_CLIENT_INFO,
      },
    };
  }

  private sessionHeaders(): Record<string, string> {
    return {
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
      ...(this.negotiated ? { 'mcp-protocol-version': this.negotiated } : {}),
    };
  }

  private request(method: string, params: Record<string, unknown>, body: string) {
    const url = this.run.target;
    const extra: Record<string, string> = {
      'accept': 'application/json, text/event-stream',
      'content-type': 'application/json',
    };
    if (this.era === 'modern') {
      extra['mcp-protocol-version'] = MODERN_VERSION;
      extra['mcp-method'] = method;
      if (method === 'tools/call' && typeof params.name === 'string') extra['mcp-name'] = params.name;
    } else {
      Object.assign(extra, this.sessionHeaders());
    }
    return { method: 'POST' as const, url, body, headers: this.run.headersFor('POST', url, body, extra) };
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
      const verdict = interpretSseEvent(event, id);
      return verdict === 'skip' ? undefined : verdict;
    });
    if (!('value' in answer)) {
      const failure = answer.failure.failureClass === 'EMPTY_STREAM'
        ? { failureClass: 'EMPTY_STREAM' as const, message: `the SSE stream ended without the response to ${method} (id ${id})` }
        : answer.failure;
      return { ok: false, failure, timedOut: answer.timedOut };
    }
    return this.run.outcomeOf({ kind: 'http', status: 200, headers: {}, interpretation: answer.value });
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
    const secrets = [options.bearerToken ?? '', options.sigv4?.credentials?.secretAccessKey ?? ''];
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
