import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parseStackOutputKey, STACK_OUTPUT_SUFFIXES } from '../../src/contract/stack-outputs';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Every markdown file under a directory, relative to the repository root. */
function markdownFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    return entry.isDirectory() ? markdownFiles(rel) : entry.name.endsWith('.md') ? [rel] : [];
  }).sort();
}

/** The user-facing text: the README, every page under docs/, and CONTRIBUTING.md. */
const DOCS = markdownFiles('docs');
const TEXT_FILES = ['README.md', ...DOCS, 'CONTRIBUTING.md'];

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
    paths: { 'cdk-mcp': ['src/index.ts'], 'cdk-mcp/lib/records': ['src/records/index.ts'] },
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

/** The text from a heading to the next heading of the same level or above. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading ${JSON.stringify(heading)}`);
  const level = heading.match(/^#+/)![0].length;
  const rest = markdown.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return markdown.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
}

/** The rows of every table in a markdown text, split into trimmed cells, with the table's header. */
function tables(markdown: string): Array<{ header: string[]; rows: string[][] }> {
  const found: Array<{ header: string[]; rows: string[][] }> = [];
  const lines = markdown.split('\n');
  const cells = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split(' | ').map((c) => c.trim());
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith('|') || !/^\|[-| ]+\|$/.test(lines[i + 1].trim())) continue;
    const table = { header: cells(lines[i]), rows: [] as string[][] };
    for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) table.rows.push(cells(lines[i]));
    found.push(table);
  }
  return found;
}

describe('code blocks', () => {
  test('the README and docs/ have TypeScript examples', () => {
    expect(typescriptBlocks(read('README.md')).length).toBeGreaterThanOrEqual(3);
    expect(DOCS.flatMap((file) => typescriptBlocks(read(file))).length).toBeGreaterThanOrEqual(10);
  });

  test('every TypeScript example in README.md, docs/**/*.md and CONTRIBUTING.md compiles against the library', () => {
    const snippets = TEXT_FILES.flatMap((file) => typescriptBlocks(read(file)).map((b) => ({
      name: `${file.replace(/[\\/.]/g, '_')}-line-${b.line}`,
      code: b.code,
    })));
    expect(typeCheck(snippets)).toEqual([]);
  });

  test('the check catches a broken example (it can fail)', () => {
    const errors = typeCheck([{ name: 'broken', code: "import { McpLambdaService } from 'cdk-mcp';\nnew McpLambdaService(undefined as any, 'X', { nope: 1 });\n" }]);
    expect(errors.join('\n')).toMatch(/nope/);
  });
});

