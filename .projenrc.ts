import { awscdk, javascript, JsonFile } from 'projen';

/**
 * The lowest aws-cdk-lib the public API compiles against: 2.276.0, the first release with the
 * Lambda Web Functions L2 (`lambda.WebFunction`, `WebFunctionEndpoint`, `NetworkConnector`) that
 * McpWebFunctionService builds on (2.273.0 had only the L1s). Everything else the constructs use
 * is older (Node.js 24 runtime since 2.225.0). CI compiles and synthesizes every construct with it
 * (`check:min-cdk`).
 */
const MIN_CDK_VERSION = '2.276.0';
const TESTED_CDK_VERSION = '2.276.0';
/** The last aws-cdk CLI that reads the cloud assemblies aws-cdk-lib 2.276 writes (3.x cannot). */
const CDK_CLI_VERSION = '2.1148.1';

const project = new awscdk.AwsCdkConstructLibrary({
  author: 'cdk-mcp maintainers',
  authorAddress: 'maintainers@cdk-mcp.dev',
  cdkVersion: MIN_CDK_VERSION,
  constructsVersion: '10.5.0',
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  name: 'cdk-mcp',
  description:
    'AWS CDK constructs that deploy MCP (Model Context Protocol) servers on Lambda, Fargate and App Runner, and watch them with a real MCP protocol probe.',
  keywords: ['cdk', 'awscdk', 'mcp', 'model-context-protocol', 'lambda', 'fargate', 'app-runner', 'monitoring', 'canary'],
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  repositoryUrl: 'https://github.com/cdk-mcp/cdk-mcp.git',
  peerDependencyOptions: { pinnedDevDependency: false },
  minNodeVersion: '20.16.0',
  workflowNodeVersion: '20.x',
  // npm is the only target that packages offline; jsii compatibility is kept for Construct Hub.
  devDeps: [
    `aws-cdk@${CDK_CLI_VERSION}`,
    'cdk-nag@^3.0.2',
    '@types/node@^22',
    '@modelcontextprotocol/sdk@^1.32.2',
    '@modelcontextprotocol/server@^2.4.0',
    '@modelcontextprotocol/client@^2.4.0',
    '@modelcontextprotocol/node@^2.1.2',
    '@modelcontextprotocol/server-everything@2026.8.31',
    'zod@^4',
    'fast-check@^4',
    'esbuild@^0.28',
    // Bundled into the mcp-probe CLI's operations bundle only (status, maintenance, canary, the
    // credential chain of --sigv4); never into the canary, nor into the CLI's main bundle.
    '@aws-sdk/client-cloudformation@^3.1164.0',
    '@aws-sdk/client-cloudwatch@^3.1164.0',
    '@aws-sdk/client-lambda@^3.1164.0',
    '@aws-sdk/credential-provider-node@^3.972.99',
    // Bundled into the App Runner custom-domain handler only (lambda/app-runner-domain).
    '@aws-sdk/client-apprunner@^3.1142.0',
    '@aws-sdk/client-route-53@^3.1164.0',
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // A real OpenID provider for the OAuth tests of the probe on 127.0.0.1 (test/fixtures/oauth/;
    // with jose, below); never bundled.
    'oidc-provider@9.13.3',
  ],
  gitignore: ['cdk.out/', '*.cdk.out/', 'examples/server/dist/', '.bench/', '.conformance/', '.conformance-alpha/', '.venv-python-example/', '.venv-python-records/', '__pycache__/'],
  jestOptions: {
    jestConfig: {
      testTimeout: 60_000,
      // cdk synth and real servers on loopback are CPU-heavy; two workers fit the 2-core machines.
      maxWorkers: 2,
      setupFiles: ['<rootDir>/test/setup-env.ts'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'lambda', 'examples', 'bench', 'scripts', 'build-tools', 'projenrc'],
  },
});

// Develop and test against the latest aws-cdk-lib while the peer range stays at the minimum.
project.addDevDeps(`aws-cdk-lib@${TESTED_CDK_VERSION}`, 'constructs@10.8.1');
// The example server's OAuth token checks (jose, bundled into examples/server/dist) and the real
// OAuth server its tests mint tokens with (oauth2-mock-server 8.x: the last line that runs on Node 20).
project.addDevDeps('jose@^6.2.17', 'oauth2-mock-server@8.2.2');
// jsii warns (JSII6) when the dev dependency is not the peer minimum: here that is on purpose.
project.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');

// Folders outside src/ and test/ get a tsconfig.json each, so eslint's project service and editors
// type-check them like the tests (they are never compiled by jsii).
for (const dir of ['lambda', 'examples', 'bench', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts', '../src/**/*.ts'] },
  });
}

