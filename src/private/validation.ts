import { Token } from 'aws-cdk-lib';

/**
 * Collects every problem with a construct's props and throws once, so a user fixes them all in
 * one round. Values that are unresolved tokens are skipped: they are only known at deploy time.
 */
export class ValidationErrors {
  private readonly problems: string[] = [];

  constructor(private readonly constructName: string) {}

  /** Record `message` unless `ok`. */
  public check(ok: boolean, message: string): void {
    if (!ok) {
      this.problems.push(message);
    }
  }

  /** An optional integer prop must lie in [min, max]. */
  public integerInRange(prop: string, value: number | undefined, min: number, max: number, unit?: string): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    this.check(
      Number.isInteger(value) && value >= min && value <= max,
      `${prop} must be a whole number ${range}${unit ? ` ${unit}` : ''} (got ${value}).`,
    );
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

  /** Throw one error listing every recorded problem. */
  public throwIfAny(): void {
    if (this.problems.length === 1) {
      throw new Error(`${this.constructName}: ${this.problems[0]}`);
    }
    if (this.problems.length > 1) {
      throw new Error(`${this.constructName} has ${this.problems.length} problems:\n- ${this.problems.join('\n- ')}`);
    }
  }
}
