/**
 * A stable hash of a tool list: the same tools give the same hash whatever the order of the
 * tools or of the keys in their schemas, so a deploy pipeline can pin it and detect drift.
 *
 * The hash is sha256 over the canonical JSON of the sorted list. It is computed tool by tool
 * ({@link canonicalTool}, then {@link ToolsDigest}) so a long list never becomes one giant string
 * and the tool objects themselves need not be kept.
 */
import * as crypto from 'node:crypto';
import { TOOLS_HASH_PREFIX, TOOLS_HASH_PRINTED_HEX_DIGITS } from '../../src/contract/tools-hash-format';

/**
 * The value, or a copy with every object's keys sorted, recursively, where they were not (copy on
 * need): objects already in order are reused as they are, so canonical JSON costs one walk plus one
 * native JSON.stringify.
 */
function sortedKeys(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Server JSON was depth-checked when parsed; this only keeps a caller's cyclic or absurd value finite.
  if (depth > 1_000) return '…';
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = sortedKeys(value[i], depth + 1);
      if (item !== value[i] && !copy) copy = value.slice(0, i);
      copy?.push(item);
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) ordered = keys[i - 1] < keys[i];
  if (!ordered) {
    const copy: Record<string, unknown> = {};
    for (const key of keys.sort()) copy[key] = sortedKeys(record[key], depth + 1);
    return copy;
  }
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const child = sortedKeys(record[keys[i]], depth + 1);
    if (child !== record[keys[i]] && !copy) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]] = record[keys[j]];
    }
    if (copy) copy[keys[i]] = child;
  }
  return copy ?? value;
}

/** What the hash covers of one tool: its name and the canonical JSON of the parts clients depend on. */
export interface CanonicalTool {
  readonly name: string;
  readonly json: string;
}

/** The members of a tool the hash covers, in canonical (sorted) order. */
const HASHED_MEMBERS = ['annotations', 'description', 'inputSchema', 'name', 'outputSchema'] as const;

/**
 * The canonical form of one tool: name, description, input and output schemas and annotations
 * (not `_meta`, titles or icons), as JSON with every object's keys sorted. The members are
 * picked in sorted order into one object and serialised in one native call.
 */
export function canonicalTool(tool: Record<string, unknown>): CanonicalTool {
  const picked: Record<string, unknown> = {};
  for (let i = 0; i < HASHED_MEMBERS.length; i++) {
    const member = HASHED_MEMBERS[i];
    const value = tool[member];
    if (value !== undefined) picked[member] = sortedKeys(value, 1);
  }
  return { name: String(tool.name), json: JSON.stringify(picked) };
}

/** Node's one-shot digest (`crypto.hash`, Node.js 20.12 and later; not yet in the type definitions). */
const oneShotHash = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** The full sha256 digest (64 hex digits) of canonical tools, sorted by name (stable). */
export function toolsDigest(tools: readonly CanonicalTool[]): string {
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let hash: crypto.Hash | undefined;
  // Buffer small updates: one native call per ~64 KiB rather than per tool.
  let buffer = '[';
  for (let i = 0; i < sorted.length; i++) {
    buffer += i === 0 ? sorted[i].json : `,${sorted[i].json}`;
    if (buffer.length >= 65_536) {
      hash ??= crypto.createHash('sha256');
      hash.update(buffer, 'utf8');
      buffer = '';
    }
  }
  buffer += ']';
  // A list that fits in one buffer (the usual case) is digested in one call, without a Hash object.
  if (!hash && oneShotHash) return oneShotHash('sha256', buffer, 'hex');
  hash ??= crypto.createHash('sha256');
  hash.update(buffer, 'utf8');
  return hash.digest('hex');
}

/** The printed form of a digest: `sha256:` and its first 16 hex digits. */
export function printedHash(digest: string): string {
  return `${TOOLS_HASH_PREFIX}${digest.slice(0, TOOLS_HASH_PRINTED_HEX_DIGITS)}`;
}

/**
 * Hashes what a client depends on in each tool (see {@link canonicalTool}), sorted by tool name.
 *
 * @param tools the `tools` of every `tools/list` page
 * @returns `sha256:` followed by the first 16 hex digits of the digest
 */
export function toolsHash(tools: ReadonlyArray<Record<string, unknown>>): string {
  return printedHash(toolsDigest(tools.map(canonicalTool)));
}
