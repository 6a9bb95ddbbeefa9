/**
 * The layout of src/ and lambda/ as rules over real import statements: no import circle, and
 * every import points down the layers (contract < private < canary < monitoring, front-door < service <
 * one service kind < index). Run-time code (lambda/) sees only src/contract.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Every .ts file under a folder, relative to the repo root. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** The repo-relative files a source file imports (relative imports only; type imports included). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gs)) {
    const target = path.join(path.dirname(file), m[1]);
    const candidates = [`${target}.ts`, path.join(target, 'index.ts')];
    const hit = candidates.find((c) => fs.existsSync(path.join(ROOT, c)));
    if (hit) found.push(hit);
  }
  return found;
}

const KINDS = ['lambda', 'fargate', 'app-runner', 'express', 'web-function'];

/** The layer of a src/ file: a number (lower layers never import higher ones) and, for kinds, its name. */
function layerOf(file: string): { rank: number; kind?: string } {
  const rel = path.relative('src', file).split(path.sep);
  if (rel[0] === 'contract') return { rank: 0 };
  if (rel[0] === 'private') return { rank: 1 };
  // The request-record helpers users import from `cdk-mcp/lib/records` (outside the jsii API): contract only.
  if (rel[0] === 'records') return { rank: 1 };
  // The authorization server and the auth choice: below the kinds that will take `auth`.
  if (rel[0] === 'auth') return { rank: 2 };
  if (rel[0] === 'canary') return { rank: 2 };
  if (rel[0] === 'monitoring') return { rank: 3 };
  // Shared by every kind the way monitoring is (ARCHITECTURE.md, "front door").
  if (rel[0] === 'front-door') return { rank: 3 };
  if (rel[0] === 'service.ts') return { rank: 4 };
  if (KINDS.includes(rel[0])) return { rank: 5, kind: rel[0] };
  // Acknowledges the by-design cdk-nag findings of every kind: above the kinds, below the index.
  if (rel[0] === 'nag') return { rank: 5.5 };
  if (rel[0] === 'index.ts') return { rank: 6 };
  throw new Error(`${file} is in no known layer of src/: add its folder to test/architecture/imports.test.ts`);
}

const graph = new Map<string, string[]>();
for (const file of [...sources('src'), ...sources('lambda')]) {
  graph.set(file, importsOf(file));
}

describe('the import graph of src/ and lambda/', () => {
  test('has no circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });

  test('every src/ import points down the layers, and no service kind imports another', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      if (!file.startsWith('src')) continue;
      const from = layerOf(file);
      for (const target of targets) {
        const to = layerOf(target);
        const sameFolder = path.dirname(file).split(path.sep)[1] === path.dirname(target).split(path.sep)[1];
        const ok = to.rank < from.rank || (to.rank === from.rank && (from.kind ? from.kind === to.kind : sameFolder || from.rank <= 1));
        if (!ok) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('run-time code (lambda/) imports nothing from src/ but the contract folder', () => {
    const leaks = [...graph].flatMap(([file, targets]) =>
      file.startsWith('lambda') ? targets.filter((t) => t.startsWith('src') && !t.startsWith(path.join('src', 'contract'))).map((t) => `${file} -> ${t}`) : []);
    expect(leaks).toEqual([]);
  });

  test('the contract folder imports neither aws-cdk-lib nor constructs (it is bundled into the canary and the CLI)', () => {
    const offenders = sources(path.join('src', 'contract')).filter((f) => /from\s+'(aws-cdk-lib|constructs)/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('the rules see the real graph (a known downward import is found)', () => {
    expect(graph.get(path.join('src', 'lambda', 'lambda-service.ts'))).toContain(path.join('src', 'service.ts'));
  });
});
