/**
 * SEP-2243 parameter headers, pure: which tool parameters a server asks to see as
 * `Mcp-Param-<name>` headers (`x-mcp-header` in the tool's input schema), and the encoding of a
 * value into a header (plain, or `=?base64?...?=`), as 2026-07-28 Streamable HTTP ("Custom headers
 * from tool parameters") has clients send them. No I/O.
 */
import { isJsonObject } from './json';
import { isHeaderName } from '../../src/contract/http-names';

/** One `x-mcp-header` parameter: its path through `properties`, and the header name it asks for. */
export interface HeaderParam {
  readonly path: readonly string[];
  readonly header: string;
}

const BASE64_PREFIX = '=?base64?';
const BASE64_SUFFIX = '?=';

/**
 * A header value as SEP-2243 has clients send it: plain when it is printable ASCII (0x20-0x7E)
 * with no leading or trailing whitespace, else `=?base64?<base64 of the UTF-8>?=`. Control
 * characters, tab included (0x00-0x1F, 0x7F), always take the Base64 form (2026-07-28 Streamable
 * HTTP, "Custom headers from tool parameters"; the conformance scenario `http-custom-headers`
 * checks the tab case).
 */
export function encodeHeaderValue(value: string): string {
  const plain = value !== '' && value === value.trim() && /^[\x20-\x7e]*$/.test(value) && !(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX));
  return plain ? value : `${BASE64_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${BASE64_SUFFIX}`;
}

/**
 * The value a header carries, as a server reads what {@link encodeHeaderValue} wrote: the
 * Base64 form decoded as UTF-8, anything else as is. The probe only encodes; this is the other half
 * of the codec, for servers and tests.
 */
export function decodeHeaderValue(header: string): string {
  if (!(header.startsWith(BASE64_PREFIX) && header.endsWith(BASE64_SUFFIX))) return header;
  return Buffer.from(header.slice(BASE64_PREFIX.length, header.length - BASE64_SUFFIX.length), 'base64').toString('utf8');
}

/** The `x-mcp-header` parameters of a tool's input schema, reachable through `properties` only. */
export function mcpHeaderParams(schema: unknown): HeaderParam[] {
  const found: HeaderParam[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (!isJsonObject(node) || path.length > 16) return;
    const header = node['x-mcp-header'];
    if (path.length > 0 && typeof header === 'string' && isHeaderName(header) && ['string', 'integer', 'boolean'].includes(String(node.type))) {
      found.push({ path, header });
    }
    if (isJsonObject(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, [...path, key]);
    }
  };
  visit(schema, []);
  return found;
}

/** The `Mcp-Param-<name>` headers of one call: primitive argument values, encoded. */
export function paramHeaderValues(params: readonly HeaderParam[], args: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { path, header } of params) {
    let value: unknown = args;
    for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value))) {
      headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(String(value));
    }
  }
  return headers;
}
