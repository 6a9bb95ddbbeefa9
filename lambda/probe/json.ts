/**
 * JSON from a server, handled without trusting its shape: a parse that never throws and rejects
 * absurd nesting, and a bounded serialiser for messages that never recurses deeper than it may,
 * so no stack overflow can escape.
 */

/** The deepest nesting accepted in a server's JSON (JSON Schemas of real tools stay far below). */
export const MAX_JSON_DEPTH = 64;

/** A parsed body, or why it could not be used. */
export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: 'invalid' | 'too-deep' };

/** Parses JSON without throwing; nesting deeper than {@link MAX_JSON_DEPTH} is refused. */
export function parseJson(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  return depthExceeds(value, MAX_JSON_DEPTH) ? { ok: false, reason: 'too-deep' } : { ok: true, value };
}

/** Whether a parsed value nests deeper than `limit` (iterative: safe on any depth). */
export function depthExceeds(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  // Two parallel stacks (no tuple per node) and indexed walks (no array of values per object).
  const nodes: object[] = [value];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth >= limit) return true;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (child !== null && typeof child === 'object') {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    const keys = Object.keys(node);
    for (let i = 0; i < keys.length; i++) {
      const child: unknown = (node as Record<string, unknown>)[keys[i]];
      if (child !== null && typeof child === 'object') {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** Receives serialised text; returns false to stop the serialiser (a full preview). */
export type JsonSink = (text: string) => boolean;

/**
 * Serialises a JSON value into `sink`; values nested deeper than `maxDepth` are written as
 * `"…"`. Returns false when the sink asked to stop.
 */
export function writeJson(value: unknown, sink: JsonSink, maxDepth = MAX_JSON_DEPTH, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return sink(JSON.stringify(value) ?? 'null');
  if (depth >= maxDepth) return sink('"…"');
  if (Array.isArray(value)) {
    if (!sink('[')) return false;
    for (let i = 0; i < value.length; i++) {
      if ((i > 0 && !sink(',')) || !writeJson(value[i], sink, maxDepth, depth + 1)) return false;
    }
    return sink(']');
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  if (!sink('{')) return false;
  for (let i = 0; i < keys.length; i++) {
    if ((i > 0 && !sink(',')) || !sink(`${JSON.stringify(keys[i])}:`) || !writeJson(record[keys[i]], sink, maxDepth, depth + 1)) return false;
  }
  return sink('}');
}

/** At most `max` characters of a value's JSON, for a message; never throws. */
export function previewJson(value: unknown, max = 200): string {
  let out = '';
  const complete = writeJson(value, (text) => {
    out += text;
    return out.length <= max;
  }, 8);
  return complete ? out : `${out.slice(0, max)}…`;
}

/** The JSON type of a value (`null`, `an array`, `an object`, `a number`...), for a message that must not show the value. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
