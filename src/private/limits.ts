import { Token } from 'aws-cdk-lib';
import { ValidationErrors } from './validation';

/**
 * Lambda's limit on the total size of a function's environment variables: "4 KB" for all
 * variables together, counted as the keys and values
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, "Function
 * configuration, deployment, and execution": Environment variables, 4 KB).
 */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/**
 * The size in bytes of a Lambda environment (keys plus values, UTF-8). Entries whose key or value
 * is a token (known only at deploy time) are left out, so with tokens the size is a lower bound.
 */
export function environmentBytes(environment: { readonly [key: string]: string }): { bytes: number; exact: boolean } {
  let bytes = 0;
  let exact = true;
  for (const [key, value] of Object.entries(environment)) {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) {
      exact = false;
      continue;
    }
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  return { bytes, exact };
}

/**
 * The problem with an environment over Lambda's 4 KB, or undefined when it fits. Token entries
 * count as nothing, so only an environment that is surely too large is reported.
 *
 * @param what whose environment, e.g. "the server function's environment"
 * @param fix what to shorten
 */
export function environmentTooLarge(what: string, environment: { readonly [key: string]: string }, fix: string): string | undefined {
  const { bytes, exact } = environmentBytes(environment);
  if (bytes <= LAMBDA_ENVIRONMENT_MAX_BYTES) {
    return undefined;
  }
  return `${what} takes ${exact ? '' : 'at least '}${bytes} bytes (names plus values); Lambda allows ${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes in all and rejects the function at deploy. ${fix}`;
}

/**
 * An environment must fit in Lambda's 4 KB (rule `cdk-mcp:lambdaEnvironmentSize`); see
 * {@link environmentTooLarge} for the arguments.
 */
export function checkEnvironmentSize(errors: ValidationErrors, what: string, environment: { readonly [key: string]: string }, fix: string): void {
  const problem = environmentTooLarge(what, environment, fix);
  errors.check('cdk-mcp:lambdaEnvironmentSize', problem === undefined, problem ?? '');
}

/**
 * A default text built from a construct path, cut to `max` characters by dropping the start of
 * the path (the end names the construct) and marking the cut with `...`; `prefix` and `suffix`
 * stay whole.
 *
 * Used where AWS limits the length: a Lambda description has at most 256 characters
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html, Description: "Length
 * Constraints: Minimum length of 0. Maximum length of 256"), an IAM role description at most 1000
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html, Description), a
 * security group description at most {@link SECURITY_GROUP_DESCRIPTION_MAX}, a tag value at most
 * {@link TAG_VALUE_MAX}.
 */
export function describePath(prefix: string, path: string, max: number, suffix = ''): string {
  const text = `${prefix}${path}${suffix}`;
  if (text.length <= max) {
    return text;
  }
  const keep = Math.max(0, max - prefix.length - suffix.length - 3);
  return `${prefix}...${path.slice(path.length - keep)}${suffix}`;
}

/**
 * A security group's description: "Up to 255 characters in length"
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html, GroupDescription).
 */
export const SECURITY_GROUP_DESCRIPTION_MAX = 255;

/**
 * A tag's value: at most 256 characters
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html, Value).
 */
export const TAG_VALUE_MAX = 256;

/** An IAM role's description: at most 1000 characters (see {@link describePath}). */
export const ROLE_DESCRIPTION_MAX = 1000;

/**
 * A stack output's description: "a literal string that's between 0 and 1024 bytes in length"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html).
 */
export const OUTPUT_DESCRIPTION_MAX = 1024;
