/**
 * The server's tools, resource and prompt, registered on every server instance the SDK asks for
 * (one per modern request, one per legacy request or session): the tools `echo`, `get_time` and
 * `health` (the read-only sentinel a canary calls), the resource `example://server/info` and the
 * prompt `time_in_zone`.
 */
import { getHeapStatistics } from 'node:v8';
import { McpServer, type CallToolResult } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { SessionMode } from './config';
import { elapsedMs, type Logger } from './logger';

/** Name and version reported in `serverInfo`. */
export const SERVER_INFO = { name: 'cdk-mcp-example-server', version: '1.0.0' } as const;

/** The tools every instance registers, in registration order. */
export const TOOL_NAMES = ['echo', 'get_time', 'health'] as const;

/** URI of the one resource: a JSON description of this server. */
export const INFO_RESOURCE_URI = 'example://server/info';

/** Name of the one prompt. */
export const PROMPT_NAME = 'time_in_zone';

/**
 * The 2025-era revisions served through `initialize`, newest first: a client asking for one of
 * them gets it, any other request gets the first (newest). 2026-07-28 is served through
 * `server/discover`, which the SDK's handler adds itself.
 */
export const LEGACY_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];

/** Longest `echo` delay a caller may ask for, in milliseconds. */
export const MAX_ECHO_DELAY_MS = 5_000;

/** Heap use above this fraction of the V8 limit fails the `health` self-check. */
const MAX_HEAP_FRACTION = 0.9;
/** A 99th-percentile event-loop delay above this fails the `health` self-check. */
const MAX_EVENT_LOOP_DELAY_MS = 500;

/** Live process state the `health` tool reports on. */
export interface ServerStatus {
  /** How legacy clients are served. */
  readonly mode: SessionMode;
  /** Process start, from `performance.now()`. */
  readonly startedAt: number;
  /** Most stateful sessions allowed. */
  readonly maxSessions: number;
  /** Number of live stateful sessions (0 when stateless). */
  sessionCount(): number;
  /** 99th-percentile event-loop delay over the recent window, in milliseconds. */
  eventLoopDelayP99Ms(): number;
}

/** One self-check of the `health` tool. */
interface HealthCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Creates one server instance with all tools registered.
 *
 * @param status live process state for the `health` tool
 * @param logger receives one `tool_call` line per call
 */
