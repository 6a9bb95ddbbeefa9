/**
 * Pure classification of what came over the wire (HTTP responses, JSON-RPC messages, SSE events,
 * network errors, tool error texts) into the awaited message or a named {@link Failure}; no I/O, no
 * throw on any input. Decisions in the probe's context: ./era-verdict (era), ./verdicts (tools).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpEvidence, Interpretation, JsonRpcError } from './evidence';
import { withFrontDoorAnswer } from './front-door-answers';
import { isJsonObject, MAX_JSON_DEPTH, parseJson, previewJson } from './json';
import { escapeControls, redact } from './redact';
import type { SseEvent } from './sse';
import type { Failure } from './types';
import type { FailureClass } from '../../src/contract/failure-classes';

export type { HttpEvidence, Interpretation, JsonRpcError, JsonRpcResponse } from './evidence';

/** Protocol revisions of the legacy eras this probe speaks, newest first. */
export const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;
/** The modern protocol revision this probe speaks. */
export const MODERN_VERSION = '2026-07-28';

/**
 * A JSON-RPC error that is about the MCP session (not any text with the word: "database session
 * pool exhausted" is a server error). The SDKs' wordings: "Session not found", "Bad Request:
 * Mcp-Session-Id header is required", "No valid session ID provided", "Server not initialized".
 */
const SESSION_TEXT = /mcp-session-id|\bsession[ _-]?id\b|\bsession (?:not found|expired|is required|required|unknown|invalid|terminated|closed|does not exist)|\b(?:unknown|invalid|expired|missing|no valid|no such) session\b|not initiali[sz]ed/i;
const THROTTLE_TEXT = /ThrottlingException|TooManyRequestsException|Rate Exceeded|Too Many Requests|Limit Exceeded|SlowDown|throttl/i;
const CREDENTIAL_TEXT = new RegExp(
  [
    'AccessDenied',
    'ExpiredToken',
    'not authorized to perform',
    'security token included in the request is (expired|invalid)',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'request signature we calculated does not match',
    'UnauthorizedOperation',
    'AuthFailure',
    'TokenRefreshRequired',
    'CredentialsProviderError',
    'Unable to locate credentials',
    'Could not load credentials',
    'credentials (have|has) expired',
    'is not authorized to',
    'AuthorizationError',
  ].join('|'),
  'i',
);

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** The most of a body redaction reads before a message excerpt is cut from it. */
const SNIPPET_SCAN = 16_384;

/**
 * A short excerpt of a body for a message. Secrets are removed before the excerpt is cut, so a
 * secret straddling the cut cannot leave its first half behind.
 */
function snippetOf(body: string, secrets: readonly string[] = [], max = 160): string {
  const text = redact(body.slice(0, SNIPPET_SCAN), secrets).replace(/\s+/g, ' ').trim();
  if (text === '') return 'an empty body';
  // Single quotes: bodies are often JSON, which reads badly with escaped double quotes.
  return `'${text.length > max ? `${text.slice(0, max)}…` : text}'`;
}

/** An excerpt of a parsed value (never throws, whatever its depth). */
function excerpt(value: unknown, secrets: readonly string[]): string {
  return snippetOf(previewJson(value, 400), secrets);
}

function fail(failureClass: FailureClass, message: string, fallback = false): Interpretation {
  return { kind: 'failure', failure: { failureClass, message, ...(fallback ? { fallback } : {}) } };
}

/** Parses JSON without throwing; `undefined` when the text is not JSON or absurdly nested. */
export function tryParseJson(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : undefined;
}

const TOO_DEEP = `nested deeper than ${MAX_JSON_DEPTH} levels`;

/** The JSON-RPC error in a body, if the body is a JSON-RPC error response. */
export function jsonRpcErrorOf(body: string): JsonRpcError | undefined {
  const value = tryParseJson(body);
  const candidates = Array.isArray(value) ? value : [value];
  for (const c of candidates) {
    if (isJsonObject(c) && isJsonObject(c.error) && typeof c.error.code === 'number') {
      return { code: c.error.code, message: String(c.error.message ?? ''), data: c.error.data };
    }
  }
  return undefined;
}

function looksLikeJsonRpc(value: Record<string, unknown>): boolean {
  return value.jsonrpc !== undefined || 'result' in value || 'error' in value || 'method' in value;
}

