/**
 * The bad inputs of the platform alarms, tried as a user would: token limits from CfnParameters,
 * utilization thresholds out of range on alarms that are off, and problems reported once with the
 * alarms construct's name and path.
 */
import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  McpAppRunnerImage,
  McpAppRunnerService,
  McpExpressAlarmOptions,
  McpExpressService,
  McpFargateService,
  McpLambdaService,
  McpServerCode,
  McpServiceMonitoring,
  McpWebFunctionCode,
  McpWebFunctionService,
} from '../../src';
import { KeysOf, pickOptions } from '../../src/private/pick-options';
import { alarmById } from '../support/kit';

const SERVER_DIR = path.join(__dirname, '..', 'fixtures', 'lambda-server');
const IMAGE = 'public.ecr.aws/example/mcp-server:1';

function stack(): Stack {
  return new Stack(new App(), 'Stack');
}

function number(scope: Stack, id: string): number {
  return new CfnParameter(scope, id, { type: 'Number' }).valueAsNumber;
}

/** The metric-math expression of an alarm, resolved. */
function expressionOf(alarm: Record<string, any>): unknown {
  return alarm.Metrics.find((m: { Expression?: unknown }) => m.Expression !== undefined).Expression;
}

describe('token limits from CfnParameters', () => {
  test('a token memorySize synthesizes, and the memory alarm and widget divide by the parameter (no number-encoded token in the expression)', () => {
    const s = stack();
    new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), memorySize: number(s, 'Mem'), memoryAlarm: { enabled: true }, dashboard: true });
    const template = Template.fromStack(s);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/e\+289/);
    expect(expressionOf(alarmById(template, 'McpAlarmsMemoryUtilization'))).toEqual({ 'Fn::Join': ['', ['100 * maxUsed / ', { Ref: 'Mem' }]] });
    Annotations.fromStack(s).hasNoWarning('*', Match.stringLikeRegexp('unknown identifiers'));
  });

  test('a token reservedConcurrency puts the parameter in the utilization expression (CloudWatch would not know -1.888e+289)', () => {
    const s = stack();
    new McpLambdaService(s, 'Mcp', {
      code: McpServerCode.fromDirectory(SERVER_DIR), reservedConcurrency: number(s, 'Reserved'), provisionedConcurrency: number(s, 'Provisioned'), dashboard: true,
    });
    const template = Template.fromStack(s);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/e\+289/);
    const concurrency = alarmById(template, 'McpAlarmsConcurrencyNearLimit');
    expect(expressionOf(concurrency)).toEqual({ 'Fn::Join': ['', ['100 * concurrent / ', { Ref: 'Reserved' }]] });
    expect(concurrency.Threshold).toBe(80);
    Annotations.fromStack(s).hasNoWarning('*', Match.stringLikeRegexp('unknown identifiers'));
  });
});

describe('maxUtilizationPercent out of range', () => {
  const bad = { maxUtilizationPercent: 150 };
  const range = /is 150; use a percentage above 0 and at most 100/;

  test.each([
    ['McpLambdaService memoryAlarm (opt-in, off)', (s: Stack) => new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), memoryAlarm: bad }), 'memoryAlarm'],
    ['McpLambdaService durationAlarm (opt-in, off)', (s: Stack) => new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), durationAlarm: bad }), 'durationAlarm'],
    ['McpLambdaService concurrencyAlarm without a reservation', (s: Stack) => new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), concurrencyAlarm: bad }), 'concurrencyAlarm'],
    ['McpFargateService memoryAlarm', (s: Stack) => new McpFargateService(s, 'Mcp', { image: ecs.ContainerImage.fromRegistry(IMAGE), memoryAlarm: bad }), 'memoryAlarm'],
    ['McpFargateService cpuAlarm', (s: Stack) => new McpFargateService(s, 'Mcp', { image: ecs.ContainerImage.fromRegistry(IMAGE), cpuAlarm: bad }), 'cpuAlarm'],
    ['McpExpressService memoryAlarm', (s: Stack) => new McpExpressService(s, 'Mcp', { image: ecs.ContainerImage.fromRegistry(IMAGE), memoryAlarm: bad }), 'memoryAlarm'],
    ['McpExpressService cpuAlarm', (s: Stack) => new McpExpressService(s, 'Mcp', { image: ecs.ContainerImage.fromRegistry(IMAGE), cpuAlarm: bad }), 'cpuAlarm'],
    ['McpAppRunnerService memoryAlarm', (s: Stack) => new McpAppRunnerService(s, 'Mcp', { image: McpAppRunnerImage.fromEcrPublic(IMAGE), memoryAlarm: bad }), 'memoryAlarm'],
    ['McpAppRunnerService cpuAlarm', (s: Stack) => new McpAppRunnerService(s, 'Mcp', { image: McpAppRunnerImage.fromEcrPublic(IMAGE), cpuAlarm: bad }), 'cpuAlarm'],
    ['McpAppRunnerService instancesAtMaxAlarm on a service that cannot scale',
      (s: Stack) => new McpAppRunnerService(s, 'Mcp', { image: McpAppRunnerImage.fromEcrPublic(IMAGE), minInstances: 1, maxInstances: 1, instancesAtMaxAlarm: bad }), 'instancesAtMaxAlarm'],
  ])('%s is a synth error naming the prop, the value and the range', (_name, make, prop) => {
    expect(() => make(stack())).toThrow(new RegExp(`\`${prop}.maxUtilizationPercent\` ${range.source}`));
  });
});

