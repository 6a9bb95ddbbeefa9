/**
 * Test helper: builds the example MCP server bundle and runs it exactly as the Dockerfile's CMD
 * and the Lambda Web Adapter do, through `examples/server/run.sh` (or another example's start
 * script, such as `examples/python-server/run.sh`), on 127.0.0.1.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

/** Root of the repository. */
export const REPO_ROOT = path.join(__dirname, '..', '..');
/** The start script under test. */
export const RUN_SH = path.join(REPO_ROOT, 'examples', 'server', 'run.sh');

/** One parsed JSON log line of the server. */
export interface LogLine {
  readonly level: string;
  readonly event: string;
  readonly [field: string]: unknown;
}

/** How a server process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Builds `examples/server/dist/server.js` with the project's own task. */
export function bundleExampleServer(): void {
  execFileSync('npx', ['projen', 'bundle:example-server'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 60_000 });
}

/** A running example server. */
export class ExampleServerProcess {
  /**
   * Starts a server and waits until it listens; returns it with its port.
   *
   * @param script the start script @default RUN_SH
   * @param timeoutMs longest wait for the `listening` line @default 15_000
   */
  public static async start(env: Record<string, string> = {}, script = RUN_SH, timeoutMs = 15_000):
  Promise<{ server: ExampleServerProcess; port: number }> {
    const server = new ExampleServerProcess({ PORT: '0', ...env }, script);
    const listening = await server.waitForLog((line) => line.event === 'listening', timeoutMs);
    return { server, port: listening.port as number };
  }

  /** Base URL of the server's `/mcp` endpoint. */
  public static mcpUrl(port: number): URL {
    return new URL(`http://127.0.0.1:${port}/mcp`);
  }

  /** Every JSON log line written so far. */
  public readonly logs: LogLine[] = [];
  /** Lines of stdout/stderr that were not JSON (should stay empty). */
  public readonly otherOutput: string[] = [];
  /** Resolves when the process exits. */
  public readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly waiters: Array<{ predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];

  /**
   * Starts the start script (`run.sh` by default) with only the given variables (plus PATH) in
   * its environment. Use {@link waitForLog} to wait for the `listening` line.
   */
  constructor(env: Record<string, string>, script: string = RUN_SH) {
    this.child = spawn(script, [], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
  }

  /** Resolves with the first log line (past or future) that matches, or rejects after `timeoutMs`. */
  public waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    const seen = this.logs.find(predicate);
    if (seen !== undefined) {
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`No matching log line within ${timeoutMs} ms. Logs:\n${this.dump()}`));
      }, timeoutMs);
      this.waiters.push(waiter);
      void this.exited.then(() => {
        if (this.waiters.includes(waiter)) {
          clearTimeout(timer);
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new Error(`Server exited before a matching log line. Logs:\n${this.dump()}`));
        }
      });
    });
  }

  /** Sends a signal to the server process. */
  public signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for the exit. */
  public async stop(): Promise<ProcessExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      const exit = await this.exited;
      clearTimeout(timer);
      return exit;
    }
    return this.exited;
  }

  /** All log lines and other output, for failure messages. */
  public dump(): string {
    return [...this.logs.map((line) => JSON.stringify(line)), ...this.otherOutput].join('\n');
  }

  private onLine(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      this.otherOutput.push(text);
      return;
    }
    this.logs.push(line);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }
}

/** POSTs a raw JSON-RPC message to `/mcp` as a 2025-era client would. */
export async function postMcp(port: number, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(ExampleServerProcess.mcpUrl(port), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** A legacy `initialize` request. */
export function initializeRequest(id = 1): unknown {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test-client', version: '1.0.0' } },
  };
}
