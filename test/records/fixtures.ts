/**
 * Real SDK servers on 127.0.0.1 with the request-record helper wired as a user would wire it,
 * and a small client that speaks both protocol eras with raw HTTP (so a test controls every
 * header, `_meta` key and argument).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { McpServer as McpServerV1 } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { McpServer as McpServerV2, createMcpHandler } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { McpRequestRecords } from '../../src/records';
import { sendJson, startServer, type TestServer } from '../probe/fixtures/http-server';
import { REPO_ROOT } from '../support/example-server-process';

/** An argument value and a token that must never reach a record. */
export const SECRET_ARGUMENT = 'argument-value-7f3a9c';
export const SECRET_TOKEN = 'token-value-1b2c3d';
/** The trace id a test sends in `_meta.traceparent`, and another in the HTTP header. */
export const META_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const HEADER_TRACE = '0af7651916cd43dd8448eb211c80319c';
export const traceparent = (traceId: string) => `00-${traceId}-00f067aa0ba902b7-01`;

interface ToolHost {
  registerTool(name: string, config: Record<string, unknown>, cb: (args: Record<string, unknown>) => Promise<unknown>): unknown;
}

/** The tools of every recorded server: one that answers, one that answers isError, one that throws. */
export const REGISTERED = ['echo', 'broken', 'throws'];

function registerTools(server: ToolHost): void {
  server.registerTool('echo', { description: 'Echoes text', inputSchema: { text: z.string() } }, async (args) => ({
    content: [{ type: 'text', text: String(args.text) }],
  }));
  server.registerTool('broken', { description: 'Fails', inputSchema: {} }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'the widget service returned 500' }],
  }));
  server.registerTool('throws', { description: 'Throws', inputSchema: {} }, async () => {
    throw new Error('kaboom');
  });
}

/** A recorded server and the lines its helper wrote. */
export interface RecordedServer extends TestServer {
  readonly lines: string[];
  /** The records written so far, parsed. */
  records(): Array<Record<string, any>>;
}

function recorder(): { records: McpRequestRecords; lines: string[] } {
  const lines: string[] = [];
  return { records: new McpRequestRecords({ write: (line) => void lines.push(line) }), lines };
}

function withLines(server: TestServer, lines: string[], close: () => Promise<void> = server.close): RecordedServer {
  return { ...server, lines, records: () => lines.map((l) => JSON.parse(l)), close };
}

/**
 * SDK 2.x `createMcpHandler` (dual era: legacy stateless), wrapped as docs/per-tool.md shows.
 * `given` replaces the recorder (the benchmark's writes to stdout); null serves without one.
 */
export async function startRecordedSdk2(responseMode: 'auto' | 'sse' = 'auto', given?: McpRequestRecords | null): Promise<RecordedServer> {
  const { records, lines } = given === undefined ? recorder() : { records: given, lines: [] };
  const factory = () => {
    const server = new McpServerV2({ name: 'sdk2-recorded', version: '2.0.0' });
    registerTools(server as unknown as ToolHost);
    return server;
  };
  const options = { legacy: 'stateless' as const, responseMode };
  const handler = records ? records.wrapHandler(createMcpHandler(records.wrapFactory(factory), options)) : createMcpHandler(factory, options);
  const node = toNodeHandler(handler);
  const server = await startServer((req, res, body) => node(req, res, body ? JSON.parse(body) : undefined));
  return withLines(server, lines, async () => {
    await handler.close();
    await server.close();
  });
}

/** SDK 1.x stateful Streamable HTTP (SSE responses), the helper attached to each session's transport (`given` as for SDK 2.x). */
export async function startRecordedSdk1(given?: McpRequestRecords | null): Promise<RecordedServer> {
  const { records, lines } = given === undefined ? recorder() : { records: given, lines: [] };
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = await startServer(async (req, res, body) => {
    const parsed = body ? (JSON.parse(body) as unknown) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = sessions.get(sessionId);
      if (!transport) {
        sendJson(res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
        return;
      }
      await transport.handleRequest(req, res, parsed);
      return;
    }
    if (req.method === 'POST' && isInitializeRequest(parsed)) {
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, transport),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      const mcp = new McpServerV1({ name: 'sdk1-recorded', version: '1.0.0' });
      registerTools(mcp as unknown as ToolHost);
      await mcp.connect(transport);
      records?.attach(transport, mcp);
      await transport.handleRequest(req, res, parsed);
      return;
    }
    sendJson(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: Mcp-Session-Id header is required' } });
  });
  return withLines(server, lines, async () => {
    for (const t of sessions.values()) await t.close();
    await server.close();
  });
}

const ACCEPT = { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' };
export const MODERN_VERSION = '2026-07-28';
export const CLIENT = { name: 'records-test-client', version: '3.1.4' };

/** One POST; resolves with the status, the headers and the body read whole. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}):
Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { ...ACCEPT, ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A modern (2026-07-28) request: the envelope in `_meta`, the method in the headers. */
export function modern(
  url: string, id: number, method: string, params: Record<string, unknown> = {},
  extra: { meta?: Record<string, unknown>; headers?: Record<string, string> } = {},
) {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': CLIENT,
    ...extra.meta,
  };
  const headers: Record<string, string> = { 'mcp-protocol-version': MODERN_VERSION, 'mcp-method': method, ...extra.headers };
  if (method === 'tools/call' && typeof params.name === 'string') headers['mcp-name'] = params.name;
  return post(url, { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } }, headers);
}

/** A legacy session: initialize, notifications/initialized; returns a function for the session's next requests. */
export async function legacySession(url: string, headers: Record<string, string> = {}) {
  const init = await post(url, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: CLIENT },
  }, headers);
  const sessionId = init.headers.get('mcp-session-id') ?? undefined;
  const session = { ...headers, ...(sessionId ? { 'mcp-session-id': sessionId } : {}), 'mcp-protocol-version': '2025-11-25' };
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
  return {
    sessionId,
    request: (id: number, method: string, params: Record<string, unknown> = {}, more: Record<string, string> = {}) =>
      post(url, { jsonrpc: '2.0', id, method, params }, { ...session, ...more }),
  };
}

/** Waits until `count` records were written (the SSE copy is read as it arrives), for at most 5 s. */
export async function waitForRecords(server: RecordedServer, count: number): Promise<Array<Record<string, any>>> {
  const deadline = Date.now() + 5_000;
  while (server.lines.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return server.records();
}

/** The virtualenv's python, or undefined outside CI when it is missing (the suite is then skipped). */
export function venvPython(venv: string): string | undefined {
  const python = path.join(REPO_ROOT, venv, 'bin', 'python');
  if (fs.existsSync(python)) return python;
  const fix = `${venv}/ does not exist: run "npx projen install:python-example" (it creates it), then re-run the tests.`;
  if (process.env.CI) throw new Error(fix);
  // eslint-disable-next-line no-console
  console.warn(`Skipping the Python request-record tests: ${fix}`);
  return undefined;
}

