/**
 * `npm run bench`: the MCP probe against an SDK 1.x Client and against bare HTTP round trips,
 * all on one local SDK 1.x Streamable HTTP server (stateful, JSON responses, in its own
 * process) in one run, plus the size and cold load time of the probe bundle against an
 * SDK-based equivalent.
 * Prints medians and ratios; asserts nothing (figures depend on the machine).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as esbuild from 'esbuild';
import { probe } from '../lambda/probe';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.bench');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP = 20;
const LOAD_RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 15);

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
    const init = await timed('POST', POST_HEADERS, JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bare', version: '1' } },
    }));
    const session = { 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-11-25' };
    await timed('POST', { ...POST_HEADERS, ...session }, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    await timed('POST', { ...POST_HEADERS, ...session }, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }));
    await timed('DELETE', session);
    return total;
  } finally {
    agent.destroy();
  }
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

async function probeOnce(url: URL, transport: 'auto' | 'legacy'): Promise<number> {
  const started = now();
  const result = await probe({ url: url.toString(), transport });
  const elapsed = now() - started;
  if (!result.ok) throw new Error(`probe failed during the benchmark: ${result.message}`);
  return elapsed;
}

/** Starts bench/server.ts in a child process and waits for its URL. */
async function startServerProcess(): Promise<{ child: ChildProcess; url: URL }> {
  const child = fork(path.join(__dirname, 'server.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'], cwd: ROOT, stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url?: string }) => (m.url ? resolve(m.url) : reject(new Error('the bench server sent no URL'))));
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  return { child, url: new URL(url) };
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

async function roundTrips(): Promise<Record<string, number>> {
  const { child, url } = await startServerProcess();
  const samples: Record<string, number[]> = { probeAuto: [], probeLegacy: [], sdkClient: [], bareLegacy: [], bareAuto: [] };
  try {
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      // Interleaved, and in a rotating order, so drift (GC, CPU frequency) and whatever the
      // previous contender left behind on the server hit every contender alike.
      const contenders: Array<[string, () => Promise<number>]> = [
        ['probeAuto', () => probeOnce(url, 'auto')],
        ['probeLegacy', () => probeOnce(url, 'legacy')],
        ['sdkClient', () => sdkClient(url)],
        ['bareLegacy', () => bareRoundTrips(url, false)],
        ['bareAuto', () => bareRoundTrips(url, true)],
      ];
      const round: Record<string, number> = {};
      for (let k = 0; k < contenders.length; k++) {
        const [name, run] = contenders[(i + k) % contenders.length];
        round[name] = await run();
      }
      if (i >= WARMUP) for (const [k, v] of Object.entries(round)) samples[k].push(v);
    }
    const { sessions } = await ask<{ sessions: number }>(child, 'sessions');
    // The SDK client and the bare sequence end their sessions too: any left is a leak.
    if (sessions !== 0) throw new Error(`${sessions} sessions leaked during the benchmark`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('stop');
    await exited;
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
  // The probe as the canary ships it: engine, classifier, SSE parser, redaction and the SigV4 signer.
  const probeFile = await bundle('probe', "export { probe, redact } from './lambda/probe';");
  // The smallest SDK-based equivalent: the SDK 1.x Client and its Streamable HTTP transport.
  const sdkFile = await bundle('sdk-client', [
    "export { Client } from '@modelcontextprotocol/sdk/client/index.js';",
    "export { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';",
  ].join('\n'));
  const cliFile = path.join(ROOT, 'assets', 'lambda', 'cli', 'main', 'index.js');
  return {
    probeBytes: fs.statSync(probeFile).size,
    sdkBytes: fs.statSync(sdkFile).size,
    cliBytes: fs.existsSync(cliFile) ? fs.statSync(cliFile).size : NaN,
    probeLoadMs: coldLoad(probeFile),
    sdkLoadMs: coldLoad(sdkFile),
  };
}

async function main(): Promise<void> {
  const rt = await roundTrips();
  const b = await bundles();
  const f = (n: number) => n.toFixed(2);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const lines = [
    `MCP probe benchmark (${ROUNDS} rounds after ${WARMUP} warm-up, medians; Node ${process.version}; SDK 1.x stateful JSON server on 127.0.0.1, in its own process)`,
    '',
    `probe, auto (discover + initialize + initialized + tools/list + DELETE)   ${f(rt.probeAuto)} ms`,
    `probe, --transport legacy (initialize + initialized + tools/list + DELETE) ${f(rt.probeLegacy)} ms`,
    `SDK 1.x Client (connect + listTools + terminateSession + close)            ${f(rt.sdkClient)} ms`,
    `bare HTTP round trips, legacy sequence (sum of 4)                          ${f(rt.bareLegacy)} ms`,
    `bare HTTP round trips, auto sequence (sum of 5)                            ${f(rt.bareAuto)} ms`,
    '',
    `probe (legacy) / SDK client:          ${f(rt.probeLegacy / rt.sdkClient)}x   (goal: < 1, faster)`,
    `probe (auto) / SDK client:            ${f(rt.probeAuto / rt.sdkClient)}x`,
    `probe (legacy) / bare round trips:    ${f(rt.probeLegacy / rt.bareLegacy)}x   (goal: <= 1.20)`,
    `probe (auto) / bare round trips:      ${f(rt.probeAuto / rt.bareAuto)}x   (goal: <= 1.20)`,
    '',
    `probe bundle (minified, with SigV4):  ${kb(b.probeBytes)}   (goal: < 60 KB)`,
    `mcp-probe CLI bundle (assets/):       ${kb(b.cliBytes)}`,
    `SDK 1.x client bundle (minified):     ${kb(b.sdkBytes)}   -> probe is ${f(b.sdkBytes / b.probeBytes)}x smaller`,
    `cold load, probe bundle:              ${f(b.probeLoadMs)} ms`,
    `cold load, SDK client bundle:         ${f(b.sdkLoadMs)} ms   -> probe loads ${f(b.sdkLoadMs / b.probeLoadMs)}x faster`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ rounds: ROUNDS, node: process.version, ...rt, ...b }, null, 2));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
