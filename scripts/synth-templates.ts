/**
 * Synthesizes, in-process and offline, every template a refactor must leave unchanged into
 * `<out>/<group>/<stack>.template.json`: every example stack (examples/*-stack.ts), every
 * construct at its defaults (test/support/defaults-stack.ts), and every construct with every
 * alarm on (`all-alarms`, which the defaults and examples leave off). Compare two such folders
 * with scripts/compare-templates.ts:
 *
 *   npx ts-node scripts/synth-templates.ts /tmp/before    # in a checkout of the base (a worktree of main)
 *   npx ts-node scripts/synth-templates.ts /tmp/after     # in the changed checkout
 *   npx ts-node scripts/compare-templates.ts /tmp/before /tmp/after
 *
 * (`TS_NODE_TRANSPILE_ONLY=1` halves the time; the templates are the same.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as mcp from '../src';
import { APP_RUNNER_ALARM_OPTION_KEYS } from '../src/app-runner/private/app-runner-alarm-option-keys';
import { EXPRESS_ALARM_OPTION_KEYS } from '../src/express/private/express-alarm-option-keys';
import { FARGATE_ALARM_OPTION_KEYS } from '../src/fargate/private/fargate-alarm-option-keys';
import { LAMBDA_ALARM_OPTION_KEYS } from '../src/lambda/private/lambda-alarm-option-keys';
import { WEB_FUNCTION_ALARM_OPTION_KEYS } from '../src/web-function/private/web-function-alarm-option-keys';
import { DefaultsStack } from '../test/support/defaults-stack';
import { exampleStackClasses } from '../test/support/example-stacks';

/** Every key of an alarm-options key list set to an enabled alarm that also notifies the topic. */
function allOn(keys: object): { [option: string]: mcp.McpAlarmThresholdBase } {
  return Object.fromEntries(Object.keys(keys).map((key) => [key, { enabled: true, actionsEnabled: true }]));
}

/** Every construct with every alarm on, the monitoring options that add alarms and resources on. */
class AllAlarmsStack extends Stack {
  constructor(scope: App, id: string) {
    super(scope, id);
    const on = { enabled: true, actionsEnabled: true };
    const monitoring = {
      dashboard: true,
      deployGate: true,
      canaryDetailedMetrics: true,
      probeFailureAlarm: on,
      probeLatencyAlarm: on,
      certificateExpiryAlarm: on,
      canaryErrorsAlarm: on,
      credentialErrorsAlarm: on,
    };
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1');
    new mcp.McpLambdaService(this, 'Lambda', {
      code: mcp.McpServerCode.fromEcrImage(ecr.Repository.fromRepositoryName(this, 'Repo', 'mcp-server')),
      reservedConcurrency: 10,
      provisionedConcurrency: 2,
      ...allOn(LAMBDA_ALARM_OPTION_KEYS),
      ...monitoring,
    });
    new mcp.McpWebFunctionService(this, 'WebFunction', {
      code: mcp.McpWebFunctionCode.fromBucket(s3.Bucket.fromBucketName(this, 'Code', 'mcp-code'), 'server.zip'),
      ...allOn(WEB_FUNCTION_ALARM_OPTION_KEYS),
      ...monitoring,
    });
    new mcp.McpFargateService(this, 'Fargate', { image, ...allOn(FARGATE_ALARM_OPTION_KEYS), ...monitoring });
    new mcp.McpExpressService(this, 'Express', { image, ...allOn(EXPRESS_ALARM_OPTION_KEYS), ...monitoring });
    new mcp.McpAppRunnerService(this, 'AppRunner', {
      image: mcp.McpAppRunnerImage.fromEcrPublic('public.ecr.aws/example/mcp-server:1'),
      maxInstances: 5,
      ...allOn(APP_RUNNER_ALARM_OPTION_KEYS),
      ...monitoring,
    });
  }
}

/** Synthesizes one app's stacks into `<out>/<group>/`. */
function write(out: string, group: string, build: (app: App) => void): void {
  const app = new App();
  build(app);
  const assembly = app.synth();
  fs.mkdirSync(path.join(out, group), { recursive: true });
  for (const stack of assembly.stacks) {
    fs.writeFileSync(path.join(out, group, `${stack.stackName}.template.json`), JSON.stringify(stack.template, null, 1));
  }
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: ts-node scripts/synth-templates.ts <out-folder>');
    process.exit(2);
  }
  for (const [name, stackClass] of exampleStackClasses()) {
    write(out, 'examples', (app) => new stackClass(app, name));
  }
  write(out, 'defaults', (app) => new DefaultsStack(app, 'Defaults'));
  write(out, 'all-alarms', (app) => new AllAlarmsStack(app, 'AllAlarms'));
}
