/**
 * The probe sequence: options checked (./options), era negotiated and handshake made
 * (./negotiation), tools listed page by page, the list checked, the sentinel tool called, the
 * session cleaned up, each step timed; the first failure stops the run and becomes the result.
 * Requests go through a {@link Connection} and a driver (./drivers); what a response means is
 * decided by the pure modules (./classify, ./era-verdict, ./verdicts); a 401 is described with the
 * server's OAuth metadata (./oauth-metadata).
 */
import { Connection } from './connection';
import type { Driver } from './drivers';
import { isJsonObject } from './json';
import { negotiate } from './negotiation';
import { probeWithOAuth, stoppedResult, type OAuthDependencies } from './oauth-client';
import { describeAuth } from './oauth-metadata';
import { validateProbeOptions } from './options';
import { mcpHeaderParams, paramHeaderValues, type HeaderParam } from './param-headers';
import { oneLine, redact, redactAll } from './redact';
import { toolOutput, type ToolOutput } from './tool-output';
import { canonicalTool, printedHash, toolsDigest, type CanonicalTool } from './tools-hash';
import type { Era, Failure, ProbeOptions, ProbeResult } from './types';
import {
  checkToolList, failureLine, internalError, invalidOptions, noToolsOffered, sentinelVerdict,
  toolsListFailure, toolsListTimedOut, toolsPageFault, toolsTruncated,
} from './verdicts';
import { PROBE_LIMITS } from '../../src/contract/canary-env';
import { layerOf } from '../../src/contract/failure-classes';

/** The longest server name, version or tool name reported (the spec limits tool names to 128). */
const MAX_NAME = 256;

/** One probe run. Internal; {@link probe} is the entry point. */
class ProbeRun {
  private readonly connection: Connection;
  private era: Era | null = null;
  private protocolVersion: string | null = null;
  private server: { name: string; version: string } | null = null;
  /** Whether the server declared the tools capability (modern: server/discover; legacy: initialize). */
  private offersTools = true;
  /** The tools listed, as the hash covers them: the tool objects themselves are not kept. */
  private tools: CanonicalTool[] = [];
  /** The sentinel tool's `x-mcp-header` parameters, mirrored into `Mcp-Param-*` headers (SEP-2243). */
  private paramHeaders: readonly HeaderParam[] = [];
  private hash: string | null = null;
  private fullDigest: string | null = null;
  private handshakeMs: number | null = null;
  private toolsListMs: number | null = null;
  private toolCallMs: number | null = null;
  private httpStatus: number | null = null;
  /** What the sentinel tool returned, when it answered with a result. */
  private toolResult: ToolOutput | undefined;
  private driver: Driver | undefined;

  constructor(private readonly options: ProbeOptions, private readonly started: number) {
    this.connection = new Connection(options, started);
  }

  public async execute(): Promise<ProbeResult> {
    const facts = this.connection.http.facts;
    const handshakeStart = Date.now();
    const handshake = await this.handshake();
    // The MCP handshake ran only if a connection was made (and its TLS handshake done): a refused
    // connection or a failed TLS handshake shows no handshake time beside a connect that never was.
    const connected = facts.connectMs !== null && (this.connection.target.protocol !== 'https:' || facts.tlsMs !== null);
    this.handshakeMs = connected ? Math.max(0, Date.now() - handshakeStart - (facts.connectMs ?? 0) - (facts.tlsMs ?? 0)) : null;
    if (handshake) return this.finish(handshake);

    if (!this.offersTools) return this.finish(noToolsOffered(this.era));
    const listFailure = await this.listTools();
    if (listFailure) return this.finish(listFailure);

    const { expectTools, call, expectHash } = this.options;
    const toolFailure = checkToolList(this.tools.map((t) => t.name), { expectTools, callName: call?.name, expectHash }, this.fullDigest!, this.hash!)
      ?? (await this.callSentinel());
    return this.finish(toolFailure);
  }