/**
 * Checks one parsed JSON value against the JSON-RPC 2.0 response rules.
 *
 * @param value the parsed JSON
 * @param expectedId the id of the request sent
 * @param strictId when true a response with another id is a protocol error; when false (SSE) it is skipped
 * @returns the response, `skip` for a message that is not the awaited response, or a failure
 */
export function checkJsonRpc(value: unknown, expectedId: number, strictId: boolean, secrets: readonly string[] = []): Interpretation | 'skip' {
  if (Array.isArray(value)) {
    const objects = value.filter(isJsonObject);
    for (const item of objects) {
      const checked = checkJsonRpc(item, expectedId, false, secrets);
      if (checked !== 'skip') return checked;
    }
    if (objects.some(looksLikeJsonRpc)) {
      return strictId ? fail('PROTOCOL_ERROR', `JSON-RPC batch without a response to request id ${expectedId}`) : 'skip';
    }
    return fail('NOT_MCP', 'the body is a JSON array, not a JSON-RPC message');
  }
  if (!isJsonObject(value)) {
    return fail('NOT_MCP', `the body is JSON ${value === null ? 'null' : typeof value}, not a JSON-RPC message`);
  }
  if (!looksLikeJsonRpc(value)) {
    return fail('NOT_MCP', `the body is a JSON object without JSON-RPC fields: ${excerpt(value, secrets)}`);
  }
  if ('method' in value && !('result' in value) && !('error' in value)) {
    // A notification or a server-to-client request (progress, logging, ping): not the answer.
    return strictId ? fail('PROTOCOL_ERROR', `expected the response to request id ${expectedId}, got a ${excerpt(value.method, secrets)} message`) : 'skip';
  }
  if (value.jsonrpc !== '2.0') {
    return fail('PROTOCOL_ERROR', `"jsonrpc" must be "2.0", got ${excerpt(value.jsonrpc ?? null, secrets)}`);
  }
  if (value.id !== expectedId) {
    if (!strictId) return 'skip';
    return fail('PROTOCOL_ERROR', `response id ${redact(previewJson(value.id ?? null, 80), secrets)} does not match request id ${expectedId}`);
  }
  const hasResult = 'result' in value;
  const hasError = 'error' in value;
  if (hasResult === hasError) {
    return fail('PROTOCOL_ERROR', 'a JSON-RPC response must have exactly one of "result" and "error"');
  }
  if (hasError) {
    const error = value.error;
    if (!isJsonObject(error) || typeof error.code !== 'number' || typeof error.message !== 'string') {
      return fail('PROTOCOL_ERROR', 'malformed JSON-RPC error object (needs numeric "code" and string "message")');
    }
    return { kind: 'message', message: { id: expectedId, error: { code: error.code, message: error.message, data: error.data } } };
  }
  if (!isJsonObject(value.result)) {
    return fail('PROTOCOL_ERROR', `"result" must be an object, got ${excerpt(value.result ?? null, secrets)}`);
  }
  return { kind: 'message', message: { id: expectedId, result: value.result } };
}

/**
 * Interprets one SSE event of a response stream.
 *
 * @returns the awaited response or a failure, or `skip` for anything else (notifications, other ids, other event types)
 */
export function interpretSseEvent(event: SseEvent, expectedId: number, secrets: readonly string[] = []): Interpretation | 'skip' {
  if (event.event !== 'message') return 'skip';
  if (event.data.trim() === '') return 'skip';
  const parsed = parseJson(event.data);
  if (!parsed.ok) {
    return parsed.reason === 'too-deep'
      ? fail('PROTOCOL_ERROR', `an SSE event carries JSON ${TOO_DEEP}: ${snippetOf(event.data, secrets)}`)
      : fail('PROTOCOL_ERROR', `an SSE event carries data that is not JSON: ${snippetOf(event.data, secrets)}`);
  }
  const checked = checkJsonRpc(parsed.value, expectedId, false, secrets);
  if (checked !== 'skip' && checked.kind === 'failure' && checked.failure.failureClass === 'NOT_MCP') {
    return fail('PROTOCOL_ERROR', `an SSE event is not a JSON-RPC message: ${checked.failure.message}`);
  }
  return checked;
}

