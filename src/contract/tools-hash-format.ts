/**
 * The format of a tools hash, as the probe prints it and as `McpCanary.expectedToolsHash` and
 * `mcp-probe --expect-tools-hash` accept it. One rule, one place.
 *
 * Internal: not exported from the package's public API. No aws-cdk-lib imports.
 */

/** The prefix of every printed tools hash. */
export const TOOLS_HASH_PREFIX = 'sha256:';

/** How many hex digits of the sha256 digest the probe prints. */
export const TOOLS_HASH_PRINTED_HEX_DIGITS = 16;

/**
 * An accepted expected hash: an optional `sha256:` prefix and 16 to 64 hex digits (a prefix of
 * the full sha256 digest, from the printed 16 digits to the whole digest), any case.
 */
export const TOOLS_HASH_PATTERN = /^(sha256:)?[0-9a-fA-F]{16,64}$/;

/** A readable description of {@link TOOLS_HASH_PATTERN} for error messages. */
export const TOOLS_HASH_FORMAT_DESCRIPTION = '"sha256:" (optional) followed by 16 to 64 hex digits, as mcp-probe prints it';

/** Whether `value` is an accepted expected tools hash. */
export function isToolsHash(value: string): boolean {
  return TOOLS_HASH_PATTERN.test(value.trim());
}

/**
 * Whether a computed hash (`sha256:` + 64 hex digits of the full digest, or the printed 16) matches
 * an expected one: the expected digits must be a prefix of the computed digest, ignoring case.
 */
export function toolsHashMatches(expected: string, fullDigestHex: string): boolean {
  const want = expected.trim().toLowerCase().replace(/^sha256:/, '');
  return fullDigestHex.toLowerCase().startsWith(want);
}