  public close(): void {
    this.connection.close();
  }

  /** Turns an unexpected exception (a bug) into a result rather than a rejection. */
  public internalError(error: unknown): ProbeResult {
    return this.result(internalError(error));
  }

  private async handshake(): Promise<Failure | undefined> {
    const negotiated = await negotiate(this.connection, this.options.transport ?? 'auto');
    if ('failure' in negotiated) return describeAuth(negotiated.failure, this.connection);
    const { driver, era, protocolVersion, serverInfo, offersTools } = negotiated.negotiated;
    this.offersTools = offersTools;
    this.driver = driver;
    this.era = era;
    this.protocolVersion = protocolVersion;
    if (isJsonObject(serverInfo) && typeof serverInfo.name === 'string') {
      this.server = { name: serverInfo.name, version: typeof serverInfo.version === 'string' ? serverInfo.version : '' };
    }
    return undefined;
  }

  private async listTools(): Promise<Failure | undefined> {
    const driver = this.driver!;
    const started = Date.now();
    const maxPages = this.options.maxToolPages ?? PROBE_LIMITS.maxToolPages.default;
    const maxBytes = this.options.maxToolsBytes ?? PROBE_LIMITS.maxToolsBytes.default;
    const maxResponseBytes = this.options.maxResponseBytes ?? PROBE_LIMITS.maxResponseBytes.default;
    const truncated = (where: string) => toolsTruncated(where, this.tools.length);
    const seen = new Set<string>();
    let cursor: string | undefined;
    let bytes = 0;
    try {
      for (let page = 0; ; page++) {
        if (page === maxPages) {
          return truncated(`after ${maxPages} pages (the limit; --max-tool-pages) the server still gave a nextCursor`);
        }
        // The page may use what is left of the byte budget, so the total read stays under it.
        const budget = maxBytes - bytes;
        const outcome = await driver.rpc('tools/list', cursor === undefined ? {} : { cursor }, {}, budget);
        if (!outcome.ok && outcome.failure.failureClass === 'RESPONSE_TOO_LARGE' && budget < maxResponseBytes) {
          return truncated(`page ${page + 1} would take the tool list over ${maxBytes} bytes (the limit; --max-tools-bytes)`);
        }
        if (!outcome.ok) return toolsListFailure(outcome);
        const tools = outcome.result.tools;
        const next = outcome.result.nextCursor;
        // The last page, and no sentinel call to make: the session is no longer needed. Its DELETE
        // goes out now and travels while the list is checked and hashed; finish() awaits it.
        if ((typeof next !== 'string' || next === '') && !this.options.call) {
          // The status reported is this page's, not the DELETE's.
          this.httpStatus = this.connection.http.lastStatus;
          void driver.cleanup();
        }
        const fault = toolsPageFault(tools);
        if (fault) return fault;
        for (const tool of tools as Array<Record<string, unknown>>) {
          this.tools.push(canonicalTool(tool));
          if (this.options.call && tool.name === this.options.call.name) this.paramHeaders = mcpHeaderParams(tool.inputSchema);
        }
        bytes += outcome.bytes;
        if (Date.now() >= this.connection.deadline) return toolsListTimedOut(page + 1, this.tools.length);
        if (bytes > maxBytes) return truncated(`the tool list is ${bytes} bytes, over the limit of ${maxBytes} (--max-tools-bytes)`);
        if (typeof next !== 'string' || next === '') break;
        if (seen.has(next)) return truncated(`the server repeated the cursor of an earlier page after ${page + 1} pages (a pagination loop)`);
        if (bytes >= maxBytes) {
          return truncated(`after ${page + 1} pages the tool list reached ${bytes} bytes (the limit is ${maxBytes}; --max-tools-bytes) and the server gave another nextCursor`);
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

  private async callSentinel(): Promise<Failure | undefined> {
    const call = this.options.call;
    if (!call) return undefined;
    const started = Date.now();
    const args = call.arguments ?? {};
    const outcome = await this.driver!.rpc('tools/call', { name: call.name, arguments: args }, paramHeaderValues(this.paramHeaders, args));
    this.toolCallMs = Date.now() - started;
    if (outcome.ok) this.toolResult = toolOutput(outcome.result, this.connection.secrets);
    return sentinelVerdict(outcome, call.name);
  }

  private async finish(failure: Failure | undefined): Promise<ProbeResult> {
    this.httpStatus ??= this.connection.http.lastStatus;
    if (this.driver) await this.driver.cleanup();
    return this.result(failure);
  }

  private result(failure: Failure | undefined): ProbeResult {
    const http = this.connection.http;
    const secrets = this.connection.secrets;
    const facts = http.facts;
    const totalMs = Date.now() - this.started;
    const frontDoor = http.frontDoor;
    let message: string;
    if (failure) {
      message = failureLine(failure, frontDoor);
    } else {
      const server = this.server ? `${this.server.name} ${this.server.version}`.trim() : 'unnamed server';
      // The names are server-controlled: they are redacted with the message, and below.
      const call = this.options.call ? `, ${this.options.call.name} ok` : '';
      message = `OK: ${server} over ${this.era} MCP ${this.protocolVersion}, ${this.tools.length} tools (${this.hash})${call} in ${totalMs} ms`;
    }
    // A server-controlled name as reported: redacted, then cut (a name is a label, not a payload).
    const label = (name: string) => clip(redact(name, secrets), MAX_NAME);
    return {
      ok: failure === undefined,
      failureClass: failure?.failureClass ?? 'OK',
      layer: failure ? layerOf(failure.failureClass) : null,
      era: this.era,
      protocolVersion: this.protocolVersion,
      // A server may reflect request headers (the token, a session id) into its name or tool names.
      server: this.server ? { name: label(this.server.name), version: label(this.server.version) } : null,
      toolCount: this.era ? this.tools.length : null,
      tools: redactAll(this.tools.map((t) => t.name), secrets).map((name) => clip(name, MAX_NAME)),
      toolsHash: this.hash,
      // The status of the response that failed, when one did; else of the last page or response.
      httpStatus: failure?.httpStatus ?? this.httpStatus ?? http.lastStatus,
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
      message: oneLine(message, secrets),
      traceId: this.connection.traceId,
      ...(this.toolResult ? { toolResult: this.toolResult } : {}),
    };
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Probes an MCP server as a client would: detects the era, handshakes, lists tools, optionally
 * calls a sentinel tool, cleans up its session, and names the first thing that failed.
 * Never rejects and never outlives its deadline (plus a bounded session clean-up). With
 * `options.oauth` it first gets a `client_credentials` token (./oauth-client).
 *
 * @param options what to probe and how
 * @param deps the OAuth client's token cache and fetch (the canary keeps its cache across
 *   invocations) @default - a cache for this probe only, node:http(s)
 * @returns the result; its message is redacted
 */
export async function probe(options: ProbeOptions, deps: OAuthDependencies = {}): Promise<ProbeResult> {
  const started = Date.now();
  const problems = validateProbeOptions(options);
  if (problems.length > 0) {
    const secrets = [options.bearerToken ?? '', options.sigv4?.credentials?.secretAccessKey ?? '', options.oauth?.clientSecret ?? '', ...Object.values(options.headers ?? {}).map(String)];
    return stoppedResult(invalidOptions(problems), started, secrets);
  }
  if (options.oauth) return probeWithOAuth({ ...options, oauth: options.oauth }, deps, probeOnce);
  return probeOnce(options);
}

/** One probe run, its options already checked. */
async function probeOnce(options: ProbeOptions): Promise<ProbeResult> {
  const run = new ProbeRun(options, Date.now());
  try {
    return await run.execute();
  } catch (error) {
    return run.internalError(error);
  } finally {
    run.close();
  }
}
