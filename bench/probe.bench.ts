/**
 * `npm run bench`: the MCP probe against bare HTTP round trips and an SDK 1.x Client, all on
 * local servers from the official SDKs (in their own process) in one interleaved run:
 *
 * - a legacy SDK 1.x stateful JSON server: auto mode cold (discover, then the legacy fallback),
 *   auto mode as the canary runs it warm (remembering the era it detected), and forced legacy;
 * - a modern SDK 2.x server: auto and forced modern;
 * - an SDK 2.x server with 1,000 tools (about 2 MB of tools/list), probed whole with the
 *   defaults: time against its bare round trips, the tools hash against `JSON.parse` of the same
 *   list, and the peak memory (RSS) of a process that only probes it;
 *
 * plus a minimal client (the same requests, answers parsed, tools hashed: the floor under any
 * client), the size and cold load time of the probe bundle against an SDK-based equivalent, and
 * whole processes as a user runs them: `mcp-probe <url>` against a Node.js script that does the
 * same with the SDK 1.x Client, and an empty `node -e 0`.
 * Prints medians and ratios; asserts nothing (figures depend on the machine).
 */
import { execFile, execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as esbuild from 'esbuild';
import { LARGE_BYTES_PER_TOOL, LARGE_TOOLS } from './server';
import { EraMemory } from '../lambda/canary/handler';
import { probe, toolsHash, type ProbeOptions } from '../lambda/probe';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.bench');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP = 20;
const LOAD_RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 15);
/** Runs of each whole process (`mcp-probe`, the SDK client script, `node -e 0`). */
const PROCESS_RUNS = Number(process.env.BENCH_PROCESS_RUNS ?? 21);
/** Rounds against the 1,000-tool server (each moves about 2 MB). */
const LARGE_ROUNDS = Number(process.env.BENCH_LARGE_ROUNDS ?? 40);
/** Probe runs of the memory measurement, in one fresh process. */
const MEMORY_RUNS = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** One bare HTTP exchange on a given agent; resolves with the response body and headers. */
interface BareResponse {
  headers: http.IncomingHttpHeaders;
  body: string;
}

function bare(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<BareResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const POST_HEADERS = { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' };

/** The legacy requests every bare contender sends, serialised when sent as a client would. */
const LEGACY = {
  initialize: () => JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bare', version: '1' } },
  }),
  initialized: () => JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  toolsList: () => JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
  /** The headers of every request after initialize: its session id and the negotiated version. */
  session: (init: BareResponse) => ({ 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-11-25' }),
};

/**
 * The HTTP round trips the probe needs, with nothing else: optionally the modern
 * `server/discover` attempt, then initialize, notifications/initialized, tools/list and DELETE.
 * Returns the sum of the round-trip times, measured one by one on a fresh connection.
 */
async function bareRoundTrips(url: URL, withDiscover: boolean): Promise<number> {
  const agent = new http.Agent({ keepAlive: true });
  let total = 0;
  const timed = async (method: string, headers: Record<string, string>, body?: string) => {
    const started = now();
    const res = await bare(agent, url, method, headers, body);
    total += now() - started;
    return res;
  };
  try {
    if (withDiscover) {
      await timed('POST', { ...POST_HEADERS, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' }, JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'server/discover',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
      }));
    }
    const session = LEGACY.session(await timed('POST', POST_HEADERS, LEGACY.initialize()));
    await timed('POST', { ...POST_HEADERS, ...session }, LEGACY.initialized());
    await timed('POST', { ...POST_HEADERS, ...session }, LEGACY.toolsList());
    await timed('DELETE', session);
    return total;
  } finally {
    agent.destroy();
  }
}

/** Busy CPU work for `us` microseconds, as a client's own processing between two requests. */
function work(us: number): void {
  const until = now() + us / 1_000;
  while (now() < until) {
    // spin
  }
}

/** Microseconds of client work put in each of the three gaps of the legacy sequence. */
const GAP_WORK_US = 20;

/**
 * The bare legacy sequence with {@link GAP_WORK_US} of busy work in each gap between its four
 * requests, timed from the first request to the end of the last. Against the bare sum it shows
 * what a microsecond of a client's own work between requests costs in wall time here (about one
 * microsecond when nothing else competes for the CPU), the scale on which the probe's checks are
 * paid.
 */
async function bareWithGapWork(url: URL): Promise<number> {
  const agent = new http.Agent({ keepAlive: true });
  try {
    const started = now();
    const session = LEGACY.session(await bare(agent, url, 'POST', POST_HEADERS, LEGACY.initialize()));
    work(GAP_WORK_US);
    await bare(agent, url, 'POST', { ...POST_HEADERS, ...session }, LEGACY.initialized());
    work(GAP_WORK_US);
    await bare(agent, url, 'POST', { ...POST_HEADERS, ...session }, LEGACY.toolsList());
    work(GAP_WORK_US);
    await bare(agent, url, 'DELETE', session);
    return now() - started;
  } finally {
    agent.destroy();
  }
}

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'bare', version: '1' },
};

