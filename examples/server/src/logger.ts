/**
 * Structured logging: one JSON object per line on stdout, ready for CloudWatch metric filters
 * (`{ $.event = "tool_call" && $.success IS FALSE }`).
 *
 * Callers pass only the fields listed in {@link LogFields}: never request bodies, tool
 * arguments, headers or session ids.
 */
import type { LogLevel } from './config';

/** The fields a log line may carry besides `time`, `level` and `event`. */
export interface LogFields {
  /** HTTP method. */
  readonly method?: string;
  /** JSON-RPC method(s) of the request body. */
  readonly rpcMethod?: string;
  /** Protocol era of the request. */
  readonly era?: 'legacy' | 'modern';
  /** Tool name of a `tools/call`. */
  readonly tool?: string;
  /** URL path, without query string. */
  readonly path?: string;
  /** HTTP status code sent. */
  readonly status?: number;
  /** Time taken, in milliseconds. */
  readonly durationMs?: number;
  /** Whether the request or tool call succeeded. */
  readonly success?: boolean;
  /** Short machine-readable cause (`host`, `idle`, `drained`, ...). */
  readonly reason?: string;
  /** Human-readable detail; never request data. */
  readonly message?: string;
  /** Bound interface (`listening`). */
  readonly host?: string;
  /** Bound port (`listening`). */
  readonly port?: number;
  /** Session mode (`listening`). */
  readonly mode?: string;
  /** Number of registered tools (`listening`). */
  readonly tools?: number;
  /** Number of live sessions after the event. */
  readonly sessions?: number;
  /** Number of requests in flight. */
  readonly inFlight?: number;
  /** Error class or errno code. */
  readonly errorName?: string;
}

/** Writes structured log lines at or above a threshold level. */
export interface Logger {
  /** Writes one line at `debug`. */
  debug(event: string, fields?: LogFields): void;
  /** Writes one line at `info`. */
  info(event: string, fields?: LogFields): void;
  /** Writes one line at `warn`. */
  warn(event: string, fields?: LogFields): void;
  /** Writes one line at `error`. */
  error(event: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Creates a logger.
 *
 * @param threshold lowest level written
 * @param write sink for one serialised line (without newline); stdout by default
 */
export function createLogger(threshold: LogLevel, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const log = (level: LogLevel) => (event: string, fields: LogFields = {}): void => {
    if (RANK[level] >= RANK[threshold]) {
      write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
    }
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Milliseconds elapsed since a `performance.now()` reading, rounded to 0.1 ms. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
