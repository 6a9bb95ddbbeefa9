/**
 * What one exchange means to the JSON-RPC caller, pure: the result it carried, or the failure it
 * ended in (a JSON-RPC error kept beside its provisional class, for the caller to classify in
 * context with `classifyRpcError` or the era verdict).
 */
import type { JsonRpcError } from './classify';
import type { ExchangeResult } from './http';
import type { Failure } from './types';

/** The outcome of one JSON-RPC request or notification. */
export type RpcOutcome =
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

/** The failure an exchange ended in, or the JSON-RPC outcome it carried. */
export function outcomeOf(result: ExchangeResult): RpcOutcome {
  if (result.kind === 'transport') return { ok: false, failure: result.failure, timedOut: result.timedOut };
  const interpretation = result.interpretation;
  if (interpretation.kind === 'failure') {
    const httpRpcError = interpretation.rpcError;
    // The failure keeps the status of the response that failed: later requests (a fallback
    // attempt, OAuth metadata) must not change the status reported with it.
    const failure = { ...interpretation.failure, httpStatus: result.status };
    return { ok: false, failure, timedOut: false, ...(httpRpcError ? { httpRpcError } : {}) };
  }
  if (interpretation.kind === 'accepted') return { ok: true, result: {}, bytes: result.bytes };
  const message = interpretation.message;
  if (message.error) {
    return { ok: false, failure: { failureClass: 'PROTOCOL_ERROR', message: message.error.message, httpStatus: result.status }, timedOut: false, rpcError: message.error };
  }
  return { ok: true, result: message.result ?? {}, bytes: result.bytes };
}

/**
 * The failure of a 2024-11-05 GET that did not open an event stream; `auto` marks it as one
 * auto-detection may pass over.
 */
export function streamOpenFailure(result: ExchangeResult, auto: boolean): Failure {
  const outcome = outcomeOf(result);
  if (outcome.ok) return { failureClass: 'NOT_MCP', message: 'the GET did not open an SSE stream', fallback: auto };
  return { ...outcome.failure, fallback: auto && outcome.failure.fallback === true };
}

/**
 * The failure of the GET of a forced 2024-11-05 transport (`--transport sse`). A Streamable HTTP
 * endpoint answers that GET with a JSON-RPC error, a 405, or a session error: it is reported as
 * the transport mismatch it is, not as the session or protocol problem the answer reads as.
 */
export function forcedSseFailure(result: ExchangeResult): Failure {
  const failure = streamOpenFailure(result, false);
  const outcome = outcomeOf(result);
  if (result.kind !== 'http' || outcome.ok) return failure;
  if (outcome.httpRpcError === undefined && result.status !== 405 && failure.failureClass !== 'SESSION_ERROR') return failure;
  return {
    failureClass: 'VERSION_MISMATCH',
    message: `the endpoint speaks Streamable HTTP, not the 2024-11-05 HTTP+SSE transport: drop --transport sse (auto detects the transport); its GET answer was ${failure.message}`,
    httpStatus: result.status,
  };
}
