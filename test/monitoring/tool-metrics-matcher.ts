/**
 * A matcher of CloudWatch Logs' JSON filter pattern syntax, for the operators the tool-metric
 * patterns use, after https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html:
 * `{ ... }` around the expression; `$.a.b` selectors into nested objects; `=` and `!=` against a
 * quoted string (exact) or a number (numeric); `= *` (the field is present); `IS TRUE`;
 * `NOT EXISTS`; `&&`, `||` and parentheses. A comparison on a field that is absent is false (only
 * `NOT EXISTS` matches it). Anything else throws, so a pattern outside this subset fails the test
 * instead of being matched wrongly.
 */

type Node = (record: unknown) => boolean;

const TOKEN = /\s*(\$\.[A-Za-z0-9_.]+|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|&&|\|\||!=|=|\(|\)|\*|IS TRUE|NOT EXISTS)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let rest = text;
  while (rest.trim().length > 0) {
    TOKEN.lastIndex = 0;
    const m = TOKEN.exec(rest);
    if (!m) throw new Error(`unsupported filter syntax at: ${rest}`);
    tokens.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return tokens;
}

function select(record: unknown, selector: string): { present: boolean; value?: unknown } {
  let value: unknown = record;
  for (const key of selector.slice(2).split('.')) {
    if (value === null || typeof value !== 'object' || !(key in (value as object))) return { present: false };
    value = (value as { [k: string]: unknown })[key];
  }
  return { present: true, value };
}

/** Compiles a JSON filter pattern (`{ ... }`) into a predicate on a parsed record. */
export function compileFilterPattern(pattern: string): Node {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const tokens = tokenize(trimmed.slice(1, -1));
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];

  /** Operands of `next` joined by `op`, left to right. */
  function chain(op: string, operand: () => Node, join: (l: boolean, r: () => boolean) => boolean): Node {
    let left = operand();
    while (peek() === op) {
      next();
      const l = left;
      const r = operand();
      left = (rec) => join(l(rec), () => r(rec));
    }
    return left;
  }
  function or(): Node {
    return chain('||', and, (l, r) => l || r());
  }
  function and(): Node {
    return chain('&&', term, (l, r) => l && r());
  }
  function term(): Node {
    const t = next();
    if (t === '(') {
      const inner = or();
      if (next() !== ')') throw new Error(`missing ) in ${pattern}`);
      return inner;
    }
    if (!t?.startsWith('$.')) throw new Error(`expected a selector, got ${t} in ${pattern}`);
    const op = next();
    if (op === 'IS TRUE') return (rec) => select(rec, t).value === true;
    if (op === 'NOT EXISTS') return (rec) => !select(rec, t).present;
    if (op !== '=' && op !== '!=') throw new Error(`unsupported operator ${op} in ${pattern}`);
    const operand = next();
    const negate = op === '!=';
    if (operand === '*') {
      if (negate) throw new Error('!= * is not used');
      return (rec) => select(rec, t).present;
    }
    const compare = operand.startsWith('"')
      ? (v: unknown) => v === JSON.parse(operand)
      : (v: unknown) => typeof v === 'number' && v === Number(operand);
    return (rec) => {
      const s = select(rec, t);
      if (!s.present) return false;
      return negate ? !compare(s.value) : compare(s.value);
    };
  }

  const node = or();
  if (i !== tokens.length) throw new Error(`trailing tokens ${tokens.slice(i).join(' ')} in ${pattern}`);
  return node;
}

/** Whether a log line (a JSON record) matches `pattern`. */
export function matches(pattern: string, line: string): boolean {
  return compileFilterPattern(pattern)(JSON.parse(line));
}