/**
 * The modern sequence with nothing else: `server/discover` and `tools/list` (no session, no
 * DELETE), each read whole. Returns the sum of the round-trip times and the tools/list body.
 */
async function bareModern(url: URL): Promise<{ ms: number; toolsBody: string }> {
  const agent = new http.Agent({ keepAlive: true });
  let total = 0;
  const call = async (id: number, method: string) => {
    const started = now();
    const res = await bare(agent, url, 'POST', { ...POST_HEADERS, 'mcp-protocol-version': '2026-07-28', 'mcp-method': method },
      JSON.stringify({ jsonrpc: '2.0', id, method, params: { _meta: MODERN_META } }));
    total += now() - started;
    return res;
  };
  try {
    await call(0, 'server/discover');
    const tools = await call(1, 'tools/list');
    return { ms: total, toolsBody: tools.body };
  } finally {
    agent.destroy();
  }
}

/**
 * The least a client that reads its answers does, timed whole (its agent created and destroyed,
 * the gaps between requests included): the probe's requests, each answer parsed with
 * `JSON.parse` and its JSON-RPC id checked, and sha256 over the `JSON.stringify` of the tool
 * list. No validation, no classification, no redaction, no deadline: the floor under any real
 * client, against which the probe's own work shows.
 */
async function minimalClient(url: URL, era: 'legacy' | 'modern'): Promise<number> {
  const started = now();
  const agent = new http.Agent({ keepAlive: true });
  const answer = async (id: number, headers: Record<string, string>, body: string) => {
    const res = await bare(agent, url, 'POST', { ...POST_HEADERS, ...headers }, body);
    const message = JSON.parse(res.body) as { id?: unknown; result?: { tools?: unknown[] } };
    if (message.id !== id) throw new Error(`the minimal client got id ${String(message.id)}, not ${id}`);
    return { res, result: message.result ?? {} };
  };
  let tools: unknown[] | undefined;
  try {
    if (era === 'modern') {
      const modern = (id: number, method: string) => answer(id, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method },
        JSON.stringify({ jsonrpc: '2.0', id, method, params: { _meta: MODERN_META } }));
      await modern(1, 'server/discover');
      tools = (await modern(2, 'tools/list')).result.tools;
    } else {
      const session = LEGACY.session((await answer(1, {}, LEGACY.initialize())).res);
      await bare(agent, url, 'POST', { ...POST_HEADERS, ...session }, LEGACY.initialized());
      tools = (await answer(2, session, LEGACY.toolsList())).result.tools;
      await bare(agent, url, 'DELETE', session);
    }
    if (!Array.isArray(tools)) throw new Error('the minimal client got no tool list');
    createHash('sha256').update(JSON.stringify(tools)).digest('hex');
  } finally {
    agent.destroy();
  }
  return now() - started;
}

/** The SDK 1.x Client doing the same: connect (initialize + initialized), listTools, end the session. */
async function sdkClient(url: URL): Promise<number> {
  const started = now();
  const transport = new StreamableHTTPClientTransport(url);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  await client.listTools();
  await transport.terminateSession();
  await client.close();
  return now() - started;
}

async function probeOnce(url: URL, transport: 'auto' | 'legacy' | 'modern', memory?: EraMemory): Promise<number> {
  const options: ProbeOptions = { url: url.toString(), transport };
  const started = now();
  const result = memory === undefined ? await probe(options) : await memory.probe(options, probe);
  const elapsed = now() - started;
  if (!result.ok) throw new Error(`probe failed during the benchmark: ${result.message}`);
  return elapsed;
}

interface ServerUrls {
  readonly legacy: URL;
  readonly modern: URL;
  readonly large: URL;
}

