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
  readonly method?: string;
  readonly rpcMethod?: string;
  readonly era?: 'legacy' | 'modern';
  readonly tool?: string;
  readonly path?: string;
  readonly status?: number;
  readonly durationMs?: number;
  readonly success?: boolean;
  readonly reason?: string;
  readonly message?: string;
  readonly host?: string;
  readonly port?: number;
  readonly mode?: string;
  readonly tools?: number;
  readonly sessions?: number;
  readonly inFlight?: number;
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
