import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The stable id of one validation rule: `cdk-mcp:` and a camelCase name, e.g.
 * `cdk-mcp:memorySizeRange`. Tests and docs name it; it never changes with the message text.
 * Warnings (`Annotations.addWarningV2`) use the same form.
 */
export type ProblemId = `cdk-mcp:${string}`;

/** One problem with a construct's props: its rule's id and a message naming the prop, the value and the fix. */
export interface ValidationProblem {
  readonly id: ProblemId;
  readonly message: string;
}

/**
 * The id a helper gives a rule about `prop`: the prop in camelCase (separators dropped) followed
 * by the rule, e.g. `derivedId('certificateExpiryAlarm.minDaysRemaining', 'Range')` is
 * `cdk-mcp:certificateExpiryAlarmMinDaysRemainingRange`.
 */
export function derivedId(prop: string, rule: string): ProblemId {
  const camel = prop.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
  return `cdk-mcp:${camel.charAt(0).toLowerCase()}${camel.slice(1)}${rule}`;
}

/** Options of {@link ValidationErrors.durationInRange}. */
export interface DurationRangeOptions {
  /** Also require a whole number of seconds (the message then states the range in seconds). */
  readonly wholeSeconds?: boolean;
  /** Why the range is what it is, e.g. "the load balancer accepts 1 to 4000 seconds". */
  readonly why?: string;
}

/**
 * The one validation idiom of the library: a construct (or a static factory) collects every
 * problem with its props, each with the stable id of its rule and a message naming the prop, the
 * value given and the fix, and throws once, so a user fixes them all in one round. The thrown
 * message names the construct and its path, and ends every problem with its id in brackets:
 *
 * ```
 * McpLambdaService 'Stack/Service': memorySize must be a whole number between 128 and 10240 MiB (got 64). [cdk-mcp:memorySizeRange]
 * ```
 *
 * Values that are unresolved tokens are skipped: they are only known at deploy time (token-valued
 * props never drop resources either: see the callers).
 */
export class ValidationErrors {
  /**
   * Throw the one problem `id` at once, in the form of {@link throwIfAny}: for a factory or a bind
   * step that cannot go on (a missing directory, a missing bundler).
   */
  public static fail(id: ProblemId, constructName: string, message: string, scope?: IConstruct): never {
    const errors = new ValidationErrors(constructName, scope);
    errors.check(id, false, message);
    errors.throwIfAny();
    throw new Error('unreachable');
  }

  private readonly problems: ValidationProblem[] = [];

  /**
   * @param constructName the construct's class name, e.g. `McpLambdaService`, or the static
   * factory, e.g. `McpCanaryAuth.headerFromSecret`
   * @param scope the construct, so the message names its path when it has one
   */
  constructor(private readonly constructName: string, private readonly scope?: IConstruct) {}

  /** Record the problem `id` with `message` unless `ok`. */
  public check(id: ProblemId, ok: boolean, message: string): void {
    if (!ok) {
      this.problems.push({ id, message });
    }
  }

  /** Record problems found elsewhere (e.g. while resolving the network), each with its id. */
  public addProblems(problems: readonly ValidationProblem[]): void {
    this.problems.push(...problems);
  }

