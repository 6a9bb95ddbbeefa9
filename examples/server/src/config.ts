/**
 * Configuration of the example MCP server, read once from the environment at start-up.
 *
 * Every variable is optional. An invalid value stops the server before it listens, with a
 * message that names the variable, repeats the value and says what to set instead; all
 * problems are reported together so one restart fixes them all.
 */

import { type OAuthConfig, parseOAuthConfig } from './auth-config';

/** How 2025-era (legacy) clients are served. */
export type SessionMode = 'stateless' | 'stateful';

/** Severity threshold of the structured log. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The validated configuration of one server process. */
export interface ServerConfig {
  /** TCP port to listen on; `0` binds any free port (the bound port is logged). */
  readonly port: number;
  /** Interface to bind: `127.0.0.1` behind the Lambda Web Adapter, `0.0.0.0` in containers. */
  readonly host: string;
  /** `stateless` (default) or `stateful` legacy sessions keyed by `Mcp-Session-Id`. */
  readonly sessionMode: SessionMode;
  /** Idle time (no request; an open GET stream is not activity) after which a stateful session is evicted, in milliseconds. */
  readonly sessionTtlMs: number;
  /** Absolute lifetime of a stateful session, streaming or not, in milliseconds. */
  readonly sessionMaxLifetimeMs: number;
  /** Most stateful sessions held at once; a new session beyond it is refused with 503. */
  readonly maxSessions: number;
  /** Extra allowed `Host` names: exact names, or `*.suffix` entries matching any subdomain. */
  readonly allowedHosts: readonly string[];
  /** Browser origins (`scheme://host[:port]`) allowed to call `/mcp`, normalised. */
  readonly allowedOrigins: readonly string[];
  /** Longest wait for a request's headers, from its first byte, in milliseconds (node:http `headersTimeout`). */
  readonly headersTimeoutMs: number;
  /** Longest wait for a POST body once its headers arrived, in milliseconds; a slower body gets 408. */
  readonly bodyTimeoutMs: number;
  /** Longest wait for in-flight requests after SIGTERM, in milliseconds. */
  readonly shutdownGraceMs: number;
  /** Lowest level written to the log. */
  readonly logLevel: LogLevel;
  /** OAuth token checks on `/mcp` (`MCP_OAUTH_*`, see auth-config.ts); `undefined`: none. */
  readonly oauth?: OAuthConfig;
}

/** Names of the environment variables the server reads. */
export const ENV = {
  PORT: 'PORT',
  HOST: 'HOST',
  /** `host:port` given by Lambda Web Functions; used instead of PORT and HOST when set. */
  LAMBDA_HTTP_ENDPOINT: 'AWS_LAMBDA_HTTP_ENDPOINT',
  SESSION_MODE: 'MCP_SESSION_MODE',
  SESSION_TTL_SECONDS: 'MCP_SESSION_TTL_SECONDS',
  SESSION_MAX_LIFETIME_SECONDS: 'MCP_SESSION_MAX_LIFETIME_SECONDS',
  MAX_SESSIONS: 'MCP_MAX_SESSIONS',
  HEADERS_TIMEOUT_SECONDS: 'MCP_HEADERS_TIMEOUT_SECONDS',
  BODY_TIMEOUT_SECONDS: 'MCP_BODY_TIMEOUT_SECONDS',
  ALLOWED_HOSTS: 'MCP_ALLOWED_HOSTS',
  ALLOWED_ORIGINS: 'MCP_ALLOWED_ORIGINS',
  LOG_LEVEL: 'LOG_LEVEL',
} as const;

/** Defaults applied when a variable is unset or empty. */
export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  sessionMode: 'stateless' as SessionMode,
  sessionTtlSeconds: 900,
  sessionMaxLifetimeSeconds: 86_400,
  maxSessions: 1000,
  headersTimeoutSeconds: 10,
  bodyTimeoutSeconds: 10,
  /**
   * Below the 30 s ECS gives a container between SIGTERM and SIGKILL by default, and above the
   * longest `echo` delay.
   */
  shutdownGraceMs: 20_000,
  /** Lambda Web Functions give a process 1 s between SIGTERM and SIGKILL. */
  lambdaShutdownGraceMs: 800,
  logLevel: 'info' as LogLevel,
} as const;

const SESSION_MODES: readonly SessionMode[] = ['stateless', 'stateful'];
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
/** One day: a longer idle session is a leak, not a session. */
const MAX_SESSION_TTL_SECONDS = 86_400;
const MAX_MAX_SESSIONS = 1_000_000;
/** Longest header or body timeout: past that a client is stuck, not slow. */
const MAX_READ_TIMEOUT_SECONDS = 300;
const HOSTNAME_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Thrown when one or more environment variables are invalid; lists every problem. */
export class ConfigError extends Error {
  /** One message per invalid variable. */
  public readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid server configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads and validates the server configuration.
 *
 * @param env the environment to read (normally `process.env`)
 * @throws ConfigError naming every invalid variable, its value and the fix
 */
export function parseConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const lambdaEndpoint = read(ENV.LAMBDA_HTTP_ENDPOINT);
  let port: number;
  let host: string;
  if (lambdaEndpoint !== undefined) {
    const endpoint = parseHostPort(lambdaEndpoint);
    if (endpoint === undefined) {
      problems.push(`${ENV.LAMBDA_HTTP_ENDPOINT}=${JSON.stringify(lambdaEndpoint)} is not host:port: set an address such as 127.0.0.1:8080 (or unset it and use PORT and HOST).`);
    }
    ({ host, port } = endpoint ?? { host: DEFAULTS.host, port: DEFAULTS.port });
  } else {
    port = parseInteger(read(ENV.PORT), ENV.PORT, DEFAULTS.port, 0, 65_535,
      'set a TCP port between 1 and 65535 (or 0 for any free port)', problems);
    host = read(ENV.HOST) ?? DEFAULTS.host;
    if (/\s|\//.test(host)) {
      problems.push(`${ENV.HOST}=${JSON.stringify(host)} is not an interface address: set an IP address or a hostname such as 127.0.0.1 or 0.0.0.0.`);
    }
  }

