/**
 * The era negotiation's decisions, pure: what an answer to `server/discover` or `initialize`
 * says about the server's era (legacy, modern, or retry once), and the failure each refusal
 * reports. ./negotiation does the I/O and follows these verdicts; nothing here does I/O.
 */
import { classifyRpcError, LEGACY_VERSIONS, MODERN_VERSION, type JsonRpcError } from './classify';
import { isJsonObject } from './json';
import type { RpcOutcome } from './rpc-outcome';
import type { Era, Failure } from './types';

/** What an answer says about the era: fall back to legacy, the server is modern, or retry once. */
export type EraVerdict = 'legacy' | 'modern' | 'retry';

/** The verdict on one `server/discover` answer. */
export type DiscoverVerdict =
  | { readonly kind: 'retry' }
  | { readonly kind: 'failure'; readonly failure: Failure }
  | { readonly kind: 'modern'; readonly serverInfo: unknown; readonly offersTools: boolean };

/** The verdict on one `initialize` answer. */
export type InitializeVerdict =
  | { readonly kind: 'failure'; readonly failure: Failure }
  | { readonly kind: 'initialized'; readonly protocolVersion: string; readonly serverInfo: Record<string, unknown> };

/**
 * What a JSON-RPC error to server/discover says about the era, as the SDK v2 client reads it:
 * `legacy` (fall back), `retry` (-32022 naming a version the probe speaks), or `modern` (a
 * recognised modern error: report it, do not fall back).
 */
export function eraVerdict(error: JsonRpcError): EraVerdict {
  if (error.code === -32020 || error.code === -32021) return 'modern';
  if (error.code !== -32022) return 'legacy';
  const supported = isJsonObject(error.data) && Array.isArray(error.data.supported) && error.data.supported.every((v) => typeof v === 'string')
    ? (error.data.supported as string[])
    : [];
  if (supported.length === 0) return 'legacy';
  if (supported.includes(MODERN_VERSION)) return 'retry';
  // Only legacy versions listed: a legacy server; a later modern version: modern, no common version.
  return supported.some((v) => v > '2025-11-25') ? 'modern' : 'legacy';
}

/**
 * The verdict on an answer to `server/discover`.
 *
 * @param outcome the answer
 * @param auto whether auto-detection may fall back to a legacy transport
 * @param retried whether this answers the one retry already made (a second `retry` is then final)
 */
export function discoverVerdict(outcome: RpcOutcome, auto: boolean, retried: true): Exclude<DiscoverVerdict, { kind: 'retry' }>;
export function discoverVerdict(outcome: RpcOutcome, auto: boolean, retried: boolean): DiscoverVerdict;
export function discoverVerdict(outcome: RpcOutcome, auto: boolean, retried: boolean): DiscoverVerdict {
  if (!outcome.ok) {
    const error = outcome.rpcError ?? outcome.httpRpcError;
    if (!error) return { kind: 'failure', failure: outcome.failure };
    const verdict = eraVerdict(error);
    const failure = outcome.rpcError ? classifyRpcError(error, 'server/discover') : outcome.failure;
    if (verdict === 'legacy') return { kind: 'failure', failure: { ...failure, fallback: true } };
    // -32022 naming a version the probe speaks: retry once, as the SDK v2 client does.
    if (verdict === 'retry' && !retried) return { kind: 'retry' };
    // A recognised modern error (-32020, -32021, -32022): the server is modern, no fallback.
    return {
      kind: 'failure',
      failure: error.code === -32022
        ? { failureClass: 'VERSION_MISMATCH', message: failure.message }
        : { failureClass: 'PROTOCOL_ERROR', message: `${failure.message} (a modern server refused the probe's request)` },
    };
  }
  const result = outcome.result;
  const supported = Array.isArray(result.supportedVersions) ? result.supportedVersions.map(String) : undefined;
  if (!supported || !isJsonObject(result.capabilities)) {
    return { kind: 'failure', failure: { failureClass: 'PROTOCOL_ERROR', message: 'the server/discover result lacks "supportedVersions" or "capabilities"', fallback: auto } };
  }
  if (!supported.includes(MODERN_VERSION)) {
    const legacy = supported.some((v) => (LEGACY_VERSIONS as readonly string[]).includes(v));
    return { kind: 'failure', failure: { failureClass: 'VERSION_MISMATCH', message: `the server supports ${supported.join(', ') || 'no version'}, the probe speaks ${MODERN_VERSION}`, fallback: legacy } };
  }
  const meta = isJsonObject(result._meta) ? result._meta : {};
  return { kind: 'modern', serverInfo: result.serverInfo ?? meta['io.modelcontextprotocol/serverInfo'], offersTools: isJsonObject(result.capabilities.tools) };
}

