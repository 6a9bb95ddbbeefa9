/**
 * Test helpers of the operator commands: AWS settings that can only reach the loopback fake,
 * and a runner that captures stdout, stderr and the exit status.
 */
import { Writable } from 'node:stream';
import { startFakeAws, type FakeAws } from './fake-aws';
import { runOps } from '../../lambda/cli/ops';

/** Fake static credentials and no config files: nothing can reach a real account. */
export function isolateAwsEnvironment(): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL']) delete process.env[name];
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}

/** What a command printed and returned. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs `mcp-probe <argv>` in-process against `endpoint`, region us-east-1. */
export async function runCli(endpoint: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out = sink();
  const err = sink();
  const code = await runOps(argv, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: endpoint, ...env }, out.stream, err.stream);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Registers the hooks of a test file: an isolated AWS environment, and a fresh fake per test. */
export function useFakeAws(): () => FakeAws {
  let fake: FakeAws | undefined;
  let restore: (() => void) | undefined;
  beforeAll(() => {
    restore = isolateAwsEnvironment();
  });
  afterAll(() => restore?.());
  beforeEach(async () => {
    fake = await startFakeAws();
  });
  afterEach(() => fake?.close());
  return () => fake!;
}