  /**
   * An optional integer prop must lie in [min, max].
   *
   * @param id the rule's id; default `cdk-mcp:<prop>Range`
   */
  public integerInRange(prop: string, value: number | undefined, min: number, max: number, unit?: string, id: ProblemId = derivedId(prop, 'Range')): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    if (typeof value !== 'number') {
      // From JavaScript, e.g. a string read from the environment: say the type, not just the value.
      this.check(id, false, `${prop} must be a number (a whole number ${range}${unit ? ` ${unit}` : ''}), got a ${typeof value}: ${describeValue(value)}.`);
      return;
    }
    this.check(
      id,
      Number.isInteger(value) && value >= min && value <= max,
      `${prop} must be a whole number ${range}${unit ? ` ${unit}` : ''} (got ${describeValue(value)}).`,
    );
  }

  /**
   * `low` must not exceed `high` (e.g. `minTaskCount` and `maxTaskCount`). Tokens are not compared.
   *
   * @param why what goes wrong otherwise, e.g. "Lambda rejects it at deploy"
   * @param id the rule's id; default `cdk-mcp:<lowProp>Above<HighProp>`
   */
  public notAbove(lowProp: string, low: number, highProp: string, high: number, why?: string,
    id: ProblemId = derivedId(lowProp, `Above${highProp.charAt(0).toUpperCase()}${highProp.slice(1)}`)): void {
    if (Token.isUnresolved(low) || Token.isUnresolved(high)) {
      return;
    }
    this.check(id, low <= high,
      `${lowProp} (${low}) must not exceed ${highProp} (${high})${why ? `: ${why}` : ''}. Raise ${highProp} to at least ${low}, or lower ${lowProp}.`);
  }

  /**
   * An optional Duration prop must lie in [min, max]. A value that is not a Duration (from
   * JavaScript) is reported with the prop's name; tokens are skipped.
   *
   * @param id the rule's id; default `cdk-mcp:<prop>Range`
   */
  public durationInRange(prop: string, value: Duration | undefined, min: Duration, max: Duration, options: DurationRangeOptions = {},
    id: ProblemId = derivedId(prop, 'Range')): void {
    if (value === undefined) {
      return;
    }
    if (!isDuration(value)) {
      this.check(id, false, `${prop} must be a Duration, e.g. Duration.seconds(30) (got ${describeValue(value)}).`);
      return;
    }
    if (value.isUnresolved()) {
      return;
    }
    const ms = value.toMilliseconds({ integral: false });
    const whole = options.wholeSeconds ?? false;
    const ok = ms >= min.toMilliseconds() && ms <= max.toMilliseconds() && (!whole || ms % 1000 === 0);
    const range = whole
      ? `a whole number of seconds from ${min.toSeconds()} to ${max.toSeconds()}`
      : `between ${min.toHumanString()} and ${max.toHumanString()}`;
    this.check(id, ok, `${prop} must be ${range} (got ${value.toHumanString()})${options.why ? `: ${options.why}` : ''}.`);
  }

  /** A URL path prop must start with `/` and contain no query, fragment or whitespace. */
  public path(prop: string, value: string): void {
    if (Token.isUnresolved(value)) {
      return;
    }
    this.check(
      derivedId(prop, 'Format'),
      /^\/[^\s?#]*$/.test(value),
      `${prop} must be a URL path that starts with "/" and has no query string, fragment or space (got "${value}"), e.g. "/healthz".`,
    );
  }

  /**
   * A health or readiness path must not be the MCP path: a GET there answers 405 or 406.
   * Rule `cdk-mcp:healthPathIsMcpPath`.
   *
   * @param consequence what that does to the health check, e.g. "so every task would be marked unhealthy"
   */
  public notMcpPath(prop: string, value: string, mcpPath: string, consequence: string): void {
    if (Token.isUnresolved(value) || Token.isUnresolved(mcpPath)) {
      return;
    }
    this.check(
      'cdk-mcp:healthPathIsMcpPath',
      value !== mcpPath,
      `${prop} must not be the MCP path (got "${value}"): a GET there answers 405 or 406, ${consequence}. Point it at a health path such as "/healthz".`,
    );
  }

  /**
   * Environment variable names: valid POSIX-style names (rule `cdk-mcp:environmentNameFormat`),
   * none of the reserved ones (rule `cdk-mcp:reservedEnvironmentName`).
   *
   * @param names the variables (or secrets) by name; only the names are checked
   * @param reserved reserved names, each with the reason (what to use instead)
   */
  public environmentNames(
    prop: string, names: { readonly [name: string]: unknown } | undefined, reserved: { readonly [name: string]: string } = {},
  ): void {
    for (const name of Object.keys(names ?? {})) {
      if (Token.isUnresolved(name)) {
        continue;
      }
      const reason = reserved[name];
      if (reason) {
        this.check('cdk-mcp:reservedEnvironmentName', false, `${prop} must not set ${name}: ${reason}.`);
      } else {
        this.check('cdk-mcp:environmentNameFormat', ENVIRONMENT_NAME.test(name),
          `${prop} key "${name}" is not a valid environment variable name: use letters, digits and underscores, not starting with a digit.`);
      }
    }
  }

  /**
   * A name used as the `ServiceName` metric dimension and as a segment of the log-metric
   * namespace (rules `cdk-mcp:serviceNameIsUrl`, `cdk-mcp:serviceNameCharacters`). Tokens are not checked.
   */
  public metricServiceName(prop: string, value: string): void {
    if (Token.isUnresolved(value)) {
      return;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('://')) {
      this.check('cdk-mcp:serviceNameIsUrl', false,
        `${prop} is "${value}", which is a URL: use a short stable name such as "orders-mcp" (metric dimensions must stay low-cardinality and free of secrets).`);
      return;
    }
    this.check('cdk-mcp:serviceNameCharacters', METRIC_SERVICE_NAME.test(value) && value.trim() === value,
      `${prop} is "${value}": use ${METRIC_SERVICE_NAME_DESCRIPTION}, e.g. "orders-mcp".`);
  }

  /** A CloudWatch namespace (rule `cdk-mcp:metricNamespaceFormat`). Tokens are not checked. */
  public metricNamespace(prop: string, value: string): void {
    if (Token.isUnresolved(value)) {
      return;
    }
    this.check('cdk-mcp:metricNamespaceFormat', NAMESPACE.test(value) && !value.startsWith('AWS/') && value.trim() === value,
      `${prop} is "${value}": use 1 to 255 letters, digits, spaces or . _ - / # : (no leading or trailing space, not starting with "AWS/"), e.g. "MCP".`);
  }

  /** Throw one error listing every recorded problem, each followed by its id. */
  public throwIfAny(): void {
    if (this.problems.length === 0) {
      return;
    }
    const who = this.scope && this.scope.node.path ? `${this.constructName} '${this.scope.node.path}'` : this.constructName;
    const lines = this.problems.map((p) => `${p.message} [${p.id}]`);
    if (lines.length === 1) {
      throw new Error(`${who}: ${lines[0]}`);
    }
    throw new Error(`${who} has ${lines.length} problems:\n- ${lines.join('\n- ')}`);
  }
}

/** Whether `value` is a Duration (a value from JavaScript may be a number or a string instead). */
export function isDuration(value: unknown): value is Duration {
  const d = value as Partial<Duration> | undefined;
  return typeof d?.toMilliseconds === 'function' && typeof d?.isUnresolved === 'function';
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
const METRIC_SERVICE_NAME = /^[A-Za-z0-9 ._#:-]{1,255}$/;

/** {@link METRIC_SERVICE_NAME} in words, as the props' docs state it. */
const METRIC_SERVICE_NAME_DESCRIPTION = '1 to 255 letters, digits, spaces or . _ - # : (no leading or trailing space)';

/** Characters CloudWatch accepts in a namespace. */
const NAMESPACE = /^[A-Za-z0-9 ._#:/-]{1,255}$/;
