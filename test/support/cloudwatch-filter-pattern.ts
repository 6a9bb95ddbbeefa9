/**
 * A small, faithful evaluator of the subset of CloudWatch Logs filter-pattern syntax this library
 * uses, so metric-filter patterns are tested against real sample log lines and not only for
 * presence in the template.
 *
 * Supported (per https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 * - Term patterns: bare words and double-quoted phrases, case-sensitive. Several terms without a
 *   prefix must all occur (AND); terms prefixed with `?` match when any of them occurs (OR); a term
 *   prefixed with `-` must not occur. An empty pattern matches every event.
 * - JSON patterns `{ ... }`: selectors `$.a.b` and `$.a[0]`, comparisons `=` `!=` (strings in
 *   double quotes with `*` wildcards, or numbers) and `<` `<=` `>` `>=` (numbers), combined with
 *   `&&` and `||` (`&&` binds tighter) and parentheses. An event that is not a JSON object never
 *   matches. A missing field never matches a comparison.
 * - `$.a IS TRUE` (the JSON boolean true), `$.a NOT EXISTS` (the field is absent), `$.a = *`
 *   (the field is present).
 * Anything else (space-delimited `[...]` patterns, `IS NULL`, `EXISTS`, regular expressions) is
 * rejected with an error rather than guessed.
 */

/** Whether a log event matches a filter pattern. */
export function matchesFilterPattern(pattern: string, event: string): boolean {
  const trimmed = pattern.trim();
  if (trimmed.startsWith('{')) {
    return matchJson(trimmed, event);
  }
  if (trimmed.startsWith('[')) {
    throw new Error(`space-delimited patterns are not supported by this evaluator: ${pattern}`);
  }
  return matchTerms(trimmed, event);
}

/**
 * The value a metric filter publishes for an event: a literal number, or a `$.selector` of a JSON
 * event; undefined when the event does not match or the selected field is not a number.
 */
export function metricValueOf(pattern: string, metricValue: string, event: string): number | undefined {
  if (!matchesFilterPattern(pattern, event)) {
    return undefined;
  }
  if (metricValue.startsWith('$.')) {
    const value = select(parseJsonObject(event), metricValue);
    return typeof value === 'number' ? value : undefined;
  }
  const literal = Number(metricValue);
  if (Number.isNaN(literal)) {
    throw new Error(`unsupported metric value ${metricValue}`);
  }
  return literal;
}

// --- Term patterns -------------------------------------------------------------------------

interface Term {
  readonly text: string;
  readonly kind: 'all' | 'any' | 'not';
}

function parseTerms(pattern: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < pattern.length) {
    if (/\s/.test(pattern[i])) {
      i++;
      continue;
    }
    let kind: Term['kind'] = 'all';
    if (pattern[i] === '?') {
      kind = 'any';
      i++;
    } else if (pattern[i] === '-') {
      kind = 'not';
      i++;
    }
    let text = '';
    if (pattern[i] === '"') {
      i++;
      while (i < pattern.length && pattern[i] !== '"') {
        if (pattern[i] === '\\' && i + 1 < pattern.length) {
          i++;
        }
        text += pattern[i];
        i++;
      }
      if (pattern[i] !== '"') {
        throw new Error(`unterminated quoted term in ${pattern}`);
      }
      i++;
    } else {
      while (i < pattern.length && !/\s/.test(pattern[i])) {
        text += pattern[i];
        i++;
      }
    }
    if (text === '') {
      throw new Error(`empty term in ${pattern}`);
    }
    terms.push({ text, kind });
  }
  return terms;
}

function matchTerms(pattern: string, event: string): boolean {
  const terms = parseTerms(pattern);
  const any = terms.filter((t) => t.kind === 'any');
  const all = terms.filter((t) => t.kind === 'all');
  const not = terms.filter((t) => t.kind === 'not');
  if (any.length > 0 && all.length > 0) {
    throw new Error(`mixing ?terms and plain terms is not supported: ${pattern}`);
  }
  if (not.some((t) => event.includes(t.text))) {
    return false;
  }
  if (any.length > 0) {
    return any.some((t) => event.includes(t.text));
  }
  return all.every((t) => event.includes(t.text));
}

// --- JSON patterns -------------------------------------------------------------------------

