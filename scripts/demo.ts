/**
 * The main job, offline: synthesize every example stack into cdk.out/ (no AWS account), start the
 * example MCP server on 127.0.0.1, probe it with `mcp-probe` in both protocol eras (and the
 * sentinel tool), stop it with SIGTERM, and print a summary.
 *
 * Run: npx projen demo   (after npm install; it bundles the server and the CLI first)
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { describeStack, exampleApps, StackSummary, synthApp } from './synth-examples';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'mcp-probe');
const SERVER_SCRIPT = path.join(ROOT, 'examples', 'server', 'run.sh');

interface ProbeCheck {
  readonly label: string;
  readonly args: string[];
}

const CHECKS: ProbeCheck[] = [
  { label: 'auto-detected era, tools/list', args: ['--expect-tools', 'echo,get_time,health'] },
  { label: 'legacy 2025 client (initialize)', args: ['--transport', 'legacy'] },
  { label: 'modern 2026-07-28 client + sentinel', args: ['--transport', 'modern', '--call', 'health'] },
];

async function main(): Promise<number> {
  let ok = true;

  console.log('1. Synthesizing the example stacks offline (pinned aws-cdk CLI, no AWS credentials)\n');
  const stacks: StackSummary[] = [];
  for (const app of exampleApps()) {
    const started = Date.now();
    try {
      const summaries = synthApp(app);
      stacks.push(...summaries);
      console.log(`   examples/${app}.ts -> cdk.out/${app}/ (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      summaries.forEach((s) => console.log(`     ${describeStack(s)}`));
    } catch (e) {
      ok = false;
      console.log(`   examples/${app}.ts FAILED\n${(e as Error).message}`);
    }
  }

  console.log('\n2. Starting the example MCP server on 127.0.0.1 (examples/server/run.sh)\n');
  for (const file of [SERVER_SCRIPT, path.join(ROOT, 'examples', 'server', 'dist', 'server.js'), path.join(ROOT, 'assets', 'lambda', 'cli', 'main', 'index.js')]) {
    if (!fs.existsSync(file)) {
      console.log(`   missing ${path.relative(ROOT, file)}: run the demo through "npx projen demo", which bundles it first`);
      return 1;
    }
  }
  const port = await freePort();
  const server = spawn(SERVER_SCRIPT, [], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const serverOutput: string[] = [];
  server.stdout!.on('data', (d) => serverOutput.push(String(d)));
  server.stderr!.on('data', (d) => serverOutput.push(String(d)));
  try {
    const ready = await waitForHealth(port, 15_000);
    console.log(`   GET /healthz -> ${ready}`);
    if (!ready.startsWith('200')) {
      ok = false;
      console.log(serverOutput.join(''));
    }

    console.log('\n3. Probing it with mcp-probe (bin/mcp-probe)\n');
    const url = `http://127.0.0.1:${port}/mcp`;
    for (const check of CHECKS) {
      const run = spawnSync(process.execPath, [CLI, url, '--json', '--timeout', '10000', ...check.args], { encoding: 'utf8', timeout: 30_000 });
      let line: string;
      try {
        const r = JSON.parse(run.stdout);
        ok = ok && r.ok === true && run.status === 0;
        line =
          `${r.ok ? 'OK  ' : 'FAIL'} ${check.label.padEnd(38)} era=${r.era} version=${r.protocolVersion} ` +
          `server=${r.server?.name}@${r.server?.version} tools=${r.toolCount} hash=${String(r.toolsHash).slice(0, 20)} ` +
          `total=${r.timings.totalMs} ms${r.ok ? '' : `  ${r.failureClass}: ${r.message}`}`;
      } catch {
        ok = false;
        line = `FAIL ${check.label}: exit ${run.status}, output: ${run.stdout}${run.stderr}`;
      }
      console.log(`   ${line}`);
    }
  } finally {
    const exit = await stop(server, 10_000);
    console.log(`\n4. SIGTERM -> server drained and exited with ${exit}`);
    ok = ok && exit === 'code 0';
  }

  const resources = stacks.reduce((n, s) => n + s.resources, 0);
  console.log(`\nSummary: ${stacks.length} stacks (${resources} resources) synthesized into cdk.out/, example server probed: ${ok ? 'all checks passed' : 'SOME CHECKS FAILED'}`);
  return ok ? 0 : 1;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(port: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) {
        return last;
      }
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return `not ready after ${timeoutMs} ms (${last})`;
}

function stop(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve(`code ${child.exitCode}`);
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`no exit within ${timeoutMs} ms (killed)`);
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code !== null ? `code ${code}` : `signal ${signal}`);
    });
    child.kill('SIGTERM');
  });
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