describe('the README is one page for Construct Hub', () => {
  const readme = read('README.md');

  test('README.md is at most 25 KB (25,600 bytes)', () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThanOrEqual(25_600);
  });

  test('it opens with the two commands for a fresh machine (demo, then build)', () => {
    const lines = readme.split('\n');
    expect(lines.slice(0, 3)).toEqual(['# cdk-mcp', '', '```bash']);
    expect(lines[3]).toMatch(/^npm install && npx projen demo {4}# /);
    expect(lines[4]).toMatch(/^npm install && npx projen build {3}# /);
  });

  test('its sections come in the order a new user needs them', () => {
    const order = ['## Install', '## The server contract', '## Quick start', '## Choose a service kind', '## Monitoring in one screen', '## `mcp-probe`', '## Documentation'];
    const at = order.map((heading) => readme.indexOf(`\n${heading}\n`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  test('it links docs/ and the repository by absolute URL (Construct Hub shows the README alone)', () => {
    const relative = [...readme.matchAll(/\]\((?!https?:\/\/|#)([^)]+)\)/g)].map((m) => m[1]);
    expect(relative).toEqual([]);
  });

  test('the README quick start has no declare and synthesizes as written in a fresh App', () => {
    const quickStart = typescriptBlocks(section(readme, '## Quick start'))[0].code;
    expect(typescriptBlocks(readme)[0].code).not.toBe(undefined);
    expect(quickStart).not.toMatch(/\bdeclare\b/);
    expect(quickStart).toMatch(/new App\(\)/);

    // A new app: its own directory, the server entry the text names, cdk-mcp resolving to src/.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quick-start-'));
    try {
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'quick-start', private: true }));
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        // rootDir: the app's modules and the library's src/ live in different trees.
        compilerOptions: { target: 'ES2022', module: 'commonjs', esModuleInterop: true, skipLibCheck: true, strict: true, rootDir: '/' },
      }));
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src', 'server.ts'), [
        "import * as http from 'http';",
        "http.createServer((_req, res) => { res.writeHead(200).end('ok'); }).listen(Number(process.env.PORT ?? 8080));",
        '',
      ].join('\n'));
      fs.writeFileSync(path.join(dir, 'app.ts'), quickStart.replace(/from 'cdk-mcp'/g, `from ${JSON.stringify(path.join(ROOT, 'src'))}`));
      const outdir = path.join(dir, 'cdk.out');
      const run = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), 'app.ts'], {
        cwd: dir,
        // CDK_OUTDIR is what `cdk synth` sets: the App then synthesizes on exit, as under the CLI.
        env: { ...process.env, CDK_OUTDIR: outdir, TS_NODE_PROJECT: path.join(dir, 'tsconfig.json') },
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect({ status: run.status, error: run.status === 0 ? '' : `${run.stderr}${run.error ?? ''}` }).toEqual({ status: 0, error: '' });
      const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
      expect(templates.length).toBeGreaterThanOrEqual(1);
      const parsed = templates.map((f) => JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')));
      const types = parsed.flatMap((t) => Object.values<{ Type: string }>(t.Resources ?? {}).map((r) => r.Type));
      expect(types).toEqual(expect.arrayContaining(['AWS::Lambda::Function', 'AWS::Lambda::Url', 'AWS::CloudWatch::CompositeAlarm']));

      // After `cdk deploy` the user reads the MCP URL from the stack's outputs: the Function URL plus the MCP path.
      const urlOutputs = parsed.flatMap((t) => Object.entries<{ Value: unknown }>(t.Outputs ?? {})
        .filter(([key]) => parseStackOutputKey(key)?.suffix === STACK_OUTPUT_SUFFIXES.URL)
        .map(([, output]) => ({ value: output.Value, urls: Object.keys(t.Resources).filter((id) => t.Resources[id].Type === 'AWS::Lambda::Url') })));
      expect(urlOutputs).toHaveLength(1);
      expect(urlOutputs[0].urls).toHaveLength(1);
      expect(urlOutputs[0].value).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [urlOutputs[0].urls[0], 'FunctionUrl'] }, 'mcp']] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('links', () => {
  /** GitHub's anchor for a heading. */
  const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
  const anchors = (file: string) => new Set([...read(file).replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1])));
  const GITHUB = 'https://github.com/cdk-mcp/cdk-mcp/';

  test('every link to this repository, in the README and docs/, names a file that exists (and a heading that exists)', () => {
    const broken: string[] = [];
    for (const file of TEXT_FILES) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        let repoPath: string;
        if (target.startsWith(GITHUB)) {
          repoPath = target.slice(GITHUB.length).replace(/^(blob|tree)\/main\//, '');
        } else if (/^https?:/.test(target)) {
          continue;
        } else if (target.startsWith('#')) {
          repoPath = `${file}${target}`;
        } else {
          repoPath = path.normalize(path.join(path.dirname(file), target));
        }
        const [filePath, anchor] = repoPath.split('#');
        if (!fs.existsSync(path.join(ROOT, filePath))) broken.push(`${file}: ${target} (no ${filePath})`);
        else if (anchor && filePath.endsWith('.md') && !anchors(filePath).has(anchor)) broken.push(`${file}: ${target} (no heading #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('nothing points to examples/ by a relative path (the npm package has no examples/)', () => {
    const relative = TEXT_FILES.flatMap((file) => [...read(file).matchAll(/\]\((?:\.{0,2}\/)*examples\/[^)]*\)/g)].map((m) => `${file}: ${m[0]}`));
    expect(relative).toEqual([]);
  });

  test('docs/ ships in the npm package (not ignored by .npmignore)', () => {
    const ignored = read('.npmignore').split('\n').map((l) => l.trim());
    expect(ignored.filter((l) => /^\/?docs\/?/.test(l) || l === '*.md')).toEqual([]);
  });
});

/** Every file under a directory with an extension. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('the table of synth-time warnings (docs/warnings.md) lists exactly the warnings the constructs raise', () => {
  const raised = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    // The id is the first argument of addWarningV2, on its line or the next.
    for (const match of text.matchAll(/addWarningV2\(\s*'(cdk-mcp:[A-Za-z0-9]+)'/g)) raised.add(match[1]);
  }
  const listed = new Set([...read('docs/warnings.md').matchAll(/^\| `(cdk-mcp:[A-Za-z0-9]+)` \|/gm)].map((match) => match[1]));
  expect(raised.size).toBeGreaterThanOrEqual(10);
  expect([...listed].sort()).toEqual([...raised].sort());
});

describe('the probe reference (docs/probe.md) matches the code', () => {
  const probeDoc = read('docs/probe.md');

  test('the failure-class table lists every class once, in its layer', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FAILURE_CLASSES, layerOf } = require('../../lambda/probe') as typeof import('../../lambda/probe');
    const rows = [...section(probeDoc, '## Failure classes').matchAll(/^\| `([A-Z_]+)` \| ([a-z]+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows.map(([name]) => name).sort()).toEqual([...FAILURE_CLASSES].sort());
    for (const [name, layer] of rows) expect(`${name}: ${layer}`).toBe(`${name}: ${layerOf(name as never)}`);
  });

  test('the result contract names exactly the fields of a probe result, and every front door', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FRONT_DOORS, probe } = require('../../lambda/probe') as typeof import('../../lambda/probe');
    // Nothing listens on port 9 of loopback (discard): a real result, no server needed.
    const result = await probe({ url: 'http://127.0.0.1:9/mcp', timeoutMs: 2_000 });
    const contract = section(probeDoc, '## Result contract (`--json`)');
    const fields = [...contract.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(fields.sort()).toEqual(Object.keys(result).sort());
    const frontDoorRow = contract.split('\n').find((line) => line.startsWith('| `frontDoor` |'))!;
    const listed = [...frontDoorRow.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).filter((name) => name !== 'null');
    expect(listed.sort()).toEqual([...FRONT_DOORS].sort());
  });
});

describe('which alarms exist at defaults: the text matches the code', () => {
  /** Where each kind's alarm props are declared; every kind also takes the shared monitoring props. */
  const SOURCES: Record<string, string> = {
    'monitoring': 'src/monitoring/options.ts',
    'lambda': 'src/lambda/lambda-alarms.ts',
    'web-function': 'src/web-function/web-function-alarms.ts',
    'fargate': 'src/fargate/fargate-alarms.ts',
    'express': 'src/express/express-alarms.ts',
    'app-runner': 'src/app-runner/app-runner-alarms.ts',
  };
  const KIND_OF_CONSTRUCT: Record<string, string> = {
    McpLambdaService: 'lambda',
    McpWebFunctionService: 'web-function',
    McpFargateService: 'fargate',
    McpExpressService: 'express',
    McpAppRunnerService: 'app-runner',
  };

  /** The alarm props a source declares, each opt-in when its TSDoc default is "not created". */
  /** The alarm option structs several kinds share, by interface name (src/monitoring/platform-alarm-options.ts). */
  const SHARED = 'src/monitoring/platform-alarm-options.ts';
  const declaredIn = (text: string, props: Map<string, 'on' | 'opt-in'>) => {
    for (const match of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+Alarm)\?:/g)) {
      props.set(match[2], /@default - not created/.test(match[1]) ? 'opt-in' : 'on');
    }
  };
  /** The body of a shared interface, and the shared interfaces it extends, as text. */
  const sharedBodies = (name: string): string[] => {
    const text = read(SHARED);
    const head = new RegExp(`export interface ${name}(?: extends ([\\w, ]+))? \\{`).exec(text);
    if (!head) return [];
    const body = text.slice(head.index, text.indexOf('\n}', head.index));
    return [body, ...(head[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean).flatMap(sharedBodies)];
  };
  const alarmProps = (kind: string): Map<string, 'on' | 'opt-in'> => {
    const text = read(SOURCES[kind]);
    const props = new Map<string, 'on' | 'opt-in'>();
    // The shared structs the kind's alarm options extend first, so the kind's own docs win.
    const parents = /export interface \w+AlarmOptions extends ([\w, ]+) \{/.exec(text)?.[1] ?? '';
    for (const parent of parents.split(',').map((n) => n.trim()).filter(Boolean)) {
      for (const body of sharedBodies(parent)) declaredIn(body, props);
    }
    declaredIn(text, props);
    return props;
  };
  const defaultOf = (kind: string, prop: string) => alarmProps(kind).get(prop) ?? alarmProps('monitoring').get(prop);
  const propsIn = (cell: string) => [...cell.matchAll(/`(\w+Alarm)`/g)].map((m) => m[1]);

  test('the sources declare opt-in alarms (the check below can fail)', () => {
    expect(alarmProps('lambda').get('memoryAlarm')).toBe('opt-in');
    expect(alarmProps('lambda').get('errorsAlarm')).toBe('on');
    expect(alarmProps('monitoring').get('canaryErrorsAlarm')).toBe('opt-in');
    expect(alarmProps('express').get('fatalErrorsAlarm')).toBe('on');
    expect(alarmProps('fargate').get('fatalErrorsAlarm')).toBe('opt-in');
  });

  test('the README table lists every alarm prop of every kind, in the right column', () => {
    const table = tables(section(read('README.md'), '## Monitoring in one screen'))
      .find((t) => t.header.some((h) => /^On at defaults$/.test(h)))!;
    expect(table).toBeDefined();
    const on = table.header.indexOf('On at defaults');
    const optIn = table.header.findIndex((h) => h.startsWith('Opt-in'));
    const seen = new Set<string>();
    for (const row of table.rows) {
      const kind = KIND_OF_CONSTRUCT[row[0].replace(/`/g, '')] ?? (row[0].startsWith('every service') ? 'monitoring' : undefined);
      expect({ row: row[0], kind }).toEqual({ row: row[0], kind: expect.any(String) });
      seen.add(kind!);
      const listed = new Map<string, string>([
        ...propsIn(row[on]).map((p) => [p, 'on'] as [string, string]),
        ...propsIn(row[optIn]).map((p) => [p, 'opt-in'] as [string, string]),
      ]);
      const declared = alarmProps(kind!);
      expect({ kind, props: [...listed.keys()].sort() }).toEqual({ kind, props: [...declared.keys()].sort() });
      for (const [prop, column] of listed) expect({ kind, prop, column }).toEqual({ kind, prop, column: declared.get(prop) });
    }
    expect([...seen].sort()).toEqual(Object.keys(SOURCES).sort());
  });

  test('every "At defaults" column in docs/ says opt-in exactly for the alarms the code leaves out', () => {
    let checked = 0;
    for (const [kind, file] of Object.entries(SOURCES).map(([k]) => [k, `docs/${k}.md`])) {
      const listed = new Set<string>();
      for (const table of tables(read(file))) {
        const atDefaults = table.header.indexOf('At defaults');
        const prop = table.header.findIndex((h) => /^(alarm )?prop$/i.test(h));
        if (atDefaults < 0 || prop < 0) continue;
        for (const row of table.rows) {
          for (const name of propsIn(row[prop])) {
            listed.add(name);
            const expected = defaultOf(kind, name);
            const said = row[atDefaults].startsWith('opt-in') ? 'opt-in' : 'on';
            expect({ file, prop: name, said }).toEqual({ file, prop: name, said: expected });
            checked++;
          }
        }
      }
      // Each kind's page lists every alarm prop the kind declares.
      expect({ file, missing: [...alarmProps(kind).keys()].filter((p) => !listed.has(p)) }).toEqual({ file, missing: [] });
    }
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  test('no text says the default alarm topic is KMS-encrypted (it has no key unless alarmTopicEncryptionKey is given)', () => {
    const monitoring = read('src/monitoring/service-monitoring.ts');
    expect(monitoring).toMatch(/masterKey: key,/); // the key is the optional prop, nothing else
    const claims = TEXT_FILES.flatMap((file) => read(file).split('\n')
      .filter((line) => /KMS-encrypted topic|topic is KMS|encrypted topic by default/i.test(line))
      .map((line) => `${file}: ${line}`));
    expect(claims).toEqual([]);
  });
});