function isThrottled(evidence: HttpEvidence): boolean {
  if (evidence.status === 429) return true;
  if (/throttl|TooManyRequests/i.test(header(evidence.headers, 'x-amzn-errortype'))) return true;
  return evidence.status >= 400 && THROTTLE_TEXT.test(evidence.body.slice(0, 2048));
}

/** Classifies a non-2xx response that carries a JSON-RPC error body (the MCP SDKs' 400/404 answers). */
function classifyJsonRpcHttpError(status: number, error: JsonRpcError): Interpretation {
  const interpretation = classifyJsonRpcHttpFailure(status, error);
  return interpretation.kind === 'failure' ? { ...interpretation, rpcError: error } : interpretation;
}

function classifyJsonRpcHttpFailure(status: number, error: JsonRpcError): Interpretation {
  const text = `HTTP ${status} with JSON-RPC error ${error.code} ${JSON.stringify(error.message)}`;
  if (error.code === -32022) {
    const supported = isJsonObject(error.data) && Array.isArray(error.data.supported) ? error.data.supported.map(String) : [];
    return fail('VERSION_MISMATCH', `${text}; the server supports ${supported.length ? supported.join(', ') : 'no version it names'}`, true);
  }
  if (error.code === -32001 || SESSION_TEXT.test(error.message) || /not initialized/i.test(error.message)) {
    return fail('SESSION_ERROR', `${text}: the session is required, unknown or expired`, true);
  }
  if (status === 404 && error.code === -32601) {
    return fail('PROTOCOL_ERROR', `${text}: the server does not know this method`, true);
  }
  if (status === 405 || status === 406 || status === 415) {
    return fail('PROTOCOL_ERROR', `${text}: the server refuses this kind of request`, true);
  }
  return fail('PROTOCOL_ERROR', text, status === 400 || status === 404);
}

/**
 * Classifies the HTTP layer of a response: redirects, auth, throttling, gateway errors and other
 * non-2xx statuses, then a front door's own answer (./front-door-answers: CloudFront, API Gateway,
 * WAF). Returns undefined for a 2xx response, whose body is then read as MCP.
 * @param evidence status, headers and body (capped)
 * @returns a failure, or undefined when the status is a success
 */
export function classifyHttp(evidence: HttpEvidence): Interpretation | undefined {
  const interpretation = classifyHttpStatus(evidence);
  return interpretation && withLambdaWebError(evidence, withFrontDoorAnswer(evidence, interpretation));
}

/**
 * A header value for a message. It is server-controlled text: secrets are removed first (before
 * anything is cut), then control characters (tab, C1 such as U+009B CSI, Unicode line and
 * bidirectional controls; node:http lets tab and latin-1 through) are written as escapes, then
 * it is cut. A plain token is shown as is, anything else quoted.
 */
function headerText(value: string, secrets: readonly string[], max = 80): string {
  const text = escapeControls(redact(value, secrets).trim());
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return /^[A-Za-z0-9._:-]+$/.test(cut) ? cut : `'${cut}'`;
}

/**
 * The platform errors of Lambda Web Functions the probe knows, by the value of the
 * `lambda-web-error-type` response header (lower case). AWS does not publish the complete list.
 */
const LAMBDA_WEB_ERRORS: ReadonlyMap<string, { readonly name: string; readonly failureClass: FailureClass; readonly meaning: string }> = new Map([
  // "When a non-streaming request exceeds the timeout, Lambda returns HTTP 504 with a
  // lambda-web-error-type header of Runtime.RequestTimeout. For a streaming response, the timeout
  // bounds the whole stream ... a truncated body and no lambda-web-error-type header."
  // https://docs.aws.amazon.com/lambda/latest/dg/web-functions-revisions-timeout.html
  // The revision's timeout is 3 to 900 s, 30 by default (ServiceConfig.timeoutSeconds,
  // https://docs.aws.amazon.com/lambda/latest/lambda-web/). GATEWAY_TIMEOUT, not TIMEOUT: the front
  // door answered (http layer) that the server was too slow, as an API Gateway 504 does; TIMEOUT is
  // the probe's own deadline (transport layer).
  ['runtime.requesttimeout', {
    name: 'Runtime.RequestTimeout',
    failureClass: 'GATEWAY_TIMEOUT',
    meaning: "the request outlived the revision's timeout (3 to 900 s, the service's default 30 s): raise the timeout or make the tool faster. A streamed (SSE) answer is cut at the same timeout without this header",
  }],
  // A revision whose network connector was deleted: new environments answer 502 with
  // `Lambda-Web-Error-Type: Platform.InvalidNetworkConfiguration` (running ones time out on
  // egress). AWS's agent skill for Web Functions, references/networking.md, commit 6837e08,
  // https://github.com/aws/agent-toolkit-for-aws (skills/specialized-skills/serverless-skills/aws-lambda-web-functions).
  ['platform.invalidnetworkconfiguration', {
    name: 'Platform.InvalidNetworkConfiguration',
    failureClass: 'BAD_GATEWAY',
    meaning: "the revision's network connector is missing or broken: check that the connector the revision uses (egressNetworkConnector) still exists and that its VPC subnets and security groups are valid",
  }],
]);

