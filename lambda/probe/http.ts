/**
 * The probe's only I/O edge: HTTP(S) exchanges over node:http/https with one keep-alive agent per
 * probe, one overall deadline, a connect timeout, a response size cap, no redirects, and timings
 * of the first connection. Everything it reads is handed to the pure classifier.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { rootCertificates } from 'node:tls';
import { classifyHttp, classifyNetworkError, interpretResponse, interpretSseEvent, isEventStream, type Interpretation } from './classify';
import { detectFrontDoor, type FrontDoor } from './front-door';
import { parseJson } from './json';
import { SseLineTooLongError, SseParser, type SseEvent } from './sse';
import type { Failure } from './types';

/** Settings of one {@link HttpClient}. */
export interface HttpClientOptions {
  /** Absolute time (ms since epoch, `Date.now()` clock) after which every exchange fails. */
  readonly deadline: number;
  readonly connectTimeoutMs: number;
  readonly maxResponseBytes: number;
  /** Largest total of a long-lived GET event stream (the 2024-11-05 transport). @default maxResponseBytes */
  readonly maxStreamBytes?: number;
  readonly ca?: string;
  /** Known secret values (read at use: the list may grow), kept out of body excerpts. @default - none */
  readonly secrets?: readonly string[];
}

/** What one exchange produced. */
export type ExchangeResult =
  | { readonly kind: 'transport'; readonly failure: Failure; readonly timedOut: boolean }
  | {
    readonly kind: 'http';
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly interpretation: Interpretation;
    /** Body bytes read (for an SSE response, up to the awaited event). */
    readonly bytes: number;
    /** An SSE response that ended without the answer after an event with an id: resume with GET (SEP-1699). */
    readonly resume?: { readonly lastEventId: string; readonly retryMs?: number };
  };

/** One request. */
export interface ExchangeRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Deadline for this exchange (defaults to the client's; never later than it). */
  readonly deadline?: number;
  /** Size cap of this response (defaults to the client's; never larger than it). */
  readonly maxBytes?: number;
}

/** A server-sent event stream opened with GET (the 2024-11-05 transport). */
export interface EventStream {
  /** Resolves with the first event (queued or future) accepted by `pick`, or with a failure. */
  next<T>(pick: (event: SseEvent) => T | undefined): Promise<{ value: T } | { failure: Failure; timedOut: boolean }>;
  close(): void;
}

/** Connection facts of the first socket. */
export interface ConnectionFacts {
  connectMs: number | null;
  tlsMs: number | null;
  certDaysRemaining: number | null;
}

const DAY_MS = 86_400_000;

/** Performs HTTP exchanges for one probe; {@link HttpClient.close} releases every socket. */
export class HttpClient {
  /** Timings and certificate facts of the first connection. */
  public readonly facts: ConnectionFacts = { connectMs: null, tlsMs: null, certDaysRemaining: null };
  /** The front door identified by the latest response that showed evidence of one. */
  public frontDoor: FrontDoor | null = null;
  /** Status of the latest HTTP response. */
  public lastStatus: number | null = null;
  /** The `WWW-Authenticate` header of the latest 401. */
  public lastChallenge: string | undefined;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  /** Created on the first https:// request: most probes never need its TLS set-up. */
  private httpsAgent: https.Agent | undefined;
  private readonly open = new Set<http.ClientRequest>();
  /** Whether the first connection's timings were taken. */
  private measured = false;

  constructor(private readonly options: HttpClientOptions) {}

