#!/usr/bin/env node
/**
 * The client command scripts/conformance.ts gives the MCP conformance suite: it runs `mcp-probe`
 * the way a pipeline would, once per tool call the scenario asks for.
 *
 * The suite runs `<this script> <probe arguments...> <scenario server URL>` and describes what
 * the client should do in the environment (`MCP_CONFORMANCE_CONTEXT`, JSON): a scenario with
 * `toolCalls: [{ name, arguments }]` expects each tool to be called with those arguments.
 * mcp-probe calls one sentinel tool per run (`--call`, `--args`), so this runs the probe once
 * per tool call, each run a whole probe (handshake, tools/list, the call); with no tool calls it
 * runs the probe once. A context with `client_id` and `client_secret` (the OAuth scenarios) makes
 * mcp-probe an OAuth client (--oauth-client-id, the secret in a variable). `CONFORMANCE_PROBE_ARGS` (JSON array, set by scripts/conformance.ts for a
 * scenario whose server expects a call it does not describe) adds arguments to every run.
 *
 * Exit code: the worst probe exit code (0 OK, 1 a failure verdict, 2 a usage error).
 * Plain JavaScript so that the suite starts it in milliseconds; no dependencies.
 */
'use strict';
const { spawnSync } = require('node:child_process');

const PROBE_RUN_TIMEOUT_MS = 30_000;
/** The variable the OAuth client secret of a scenario's context is passed in. */
const SECRET_VARIABLE = 'CONFORMANCE_OAUTH_CLIENT_SECRET';

function main() {
  const argv = process.argv.slice(2);
  if (argv.length < 2) {
    process.stderr.write('usage: conformance-client.js <mcp-probe bundle> [probe arguments...] <url>\n');
    return 2;
  }
  const [bundle, ...rest] = argv;
  const url = rest.pop();
  const extra = parseJson('CONFORMANCE_PROBE_ARGS', []);
  const context = parseJson('MCP_CONFORMANCE_CONTEXT', {});
  if (!Array.isArray(extra) || extra.some((arg) => typeof arg !== 'string')) {
    process.stderr.write('CONFORMANCE_PROBE_ARGS must be a JSON array of strings\n');
    return 2;
  }
  // OAuth scenarios hand the client its registration (`client_id`, `client_secret`): mcp-probe
  // reads the secret from a variable it is named by, never from its command line.
  const oauth = typeof context.client_id === 'string' && typeof context.client_secret === 'string'
    ? ['--oauth-client-id', context.client_id, '--oauth-client-secret-env', SECRET_VARIABLE] : [];
  const env = oauth.length > 0 ? { ...process.env, [SECRET_VARIABLE]: context.client_secret } : process.env;
  const calls = Array.isArray(context.toolCalls) ? context.toolCalls.filter((call) => call && typeof call.name === 'string') : [];
  const runs = calls.length === 0
    ? [[...rest, ...oauth, ...extra]]
    : calls.map((call) => [...rest, ...oauth, ...extra, '--call', call.name, '--args', JSON.stringify(call.arguments ?? {})]);
  let worst = 0;
  for (const args of runs) {
    const result = spawnSync(process.execPath, [bundle, ...args, url], { stdio: ['ignore', 'inherit', 'inherit'], timeout: PROBE_RUN_TIMEOUT_MS, env });
    const code = result.status ?? 2;
    worst = Math.max(worst, code);
  }
  return worst;
}

function parseJson(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text);
  } catch (error) {
    process.stderr.write(`${name} is not JSON (${error.message}); ignoring it\n`);
    return fallback;
  }
}

process.exitCode = main();