/** Starts bench/server.ts in a child process and waits for its URLs. */
async function startServerProcess(): Promise<{ child: ChildProcess; urls: ServerUrls }> {
  const child = fork(path.join(__dirname, 'server.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'], cwd: ROOT, stdio: 'inherit' });
  const urls = await new Promise<Record<keyof ServerUrls, string>>((resolve, reject) => {
    child.once('message', (m: Partial<Record<keyof ServerUrls, string>>) => (m.legacy && m.modern && m.large
      ? resolve(m as Record<keyof ServerUrls, string>) : reject(new Error('the bench server sent no URLs'))));
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  return { child, urls: { legacy: new URL(urls.legacy), modern: new URL(urls.modern), large: new URL(urls.large) } };
}

/** A small seeded generator (Park and Miller's minimal standard): the same shuffles on every run, so runs compare. */
function seeded(seed: number): () => number {
  let state = seed % 2_147_483_647;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

/**
 * Runs every contender `rounds` times (after `WARMUP`), interleaved in an order shuffled anew each
 * round; medians. A fixed or rotating order would always put the same contender after the same
 * other one, so whatever one leaves the server doing (an SDK client's session teardown, a closed
 * connection) would always land on the same next contender; a shuffle spreads it over all of them.
 */
async function interleaved(rounds: number, contenders: Array<[string, () => Promise<number>]>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(contenders.map(([name]) => [name, []]));
  // CPU time of this process per run (user + system, microseconds): the servers run in another.
  const cpu: Record<string, number[]> = Object.fromEntries(contenders.map(([name]) => [name, []]));
  const random = seeded(0x6d6370);
  const order = [...contenders];
  for (let i = 0; i < WARMUP + rounds; i++) {
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
    for (const [name, run] of order) {
      const before = process.cpuUsage();
      const ms = await run();
      const used = process.cpuUsage(before);
      if (i >= WARMUP) {
        samples[name].push(ms);
        cpu[name].push(used.user + used.system);
      }
    }
  }
  return {
    ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])),
    ...Object.fromEntries(Object.entries(cpu).map(([k, v]) => [`${k}CpuUs`, median(v)])),
  };
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

async function roundTrips(): Promise<Record<string, number>> {
  const { child, urls } = await startServerProcess();
  try {
    // The canary's era memory, as on a warm Lambda: it detected legacy once and goes straight there.
    const remembered = new EraMemory();
    await probeOnce(urls.legacy, 'auto', remembered);
    if (remembered.remembered !== 'legacy') throw new Error(`the canary's era memory holds ${remembered.remembered}, not legacy`);
    const legacy = await interleaved(ROUNDS, [
      ['probeAuto', () => probeOnce(urls.legacy, 'auto')],
      ['probeRemembered', () => probeOnce(urls.legacy, 'auto', remembered)],
      ['probeLegacy', () => probeOnce(urls.legacy, 'legacy')],
      ['sdkClient', () => sdkClient(urls.legacy)],
      ['bareLegacy', () => bareRoundTrips(urls.legacy, false)],
      ['bareAuto', () => bareRoundTrips(urls.legacy, true)],
      ['minimalLegacy', () => minimalClient(urls.legacy, 'legacy')],
      ['bareGapWork', () => bareWithGapWork(urls.legacy)],
    ]);
    const { sessions } = await ask<{ sessions: number }>(child, 'sessions');
    // The SDK client and the bare sequence end their sessions too: any left is a leak.
    if (sessions !== 0) throw new Error(`${sessions} sessions leaked during the benchmark`);
    const modern = await interleaved(ROUNDS, [
      ['probeModernAuto', () => probeOnce(urls.modern, 'auto')],
      ['probeModern', () => probeOnce(urls.modern, 'modern')],
      ['bareModern', async () => (await bareModern(urls.modern)).ms],
      ['minimalModern', () => minimalClient(urls.modern, 'modern')],
    ]);
    const large = await interleaved(LARGE_ROUNDS, [
      ['probeLarge', () => probeOnce(urls.large, 'auto')],
      ['bareLarge', async () => (await bareModern(urls.large)).ms],
    ]);
    return { ...legacy, ...modern, ...large, ...await hashing(urls.large), ...peakMemory(urls.large), ...await processes(urls.legacy) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('stop');
    await exited;
  }
}

/** The tools hash of the 2 MB list against `JSON.parse` of the same body (medians of 20). */
async function hashing(url: URL): Promise<Record<string, number>> {
  const { toolsBody } = await bareModern(url);
  const tools = (JSON.parse(toolsBody) as { result: { tools: Array<Record<string, unknown>> } }).result.tools;
  if (tools.length !== LARGE_TOOLS) throw new Error(`the large server listed ${tools.length} tools, not ${LARGE_TOOLS}`);
  const parse: number[] = [];
  const hash: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < 20; i++) {
    let started = now();
    JSON.parse(toolsBody);
    parse.push(now() - started);
    started = now();
    toolsHash(tools);
    hash.push(now() - started);
    // The least any canonical hash costs: serialising the list once and sha256 over it (no key sort).
    started = now();
    createHash('sha256').update(JSON.stringify(tools)).digest('hex');
    plain.push(now() - started);
  }
  return { largeBytes: Buffer.byteLength(toolsBody), largeParseMs: median(parse), largeHashMs: median(hash), largePlainHashMs: median(plain) };
}

