import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** Every ```ts block of a markdown file, with the line it starts on. */
function typescriptBlocks(markdown: string): Array<{ line: number; code: string }> {
  const blocks: Array<{ line: number; code: string }> = [];
  const fence = /^```(ts|typescript)\s*$([\s\S]*?)^```\s*$/gm;
  let match: RegExpExecArray | null;
  while ((match = fence.exec(markdown)) !== null) {
    blocks.push({ line: markdown.slice(0, match.index).split('\n').length, code: match[2] });
  }
  return blocks;
}

/**
 * Type-check snippets as separate modules in which `cdk-mcp` resolves to this repo's src/, the
 * way a consumer's code sees the published package.
 */
function typeCheck(snippets: Array<{ name: string; code: string }>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ['node'],
    baseUrl: ROOT,
    paths: { 'cdk-mcp': ['src/index.ts'] },
  };
  const virtual = new Map(snippets.map((s) => [path.join(ROOT, `${s.name}.ts`), `export {};\n${s.code}`]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) =>
    virtual.has(f) ? ts.createSourceFile(f, virtual.get(f)!, lang) : getSourceFile.call(host, f, lang, ...rest);
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && virtual.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${path.basename(d.file!.fileName)}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

test('the README has TypeScript examples', () => {
  expect(typescriptBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).length).toBeGreaterThanOrEqual(3);
});

test('every TypeScript example in the README compiles against the library', () => {
  const blocks = typescriptBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  const errors = typeCheck(blocks.map((b) => ({ name: `README.md-line-${b.line}`, code: b.code })));
  expect(errors).toEqual([]);
});

test('the check catches a broken example (it can fail)', () => {
  const errors = typeCheck([{ name: 'broken', code: "import { McpLambdaService } from 'cdk-mcp';\nnew McpLambdaService(undefined as any, 'X', { nope: 1 });\n" }]);
  expect(errors.join('\n')).toMatch(/nope/);
});

/** Every `*.ts` file under a directory. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('the README table of synth-time warnings lists exactly the warnings the constructs raise', () => {
  const raised = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    // The id is the first argument of addWarningV2, on its line or the next.
    for (const match of text.matchAll(/addWarningV2\(\s*'(cdk-mcp:[A-Za-z0-9]+)'/g)) raised.add(match[1]);
  }
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Synth-time warnings'), readme.indexOf('## The MCP probe and `mcp-probe`'));
  const listed = new Set([...section.matchAll(/^\| `(cdk-mcp:[A-Za-z0-9]+)` \|/gm)].map((match) => match[1]));
  expect(raised.size).toBeGreaterThanOrEqual(10);
  expect([...listed].sort()).toEqual([...raised].sort());
});

describe('the README probe reference matches the code', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = (start: string, end: string) => readme.slice(readme.indexOf(start), readme.indexOf(end, readme.indexOf(start)));

  test('the failure-class table lists every class once, in its layer', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FAILURE_CLASSES, layerOf } = require('../../lambda/probe') as typeof import('../../lambda/probe');
    const rows = [...section('### Failure classes', '\n### ').matchAll(/^\| `([A-Z_]+)` \| ([a-z]+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows.map(([name]) => name).sort()).toEqual([...FAILURE_CLASSES].sort());
    for (const [name, layer] of rows) expect(`${name}: ${layer}`).toBe(`${name}: ${layerOf(name as never)}`);
  });

  test('the result contract names exactly the fields of a probe result, and every front door', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FRONT_DOORS, probe } = require('../../lambda/probe') as typeof import('../../lambda/probe');
    // Nothing listens on port 9 of loopback (discard): a real result, no server needed.
    const result = await probe({ url: 'http://127.0.0.1:9/mcp', timeoutMs: 2_000 });
    const contract = section('### Result contract (`--json`)', '\n### ');
    const fields = [...contract.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(fields.sort()).toEqual(Object.keys(result).sort());
    const frontDoorRow = contract.split('\n').find((line) => line.startsWith('| `frontDoor` |'))!;
    const listed = [...frontDoorRow.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).filter((name) => name !== 'null');
    expect(listed.sort()).toEqual([...FRONT_DOORS].sort());
  });
});
