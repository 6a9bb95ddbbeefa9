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
import { AUTH_COMMAND, runAuth } from './auth';
import { formatHuman, formatSides, jsonLine } from './format';
import { failedSide } from '../canary/side';
import { probe, type ProbeOptions } from '../probe';
import { OPS_COMMANDS } from './ops/usage';
import { credentialsFromEnv, type AwsCredentials } from '../probe/sigv4';

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

/**
 * The credentials `--sigv4`/`--sigv4a` sign with, in the order of the AWS SDK's default chain:
 * the environment's keys first, unless a profile is named (`--profile`, AWS_PROFILE: the SDK's
 * chain then skips them too), without loading the SDK; otherwise the SDK's chain (profiles,
 * SSO, config files, container and instance credentials), loaded only now.
 *
 * @returns the credentials, or why there are none
 */
async function signingCredentials(profile: string | undefined, env: NodeJS.ProcessEnv): Promise<AwsCredentials | string> {
  const named = profile ?? (env.AWS_PROFILE || undefined);
  const fromEnv = named === undefined ? credentialsFromEnv(env) : undefined;
  if (fromEnv) return fromEnv;
  const ops = loadOps();
  try {
    return await ops.signingCredentials(named, profile === undefined && named !== undefined ? 'AWS_PROFILE' : '--profile');
  } catch (e) {
    if (e instanceof ops.CredentialsError) return e.message;
    throw e;
  }
}

/** Runs the CLI and resolves with its exit status. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if ((OPS_COMMANDS as readonly string[]).includes(argv[0])) return loadOps().runOps(argv, env, out, err);
  if (argv[0] === AUTH_COMMAND) return runAuth(argv.slice(1), out, err);
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
  const origin = parsed.origin;
  // One credential chain for every signed probe (the front door's, the origin's).
  const signed = [options, ...(origin ? [origin] : [])].filter((o): o is ProbeOptions & { sigv4: NonNullable<ProbeOptions['sigv4']> } => o.sigv4 !== undefined);
  if (signed.length > 0) {
    const credentials = await signingCredentials(parsed.profile, env);
    if (typeof credentials === 'string') {
      const flag = options.sigv4 ? (options.sigv4.algorithm === 'sigv4a' ? '--sigv4a' : '--sigv4') : '--origin-sigv4';
      err.write(`mcp-probe: ${flag}: ${credentials}\n`);
      return 2;
    }
    for (const o of signed) o.sigv4 = { ...o.sigv4, credentials };
  }
  const result = await probe(options);
  if (!origin) {
    out.write(parsed.json ? `${jsonLine(result)}\n` : formatHuman(options.url, result));
    return result.ok ? 0 : 1;
  }
  // Asked for, the origin is probed whatever the front door did: both verdicts, then the side.
  const originResult = await probe(origin);
  out.write(parsed.json
    ? `${jsonLine({ ...result, origin: originResult, failedSide: failedSide(result, originResult) })}\n`
    : `${formatHuman(options.url, result)}\n${formatHuman(origin.url, originResult)}\n${formatSides(result, originResult)}`);
  return result.ok && originResult.ok ? 0 : 1;
}

void main(process.argv.slice(2), process.env, process.stdout, process.stderr).then((code) => {
  process.exitCode = code;
});