project.eslint?.addRules({
  // The MCP SDK packages resolve through `exports` maps that eslint-plugin-import cannot read.
  'import/no-unresolved': 'off',
});
// src/contract holds the run-time names shared with the canary, the probe and the CLI bundles:
// it must never pull in aws-cdk-lib or constructs (test/architecture checks the import graph too).
project.eslint?.addOverride({
  files: ['src/contract/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{ group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'src/contract is bundled into run-time code: no aws-cdk-lib or constructs imports.' }],
    }],
  },
});

// --- Run-time code: bundled and minified at library build time into assets/ (never at consumer synth).
const runtimeBundle = {
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  externals: ['@aws-sdk/*'],
  tsconfigPath: 'test/tsconfig.json',
};
project.bundler.addBundle('lambda/canary/handler.ts', runtimeBundle);
// The deploy gate uses the AWS SDK of the Lambda runtime (CloudWatch, CloudFormation): not bundled.
project.bundler.addBundle('lambda/gate/handler.ts', runtimeBundle);
// The App Runner custom-domain handler bundles its two SDK clients (App Runner, Route 53), so the
// versions it was tested with are the ones that run.
project.bundler.addBundle('lambda/app-runner-domain/handler.ts', { ...runtimeBundle, externals: [] });
// The CLI bundles the AWS SDK clients it uses, so `npx cdk-mcp`-style installs need nothing else,
// in a second bundle: a probe loads only the main one (the AWS SDK tripled its start-up time).
// main.ts requires assets/lambda/cli/ops/index/index.js at run time for the operator commands
// and --sigv4/--sigv4a; the main bundle keeps @aws-sdk/* external, so an import of the SDK
// that slips into it fails loudly instead of bloating every probe.
const cliBundle = project.bundler.addBundle('lambda/cli/main.ts', { ...runtimeBundle, target: 'node20' });
const cliOpsBundle = project.bundler.addBundle('lambda/cli/ops/index.ts', { ...runtimeBundle, target: 'node20', externals: [] });
// Building the CLI builds both halves (the tests spawn bin/mcp-probe after `bundle:lambda/cli/main`).
cliBundle.bundleTask.spawn(cliOpsBundle.bundleTask);
// The start code in front of the user's server (PORT on Web Functions, `secrets` on Lambda and Web
// Functions): the Web Functions start file, and the Lambda start layer (start.sh, its Node.js and
// Python resolvers) assembled in assets/lambda/start/layer/cdk-mcp (a layer is extracted to /opt).
project.bundler.addBundle('lambda/start/web-function-start.ts', runtimeBundle);
project.bundler.addBundle('lambda/start/resolve-secrets.ts', runtimeBundle);
project.tasks.tryFind('bundle')!.exec(
  'mkdir -p assets/lambda/start/layer/cdk-mcp && ' +
    'cp assets/lambda/start/resolve-secrets/index.js assets/lambda/start/layer/cdk-mcp/resolve-secrets.js && ' +
    'cp lambda/start/resolve_secrets.py lambda/start/start.sh assets/lambda/start/layer/cdk-mcp/ && ' +
    'chmod 755 assets/lambda/start/layer/cdk-mcp/start.sh',
);
// bin/mcp-probe (requires the bundled CLI) is registered as the package's `mcp-probe` bin by projen.
project.addPackageIgnore('/lambda/'); // run-time sources: they ship bundled in assets/
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/cdk.out/');
project.addPackageIgnore('/.bench/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/scripts/');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('cdk.json');

