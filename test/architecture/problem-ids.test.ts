/**
 * The ids of validation errors and warnings (`cdk-mcp:<rule>`), as tests and docs name them: read
 * from the source of src/, so a new rule cannot reuse another's id or break the format.
 *
 * - An error id written at a call site (`errors.check('cdk-mcp:...', ...)`, `{ id: 'cdk-mcp:...' }`)
 *   is one rule, so it is written once in src/: a rule shared by several constructs lives in one
 *   helper (`notMcpPath`, `environmentNames`, `checkEcsServiceName`, ...).
 * - A helper given a prop derives its id (`integerInRange('memorySize', ...)` is
 *   `cdk-mcp:memorySizeRange`); a derived id never collides with a written one.
 * - Warnings (`addWarningV2('cdk-mcp:...')`) may be raised from several places; one shares an id
 *   with an error only when both are one rule, in one file.
 * - Every id a doc comment names exists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { derivedId, ValidationErrors } from '../../src/private/validation';

const ROOT = path.join(__dirname, '..', '..');
const ID_FORMAT = /^cdk-mcp:[a-z][A-Za-z0-9]+$/;

/** Every .ts file under src/, relative to the repo root. */
function sources(dir = 'src'): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (entry.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

interface Site {
  readonly id: string;
  readonly file: string;
}

const FILES = sources().map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }));

function collect(pattern: RegExp, toId: (m: RegExpMatchArray) => string | undefined = (m) => m[1]): Site[] {
  return FILES.flatMap(({ file, text }) => [...text.matchAll(pattern)]
    .map((m) => ({ id: toId(m), file }))
    .filter((site): site is Site => site.id !== undefined));
}

/** Error ids written at their call site. */
const WRITTEN = collect(/(?:\b(?:check|fail)\(\s*|\bid:\s*)'(cdk-mcp:[^']*)'/g);
/** Error ids helpers derive from a literal prop. */
const DERIVED = [
  ...collect(/\.(?:integerInRange|durationInRange)\(\s*'([^']+)'/g, (m) => derivedId(m[1], 'Range')),
  ...collect(/\.path\(\s*'([^']+)'/g, (m) => derivedId(m[1], 'Format')),
  ...collect(/\.notAbove\(\s*'([^']+)',[^,]+,\s*'([^']+)'/g, (m) => derivedId(m[1], `Above${m[2].charAt(0).toUpperCase()}${m[2].slice(1)}`)),
];
const WARNINGS = collect(/addWarningV2\(\s*'(cdk-mcp:[^']*)'/g);
/** Every `cdk-mcp:<name>` in src/, code or comment (not the placeholders such as `cdk-mcp:<prop>Range`). */
const MENTIONED = collect(/cdk-mcp:[A-Za-z0-9]+/g, (m) => m[0]);

test('the sources hold error ids, derived ids and warnings to check', () => {
  // GIVEN the sources of src/ / WHEN the ids are read / THEN each kind is found (the patterns still match the code)
  expect(WRITTEN.length).toBeGreaterThan(50);
  expect(DERIVED.map((s) => s.id)).toEqual(expect.arrayContaining(['cdk-mcp:memorySizeRange', 'cdk-mcp:mcpPathFormat', 'cdk-mcp:minTaskCountAboveMaxTaskCount']));
  expect(WARNINGS.map((s) => s.id)).toContain('cdk-mcp:canaryDisabled');
});

test('every id has the form cdk-mcp:<camelCaseName>', () => {
  const bad = [...WRITTEN, ...DERIVED, ...WARNINGS, ...MENTIONED].filter((s) => !ID_FORMAT.test(s.id));
  expect(bad).toEqual([]);
});

test('an error id is written at one call site: one id, one rule', () => {
  const files = new Map<string, string[]>();
  for (const { id, file } of WRITTEN) files.set(id, [...(files.get(id) ?? []), file]);
  const repeated = [...files].filter(([, where]) => where.length > 1);
  expect(repeated).toEqual([]);
});

test('a derived id is never also written, and an error shares an id only with the warning of its own rule', () => {
  const written = new Set(WRITTEN.map((s) => s.id));
  expect(DERIVED.filter((s) => written.has(s.id))).toEqual([]);
  // One rule may be an error where synth knows enough and a warning where it does not
  // (serviceNameNotUnique: same account and Region, or two environment-agnostic stacks): then both are in one file.
  const errorFile = new Map([...WRITTEN, ...DERIVED].map((s) => [s.id, s.file]));
  expect(WARNINGS.filter((s) => errorFile.has(s.id) && errorFile.get(s.id) !== s.file)).toEqual([]);
});

test('every id a comment names is a rule or a warning of the code', () => {
  const known = new Set([...WRITTEN, ...DERIVED, ...WARNINGS].map((s) => s.id));
  expect(MENTIONED.filter((s) => !known.has(s.id))).toEqual([]);
});

describe('ValidationErrors', () => {
  test('derives camelCase ids from dotted and indexed props', () => {
    expect(derivedId('certificateExpiryAlarm.minDaysRemaining', 'Range')).toEqual('cdk-mcp:certificateExpiryAlarmMinDaysRemainingRange');
    expect(derivedId('headers[0]', 'Format')).toEqual('cdk-mcp:headers0Format');
    expect(derivedId('MaxTasks', 'Range')).toMatch(ID_FORMAT);
  });

  test('ends every problem with its id, after the construct name', () => {
    // GIVEN two problems of one construct
    const errors = new ValidationErrors('McpExample');
    errors.check('cdk-mcp:first', false, 'first is wrong (got 1): use 2.');
    errors.check('cdk-mcp:passes', true, 'never shown');
    errors.integerInRange('count', 0, 1, 5);
    // WHEN it throws / THEN one message lists both, each with its id
    expect(() => errors.throwIfAny()).toThrow(
      'McpExample has 2 problems:\n- first is wrong (got 1): use 2. [cdk-mcp:first]\n- count must be a whole number between 1 and 5 (got 0). [cdk-mcp:countRange]');
  });

  test('throws nothing without a problem', () => {
    const errors = new ValidationErrors('McpExample');
    errors.check('cdk-mcp:fine', true, 'never shown');
    expect(() => errors.throwIfAny()).not.toThrow();
  });
});
