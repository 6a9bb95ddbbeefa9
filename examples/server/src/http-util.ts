/**
 * Small node:http helpers shared by the HTTP server and the MCP endpoint.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** JSON-RPC error codes this server answers with itself (the SDK answers the rest). */
export const RPC_ERROR = {
  PARSE_ERROR: -32700,
  INTERNAL_ERROR: -32603,
  /** TS SDK convention for transport-level problems (missing session header, refused). */
  SERVER_ERROR: -32000,
  /** TS SDK convention for an unknown or expired `Mcp-Session-Id`. */
  SESSION_NOT_FOUND: -32001,
} as const;

/** Answers with a JSON-RPC error object (`id: null`), unless the response has already started. */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string,
  headers: Record<string, string> = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

/** Answers with a JSON body, unless the response has already started. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(payload)),
    'Cache-Control': 'no-store',
  });
  res.end(payload);
}

/** The first value of a request header, or `undefined`. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Thrown by {@link readBody} when the body exceeds the limit. */
export class BodyTooLargeError extends Error {
  constructor(public readonly limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Thrown by {@link readBody} when the body does not arrive in time. */
export class BodyTimeoutError extends Error {
  constructor(public readonly timeoutMs: number) {
    super(`Request body not received within ${timeoutMs} ms`);
    this.name = 'BodyTimeoutError';
  }
}

/** How many `Host` field lines a request carries (RFC 9112 section 3.2 allows exactly one). */
export function hostHeaderCount(req: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === 'host') {
      count++;
    }
  }
  return count;
}

/**
 * Reads a request body up to a size limit and within a deadline, as UTF-8 text.
 *
 * @throws BodyTooLargeError past `limitBytes`; BodyTimeoutError when the whole body has not
 *   arrived within `timeoutMs` (a client dribbling its body would otherwise hold the request)
 */
export function readBody(req: IncomingMessage, limitBytes: number, timeoutMs: number): Promise<string> {
  const declared = Number(header(req, 'content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) {
    return Promise.reject(new BodyTooLargeError(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: Error | undefined): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', finish);
      if (error === undefined) {
        resolve(Buffer.concat(chunks).toString('utf8'));
      } else {
        req.pause();
        reject(error);
      }
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        finish(new BodyTooLargeError(limitBytes));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => finish(undefined);
    const timer = setTimeout(() => finish(new BodyTimeoutError(timeoutMs)), timeoutMs);
    req.on('data', onData).once('end', onEnd).once('error', finish);
  });
}