// --- The example MCP server: bundled with esbuild so start-up is fast (run.sh, Dockerfile, Lambda).
const exampleServer = project.addTask('bundle:example-server', {
  description: 'Bundle the example MCP server into examples/server/dist/server.js',
  exec:
    'esbuild examples/server/src/main.ts --bundle --platform=node --target=node20 --format=cjs --minify --sourcemap --outfile=examples/server/dist/server.js --log-level=warning',
});
project.preCompileTask.spawn(exampleServer);

// --- The Python example MCP server: its pinned requirements in a virtualenv, from the machine's pip
// index (pip config), for test/examples/python-server.test.ts. Not part of the build: CI (.ci/run)
// runs it before the build. --retries 1: where pypi.org does not resolve (an offline mirror in
// pip's extra-index-url), pip's default 5 retries with backoff cost about 8 s per package.
project.addTask('install:python-example', {
  description: 'Create .venv-python-example/ and pip install examples/python-server/requirements.txt (needs python3 >= 3.10)',
  steps: [
    { exec: '[ -x .venv-python-example/bin/python ] || python3 -m venv .venv-python-example' },
    { exec: '.venv-python-example/bin/pip install --quiet --disable-pip-version-check --retries 1 -r examples/python-server/requirements.txt' },
  ],
});
// The FastMCP server of test/records/python.test.ts, in its own virtualenv (the example's pins its
// whole tree): created with the example's, so CI (which runs install:python-example) has it too.
const pythonRecords = project.addTask('install:python-records', {
  description: 'Create .venv-python-records/ and pip install test/records/python/requirements.txt (FastMCP, for the request-record tests)',
  steps: [
    { exec: '[ -x .venv-python-records/bin/python ] || python3 -m venv .venv-python-records' },
    { exec: '.venv-python-records/bin/pip install --quiet --disable-pip-version-check --retries 1 -r test/records/python/requirements.txt' },
  ],
});
project.tasks.tryFind('install:python-example')!.spawn(pythonRecords);

// --- Main job: synth every example offline and probe the example server on 127.0.0.1.
const cdkEnv = { CDK_DISABLE_VERSION_CHECK: '1', CDK_CLI_NOTICES: 'false' };
project.addTask('demo', {
  description: 'Build, synthesize every example stack offline, and probe the example MCP server locally',
  steps: [
    { spawn: 'pre-compile' },
    { exec: 'ts-node --prefer-ts-exts scripts/demo.ts' },
  ],
  env: cdkEnv,
});
project.addTask('synth:examples', {
  description: 'cdk synth every example app into cdk.out/ with the pinned CDK CLI (no AWS account needed)',
  exec: 'ts-node --prefer-ts-exts scripts/synth-examples.ts',
  env: cdkEnv,
});
project.addTask('bench', {
  description: 'Benchmark the MCP probe against SDK clients and bare HTTP round trips (prints figures)',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --prefer-ts-exts bench/probe.bench.ts' }, { spawn: 'bench:records' }],
});
project.addTask('bench:records', {
  description: 'What the request-record helper costs a request: a tools/call with and without it, SDK 2.x and 1.x servers (prints figures)',
  exec: 'ts-node --prefer-ts-exts bench/records.bench.ts',
});

project.addTask('cost', {
  description: 'Monthly cost and resource count of every construct at defaults, from the synthesized templates (prints figures)',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --prefer-ts-exts scripts/cost/cost.ts' }],
  env: { TS_NODE_TRANSPILE_ONLY: '1' },
});
project.addTask('conformance', {
  description: 'The official MCP conformance suite: its server scenarios against the example server, its client scenarios with mcp-probe (installs Node.js 22 and the suite into .conformance/)',
  steps: [{ spawn: 'bundle' }, { spawn: 'bundle:example-server' }, { exec: 'ts-node --prefer-ts-exts scripts/conformance.ts' }],
});
project.addTask('check:min-cdk', {
  description: 'Compile src/ against the peer-dependency minimum of aws-cdk-lib and synthesize every construct with it',
  exec: 'bash scripts/check-min-cdk.sh',
});

project.synth();
