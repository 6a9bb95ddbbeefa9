import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthApp } from '../../scripts/synth-examples';

/**
 * The pinned aws-cdk CLI (devDependencies) reads the cloud assemblies this aws-cdk-lib writes:
 * `cdk synth` of the Lambda example works offline, with no AWS credentials, through cdk-nag.
 */
test('the pinned aws-cdk CLI synthesizes examples/lambda-app.ts offline', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mcp-synth-'));
  try {
    const stacks = synthApp('lambda-app', outdir);
    expect(stacks.map((s) => s.stack).sort()).toEqual(['McpLambdaCustomDomainExample', 'McpLambdaExample', 'McpLambdaPublicExample', 'McpLambdaPythonExample']);
    for (const stack of stacks) {
      const types = new Map(stack.byType);
      expect(types.get('AWS::Lambda::Url')).toBe(1);
      expect(types.get('AWS::CloudWatch::CompositeAlarm')).toBe(1);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}, 180_000);

test('a failing synth reports the CLI output', () => {
  expect(() => synthApp('no-such-app', fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mcp-synth-')))).toThrow(/cdk synth of examples\/no-such-app.ts failed/);
}, 180_000);