/**
 * Refines a failure with the Lambda Web Functions platform error it carries, if any
 * (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-troubleshooting.html: platform
 * errors carry `lambda-web-error-type`). A known type sets the class and says what to do; an
 * unknown one keeps the class the status gave (502 BAD_GATEWAY, 503 UNAVAILABLE, 504
 * GATEWAY_TIMEOUT, as for any front door) and is named in the message.
 */
function withLambdaWebError(evidence: HttpEvidence, interpretation: Interpretation): Interpretation {
  const value = header(evidence.headers, 'lambda-web-error-type');
  if (interpretation.kind !== 'failure' || evidence.status < 400 || value.trim() === '') return interpretation;
  const known = LAMBDA_WEB_ERRORS.get(value.trim().toLowerCase());
  if (known) {
    return fail(known.failureClass, `HTTP ${evidence.status} from Lambda Web Functions, lambda-web-error-type ${known.name}: ${known.meaning}`);
  }
  const type = headerText(value, evidence.secrets ?? []);
  const message = `${interpretation.failure.message} (lambda-web-error-type ${type}, a Lambda Web Functions platform error this probe does not know)`;
  return { ...interpretation, failure: { ...interpretation.failure, message } };
}

/** {@link classifyHttp} by status, headers and body, before a Web Functions platform error refines it. */
function classifyHttpStatus(evidence: HttpEvidence): Interpretation | undefined {
  const { status, headers } = evidence;
  const body = evidence.body;
  const secrets = evidence.secrets ?? [];
  const snippet = (text: string) => snippetOf(text, secrets);
  if (isThrottled(evidence)) {
    const errorType = header(headers, 'x-amzn-errortype');
    return fail('THROTTLED', `HTTP ${status} throttled (${errorType ? headerText(errorType, secrets) : snippet(body)})`);
  }
  if (status >= 200 && status < 300) return undefined;
  if (status >= 300 && status < 400) {
    const location = header(headers, 'location');
    return fail('REDIRECT', `HTTP ${status} redirect${location ? ` to ${headerText(location, secrets, 200)}` : ' without a Location header'}; the probe does not follow redirects`);
  }
  if (status === 401) {
    const challenge = header(headers, 'www-authenticate');
    const metadata = /resource_metadata="?([^",\s]+)"?/i.exec(challenge);
    // The server's reason for refusing a token it was given (RFC 6750 §3: error, error_description).
    const refused = /error="?(invalid_token|insufficient_scope)"?(?:[^]*?error_description="([^"]{0,200})")?/i.exec(challenge);
    const reason = refused && !/missing|no (?:token|authorization)/i.test(refused[2] ?? '') ? `; rejected by the server as ${refused[1]}${refused[2] ? ` ${headerText(refused[2], secrets, 200)}` : ''}` : '';
    return fail(
      'AUTH_REQUIRED',
      metadata
        ? `HTTP 401: authentication required${reason}; OAuth protected-resource metadata advertised at ${metadata[1]}`
        : `HTTP 401: authentication required; no OAuth protected-resource metadata advertised${challenge ? ` (WWW-Authenticate: ${headerText(challenge, secrets, 200)})` : ''}`,
    );
  }
  const rpcError = jsonRpcErrorOf(body);
  if (status === 403) {
    if (/Function URL authorization/i.test(body)) {
      return fail('FORBIDDEN', 'HTTP 403 from the Lambda Function URL: sign requests with SigV4 (AWS_IAM auth), or grant lambda:InvokeFunctionUrl and lambda:InvokeFunction (NONE auth)');
    }
    if (/security token included in the request is invalid|signature we calculated does not match|not authorized/i.test(body)) {
      return fail('FORBIDDEN', `HTTP 403: the request signature or its credentials were rejected: ${snippet(body)}`);
    }
    return fail('FORBIDDEN', `HTTP 403 forbidden: ${rpcError ? `JSON-RPC error ${rpcError.code} ${JSON.stringify(rpcError.message)}` : snippet(body)}`);
  }
  if (rpcError && status >= 400 && status < 500) {
    return classifyJsonRpcHttpError(status, rpcError);
  }
  switch (status) {
    case 404:
      return fail('NOT_FOUND', `HTTP 404 not found (${snippet(body)})`, true);
    case 400:
    case 405:
    case 406:
    case 415:
      return fail('HTTP_ERROR', `HTTP ${status} without a JSON-RPC error: ${snippet(body)}`, true);
    case 413:
      return fail('HTTP_ERROR', 'HTTP 413: the server refused the request body as too large');
    case 502:
      return fail('BAD_GATEWAY', `HTTP 502 bad gateway: ${snippet(body)}`);
    case 503:
      return fail('UNAVAILABLE', `HTTP 503 service unavailable: ${snippet(body)}`);
    case 504:
      return fail('GATEWAY_TIMEOUT', `HTTP 504 gateway timeout: ${snippet(body)}`);
    default:
      return fail('HTTP_ERROR', `HTTP ${status}: ${rpcError ? `JSON-RPC error ${rpcError.code} ${JSON.stringify(rpcError.message)}` : snippet(body)}`);
  }
}