describe('alarm settings are validated like every prop', () => {
  test('the problems of one alarms construct are reported together, with its name and path', () => {
    expect(() => new McpFargateService(stack(), 'Mcp', {
      image: ecs.ContainerImage.fromRegistry(IMAGE),
      memoryAlarm: { maxUtilizationPercent: 150 },
      unhealthyHostsAlarm: { datapointsToAlarm: 4, evaluationPeriods: 2 },
    })).toThrow(/^McpFargateAlarms 'Stack\/Mcp\/Alarms' has 2 problems:\n- `memoryAlarm.maxUtilizationPercent` is 150.*\n- `unhealthyHostsAlarm.datapointsToAlarm` is 4/);
  });

  test('the canary alarms of the monitoring too', () => {
    expect(() => new McpServiceMonitoring(stack(), 'Monitoring', {
      serviceName: 'orders',
      url: 'https://mcp.example.com/mcp',
      probeFailureAlarm: { minSuccessRate: 2 },
      probeLatencyAlarm: { period: Duration.seconds(45) },
    })).toThrow(/^McpServiceMonitoring 'Stack\/Monitoring' has 2 problems:\n- `probeFailureAlarm.minSuccessRate` is 2.*\n- `probeLatencyAlarm.period` is 45 seconds/);
  });

  test('a count threshold of an opt-in log alarm that is off is still checked', () => {
    const s = stack();
    expect(() => new McpWebFunctionService(s, 'Mcp', {
      code: McpWebFunctionCode.fromBucket(s3.Bucket.fromBucketName(s, 'Code', 'mcp-code'), 'server.zip'),
      fileDescriptorsAlarm: { maxCount: -1 },
    })).toThrow(/McpWebFunctionAlarms '.*': `fileDescriptorsAlarm.maxCount` is -1; use a number of at least 0/);
  });
});

describe('options passed by name', () => {
  test('pickOptions copies the listed keys that are set, nothing else', () => {
    const keys: KeysOf<McpExpressAlarmOptions> = { cpuAlarm: true, memoryAlarm: true, runningTasksAlarm: true, fatalErrorsAlarm: true };
    const props = { cpuAlarm: { enabled: true }, serviceName: 'not-an-alarm-option', memoryAlarm: undefined };
    expect(pickOptions<McpExpressAlarmOptions>(props, keys)).toEqual({ cpuAlarm: { enabled: true } });
  });

  test('a key list names exactly the options (checked by the compiler)', () => {
    const all = { cpuAlarm: true, memoryAlarm: true, runningTasksAlarm: true, fatalErrorsAlarm: true } as const;
    // @ts-expect-error serviceName is not an alarm option
    const extra: KeysOf<McpExpressAlarmOptions> = { ...all, serviceName: true };
    // @ts-expect-error fatalErrorsAlarm is left out
    const missing: KeysOf<McpExpressAlarmOptions> = { cpuAlarm: true, memoryAlarm: true, runningTasksAlarm: true };
    expect([extra, missing]).toHaveLength(2);
  });
});