/**
 * A forced-modern probe's server/discover failure that auto-detection would have passed over: a
 * legacy server's answer, reported as the version mismatch it is.
 */
export function forcedModernFailure(failure: Failure): Failure {
  if (!failure.fallback || failure.failureClass === 'VERSION_MISMATCH' || failure.failureClass === 'NOT_FOUND') return failure;
  return { failureClass: 'VERSION_MISMATCH', message: `the server does not speak MCP ${MODERN_VERSION} (server/discover: ${failure.failureClass}: ${failure.message}); try --transport auto or legacy` };
}

/**
 * The verdict on an answer to `initialize`.
 *
 * @param outcome the answer
 * @param era the transport that sent it (`sse` speaks 2024-11-05 only)
 * @param auto whether auto-detection may fall back to the next transport
 */
export function initializeVerdict(outcome: RpcOutcome, era: Exclude<Era, 'modern'>, auto: boolean): InitializeVerdict {
  if (!outcome.ok) {
    if (outcome.rpcError) {
      const failure = classifyRpcError(outcome.rpcError, 'initialize');
      return { kind: 'failure', failure: { ...failure, fallback: auto && (outcome.rpcError.code === -32601 || failure.failureClass === 'SESSION_ERROR') } };
    }
    // A legacy request refused with -32022 naming only modern versions: a modern-only server.
    const refused = outcome.httpRpcError;
    if (refused?.code === -32022 && eraVerdict(refused) !== 'legacy') return { kind: 'failure', failure: { ...outcome.failure, fallback: false, modernOnly: true } };
    return { kind: 'failure', failure: outcome.failure };
  }
  const result = outcome.result;
  if (typeof result.protocolVersion !== 'string' || !isJsonObject(result.capabilities) || !isJsonObject(result.serverInfo) || typeof result.serverInfo.name !== 'string') {
    return { kind: 'failure', failure: { failureClass: 'PROTOCOL_ERROR', message: 'the initialize result lacks "protocolVersion", "capabilities" or "serverInfo.name"' } };
  }
  const accepted: readonly string[] = era === 'sse' ? ['2024-11-05'] : LEGACY_VERSIONS;
  if (!accepted.includes(result.protocolVersion)) {
    return { kind: 'failure', failure: { failureClass: 'VERSION_MISMATCH', message: `the server chose protocol version ${JSON.stringify(result.protocolVersion)}; the probe speaks ${accepted.join(', ')}` } };
  }
  return { kind: 'initialized', protocolVersion: result.protocolVersion, serverInfo: result.serverInfo };
}

/**
 * The POST URL the 2024-11-05 `endpoint` event announces, or why it cannot be used.
 *
 * @param endpoint the event's data, or the failure met waiting for it
 * @param target the SSE URL the stream was opened on
 */
export function endpointVerdict(endpoint: { value: string } | { failure: Failure }, target: URL): { url: URL } | { failure: Failure } {
  if (!('value' in endpoint)) {
    return endpoint.failure.failureClass === 'EMPTY_STREAM'
      ? { failure: { failureClass: 'EMPTY_STREAM', message: 'the SSE stream ended without the "endpoint" event of the 2024-11-05 transport' } }
      : endpoint;
  }
  let url: URL;
  try {
    url = new URL(endpoint.value, target);
  } catch {
    return { failure: { failureClass: 'PROTOCOL_ERROR', message: `the "endpoint" event names an invalid URL: ${JSON.stringify(endpoint.value)}` } };
  }
  if (url.origin !== target.origin) {
    return { failure: { failureClass: 'PROTOCOL_ERROR', message: `the "endpoint" event points at another origin (${url.origin}); the probe only posts to ${target.origin}` } };
  }
  return { url };
}