  const sessionMode = parseChoice(read(ENV.SESSION_MODE), ENV.SESSION_MODE, SESSION_MODES, DEFAULTS.sessionMode, problems);
  const logLevel = parseChoice(read(ENV.LOG_LEVEL)?.toLowerCase(), ENV.LOG_LEVEL, LOG_LEVELS, DEFAULTS.logLevel, problems);

  const ttlSeconds = parseInteger(read(ENV.SESSION_TTL_SECONDS), ENV.SESSION_TTL_SECONDS, DEFAULTS.sessionTtlSeconds,
    1, MAX_SESSION_TTL_SECONDS, `set a whole number of seconds between 1 and ${MAX_SESSION_TTL_SECONDS}`, problems);
  const lifetimeSeconds = parseInteger(read(ENV.SESSION_MAX_LIFETIME_SECONDS), ENV.SESSION_MAX_LIFETIME_SECONDS,
    DEFAULTS.sessionMaxLifetimeSeconds, 1, MAX_SESSION_TTL_SECONDS, `set a whole number of seconds between 1 and ${MAX_SESSION_TTL_SECONDS}`, problems);
  const maxSessions = parseInteger(read(ENV.MAX_SESSIONS), ENV.MAX_SESSIONS, DEFAULTS.maxSessions,
    1, MAX_MAX_SESSIONS, `set a whole number between 1 and ${MAX_MAX_SESSIONS}`, problems);
  const readTimeout = (name: string, fallback: number): number => parseInteger(read(name), name, fallback,
    1, MAX_READ_TIMEOUT_SECONDS, `set a whole number of seconds between 1 and ${MAX_READ_TIMEOUT_SECONDS}`, problems);
  const headersTimeoutSeconds = readTimeout(ENV.HEADERS_TIMEOUT_SECONDS, DEFAULTS.headersTimeoutSeconds);
  const bodyTimeoutSeconds = readTimeout(ENV.BODY_TIMEOUT_SECONDS, DEFAULTS.bodyTimeoutSeconds);

  const allowedHosts = splitList(read(ENV.ALLOWED_HOSTS)).map((entry) => entry.toLowerCase().replace(/\.$/, ''));
  for (const entry of allowedHosts) {
    if (!isHostEntry(entry)) {
      problems.push(`${ENV.ALLOWED_HOSTS} entry ${JSON.stringify(entry)} is not a hostname: use names such as mcp.example.com, `
        + '*.example.com (any subdomain) or [::1], separated by commas, without scheme or port.');
    }
  }

  const allowedOrigins: string[] = [];
  for (const entry of splitList(read(ENV.ALLOWED_ORIGINS))) {
    const origin = normaliseOrigin(entry);
    if (origin === undefined) {
      problems.push(`${ENV.ALLOWED_ORIGINS} entry ${JSON.stringify(entry)} is not an origin: use scheme://host[:port] entries `
        + 'such as https://app.example.com, separated by commas, without path.');
    } else {
      allowedOrigins.push(origin);
    }
  }

  const oauth = parseOAuthConfig(env, problems);

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return {
    oauth,
    port,
    host,
    sessionMode,
    sessionTtlMs: ttlSeconds * 1000,
    sessionMaxLifetimeMs: lifetimeSeconds * 1000,
    maxSessions,
    allowedHosts,
    allowedOrigins,
    headersTimeoutMs: headersTimeoutSeconds * 1000,
    bodyTimeoutMs: bodyTimeoutSeconds * 1000,
    shutdownGraceMs: lambdaEndpoint === undefined ? DEFAULTS.shutdownGraceMs : DEFAULTS.lambdaShutdownGraceMs,
    logLevel,
  };
}

/**
 * Normalises a browser origin to `scheme://host[:port]` (default ports dropped, lower case),
 * or returns `undefined` when the value is not an http(s) origin without path, query or fragment.
 */
export function normaliseOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && !/[?#]/.test(value) && url.username === '' && url.password === '';
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) {
    return undefined;
  }
  return url.origin;
}

/** Splits `host:port` (`[v6]:port` for IPv6) as Lambda Web Functions give it; `undefined` when malformed. */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || port > 65_535) {
    return undefined;
  }
  const host = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1];
  return { host, port };
}

function isHostEntry(entry: string): boolean {
  if (entry === '[::1]' || /^\[[0-9a-f:.]+\]$/.test(entry)) {
    return true;
  }
  const name = entry.startsWith('*.') ? entry.slice(2) : entry;
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => HOSTNAME_LABEL.test(label));
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function parseInteger(raw: string | undefined, name: string, fallback: number, min: number, max: number, fix: string,
  problems: string[]): number {
  if (raw === undefined) {
    return fallback;
  }
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name}=${JSON.stringify(raw)} is invalid: ${fix}.`);
    return fallback;
  }
  return value;
}

function parseChoice<T extends string>(raw: string | undefined, name: string, choices: readonly T[], fallback: T,
  problems: string[]): T {
  if (raw === undefined) {
    return fallback;
  }
  if (!(choices as readonly string[]).includes(raw)) {
    problems.push(`${name}=${JSON.stringify(raw)} is invalid: set one of ${choices.join(', ')} (default ${fallback}).`);
    return fallback;
  }
  return raw as T;
}
