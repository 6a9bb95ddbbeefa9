/**
 * `mcp-probe`: the MCP probe from a terminal or a deploy pipeline.
 * Exit status 0 when the server is healthy, 1 when the probe failed, 2 for bad usage.
 *
 * A probe loads nothing it does not use: the operator commands (`status`, `maintenance`,
 * `canary`) and the AWS credential chain of `--sigv4`/`--sigv4a` live in a bundle of their own
 * (./ops, with the AWS SDK), loaded only when one of them is asked for.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseArgs, USAGE } from './args';
import { formatHuman, jsonLine } from './format';
import { OPS_COMMANDS } from './ops/usage';
import { probe } from '../probe';

/** Whether this runs as the bundle in assets/lambda/cli/main/ (else from source, under ts-node). */
const BUNDLED = !__filename.endsWith('.ts');

/**
 * Loads the operator commands and the AWS SDK, only now: a probe without AWS never pays for
 * them. Bundled, they are the bundle next to this one (assets/lambda/cli/ops/index/, see
 * .projenrc.ts); a require esbuild cannot follow keeps them out of this bundle.
 */
function loadOps(): typeof import('./ops') {
  const ops = BUNDLED ? path.join(__dirname, '..', 'ops', 'index', 'index.js') : './ops';
  return createRequire(__filename)(ops) as typeof import('./ops');
}

/** The package's version, from its package.json (four levels above the bundle, two above the source). */
function version(): string {
  const file = path.join(__dirname, ...Array<string>(BUNDLED ? 4 : 2).fill('..'), 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
}

/** Runs the CLI and resolves with its exit status. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if ((OPS_COMMANDS as readonly string[]).includes(argv[0])) return loadOps().runOps(argv, env, out, err);
  const parsed = parseArgs(argv, env);
  if (parsed.kind === 'help') {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'version') {
    out.write(`mcp-probe ${version()}\n`);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    err.write(`mcp-probe: ${parsed.message}\n`);
    return 2;
  }
  const options = parsed.options;
  if (options.sigv4) {
    const ops = loadOps();
    try {
      options.sigv4 = { ...options.sigv4, credentials: await ops.signingCredentials(parsed.profile) };
    } catch (e) {
      if (!(e instanceof ops.CredentialsError)) throw e;
      err.write(`mcp-probe: ${options.sigv4.algorithm === 'sigv4a' ? '--sigv4a' : '--sigv4'}: ${e.message}\n`);
      return 2;
    }
  }
  const result = await probe(options);
  out.write(parsed.json ? `${jsonLine(result)}\n` : formatHuman(options.url, result));
  return result.ok ? 0 : 1;
}

void main(process.argv.slice(2), process.env, process.stdout, process.stderr).then((code) => {
  process.exitCode = code;
});
