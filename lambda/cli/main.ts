/**
 * `mcp-probe`: the MCP probe from a terminal or a deploy pipeline.
 * Exit status 0 when the server is healthy, 1 when the probe failed, 2 for bad usage.
 */
import { parseArgs, USAGE } from './args';
import { formatHuman, jsonLine } from './format';
import { OPS_COMMANDS, runOps } from './ops';
import { probe } from '../probe';

/** Runs the CLI and resolves with its exit status. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if ((OPS_COMMANDS as readonly string[]).includes(argv[0])) return runOps(argv, env, out, err);
  const parsed = parseArgs(argv, env);
  if (parsed.kind === 'help') {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    err.write(`mcp-probe: ${parsed.message}\n`);
    return 2;
  }
  const result = await probe(parsed.options);
  out.write(parsed.json ? `${jsonLine(result)}\n` : formatHuman(parsed.options.url, result));
  return result.ok ? 0 : 1;
}

void main(process.argv.slice(2), process.env, process.stdout, process.stderr).then((code) => {
  process.exitCode = code;
});
