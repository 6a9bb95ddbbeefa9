/**
 * What the request-record helper costs a request (`npm run bench`, or `npx projen bench:records`
 * alone): median latency of one `tools/call` against the same real SDK server with and without
 * the helper, for SDK 2.x (`createMcpHandler`, modern era, JSON response) and SDK 1.x (stateful
 * Streamable HTTP, legacy session, SSE response). The servers run in their own process
 * (./records-server.ts) with the records going to its stdout (discarded); the requests are
 * interleaved in an order shuffled each round, on one kept-alive connection per server.
 * Prints medians; asserts nothing (figures depend on the machine).
 */
import { fork } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';

const ROUNDS = Number(process.env.BENCH_RECORD_ROUNDS ?? 2_000);
const WARMUP = 200;

type Urls = Record<'sdk2' | 'sdk2Recorded' | 'sdk1' | 'sdk1Recorded', string>;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function post(agent: http.Agent, url: string, body: unknown, headers: Record<string, string>):
Promise<{ headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'traceparent': '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

/** One timed `tools/call` per call of the returned function. */
async function caller(url: string, era: 'modern' | 'legacy'): Promise<() => Promise<number>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let headers: Record<string, string> = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };
  if (era === 'legacy') {
    const init = await post(agent, url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }, {});
    headers = { 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-11-25' };
    await post(agent, url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  }
  let id = 1;
  return async () => {
    const params = { name: 'echo', arguments: { text: 'hello' }, ...(era === 'modern' ? { _meta: MODERN_META } : {}) };
    const started = now();
    const res = await post(agent, url, { jsonrpc: '2.0', id: id++, method: 'tools/call', params }, headers);
    const elapsed = now() - started;
    if (!res.body.includes('"hello"')) throw new Error(`the benchmark's tools/call failed: ${res.body.slice(0, 200)}`);
    return elapsed;
  };
}

/** A small seeded generator, so runs shuffle alike. */
function seeded(seed: number): () => number {
  let state = seed % 2_147_483_647;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

async function main(): Promise<void> {
  const child = fork(path.join(__dirname, 'records-server.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    cwd: path.join(__dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const urls = await new Promise<Urls>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Urls));
    child.once('exit', (code) => reject(new Error(`the records bench server exited with ${code}`)));
  });
  try {
    const contenders: Array<[keyof Urls, () => Promise<number>]> = [
      ['sdk2', await caller(urls.sdk2, 'modern')],
      ['sdk2Recorded', await caller(urls.sdk2Recorded, 'modern')],
      ['sdk1', await caller(urls.sdk1, 'legacy')],
      ['sdk1Recorded', await caller(urls.sdk1Recorded, 'legacy')],
    ];
    const samples: Record<string, number[]> = Object.fromEntries(contenders.map(([k]) => [k, []]));
    const random = seeded(0x7265636f);
    const order = [...contenders];
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      for (let k = order.length - 1; k > 0; k--) {
        const j = Math.floor(random() * (k + 1));
        [order[k], order[j]] = [order[j], order[k]];
      }
      for (const [name, run] of order) {
        const ms = await run();
        if (i >= WARMUP) samples[name].push(ms);
      }
    }
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<keyof Urls, number>;
    const us = (ms: number) => `${(ms * 1000).toFixed(0).padStart(5)} us`;
    const delta = (without: number, withHelper: number) =>
      `${((withHelper - without) * 1000).toFixed(0)} us (${(((withHelper - without) / without) * 100).toFixed(1)}%)`;
    process.stdout.write([
      `Request records: one tools/call, ${ROUNDS} rounds after ${WARMUP} warm-up, medians, interleaved; Node ${process.version}; servers on 127.0.0.1 in their own process`,
      `  SDK 2.x createMcpHandler, modern, JSON:    without ${us(m.sdk2)}   with the helper ${us(m.sdk2Recorded)}   cost ${delta(m.sdk2, m.sdk2Recorded)}`,
      `  SDK 1.x stateful session, legacy, SSE:     without ${us(m.sdk1)}   with the helper ${us(m.sdk1Recorded)}   cost ${delta(m.sdk1, m.sdk1Recorded)}`,
      '',
    ].join('\n'));
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('stop');
    await exited;
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
