/**
 * The syntax of an HTTP header name, shared by the constructs (synth-time checks of
 * `McpCanary.headers`, `McpCanaryAuth.headerSecret`) and the run-time code (the probe's option
 * checks, the canary's configuration, SEP-2243 parameter headers). One rule, one place.
 *
 * Internal: not exported from the package's public API. No aws-cdk-lib imports.
 */

/**
 * An RFC 9110 `token`: the syntax of a header name (`field-name = token`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.1
 */
export const HEADER_NAME_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A readable description of {@link HEADER_NAME_PATTERN} for error messages. */
export const HEADER_NAME_DESCRIPTION = "an RFC 9110 token: letters, digits and ! # $ % & ' * + - . ^ _ ` | ~";

/** Whether `name` is a valid HTTP header name. */
export function isHeaderName(name: string): boolean {
  return HEADER_NAME_PATTERN.test(name);
}
