import { Token } from 'aws-cdk-lib';
import { HEADER_NAME_DESCRIPTION, isHeaderName } from '../../contract/http-names';
import { describeValue, ValidationErrors } from '../../private/validation';

/** Header names the probe sets itself (lower case), each with the reason: no prop may set them. */
export const PROBE_HEADERS: { readonly [lowerCaseName: string]: string } = {
  'content-type': 'the probe sets it per request',
  'content-length': 'the probe sets it per request',
  'accept': 'the probe sets it per request',
  'host': 'it is derived from `url`',
  'mcp-protocol-version': 'the probe negotiates the protocol version',
  'mcp-session-id': 'the probe manages sessions',
  'mcp-method': 'the probe sets it per request',
  'mcp-name': 'the probe sets it per request',
};

/**
 * A header name a prop gives: an HTTP header name known at synth time (rule
 * `cdk-mcp:headerNameFormat`), none of `reserved` (rule `cdk-mcp:reservedHeader`).
 *
 * @param prop the prop, e.g. "headers key" or "headerName"
 * @param reserved lower-case names with the reason each is refused
 * @returns whether the name passed
 */
export function checkHeaderName(
  errors: ValidationErrors, prop: string, name: string, reserved: { readonly [lowerCaseName: string]: string },
): boolean {
  if (Token.isUnresolved(name) || !isHeaderName(name)) {
    // A token is refused too: the canary's environment needs the name at synth time.
    errors.check('cdk-mcp:headerNameFormat', false, `${prop} is ${describeValue(name)}, which is not a header name: use ${HEADER_NAME_DESCRIPTION}, e.g. "X-Api-Key".`);
    return false;
  }
  const reason = reserved[name.toLowerCase()];
  errors.check('cdk-mcp:reservedHeader', reason === undefined, `${prop} is "${name}", which no prop may set: ${reason}. Remove it, or name another header.`);
  return reason === undefined;
}