  /** Sends a JSON-RPC request (`expectedId`) or notification (null) and interprets the answer. */
  public exchange(request: ExchangeRequest, expectedId: number | null): Promise<ExchangeResult> {
    return new Promise((resolve) => {
      this.start(request, resolve, (res, done, cap) => {
        const status = res.statusCode ?? 0;
        const headers = res.headers;
        const isSse = expectedId !== null && status >= 200 && status < 300 && isEventStream(headers);
        if (!isSse) {
          this.readBody(res, cap, done, (body, bytes) => {
            done(this.httpResult(res, interpretResponse({ status, headers, body, secrets: this.secrets }, expectedId), bytes));
          });
          return;
        }
        const throttled = classifyHttp({ status, headers, body: '', secrets: this.secrets });
        if (throttled) {
          res.resume();
          done(this.httpResult(res, throttled));
          return;
        }
        const parser = new SseParser({ maxLineLength: cap });
        const consider = (events: SseEvent[], bytes: number): boolean => {
          for (const event of events) {
            const verdict = interpretSseEvent(event, expectedId, this.secrets);
            if (verdict !== 'skip') {
              // The awaited answer is in. The rest of the stream drains in the background so the
              // socket can return to the pool; close() destroys it if the server never ends it.
              done(this.httpResult(res, verdict, bytes));
              return true;
            }
          }
          return false;
        };
        this.stream(res, parser, cap, done, consider, () => {
          const ended = this.httpResult(res, {
            kind: 'failure',
            failure: {
              failureClass: 'EMPTY_STREAM',
              message: `the SSE response ended without the response to request id ${expectedId}${parser.comments ? ` (${parser.comments} keep-alive comments received)` : ''}`,
            },
          });
          const lastEventId = parser.lastEventId;
          done(lastEventId === undefined || lastEventId === '' || ended.kind !== 'http'
            ? ended
            : { ...ended, resume: { lastEventId, ...(parser.retryMs !== undefined ? { retryMs: parser.retryMs } : {}) } });
        });
      });
    });
  }

