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

/** Reads a request body up to a size limit, as UTF-8 text. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(header(req, 'content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new BodyTooLargeError(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