/**
 * Peak RSS of a fresh Node.js process that loads the probe bundle and probes the large server
 * `MEMORY_RUNS` times (with the defaults), and its RSS before the first probe.
 */
function peakMemory(url: URL): Record<string, number> {
  const probeFile = path.join(OUT, 'probe.js');
  const script = [
    `const { probe } = require(${JSON.stringify(probeFile)});`,
    'const before = process.memoryUsage().rss;',
    '(async () => {',
    `  for (let i = 0; i < ${MEMORY_RUNS}; i++) {`,
    `    const r = await probe({ url: ${JSON.stringify(url.toString())} });`,
    `    if (!r.ok || r.toolCount !== ${LARGE_TOOLS}) throw new Error('large probe: ' + r.message);`,
    '  }',
    '  process.stdout.write(JSON.stringify({ before, peak: process.resourceUsage().maxRSS * 1024 }));',
    '})();',
  ].join('\n');
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { before: number; peak: number };
  return { largeRssBeforeMb: out.before / 2 ** 20, largeRssPeakMb: out.peak / 2 ** 20 };
}

/** Milliseconds of one whole Node.js process, spawn to exit; it must exit 0. */
function processMs(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = now();
    execFile(process.execPath, args, { cwd: ROOT, timeout: 30_000 }, (error) => (error ? reject(error) : resolve(now() - started)));
  });
}

/**
 * Whole processes against the legacy server, interleaved, medians: `mcp-probe <url>` as a user
 * runs it (bin/mcp-probe and its bundle: start-up, module loading, the probe, exit), a script that
 * does the same with the SDK 1.x Client from node_modules, and an empty `node -e 0` (the floor).
 */
async function processes(url: URL): Promise<Record<string, number>> {
  fs.mkdirSync(OUT, { recursive: true });
  const script = path.join(OUT, 'sdk-client-script.js');
  fs.writeFileSync(script, [
    "const { Client } = require('@modelcontextprotocol/sdk/client/index.js');",
    "const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');",
    '(async () => {',
    '  const transport = new StreamableHTTPClientTransport(new URL(process.argv[2]));',
    "  const client = new Client({ name: 'bench', version: '1' });",
    '  await client.connect(transport);',
    '  await client.listTools();',
    '  await transport.terminateSession();',
    '  await client.close();',
    '})();',
  ].join('\n'));
  const bin = path.join(ROOT, 'bin', 'mcp-probe');
  const runs = await interleavedProcesses(PROCESS_RUNS, [
    ['mcpProbeProcess', () => processMs([bin, url.toString()])],
    ['sdkScriptProcess', () => processMs([script, url.toString()])],
    ['emptyProcess', () => processMs(['-e', '0'])],
  ]);
  return runs;
}

