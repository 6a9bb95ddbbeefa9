/**
 * The canary's schedule-overlap check reads cron expressions too, a non-Duration deadline is a
 * validation message, and the server and canary log groups take a KMS key CloudWatch Logs can use.
 */
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { McpCanary, McpLambdaService, McpServerCode } from '../../src';
import { scheduleIntervalMinutes } from '../../src/canary/private/canary-validation';

const SERVER_DIR = path.join(__dirname, '..', 'fixtures', 'lambda-server');

describe('scheduleIntervalMinutes', () => {
  test.each<[string, number | undefined]>([
    ['rate(1 minute)', 1],
    ['rate(2 hours)', 120],
    ['cron(* * * * ? *)', 1],
    ['cron(0/1 * * * ? *)', 1],
    ['cron(*/5 * * * ? *)', 5],
    ['cron(0,30 * * * ? *)', 30],
    ['cron(0 * * * ? *)', 60],
    ['cron(0 9 * * ? *)', 24 * 60],
    ['cron(0 8,9 ? * MON-FRI *)', 60],
    ['cron(15 10 ? * 6L 2026)', 24 * 60],
    ['cron(0 9-17/4 * * ? *)', 4 * 60],
    ['cron(L * * * ? *)', undefined],
  ])('%s -> %s min', (expression, minutes) => {
    expect(scheduleIntervalMinutes(expression)).toBe(minutes);
  });
});

function canary(props: Partial<ConstructorParameters<typeof McpCanary>[2]>) {
  const stack = new Stack(new App(), 'Stack');
  new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'orders-mcp', ...props });
  return stack;
}

describe('McpCanary schedule overlap on cron schedules', () => {
  test('a cron every minute with the default deadline (38 s) does not warn', () => {
    const stack = canary({ schedule: events.Schedule.expression('cron(* * * * ? *)') });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('canaryRunsOverlapSchedule'));
  });

  test('a cron every minute with a 2 minute deadline warns, naming the expression', () => {
    const stack = canary({ schedule: events.Schedule.expression('cron(* * * * ? *)'), deadline: Duration.minutes(2) });
    Annotations.fromStack(stack).hasWarning('/Stack/Canary', Match.stringLikeRegexp('every minute \\(cron\\(\\* \\* \\* \\* \\? \\*\\)\\).*cdk-mcp:canaryRunsOverlapSchedule'));
  });

  test('a cron with two runs 30 minutes apart and a 40 minute-long run warns', () => {
    const stack = canary({ schedule: events.Schedule.expression('cron(0,30 * * * ? *)'), deadline: Duration.minutes(14) });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('canaryRunsOverlapSchedule'));
    const tight = canary({ schedule: events.Schedule.expression('cron(0,10 * * * ? *)'), deadline: Duration.minutes(12) });
    Annotations.fromStack(tight).hasWarning('/Stack/Canary', Match.stringLikeRegexp('as often as every 10 min'));
  });
});

describe('McpCanary deadline that is not a Duration', () => {
  test('names the prop instead of crashing with a TypeError', () => {
    expect(() => canary({ deadline: 28 as unknown as Duration })).toThrow(/McpCanary 'Stack\/Canary': deadline must be a Duration, e.g. Duration.seconds\(30\) \(got 28\)\. \[cdk-mcp:deadlineRange\]/);
  });
});

function keyStatement(template: Template): unknown {
  const keys = Object.values(template.findResources('AWS::KMS::Key')) as Array<{ Properties: { KeyPolicy: { Statement: unknown[] } } }>;
  expect(keys).toHaveLength(1);
  return keys[0].Properties.KeyPolicy.Statement;
}

describe('log encryption keys', () => {
  test('McpLambdaService encrypts the server log group and the canary log group with their keys, each usable by CloudWatch Logs', () => {
    const stack = new Stack(new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } }), 'Stack', { env: { region: 'eu-west-1', account: '111111111111' } });
    const serverKey = new kms.Key(stack, 'ServerKey');
    const canaryKey = new kms.Key(stack, 'CanaryKey');
    new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), logEncryptionKey: serverKey, canaryLogEncryptionKey: canaryKey });
    const template = Template.fromStack(stack);
    const groups = template.findResources('AWS::Logs::LogGroup') as Record<string, { Properties: { KmsKeyId?: unknown } }>;
    const serverGroup = Object.entries(groups).find(([id]) => id.startsWith('McpLogGroup'))![1];
    const canaryGroup = Object.entries(groups).find(([id]) => id.startsWith('McpMonitoringCanaryLogGroup'))![1];
    expect(serverGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ServerKey/), 'Arn'] });
    expect(canaryGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CanaryKey/), 'Arn'] });
    for (const id of ['ServerKey', 'CanaryKey']) {
      const key = Object.entries(template.findResources('AWS::KMS::Key')).find(([k]) => k.startsWith(id))![1] as { Properties: { KeyPolicy: { Statement: unknown[] } } };
      expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
        Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      }));
      expect(JSON.stringify(key.Properties.KeyPolicy.Statement)).toContain(':logs:eu-west-1:111111111111:log-group:*');
    }
  });

  test('McpCanary alone takes logEncryptionKey', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key');
    new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'orders-mcp', logEncryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
    expect(JSON.stringify(keyStatement(template))).toContain('logs.');
  });

  test('an imported key cannot be changed: a warning names the statement to add', () => {
    const stack = new Stack(new App(), 'Stack', { env: { region: 'eu-west-1', account: '111111111111' } });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'orders-mcp', logEncryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/Stack/Canary', Match.stringLikeRegexp('logEncryptionKey is imported.*logs.eu-west-1.amazonaws.com.*cdk-mcp:logKeyPolicyNotModified'));
  });
});

describe('canaryDisabled wording', () => {
  test('a generated service name is not printed as a token', () => {
    const stack = new Stack(new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } }), 'Stack');
    new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), canary: false });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-mcp:canaryDisabled'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(/The MCP canary of this service is disabled/);
    expect(String(warnings[0].entry.data)).not.toMatch(/\$\{Token/);
  });
});
