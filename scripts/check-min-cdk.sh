#!/usr/bin/env bash
# Proves the peer-dependency minimum: compiles src/ against the lowest aws-cdk-lib and constructs
# that package.json accepts, and synthesizes one of each construct with them (not the examples:
# they use cdk-nag 3's Validations API, which needs aws-cdk-lib >= 2.258).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
min_cdk=$(node -p "require('$root/package.json').peerDependencies['aws-cdk-lib'].replace(/^\^/, '')")
min_constructs=$(node -p "require('$root/package.json').peerDependencies['constructs'].replace(/^\^/, '')")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "Checking the library against aws-cdk-lib@$min_cdk and constructs@$min_constructs in $work"
cd "$work"
echo '{"name":"cdk-mcp-min-cdk-check","private":true}' > package.json
npm install --no-audit --no-fund --loglevel=error "aws-cdk-lib@$min_cdk" "constructs@$min_constructs" typescript@5 @types/node@22 esbuild@0.28 > /dev/null
cp -r "$root/src" src
cp -r "$root/assets" assets
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "outDir": "lib", "rootDir": "src",
  "skipLibCheck": true, "types": ["node"], "esModuleInterop": true, "noUnusedLocals": true }, "include": ["src/**/*.ts"] }
JSON
npx tsc -p tsconfig.json
cat > synth.js <<JS
const { App, Stack } = require('aws-cdk-lib');
const ecs = require('aws-cdk-lib/aws-ecs');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');
const m = require('./lib');
const app = new App({ outdir: 'cdk.out' });
const s = new Stack(app, 'MinCdk', { env: { region: 'us-east-1', account: '111111111111' } });
new m.McpLambdaService(s, 'Lambda', { code: m.McpServerCode.fromDirectory('$root/test/fixtures/lambda-server'), provisionedConcurrency: 1, reservedConcurrency: 5, dashboard: true });
new m.McpLambdaService(s, 'Public', { code: m.McpServerCode.fromEntry('$root/test/fixtures/entry-server/server.ts'), auth: m.McpFunctionUrlAuth.NONE, corsAllowedOrigins: ['https://app.example.com'] });
new m.McpFargateService(s, 'Fargate', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/acme/mcp:1'), sessionMode: m.McpSessionMode.STATEFUL, dashboard: true });
new m.McpAppRunnerService(s, 'AppRunner', { image: m.McpAppRunnerImage.fromEcrPublic('public.ecr.aws/acme/mcp:1') });
new m.McpWebFunctionService(s, 'WebFunction', { code: m.McpWebFunctionCode.fromDirectory('$root/test/fixtures/web-function-server') });
new m.McpExpressService(s, 'Express', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/acme/mcp:1') });
new m.McpCanary(s, 'Canary', { url: 'https://example.com/mcp', serviceName: 'partner', auth: m.McpCanaryAuth.bearerTokenFromSecret(new secretsmanager.Secret(s, 'Token')) });
const stack = app.synth().getStackByName('MinCdk');
console.log('aws-cdk-lib ' + require('aws-cdk-lib/package.json').version + ': every construct synthesized (' + Object.keys(stack.template.Resources).length + ' resources)');
JS
CDK_VALIDATION=false node synth.js
