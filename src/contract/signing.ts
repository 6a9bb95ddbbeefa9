/**
 * AWS request-signing names shared by the constructs (synth time), the probe, the CLI and the
 * canary (run time): one Region-name rule and one default signing service.
 */

/**
 * An AWS Region name such as `us-east-1`, `eu-central-2` or `us-gov-west-1`: a two-letter
 * prefix, one or more words, a number. A shape check, not a list (new Regions pass).
 */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Whether every entry of a SigV4a Region set is `*` or a Region name (and there is one at least). */
export function isRegionSet(regions: readonly unknown[]): boolean {
  return regions.length > 0 && regions.every((region) => region === '*' || (typeof region === 'string' && REGION_NAME.test(region)));
}

/**
 * The signing service name of Lambda Function URLs and Lambda Web Function endpoints. For Web
 * Functions it is the control plane's (botocore `lambda-web/2025-03-07` metadata `signingName`);
 * the data plane's is unconfirmed (see `McpCanaryAuth.sigV4ForWebFunction`).
 */
export const DEFAULT_SIGNING_SERVICE = 'lambda';
