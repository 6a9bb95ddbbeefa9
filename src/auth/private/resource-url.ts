import { Token } from 'aws-cdk-lib';
import { ValidationErrors } from '../../private/validation';

/**
 * The canonical URL of an MCP endpoint, as the MCP authorization spec wants it for `resource`
 * (RFC 8707 resource indicator, RFC 9728 `resource`): `https`, a host, no fragment, no query,
 * no trailing slash (the spec's "SHOULD NOT", kept strict so the metadata, the audience and the
 * URL clients type are the same string). Unresolved tokens are not checked.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#canonical-server-uri
 */
export function checkResourceUrl(errors: ValidationErrors, prop: string, value: string): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  const problem = resourceUrlProblem(value);
  errors.check('cdk-mcp:oauthResourceUrl', problem === undefined,
    `${prop} is ${JSON.stringify(value)}, which ${problem}. Use the URL clients configure, e.g. "https://mcp.example.com/mcp".`);
}

/** What is wrong with `value` as a canonical MCP URL, or `undefined` when nothing is. */
export function resourceUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:') {
    return 'is not https (MCP authorization requires https for every URL but loopback)';
  }
  if (value.includes('#')) {
    return 'has a fragment (RFC 8707 forbids one in a resource indicator)';
  }
  if (value.includes('?')) {
    return 'has a query (RFC 9728: a resource identifier has none)';
  }
  if (value.endsWith('/')) {
    return 'ends with a slash (the MCP spec says a canonical URL SHOULD NOT: clients compare the strings)';
  }
  if (url.username !== '' || url.password !== '') {
    return 'carries credentials';
  }
  return undefined;
}

/** An https URL without fragment, for an issuer or endpoint of an authorization server (rule `cdk-mcp:oauthHttpsUrl`). */
export function checkHttpsUrl(errors: ValidationErrors, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  let ok = false;
  try {
    const url = new URL(value);
    ok = url.protocol === 'https:' && url.hash === '' && !value.includes('#') && url.search === '';
  } catch {
    ok = false;
  }
  errors.check('cdk-mcp:oauthHttpsUrl', ok,
    `${prop} is ${JSON.stringify(value)}: it must be an absolute https URL without query or fragment (OAuth 2.1 requires https for authorization-server endpoints), e.g. "https://login.example.com/".`);
}
