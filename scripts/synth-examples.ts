/**
 * Synthesizes every example app (examples/*-app.ts) into cdk.out/<app>/ with the pinned aws-cdk
 * CLI, offline and with no AWS credentials, and summarizes the stacks.
 *
 * Run: npx projen synth:examples
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** One synthesized stack. */
export interface StackSummary {
  readonly app: string;
  readonly stack: string;
  readonly resources: number;
  /** Resource counts by CloudFormation type, most frequent first. */
  readonly byType: Array<[string, number]>;
}

/** The example apps, e.g. ['app-runner-app', 'fargate-app', 'lambda-app']. */
export function exampleApps(): string[] {
  return fs
    .readdirSync(path.join(ROOT, 'examples'))
    .filter((f) => f.endsWith('-app.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

/**
 * `cdk synth` one example app with the project's pinned CLI; throws with the CLI's output on failure.
 *
 * @param outdir where the cloud assembly goes, relative to the repo root @default cdk.out/<app>
 */
export function synthApp(app: string, outdir: string = path.join('cdk.out', app)): StackSummary[] {
  const cdk = path.join(ROOT, 'node_modules', '.bin', 'cdk');
  const result = spawnSync(
    cdk,
    ['synth', '--app', `npx ts-node --prefer-ts-exts examples/${app}.ts`, '--output', outdir, '--quiet', '--no-notices', '--no-version-reporting'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      // Transpile-only: type-stripping halves the CPU and memory of a synth; the types are checked
      // by the jsii compile and eslint, and the template is the same.
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_CLI_NOTICES: 'false', TS_NODE_TRANSPILE_ONLY: '1' },
      timeout: 10 * 60_000,
    },
  );
  if (result.status !== 0) {
    throw new Error(`cdk synth of examples/${app}.ts failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return summarizeAssembly(app, path.resolve(ROOT, outdir));
}

/** Read a cloud assembly's manifest and count each stack's resources. */
export function summarizeAssembly(app: string, outdir: string): StackSummary[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const summaries: StackSummary[] = [];
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') {
      continue;
    }
    const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
    const counts = new Map<string, number>();
    for (const resource of Object.values<any>(template.Resources ?? {})) {
      counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
    }
    summaries.push({
      app,
      stack: name,
      resources: Object.keys(template.Resources ?? {}).length,
      byType: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    });
  }
  return summaries;
}

/** The resource types that say what a stack is, in the order a reader wants them. */
const KEY_TYPES = [
  'AWS::Lambda::Function',
  'AWS::Lambda::Url',
  'AWS::ECS::Service',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::AppRunner::Service',
  'AWS::Events::Rule',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::Logs::MetricFilter',
  'AWS::SNS::Topic',
  'AWS::CloudWatch::Dashboard',
];

/** A one-line description of a stack: its size and its key resource types. */
export function describeStack(s: StackSummary): string {
  const counts = new Map(s.byType);
  const key = KEY_TYPES.filter((type) => counts.has(type)).map((type) => {
    const n = counts.get(type)!;
    return `${type.replace(/^AWS::/, '')}${n > 1 ? ` x${n}` : ''}`;
  });
  return `${s.stack.padEnd(30)} ${String(s.resources).padStart(3)} resources: ${key.join(', ')}`;
}

if (require.main === module) {
  let failed = false;
  for (const app of exampleApps()) {
    try {
      const stacks = synthApp(app);
      console.log(`examples/${app}.ts -> cdk.out/${app}/`);
      stacks.forEach((s) => console.log(`  ${describeStack(s)}`));
    } catch (e) {
      failed = true;
      console.error((e as Error).message);
    }
  }
  process.exit(failed ? 1 : 0);
}
