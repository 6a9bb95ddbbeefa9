/**
 * The probe sequence's decisions after the handshake, pure: what a `tools/list` page or a cut
 * list means, whether the list meets the expectations, what the sentinel `tools/call` answered,
 * and the run's own faults (invalid options, a bug). The engine does the I/O and reports these.
 */
import { classifyRpcError, toolErrorClass } from './classify';
import type { FrontDoor } from './front-door';
import { isJsonObject, previewJson } from './json';
import type { RpcOutcome } from './rpc-outcome';
import type { Era, Failure } from './types';
import { toolsHashMatches } from '../../src/contract/tools-hash-format';

/** The failure of a handshake whose server declared no tools capability. */
export function noToolsOffered(era: Era | null): Failure {
  return { failureClass: 'NO_TOOLS', message: `the server does not offer tools (no "tools" in the ${era === 'modern' ? 'server/discover' : 'initialize'} capabilities)` };
}

/** The failure of a refused `tools/list` page, classified in context. */
export function toolsListFailure(outcome: Extract<RpcOutcome, { ok: false }>): Failure {
  return outcome.rpcError ? classifyRpcError(outcome.rpcError, 'tools/list') : outcome.failure;
}

/** A `tools/list` result's `tools` that is not an array of named tools, or undefined when it is. */
export function toolsPageFault(tools: unknown): Failure | undefined {
  if (Array.isArray(tools) && tools.every((t) => isJsonObject(t) && typeof t.name === 'string')) return undefined;
  return { failureClass: 'PROTOCOL_ERROR', message: 'the tools/list result has no "tools" array of named tools' };
}

/** The failure of a tool list that was cut (`where` says why); no hash is computed. */
export function toolsTruncated(where: string, toolsRead: number): Failure {
  return { failureClass: 'TOOLS_TRUNCATED', message: `the tool list was cut: ${where}; ${toolsRead} tools read, no hash computed` };
}

/** The failure of a tool list still being read at the deadline. */
export function toolsListTimedOut(pages: number, toolsRead: number): Failure {
  return { failureClass: 'TIMEOUT', message: `tools/list did not complete before the probe deadline (${pages} pages, ${toolsRead} tools read)` };
}

/** What the listed tools are checked against. */
export interface ToolExpectations {
  /** Tool names that must be listed. */
  readonly expectTools?: readonly string[];
  /** The sentinel tool, which must be listed too. */
  readonly callName?: string;
  /** The expected tools hash. */
  readonly expectHash?: string;
}

/**
 * Whether the tool list meets the expectations: not empty, every expected tool listed, the hash
 * as expected.
 *
 * @param names the names listed, in order
 * @param expected the expectations
 * @param fullDigest the hex sha256 of the whole list
 * @param printed the printed hash, for the message
 */
export function checkToolList(names: readonly string[], expected: ToolExpectations, fullDigest: string, printed: string): Failure | undefined {
  if (names.length === 0) {
    return { failureClass: 'NO_TOOLS', message: 'the server lists no tools' };
  }
  const listed = new Set(names);
  const wanted = [...(expected.expectTools ?? []), ...(expected.callName !== undefined ? [expected.callName] : [])];
  const missing = [...new Set(wanted.filter((n) => !listed.has(n)))];
  if (missing.length > 0) {
    return { failureClass: 'MISSING_TOOLS', message: `missing tools: ${missing.join(', ')} (listed: ${[...listed].slice(0, 20).join(', ')})` };
  }
  if (expected.expectHash && !toolsHashMatches(expected.expectHash, fullDigest)) {
    return { failureClass: 'SCHEMA_DRIFT', message: `the tool list hash is ${printed}, expected ${expected.expectHash}` };
  }
  return undefined;
}

/**
 * What the sentinel `tools/call` answered: undefined when the tool succeeded, else the failure
 * (no answer in time, a JSON-RPC error, a tool asking for input, a tool error).
 */
export function sentinelVerdict(outcome: RpcOutcome, toolName: string): Failure | undefined {
  if (!outcome.ok) {
    if (outcome.timedOut) {
      return { failureClass: 'TOOL_TIMEOUT', message: `the sentinel tool ${toolName} did not answer before the deadline (handshake and tools/list succeeded)` };
    }
    return outcome.rpcError ? classifyRpcError(outcome.rpcError, 'tools/call') : outcome.failure;
  }
  const result = outcome.result;
  if (result.resultType === 'input_required') {
    return { failureClass: 'TOOL_ERROR', message: `the sentinel tool ${toolName} asked for input; choose a tool that needs none` };
  }
  if (result.isError === true) {
    const text = Array.isArray(result.content)
      ? result.content.map((c) => (isJsonObject(c) && typeof c.text === 'string' ? c.text : '')).join(' ')
      : '';
    const detail = (text || previewJson(result.structuredContent ?? {}, 2_000)).slice(0, 4_000);
    return { failureClass: toolErrorClass(detail), message: `the sentinel tool ${toolName} failed: ${detail}` };
  }
  return undefined;
}

/** The failure of a probe whose options are invalid (nothing was sent). */
export function invalidOptions(problems: readonly string[]): Failure {
  return { failureClass: 'HTTP_ERROR', message: `invalid probe options: ${problems.join('; ')}` };
}

/** An unexpected exception (a bug in the probe) as a failure rather than a rejection. */
export function internalError(error: unknown): Failure {
  return { failureClass: 'PROTOCOL_ERROR', message: `internal probe error: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * A failure as the result's message: class, message, a cold-start hint for a timeout behind a
 * front door that cold-starts Lambda, and the front door recognised.
 */
export function failureLine(failure: Failure, frontDoor: FrontDoor | null): string {
  const via = frontDoor ? ` [front door: ${frontDoor}]` : '';
  const coldStart = failure.failureClass === 'TIMEOUT' && (frontDoor === 'apigateway' || frontDoor === 'lambda-url')
    ? '; behind API Gateway or a Function URL this is usually a Lambda cold start'
    : '';
  return `${failure.failureClass}: ${failure.message}${coldStart}${via}`;
}