function mediaType(headers: IncomingHttpHeaders): string {
  return header(headers, 'content-type').split(';')[0].trim().toLowerCase();
}

/** Whether the response is an SSE stream. */
export function isEventStream(headers: IncomingHttpHeaders): boolean {
  return mediaType(headers) === 'text/event-stream';
}

/**
 * Interprets a complete, non-SSE response to a JSON-RPC request (or notification when
 * `expectedId` is null).
 */
export function interpretResponse(evidence: HttpEvidence, expectedId: number | null): Interpretation {
  const http = classifyHttp(evidence);
  if (http) return http;
  const body = evidence.body.trim();
  if (expectedId === null) return { kind: 'accepted' };
  if (body === '') {
    return evidence.status === 202 || evidence.status === 204
      ? fail('PROTOCOL_ERROR', `HTTP ${evidence.status} with no body in answer to a request (a response was due)`)
      : fail('NOT_MCP', `HTTP ${evidence.status} with an empty body`);
  }
  const type = mediaType(evidence.headers);
  const secrets = evidence.secrets ?? [];
  const parsed = parseJson(body);
  if (!parsed.ok) {
    if (parsed.reason === 'too-deep') {
      return fail(/json/.test(type) ? 'PROTOCOL_ERROR' : 'NOT_MCP', `HTTP ${evidence.status} ${type || 'without content type'} body is JSON ${TOO_DEEP}: ${snippetOf(body, secrets)}`);
    }
    return /json/.test(type)
      ? fail('PROTOCOL_ERROR', `HTTP ${evidence.status} ${type} body is not valid JSON: ${snippetOf(body, secrets)}`)
      : fail('NOT_MCP', `HTTP ${evidence.status} ${type || 'without content type'} is not JSON-RPC: ${snippetOf(body, secrets)}`);
  }
  const checked = checkJsonRpc(parsed.value, expectedId, true, secrets);
  return checked === 'skip' ? fail('PROTOCOL_ERROR', 'no JSON-RPC response in the body') : checked;
}

/**
 * Classifies a JSON-RPC error returned to a request, in context.
 *
 * @param error the error
 * @param method the request method
 * @returns the failure
 */