/** Like {@link interleaved}, without warm-up or CPU figures: each run is a fresh process anyway. */
async function interleavedProcesses(rounds: number, contenders: Array<[string, () => Promise<number>]>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(contenders.map(([name]) => [name, []]));
  const random = seeded(0x70726f63);
  const order = [...contenders];
  for (let i = 0; i < rounds; i++) {
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
    for (const [name, run] of order) samples[name].push(await run());
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

async function bundle(name: string, contents: string): Promise<string> {
  const outfile = path.join(OUT, `${name}.js`);
  await esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Median milliseconds a fresh Node.js process spends in `require` of a bundle. */
function coldLoad(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const runs: number[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) runs.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  return median(runs);
}

async function bundles(): Promise<Record<string, number>> {
  fs.mkdirSync(OUT, { recursive: true });
  // The probe as the canary ships it: engine, classifier, SSE parser, redaction and the SigV4 and SigV4a signers.
  const probeFile = await bundle('probe', "export { probe, redact } from './lambda/probe';");
  // The smallest SDK-based equivalent: the SDK 1.x Client and its Streamable HTTP transport.
  const sdkFile = await bundle('sdk-client', [
    "export { Client } from '@modelcontextprotocol/sdk/client/index.js';",
    "export { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';",
  ].join('\n'));
  const cliFile = path.join(ROOT, 'assets', 'lambda', 'cli', 'main', 'index.js');
  const opsFile = path.join(ROOT, 'assets', 'lambda', 'cli', 'ops', 'index', 'index.js');
  return {
    probeBytes: fs.statSync(probeFile).size,
    sdkBytes: fs.statSync(sdkFile).size,
    cliBytes: fs.existsSync(cliFile) ? fs.statSync(cliFile).size : NaN,
    cliOpsBytes: fs.existsSync(opsFile) ? fs.statSync(opsFile).size : NaN,
    probeLoadMs: coldLoad(probeFile),
    sdkLoadMs: coldLoad(sdkFile),
  };
}

async function main(): Promise<void> {
  // The bundles first: the memory measurement loads the probe bundle in a fresh process.
  const b = await bundles();
  const rt = await roundTrips();
  const f = (n: number) => n.toFixed(2);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const lines = [
    `MCP probe benchmark (${ROUNDS} rounds after ${WARMUP} warm-up, medians, interleaved; Node ${process.version}; servers from the official SDKs on 127.0.0.1, in their own process)`,
    '',
    'Legacy server (SDK 1.x, stateful, JSON responses)',
    `  probe, auto, cold (discover + initialize + initialized + tools/list + DELETE)  ${f(rt.probeAuto)} ms`,
    `  probe, auto, warm canary (era remembered: the legacy sequence)               ${f(rt.probeRemembered)} ms`,
    `  probe, --transport legacy (initialize + initialized + tools/list + DELETE)   ${f(rt.probeLegacy)} ms`,
    `  SDK 1.x Client (connect + listTools + terminateSession + close)              ${f(rt.sdkClient)} ms`,
    `  bare HTTP round trips, legacy sequence (sum of 4)                            ${f(rt.bareLegacy)} ms`,
    `  bare HTTP round trips, auto sequence (sum of 5)                              ${f(rt.bareAuto)} ms`,
    `  minimal client (the legacy requests, answers parsed, tools hashed, timed whole) ${f(rt.minimalLegacy)} ms`,
    `  bare legacy sequence with ${GAP_WORK_US} us of client work in each of its 3 gaps          ${f(rt.bareGapWork)} ms`,
    'Modern server (SDK 2.x, 2026-07-28)',
    `  probe, auto (server/discover + tools/list)                                   ${f(rt.probeModernAuto)} ms`,
    `  probe, --transport modern                                                    ${f(rt.probeModern)} ms`,
    `  bare HTTP round trips, modern sequence (sum of 2)                            ${f(rt.bareModern)} ms`,
    `  minimal client (the modern requests, answers parsed, tools hashed, timed whole) ${f(rt.minimalModern)} ms`,
    `Large server (SDK 2.x, ${LARGE_TOOLS} tools of about ${LARGE_BYTES_PER_TOOL} bytes, ${(rt.largeBytes / 2 ** 20).toFixed(2)} MiB of tools/list; ${LARGE_ROUNDS} rounds)`,
    `  probe, auto, defaults (whole list, hashed)                                   ${f(rt.probeLarge)} ms`,
    `  bare HTTP round trips (discover + tools/list, read whole)                    ${f(rt.bareLarge)} ms`,
    `  tools hash of the list / JSON.parse of the same body                         ${f(rt.largeHashMs)} ms / ${f(rt.largeParseMs)} ms`,
    `  JSON.stringify of the list + sha256 (no key sort: the least any hash costs)   ${f(rt.largePlainHashMs)} ms`,
    `  RSS of a process probing it ${MEMORY_RUNS} times: before / peak                          ${rt.largeRssBeforeMb.toFixed(0)} MB / ${rt.largeRssPeakMb.toFixed(0)} MB   (goal: peak < 128 MB)`,
    '',
    `probe (legacy) / bare round trips:            ${f(rt.probeLegacy / rt.bareLegacy)}x   (goal: <= 1.05)`,
    `probe (modern) / bare round trips:            ${f(rt.probeModern / rt.bareModern)}x   (goal: <= 1.05)`,
    `probe (auto, warm canary) / bare legacy:      ${f(rt.probeRemembered / rt.bareLegacy)}x   (goal: <= 1.10)`,
    `probe (auto, modern server) / bare modern:    ${f(rt.probeModernAuto / rt.bareModern)}x   (goal: <= 1.10)`,
    `minimal client / bare round trips:           ${f(rt.minimalLegacy / rt.bareLegacy)}x legacy, ${f(rt.minimalModern / rt.bareModern)}x modern   (the floor under any client that reads its answers)`,
    `probe / minimal client:                      ${f(rt.probeLegacy / rt.minimalLegacy)}x legacy, ${f(rt.probeModern / rt.minimalModern)}x modern   (what the probe's own checks cost)`,
    `1 us of client work between requests costs:  ${f((rt.bareGapWork - rt.bareLegacy) * 1_000 / (3 * GAP_WORK_US))} us of wall time   (bare legacy with and without ${3 * GAP_WORK_US} us of gap work)`,
    `CPU per run (this process; us):              probe legacy ${rt.probeLegacyCpuUs.toFixed(0)}, minimal ${rt.minimalLegacyCpuUs.toFixed(0)}, bare ${rt.bareLegacyCpuUs.toFixed(0)}; probe modern ${rt.probeModernCpuUs.toFixed(0)}, minimal ${rt.minimalModernCpuUs.toFixed(0)}, bare ${rt.bareModernCpuUs.toFixed(0)}`,
    `probe (auto, cold) / bare auto sequence:      ${f(rt.probeAuto / rt.bareAuto)}x   (the first run of a cold canary, the CLI)`,
    `probe (1,000 tools) / bare round trips:       ${f(rt.probeLarge / rt.bareLarge)}x   (goal: < 2)`,
    `tools hash / JSON.parse (2 MB list):          ${f(rt.largeHashMs / rt.largeParseMs)}x   (stringify + sha256 alone: ${f(rt.largePlainHashMs / rt.largeParseMs)}x)`,
    `probe (legacy) / SDK client:                  ${f(rt.probeLegacy / rt.sdkClient)}x   (goal: < 1, faster)`,
    '',
    `Whole processes against the legacy server (${PROCESS_RUNS} runs each, interleaved, medians; spawn to exit)`,
    `  mcp-probe <url> (bin/mcp-probe, auto mode)                                   ${f(rt.mcpProbeProcess)} ms`,
    `  SDK 1.x Client script (node_modules, connect + listTools + terminateSession)  ${f(rt.sdkScriptProcess)} ms`,
    `  node -e 0 (an empty process)                                                 ${f(rt.emptyProcess)} ms`,
    `mcp-probe process / SDK client script:        ${f(rt.mcpProbeProcess / rt.sdkScriptProcess)}x   (goal: <= 0.30)`,
    `mcp-probe process / node -e 0:                ${f(rt.mcpProbeProcess / rt.emptyProcess)}x`,
    '',
    `probe bundle (minified, with SigV4 and SigV4a): ${kb(b.probeBytes)}   (goal: < 60 KB)`,
    `mcp-probe CLI main bundle (assets/):  ${kb(b.cliBytes)}   (operations bundle with the AWS SDK, loaded only by status/maintenance/canary/--sigv4: ${kb(b.cliOpsBytes)})`,
    `SDK 1.x client bundle (minified):     ${kb(b.sdkBytes)}   -> probe is ${f(b.sdkBytes / b.probeBytes)}x smaller`,
    `cold load, probe bundle:              ${f(b.probeLoadMs)} ms`,
    `cold load, SDK client bundle:         ${f(b.sdkLoadMs)} ms   -> probe loads ${f(b.sdkLoadMs / b.probeLoadMs)}x faster`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ rounds: ROUNDS, largeRounds: LARGE_ROUNDS, node: process.version, ...rt, ...b }, null, 2));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
