/**
 * The OAuth client's only I/O edge: one small HTTP(S) exchange (a metadata GET, a token POST, the
 * unauthenticated MCP request that draws the 401 challenge) under a deadline and a size cap, no
 * redirects (RFC 9728 and RFC 8414 metadata are fetched where they are, as MCP clients do).
 * Injectable: {@link OAuthFetch} is all the discovery and the token client see, so the canary can
 * pass its own and tests can pass a fake.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { rootCertificates } from 'node:tls';
import { classifyNetworkError } from './classify';
import { parseJson } from './json';
import type { Failure } from './types';

/** One request of the OAuth client. */
export interface OAuthRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** @default - none beyond the user agent */
  readonly headers?: Record<string, string>;
  /** @default - no body */
  readonly body?: string;
}

/** An answer: the status, the headers (lower-case names), the body, and the body as JSON when it is JSON. */
export interface OAuthResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The parsed body; undefined when it is not JSON. */
  readonly json: unknown;
}

/** Performs one request; resolves with the answer or why there was none (never rejects). */
export type OAuthFetch = (request: OAuthRequest) => Promise<OAuthResponse | { readonly failure: Failure }>;

/** Settings of {@link nodeFetch}. */
export interface NodeFetchOptions {
  /** Absolute time (ms since epoch) after which every request fails. */
  readonly deadline: number;
  /** The `user-agent` header. */
  readonly userAgent: string;
  /** Largest body read, in bytes. @default 262144 (256 KiB: metadata documents and token answers are small) */
  readonly maxBytes?: number;
  /** An extra trusted CA certificate (PEM). @default - default roots only */
  readonly ca?: string;
}

const DEFAULT_MAX_BYTES = 256 * 1024;

/** An {@link OAuthFetch} over node:http/https: one request per call, no keep-alive, no redirects. */
export function nodeFetch(options: NodeFetchOptions): OAuthFetch {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const agentOptions = options.ca ? { ca: [...rootCertificates, options.ca] } : {};
  return (request) => new Promise((resolve) => {
    const { url } = request;
    const host = url.hostname;
    let settled = false;
    const done = (result: OAuthResponse | { failure: Failure }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const isHttps = url.protocol === 'https:';
    let req: http.ClientRequest;
    try {
      req = (isHttps ? https : http).request(url, {
        method: request.method,
        headers: { 'user-agent': options.userAgent, ...request.headers },
        ...(isHttps ? { agent: new https.Agent(agentOptions) } : {}),
      });
    } catch (error) {
      done({ failure: { failureClass: 'HTTP_ERROR', message: `the request to ${host} could not be sent (${error instanceof Error ? error.message.slice(0, 200) : String(error)})` } });
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      done({ failure: { failureClass: 'TIMEOUT', message: `no complete answer from ${host} before the probe deadline` } });
    }, Math.max(0, options.deadline - Date.now()));
    req.on('error', (error: NodeJS.ErrnoException) => done({ failure: classifyNetworkError(error, host) }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy();
          done({ failure: { failureClass: 'RESPONSE_TOO_LARGE', message: `the answer of ${host}${url.pathname} exceeds ${maxBytes} bytes` } });
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error: NodeJS.ErrnoException) => done({ failure: classifyNetworkError(error, host) }));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const parsed = parseJson(body);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        done({ status: res.statusCode ?? 0, headers, body, json: parsed.ok ? parsed.value : undefined });
      });
    });
    req.end(request.body);
  });
}