  /** Opens a GET event stream; resolves with the stream, or the failure when the answer is not one. */
  public openEventStream(request: ExchangeRequest): Promise<{ stream: EventStream } | ExchangeResult> {
    return new Promise((resolve) => {
      this.start(request, resolve, (res, done, cap) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300 || !isEventStream(res.headers)) {
          this.readBody(res, cap, done, (body) => {
            const httpFailure = classifyHttp({ status, headers: res.headers, body, secrets: this.secrets });
            done(this.httpResult(res, httpFailure ?? {
              kind: 'failure',
              failure: { failureClass: 'NOT_MCP', message: `GET ${request.url.pathname} answered HTTP ${status} ${String(res.headers['content-type'] ?? 'without content type')}, not an SSE stream`, fallback: true },
            }));
          });
          return;
        }
        this.lastStatus = status;
        const queue: SseEvent[] = [];
        let queued = 0;
        let ended: { failure: Failure; timedOut: boolean } | undefined;
        let waiter: (() => void) | undefined;
        let deadlineTimer: NodeJS.Timeout | undefined;
        const parser = new SseParser({ maxLineLength: this.options.maxResponseBytes });
        const streamDone = (result: ExchangeResult | { stream: EventStream }) => {
          if ('stream' in result || ended) return;
          clearTimeout(deadlineTimer);
          ended = result.kind === 'transport'
            ? { failure: result.failure, timedOut: result.timedOut }
            : { failure: result.interpretation.kind === 'failure' ? result.interpretation.failure : { failureClass: 'EMPTY_STREAM', message: 'the SSE stream ended' }, timedOut: false };
          waiter?.();
        };
        const stream: EventStream = {
          next: (pick) => new Promise((resolveNext) => {
            const attempt = (): boolean => {
              while (queue.length > 0) {
                const event = queue.shift()!;
                queued -= event.data.length;
                const value = pick(event);
                if (value !== undefined) {
                  waiter = undefined;
                  resolveNext({ value });
                  return true;
                }
              }
              if (ended) {
                waiter = undefined;
                resolveNext(ended);
                return true;
              }
              return false;
            };
            if (!attempt()) waiter = () => void attempt();
          }),
          close: () => res.destroy(),
        };
        done({ stream });
        // The exchange's own deadline ended with done(): the stream, which outlives it, needs one too.
        deadlineTimer = setTimeout(() => {
          streamDone({
            kind: 'transport',
            failure: { failureClass: 'TIMEOUT', message: `the SSE stream of ${request.url.hostname} delivered no answer before the probe deadline` },
            timedOut: true,
          });
          res.destroy();
        }, Math.max(0, this.options.deadline - Date.now()));
        const maxStreamBytes = this.options.maxStreamBytes ?? this.options.maxResponseBytes;
        this.stream(res, parser, maxStreamBytes, streamDone, (events) => {
          for (const event of events) {
            queue.push(event);
            queued += event.data.length;
          }
          // Events nobody waits for must not pile up: the queue is bounded like a response.
          if (queued > this.options.maxResponseBytes) {
            res.destroy();
            streamDone(this.tooLarge(res, this.options.maxResponseBytes, 'events queued on the SSE stream'));
            return true;
          }
          waiter?.();
          return false;
        }, () => streamDone({
          kind: 'http',
          status,
          headers: res.headers,
          interpretation: { kind: 'failure', failure: { failureClass: 'EMPTY_STREAM', message: 'the SSE stream ended before the awaited event' } },
          bytes: 0,
        }));
      });
    });
  }

  /**
   * GETs a small JSON document (OAuth metadata) under the size cap and the deadline.
   * Resolves with the parsed value, the status of a non-2xx or non-JSON answer, or why it failed.
   */
  public fetchJson(url: URL, headers: Record<string, string>): Promise<{ value: unknown } | { status: number } | { failure: string }> {
    return new Promise((resolve) => {
      this.start<{ value: unknown } | { status: number }>({ method: 'GET', url, headers }, (result) => {
        resolve('kind' in result ? { failure: result.kind === 'transport' ? result.failure.failureClass : result.interpretation.kind } : result);
      }, (res, done, cap) => {
        const status = res.statusCode ?? 0;
        this.readBody(res, cap, done, (body) => {
          const parsed = status >= 200 && status < 300 ? parseJson(body) : undefined;
          done(parsed?.ok ? { value: parsed.value } : { status });
        });
      });
    });
  }

  /** Destroys every socket and pending request. */
  public close(): void {
    for (const req of this.open) req.destroy();
    this.open.clear();
    this.httpAgent.destroy();
    this.httpsAgent?.destroy();
  }

  private get tlsAgent(): https.Agent {
    this.httpsAgent ??= new https.Agent({
      keepAlive: true,
      maxSockets: 4,
      ...(this.options.ca ? { ca: [...rootCertificates, this.options.ca] } : {}),
    });
    return this.httpsAgent;
  }

  private get secrets(): readonly string[] {
    return this.options.secrets ?? [];
  }

  private httpResult(res: http.IncomingMessage, interpretation: Interpretation, bytes = 0): ExchangeResult {
    return { kind: 'http', status: res.statusCode ?? 0, headers: res.headers, interpretation, bytes };
  }

  /** A response the probe could not interpret (a bug or an absurd answer): a failure, never a throw. */
  private unreadable(res: http.IncomingMessage, error: unknown): ExchangeResult {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return this.httpResult(res, {
      kind: 'failure',
      failure: { failureClass: 'PROTOCOL_ERROR', message: `the HTTP ${res.statusCode} response could not be interpreted (${detail.slice(0, 200)})` },
    });
  }

  /** Runs a listener body; an exception ends the exchange as a failure instead of escaping the event loop. */
  private guard(res: http.IncomingMessage, done: (r: ExchangeResult) => void, body: () => void): void {
    try {
      body();
    } catch (error) {
      res.destroy();
      done(this.unreadable(res, error));
    }
  }

  /** Starts one request with deadline, connect timeout and error mapping; `onResponse` reads the answer. */
  private start<T>(
    request: ExchangeRequest,
    resolve: (result: T | ExchangeResult) => void,
    onResponse: (res: http.IncomingMessage, done: (result: T | ExchangeResult) => void, cap: number) => void,
  ): void {
    const { url } = request;
    const host = url.hostname;
    const deadline = Math.min(request.deadline ?? this.options.deadline, this.options.deadline);
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const started = Date.now();
    const done = (result: T | ExchangeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(connectTimer);
      resolve(result);
    };
    const transport = (failure: Failure, timedOut = false) => {
      req.destroy();
      done({ kind: 'transport', failure, timedOut });
    };
    const remaining = deadline - started;
    const isHttps = url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: request.method,
      headers: request.headers,
      agent: isHttps ? this.tlsAgent : this.httpAgent,
    };
    let req: http.ClientRequest;
    try {
      req = (isHttps ? https : http).request(url, options);
    } catch (error) {
      // Node refuses the request itself (a header value it cannot send): no socket was opened.
      const detail = error instanceof Error ? error.message : String(error);
      resolve({ kind: 'transport', failure: { failureClass: 'HTTP_ERROR', message: `the request could not be sent (${detail.slice(0, 200)})` }, timedOut: false });
      return;
    }
    this.open.add(req);
    req.on('close', () => this.open.delete(req));
    const timer = setTimeout(
      () => transport({ failureClass: 'TIMEOUT', message: `no complete answer from ${host} before the probe deadline` }, true),
      Math.max(0, remaining),
    );
    req.on('socket', (socket) => {
      if ((socket as unknown as { connecting?: boolean }).connecting !== true) return;
      connectTimer = setTimeout(
        () => transport({ failureClass: 'TIMEOUT', message: `no TCP connection to ${host} within the connect timeout of ${this.options.connectTimeoutMs} ms (firewall, security group, or wrong address)` }, true),
        Math.min(this.options.connectTimeoutMs, Math.max(0, remaining)),
      );
      const measure = !this.measured;
      this.measured = true;
      socket.once('connect', () => {
        clearTimeout(connectTimer);
        const connected = Date.now();
        if (measure) this.facts.connectMs = connected - started;
        if (isHttps) {
          socket.once('secureConnect', () => {
            if (!measure) return;
            this.facts.tlsMs = Date.now() - connected;
            const cert = (socket as TLSSocket).getPeerCertificate();
            const validTo = cert?.valid_to ? Date.parse(cert.valid_to) : NaN;
            if (!Number.isNaN(validTo)) this.facts.certDaysRemaining = Math.floor((validTo - Date.now()) / DAY_MS);
          });
        }
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => transport(classifyNetworkError(error, host)));
    req.on('response', (res) => {
      this.lastStatus = res.statusCode ?? null;
      if (res.statusCode === 401) this.lastChallenge = [res.headers['www-authenticate'] ?? ''].flat().join(', ');
      this.frontDoor = detectFrontDoor(res.headers, host) ?? this.frontDoor;
      const cap = Math.min(request.maxBytes ?? this.options.maxResponseBytes, this.options.maxResponseBytes);
      const length = Number(res.headers['content-length']);
      if (Number.isFinite(length) && length > cap) {
        res.destroy();
        done(this.httpResult(res, {
          kind: 'failure',
          failure: { failureClass: 'RESPONSE_TOO_LARGE', message: `HTTP ${res.statusCode} body of ${length} bytes exceeds the cap of ${cap} bytes` },
        }));
        return;
      }
      res.on('error', (error: NodeJS.ErrnoException) => transport(classifyNetworkError(error, host)));
      this.guard(res, done as (r: ExchangeResult) => void, () => onResponse(res, done, cap));
    });
    req.end(request.body);
  }

  /** Reads a whole body under the size cap. */
  private readBody(res: http.IncomingMessage, cap: number, done: (r: ExchangeResult) => void, then: (body: string, bytes: number) => void): void {
    let chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        res.destroy();
        done(this.tooLarge(res, cap));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => this.guard(res, done, () => {
      const body = Buffer.concat(chunks).toString('utf8');
      chunks = [];
      then(body, size);
    }));
    res.on('close', () => {
      if (!res.complete) done(this.reset(res));
    });
  }

  /** Reads an SSE body under the size cap, handing parsed events to `consider` until it returns true. */
  private stream(
    res: http.IncomingMessage,
    parser: SseParser,
    maxBytes: number,
    done: (r: ExchangeResult) => void,
    consider: (events: SseEvent[], bytes: number) => boolean,
    onEnd: () => void,
  ): void {
    let size = 0;
    let stopped = false;
    const fail = (error: unknown) => {
      stopped = true;
      res.destroy();
      done(error instanceof SseLineTooLongError ? this.tooLarge(res, error.maxLineLength, error.message) : this.unreadable(res, error));
    };
    res.on('data', (chunk: Buffer) => {
      if (stopped) return;
      size += chunk.length;
      if (size > maxBytes) {
        stopped = true;
        res.destroy();
        done(this.tooLarge(res, maxBytes));
        return;
      }
      try {
        stopped = consider(parser.push(chunk), size);
      } catch (error) {
        fail(error);
      }
    });
    res.on('end', () => {
      if (stopped) return;
      try {
        stopped = consider(parser.end(), size);
        if (!stopped) onEnd();
      } catch (error) {
        fail(error);
      }
    });
    res.on('close', () => {
      if (!stopped && !res.complete) done(this.reset(res));
    });
  }

  private tooLarge(res: http.IncomingMessage, cap: number, detail?: string): ExchangeResult {
    return this.httpResult(res, {
      kind: 'failure',
      failure: { failureClass: 'RESPONSE_TOO_LARGE', message: `HTTP ${res.statusCode} response exceeds the cap of ${cap} bytes${detail ? ` (${detail})` : ''}` },
    });
  }

  private reset(res: http.IncomingMessage): ExchangeResult {
    return {
      kind: 'transport',
      failure: { failureClass: 'CONNECTION_RESET', message: `the connection closed before the HTTP ${res.statusCode} response was complete` },
      timedOut: false,
    };
  }
}
