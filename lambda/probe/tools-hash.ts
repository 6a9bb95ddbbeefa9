/**
 * A stable hash of a tool list: the same tools give the same hash whatever the order of the
 * tools or of the keys in their schemas, so a deploy pipeline can pin it and detect drift.
 */
import { createHash } from 'node:crypto';

/** Serialises a JSON value with object keys sorted, recursively. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  }
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * Hashes what a client depends on in each tool: name, description, input and output schemas and
 * annotations (not `_meta`, titles or icons), sorted by tool name.
 *
 * @param tools the `tools` of every `tools/list` page
 * @returns `sha256:` followed by the first 16 hex digits of the digest
 */
export function toolsHash(tools: ReadonlyArray<Record<string, unknown>>): string {
  const relevant = tools
    .map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: t.inputSchema,
      outputSchema: t.outputSchema,
      annotations: t.annotations,
    }))
    .sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
  const digest = createHash('sha256').update(canonicalJson(relevant), 'utf8').digest('hex');
  return `sha256:${digest.slice(0, 16)}`;
}

/** Whether a hash given by a user (with or without the `sha256:` prefix) matches a computed one. */
export function hashMatches(expected: string, actual: string): boolean {
  const strip = (h: string) => h.trim().toLowerCase().replace(/^sha256:/, '');
  return strip(expected) === strip(actual);
}