export function classifyRpcError(error: JsonRpcError, method: string): Failure {
  const text = `${method} returned JSON-RPC error ${error.code} ${JSON.stringify(error.message)}`;
  if (error.code === -32022) {
    const supported = isJsonObject(error.data) && Array.isArray(error.data.supported) ? error.data.supported.map(String) : [];
    return { failureClass: 'VERSION_MISMATCH', message: `${text}; the server supports ${supported.join(', ') || 'nothing it names'}` };
  }
  if (error.code === -32001 || SESSION_TEXT.test(error.message) || /not initialized/i.test(error.message)) {
    return { failureClass: 'SESSION_ERROR', message: `${text}: the session is required, unknown or expired` };
  }
  if (method === 'tools/list' && error.code === -32601) {
    return { failureClass: 'NO_TOOLS', message: `${text}: the server does not offer tools` };
  }
  if (method === 'tools/call') {
    return { failureClass: toolErrorClass(`${error.message} ${previewJson(error.data ?? '', 4096)}`), message: text };
  }
  return { failureClass: 'PROTOCOL_ERROR', message: text };
}

/** TOOL_CREDENTIALS when a tool's error text shows broken cloud credentials, else TOOL_ERROR. */
export function toolErrorClass(text: string): 'TOOL_CREDENTIALS' | 'TOOL_ERROR' {
  return CREDENTIAL_TEXT.test(text) ? 'TOOL_CREDENTIALS' : 'TOOL_ERROR';
}

const TLS_EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_EXPIRED']);
const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
]);

/**
 * OpenSSL's errors when an https:// client gets a plain-HTTP answer to its ClientHello (Node.js
 * raises them as EPROTO): the record header read is `HTTP/1.1 ...`, not a TLS record.
 */
const PLAIN_HTTP_ANSWER = /wrong version number|packet length too long|record layer failure|http request/i;

/** A Node.js network error, as much of it as classification reads. */
export interface NetworkErrorLike {
  readonly code?: string;
  readonly message?: string;
}

/**
 * Classifies a socket-level error (DNS, TCP, TLS, HTTP parsing).
 *
 * @param error the error Node.js raised
 * @param host the host name, for the message
 */
export function classifyNetworkError(error: NetworkErrorLike, host: string): Failure {
  const code = error.code ?? '';
  const detail = `${code ? `${code}: ` : ''}${error.message ?? 'unknown error'}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA' || code === 'EAI_NONAME') {
    return { failureClass: 'DNS_ERROR', message: `cannot resolve ${host} (${detail})` };
  }
  if (code === 'ECONNREFUSED') {
    return { failureClass: 'CONNECTION_REFUSED', message: `connection refused by ${host} (${detail})` };
  }
  // EINVAL, EACCES, EPERM, ENETDOWN: the kernel refused the route (a blackhole, a firewall rule).
  if (['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EINVAL', 'EACCES', 'EPERM', 'ENETDOWN', 'EHOSTDOWN'].includes(code)) {
    return { failureClass: 'CONNECTION_REFUSED', message: `${host} is unreachable (${detail})` };
  }
  if (code === 'ETIMEDOUT') {
    return { failureClass: 'TIMEOUT', message: `connection to ${host} timed out (${detail})` };
  }
  if (TLS_EXPIRED.has(code)) {
    return { failureClass: 'TLS_ERROR', message: `TLS certificate of ${host} is expired or not yet valid (${detail})` };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { failureClass: 'TLS_ERROR', message: `TLS certificate does not cover the host name ${host} (wrong host name: ${detail})` };
  }
  if (TLS_UNTRUSTED.has(code)) {
    return { failureClass: 'TLS_ERROR', message: `TLS certificate of ${host} is untrusted (${detail})` };
  }
  if (PLAIN_HTTP_ANSWER.test(error.message ?? '')) {
    return { failureClass: 'TLS_ERROR', message: `${host} answered the TLS handshake with something that is not TLS: the port speaks plain HTTP; try http:// instead of https:// (${detail})` };
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS|certificate/i.test(error.message ?? '')) {
    return { failureClass: 'TLS_ERROR', message: `TLS handshake with ${host} failed (${detail})` };
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { failureClass: 'RESPONSE_TOO_LARGE', message: `the response headers from ${host} exceed Node.js's header size limit (${detail})` };
  }
  if (code.startsWith('HPE_')) {
    return { failureClass: 'HTTP_ERROR', message: `the reply from ${host} is not valid HTTP (${detail})` };
  }
  return { failureClass: 'CONNECTION_RESET', message: `connection to ${host} closed before a complete response (${detail})` };
}