type Token =
  | { type: 'selector'; value: string }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'op'; value: '=' | '!=' | '<' | '<=' | '>' | '>=' }
  | { type: 'and' | 'or' | 'lparen' | 'rparen' | 'any' }
  | { type: 'test'; value: 'IS TRUE' | 'NOT EXISTS' };

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) {
      i++;
    } else if (body.startsWith('&&', i)) {
      tokens.push({ type: 'and' });
      i += 2;
    } else if (body.startsWith('||', i)) {
      tokens.push({ type: 'or' });
      i += 2;
    } else if (c === '(') {
      tokens.push({ type: 'lparen' });
      i++;
    } else if (c === ')') {
      tokens.push({ type: 'rparen' });
      i++;
    } else if (body.startsWith('IS TRUE', i) || body.startsWith('NOT EXISTS', i)) {
      const value = body.startsWith('IS TRUE', i) ? 'IS TRUE' : 'NOT EXISTS';
      tokens.push({ type: 'test', value });
      i += value.length;
    } else if (c === '*') {
      tokens.push({ type: 'any' });
      i++;
    } else if (c === '$') {
      const m = /^\$(?:\.[A-Za-z0-9_-]+|\[\d+\])+/.exec(body.slice(i));
      if (!m) throw new Error(`bad selector at ${body.slice(i)}`);
      tokens.push({ type: 'selector', value: m[0] });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < body.length && body[j] !== '"') {
        if (body[j] === '\\' && j + 1 < body.length) j++;
        text += body[j];
        j++;
      }
      if (body[j] !== '"') throw new Error(`unterminated string in ${body}`);
      tokens.push({ type: 'string', value: text });
      i = j + 1;
    } else if (/[!<>=]/.test(c)) {
      const m = /^(!=|<=|>=|=|<|>)/.exec(body.slice(i));
      if (!m) throw new Error(`bad operator at ${body.slice(i)}`);
      tokens.push({ type: 'op', value: m[0] as '=' });
      i += m[0].length;
    } else if (/[-0-9.]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(body.slice(i));
      if (!m) throw new Error(`bad number at ${body.slice(i)}`);
      tokens.push({ type: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else {
      throw new Error(`unsupported syntax at '${body.slice(i)}' (this evaluator knows selectors, comparisons, && || and parentheses)`);
    }
  }
  return tokens;
}

type Predicate = (doc: unknown) => boolean;

/** Recursive descent: or := and ('||' and)* ; and := primary ('&&' primary)* ; primary := '(' or ')' | comparison. */
function parseJsonPattern(pattern: string): Predicate {
  const body = pattern.trim();
  if (!body.endsWith('}')) {
    throw new Error(`JSON pattern must end with }: ${pattern}`);
  }
  const tokens = tokenize(body.slice(1, -1));
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  const parseOr = (): Predicate => {
    const parts = [parseAnd()];
    while (peek()?.type === 'or') {
      next();
      parts.push(parseAnd());
    }
    return (doc) => parts.some((p) => p(doc));
  };
  const parseAnd = (): Predicate => {
    const parts = [parsePrimary()];
    while (peek()?.type === 'and') {
      next();
      parts.push(parsePrimary());
    }
    return (doc) => parts.every((p) => p(doc));
  };
  const parsePrimary = (): Predicate => {
    const t = next();
    if (t?.type === 'lparen') {
      const inner = parseOr();
      if (next()?.type !== 'rparen') throw new Error(`missing ) in ${pattern}`);
      return inner;
    }
    if (t?.type !== 'selector') throw new Error(`expected a selector in ${pattern}`);
    if (peek()?.type === 'test') {
      // `IS TRUE`: the field is the JSON boolean true; `NOT EXISTS`: the field is absent.
      const test = (next() as { value: string }).value;
      return test === 'IS TRUE' ? (doc) => select(doc, t.value) === true : (doc) => select(doc, t.value) === undefined;
    }
    const op = next();
    if (op?.type === 'op' && op.value === '=' && peek()?.type === 'any') {
      // `= *`: the field is present (any value).
      next();
      return (doc) => select(doc, t.value) !== undefined;
    }
    if (op?.type !== 'op') throw new Error(`expected an operator after ${t.value} in ${pattern}`);
    const value = next();
    if (value?.type !== 'string' && value?.type !== 'number') throw new Error(`expected a value after ${t.value} ${op.value}`);
    return comparison(t.value, op.value, value.value);
  };

  const predicate = parseOr();
  if (pos !== tokens.length) {
    throw new Error(`unexpected tokens at the end of ${pattern}`);
  }
  return predicate;
}

function comparison(selector: string, op: '=' | '!=' | '<' | '<=' | '>' | '>=', expected: string | number): Predicate {
  return (doc) => {
    const actual = select(doc, selector);
    if (actual === undefined) {
      return false;
    }
    if (typeof expected === 'string') {
      if (op !== '=' && op !== '!=') throw new Error(`${op} needs a number, got "${expected}"`);
      if (typeof actual !== 'string') return op === '!=';
      const equal = wildcard(expected).test(actual);
      return op === '=' ? equal : !equal;
    }
    if (typeof actual !== 'number') {
      return false;
    }
    switch (op) {
      case '=': return actual === expected;
      case '!=': return actual !== expected;
      case '<': return actual < expected;
      case '<=': return actual <= expected;
      case '>': return actual > expected;
      case '>=': return actual >= expected;
    }
  };
}

function wildcard(text: string): RegExp {
  return new RegExp(`^${text.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function select(doc: unknown, selector: string): unknown {
  const steps = selector.slice(1).match(/\.[A-Za-z0-9_-]+|\[\d+\]/g) ?? [];
  let current: unknown = doc;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = step.startsWith('[')
      ? (current as unknown[])[Number(step.slice(1, -1))]
      : (current as Record<string, unknown>)[step.slice(1)];
  }
  return current;
}

function parseJsonObject(event: string): unknown {
  try {
    const value: unknown = JSON.parse(event);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function matchJson(pattern: string, event: string): boolean {
  const predicate = parseJsonPattern(pattern);
  const doc = parseJsonObject(event);
  return doc !== undefined && predicate(doc);
}
