/**
 * The shapes the classifier reads and returns (a JSON-RPC answer, the evidence of an HTTP exchange,
 * an interpretation), in a file of their own so that the classifier and the front-door answers
 * (./front-door-answers) share them without importing each other. Types only.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Failure } from './types';

/** A JSON-RPC error object. */
export interface JsonRpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** A JSON-RPC response: exactly one of `result` and `error`. */
export interface JsonRpcResponse {
  readonly id: number | string | null;
  readonly result?: Record<string, unknown>;
  readonly error?: JsonRpcError;
}

/** What an HTTP exchange produced, as far as the classifier needs it. */
export interface HttpEvidence {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body (capped) for non-SSE responses. */
  readonly body: string;
  /** Known secret values, removed from body excerpts before they are cut. @default - none */
  readonly secrets?: readonly string[];
}

/** The result of interpreting a response: the awaited message, an acknowledgement, or a failure. */
export type Interpretation =
  | { readonly kind: 'message'; readonly message: JsonRpcResponse }
  | { readonly kind: 'accepted' }
  | { readonly kind: 'failure'; readonly failure: Failure; readonly rpcError?: JsonRpcError };