export function createMcpServer(status: ServerStatus, logger: Logger): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions: 'Example MCP server deployed with cdk-mcp. Call `health` for a read-only status check.',
    supportedProtocolVersions: [...LEGACY_PROTOCOL_VERSIONS],
    // The lists never change at run time, so say so: the SDK would otherwise advertise
    // listChanged: true (a promise of notifications this server never sends).
    capabilities: { tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false } },
  });
  let registered = 0;
  const timed = <A extends unknown[]>(tool: string, handler: (...args: A) => Promise<CallToolResult>) =>
    async (...args: A): Promise<CallToolResult> => {
      const start = performance.now();
      let success = false;
      try {
        const result = await handler(...args);
        success = result.isError !== true;
        return result;
      } finally {
        logger.info('tool_call', { tool, durationMs: elapsedMs(start), success });
      }
    };

  server.registerTool('echo', {
    title: 'Echo',
    description: 'Returns the given text unchanged.',
    inputSchema: z.object({
      text: z.string().max(10_000).describe('Text to return.'),
      delayMs: z.number().int().min(0).max(MAX_ECHO_DELAY_MS).optional()
        .describe(`Wait this many milliseconds (at most ${MAX_ECHO_DELAY_MS}) before answering; for testing timeouts and draining.`),
    }),
    outputSchema: z.object({ text: z.string() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  }, timed('echo', async ({ text, delayMs }, ctx) => {
    if (delayMs !== undefined && delayMs > 0) {
      await sleep(delayMs, ctx.mcpReq.signal);
    }
    return { content: [{ type: 'text', text }], structuredContent: { text } };
  }));
  registered++;

  server.registerTool('get_time', {
    title: 'Current time',
    description: 'Returns the current time as ISO 8601 (UTC), epoch milliseconds and local time in an optional IANA time zone.',
    inputSchema: z.object({
      timeZone: z.string().max(64).optional().describe('IANA time zone such as Europe/Paris; UTC when omitted.'),
    }),
    annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: false },
  }, timed('get_time', async ({ timeZone }) => {
    const now = new Date();
    const zone = timeZone ?? 'UTC';
    let local: string;
    try {
      local = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone, dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23',
      }).format(now);
    } catch {
      return {
        isError: true,
        content: [{ type: 'text', text: `Unknown time zone ${JSON.stringify(zone)}: pass an IANA name such as Europe/Paris or UTC.` }],
      };
    }
    const time = { iso: now.toISOString(), epochMs: now.getTime(), timeZone: zone, local };
    return { content: [{ type: 'text', text: `${time.iso} (${zone}: ${local})` }], structuredContent: time };
  }));
  registered++;

  server.registerTool('health', {
    title: 'Health',
    description: 'Read-only self-check of the server (tools, session capacity, memory, event loop). Returns "ok" or "degraded: <checks>".',
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  }, timed('health', async () => {
    const checks = runHealthChecks(status, registered);
    const failed = checks.filter((check) => !check.ok);
    const report = {
      status: failed.length === 0 ? 'ok' : 'degraded',
      uptimeSeconds: Math.round((performance.now() - status.startedAt) / 1000),
      mode: status.mode,
      sessions: status.sessionCount(),
      maxSessions: status.maxSessions,
      checks,
    };
    const text = failed.length === 0 ? 'ok' : `degraded: ${failed.map((check) => `${check.name} (${check.detail})`).join('; ')}`;
    return { isError: failed.length > 0, content: [{ type: 'text', text }], structuredContent: report };
  }));
  registered++;

  server.registerResource('server_info', INFO_RESOURCE_URI, {
    title: 'Server information',
    description: 'What this server is: name, version, session mode, protocol revisions, tools and prompt.',
    mimeType: 'application/json',
  }, async (uri) => {
    const info = {
      ...SERVER_INFO,
      mode: status.mode,
      protocolVersions: [...LEGACY_PROTOCOL_VERSIONS, '2026-07-28'],
      tools: [...TOOL_NAMES],
      prompts: [PROMPT_NAME],
    };
    return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(info) }] };
  });

  server.registerPrompt(PROMPT_NAME, {
    title: 'Time in a zone',
    description: 'Asks for the current time in an IANA time zone, using the get_time tool.',
    argsSchema: z.object({ timeZone: z.string().max(64).describe('IANA time zone such as Europe/Paris.') }),
  }, ({ timeZone }) => ({
    messages: [{
      role: 'user',
      content: { type: 'text', text: `What time is it in ${timeZone}? Call the get_time tool with timeZone "${timeZone}" and answer with the local time.` },
    }],
  }));

  return server;
}

/** The `health` tool's self-checks, each naming what it measured. */
export function runHealthChecks(status: ServerStatus, registeredTools: number): HealthCheck[] {
  const heap = getHeapStatistics();
  const heapFraction = heap.used_heap_size / heap.heap_size_limit;
  const delay = status.eventLoopDelayP99Ms();
  const sessions = status.sessionCount();
  return [
    { name: 'tools', ok: registeredTools === TOOL_NAMES.length, detail: `${registeredTools}/${TOOL_NAMES.length} registered` },
    {
      name: 'sessions',
      ok: status.mode === 'stateless' || sessions < status.maxSessions,
      detail: status.mode === 'stateless' ? 'stateless' : `${sessions}/${status.maxSessions} in use`,
    },
    { name: 'memory', ok: heapFraction < MAX_HEAP_FRACTION, detail: `heap ${Math.round(heapFraction * 100)}% of limit` },
    { name: 'eventLoop', ok: delay < MAX_EVENT_LOOP_DELAY_MS, detail: `p99 delay ${Math.round(delay)} ms` },
  ];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
