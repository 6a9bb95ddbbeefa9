import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The one validation idiom of the library: a construct collects every problem with its props,
 * each naming the prop, the value given and the fix, and throws once, so a user fixes them all
 * in one round. Values that are unresolved tokens are skipped: they are only known at deploy
 * time (token-valued props never drop resources either: see the callers).
 */
export class ValidationErrors {
  private readonly problems: string[] = [];

  /**
   * @param constructName the construct's class name, e.g. `McpLambdaService`
   * @param scope the construct, so the message names its path when it has one
   */
  constructor(private readonly constructName: string, private readonly scope?: IConstruct) {}

  /** Record `message` unless `ok`. */
  public check(ok: boolean, message: string): void {
    if (!ok) {
      this.problems.push(message);
    }
  }

  /** Record every message of a list of problems. */
  public addAll(messages: readonly string[]): void {
    this.problems.push(...messages);
  }

  /** An optional integer prop must lie in [min, max]. */
  public integerInRange(prop: string, value: number | undefined, min: number, max: number, unit?: string): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    if (typeof value !== 'number') {
      // From JavaScript, e.g. a string read from the environment: say the type, not just the value.
      this.problems.push(`${prop} must be a number (a whole number ${range}${unit ? ` ${unit}` : ''}), got a ${typeof value}: ${describeValue(value)}.`);
      return;
    }
    this.check(
      typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
      `${prop} must be a whole number ${range}${unit ? ` ${unit}` : ''} (got ${describeValue(value)}).`,
    );
  }

  /**
   * An optional Duration prop must lie in [min, max]. A value that is not a Duration (from
   * JavaScript) and a unit that cannot be converted are reported with the prop's name.
   *
   * @param wholeSeconds also require a whole number of seconds
   */
  public durationInRange(prop: string, value: Duration | undefined, min: Duration, max: Duration, wholeSeconds = false): void {
    if (value === undefined) {
      return;
    }
    if (typeof (value as Partial<Duration>).toMilliseconds !== 'function' || typeof (value as Partial<Duration>).isUnresolved !== 'function') {
      this.problems.push(`${prop} must be a Duration, e.g. Duration.seconds(30) (got ${describeValue(value)}).`);
      return;
    }
    if (value.isUnresolved()) {
      return;
    }
    const ms = value.toMilliseconds({ integral: false });
    const ok = ms >= min.toMilliseconds() && ms <= max.toMilliseconds() && (!wholeSeconds || ms % 1000 === 0);
    this.check(ok, `${prop} must be ${wholeSeconds ? 'a whole number of seconds ' : ''}between ${min.toHumanString()} and ${max.toHumanString()} (got ${value.toHumanString()}).`);
  }

  /** A URL path prop must start with `/` and contain no query, fragment or whitespace. */
  public path(prop: string, value: string): void {
    if (Token.isUnresolved(value)) {
      return;
    }
    this.check(
      /^\/[^\s?#]*$/.test(value),
      `${prop} must be a URL path that starts with "/" and has no query string (got "${value}"), e.g. "/healthz".`,
    );
  }

  /**
   * A health or readiness path must not be the MCP path: a GET there answers 405 or 406, which
   * health checkers count as healthy (or never as healthy).
   *
   * @param checker who polls the path, e.g. "the Web Adapter"
   */
  public notMcpPath(prop: string, value: string, mcpPath: string, checker: string): void {
    if (Token.isUnresolved(value) || Token.isUnresolved(mcpPath)) {
      return;
    }
    this.check(
      value !== mcpPath,
      `${prop} must not be the MCP path (got ${value}): a GET there answers 405 or 406, which ${checker} cannot read as health. Point it at a health path such as /healthz.`,
    );
  }

  /**
   * Environment variable names: valid POSIX-style names, none of the reserved ones.
   *
   * @param reserved reserved names, each with the reason (what to use instead)
   */
  public environmentNames(prop: string, environment: { [name: string]: string } | undefined, reserved: { [name: string]: string } = {}): void {
    for (const name of Object.keys(environment ?? {})) {
      if (Token.isUnresolved(name)) {
        continue;
      }
      const reason = reserved[name];
      if (reason) {
        this.problems.push(`${prop} must not set ${name}: ${reason}.`);
      } else if (!ENVIRONMENT_NAME.test(name)) {
        this.problems.push(`${prop} has "${name}", which is not a valid environment variable name (letters, digits, underscores, not starting with a digit).`);
      }
    }
  }

  /** Throw one error listing every recorded problem. */
  public throwIfAny(): void {
    const who = this.scope && this.scope.node.path ? `${this.constructName} '${this.scope.node.path}'` : this.constructName;
    if (this.problems.length === 1) {
      throw new Error(`${who}: ${this.problems[0]}`);
    }
    if (this.problems.length > 1) {
      throw new Error(`${who} has ${this.problems.length} problems:\n- ${this.problems.join('\n- ')}`);
    }
  }
}

/** A valid environment variable name. */
const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A prop value as a message shows it: tokens as such, strings quoted, the type of the rest. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? 'a token' : JSON.stringify(value);
  }
  if (typeof value === 'number') {
    return Token.isUnresolved(value) ? 'a token' : String(value);
  }
  if (value === null || value === undefined) {
    return String(value);
  }
  return `a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`;
}

/** Characters CloudWatch accepts in a namespace, minus `/` (a service name is one path segment). */
const SERVICE_NAME = /^[A-Za-z0-9 ._#:-]{1,255}$/;
/** Characters CloudWatch accepts in a namespace. */
const NAMESPACE = /^[A-Za-z0-9 ._#:/-]{1,255}$/;

/**
 * Problems with a service name used as the `ServiceName` metric dimension and as a segment of the
 * log-metric namespace. Tokens are not checked.
 */
export function validateServiceName(propName: string, value: string): string[] {
  if (Token.isUnresolved(value)) {
    return [];
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('://')) {
    return [`\`${propName}\` is '${value}', which is a URL; use a short stable name such as 'orders-mcp' (dimensions must stay low-cardinality and free of secrets).`];
  }
  if (!SERVICE_NAME.test(value) || value.trim() !== value) {
    return [`\`${propName}\` is '${value}'; use 1 to 255 letters, digits, spaces or . _ - # : (no leading or trailing space), e.g. 'orders-mcp'.`];
  }
  return [];
}

/** Problems with a CloudWatch namespace. Tokens are not checked. */
export function validateMetricNamespace(propName: string, value: string): string[] {
  if (Token.isUnresolved(value)) {
    return [];
  }
  if (!NAMESPACE.test(value) || value.startsWith('AWS/') || value.trim() !== value) {
    return [`\`${propName}\` is '${value}'; a CloudWatch namespace has 1 to 255 letters, digits, spaces or . _ - / # :, and must not start with 'AWS/'.`];
  }
  return [];
}
