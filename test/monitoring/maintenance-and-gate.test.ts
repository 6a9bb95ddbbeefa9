import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { McpLambdaService, McpServerCode, McpServiceMonitoring } from '../../src';
import { GATE_ENV, GATE_PROPERTIES } from '../../src/contract/gate';
import { inMaintenance, MAINTENANCE_EXPRESSION, MAINTENANCE_METRIC, maintenanceValue } from '../../src/contract/operations';
import { alarmById, testStack } from '../support/kit';

const SERVER_DIR = path.join(__dirname, '..', 'fixtures', 'lambda-server');

function monitored(props: Partial<ConstructorParameters<typeof McpServiceMonitoring>[2]> = {}) {
  const stack = testStack();
  const monitoring = new McpServiceMonitoring(stack, 'Monitoring', { serviceName: 'orders-mcp', url: 'https://mcp.example.com/mcp', ...props });
  return { stack, monitoring, template: Template.fromStack(stack) };
}

describe('maintenance windows, built in', () => {
  test('every service gets a maintenance alarm on the one window metric, and it suppresses the health alarm', () => {
    const { template } = monitored();
    const alarm = alarmById(template, 'MonitoringMaintenanceWindow');
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe(MAINTENANCE_EXPRESSION);
    const names = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Stat]);
    expect(names).toEqual([['m', MAINTENANCE_METRIC, 'Maximum']]);
    expect(alarm.TreatMissingData).toBe('notBreaching');
    expect(alarm.ActionsEnabled).toBe(false);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      ActionsSuppressor: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringMaintenanceWindow'), 'Arn'] },
      ActionsSuppressorWaitPeriod: 60,
      ActionsSuppressorExtensionPeriod: 120,
    });
  });

  test('the maintenance alarm is not one of the alarms the health alarm watches (a window never pages)', () => {
    const { monitoring } = monitored();
    expect(monitoring.alarms).not.toContain(monitoring.maintenanceAlarm);
  });

  test('a given alarmActionsSuppressor replaces the built-in one', () => {
    const stack = testStack();
    const mine = new cloudwatch.Alarm(stack, 'Mine', {
      metric: new cloudwatch.Metric({ namespace: 'Ops', metricName: 'Deploying' }), threshold: 1, evaluationPeriods: 1,
    });
    new McpServiceMonitoring(stack, 'Monitoring', { serviceName: 'orders-mcp', url: 'https://mcp.example.com/mcp', alarmActionsSuppressor: mine });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      ActionsSuppressor: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] },
    });
  });

  test('the dashboard shows the maintenance alarm first', () => {
    const { template } = monitored({ dashboard: true });
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(body).toMatch(/MonitoringMaintenanceWindow/);
  });
});

describe('the maintenance encoding', () => {
  /** MAINTENANCE_EXPRESSION evaluated as CloudWatch would, for one minute's Maximum (undefined: no datapoint). */
  function alarmExpression(m: number | undefined): number {
    const fill = (v: number | undefined) => v ?? 0;
    expect(MAINTENANCE_EXPRESSION).toBe('IF(FILL(m, 0) > 0 AND FILL(m, 0) - 2 * FLOOR(FILL(m, 0) / 2) == 0, 1, 0)');
    return fill(m) > 0 && fill(m) - 2 * Math.floor(fill(m) / 2) === 0 ? 1 : 0;
  }
  const t = 1_764_633_600; // 2025-12-02T00:00:00Z

  test('the latest command of a minute wins its Maximum: open, close, reopen, close again', () => {
    const minute: number[] = [];
    const latest = () => Math.max(...minute);
    minute.push(maintenanceValue('open', t));
    expect([inMaintenance(latest()), alarmExpression(latest())]).toEqual([true, 1]);
    minute.push(maintenanceValue('close', t + 30));
    expect([inMaintenance(latest()), alarmExpression(latest())]).toEqual([false, 0]);
    minute.push(maintenanceValue('open', t + 40));
    expect([inMaintenance(latest()), alarmExpression(latest())]).toEqual([true, 1]);
    minute.push(maintenanceValue('close', t + 40));
    expect([inMaintenance(latest()), alarmExpression(latest())]).toEqual([false, 0]);
  });

  test('a minute with no datapoint is not in maintenance (a window ends by itself)', () => {
    expect([inMaintenance(undefined), alarmExpression(undefined)]).toEqual([false, 0]);
  });

  test('values stay exact doubles for centuries (2 x epoch seconds < 2^53)', () => {
    expect(Number.isSafeInteger(maintenanceValue('close', 4_102_444_800))).toBe(true);
  });
});

describe('deploy gate', () => {
  test('is off by default', () => {
    const { template } = monitored();
    template.resourceCountIs('Custom::McpDeployGate', 0);
  });

  test('deployGate: true adds a gate resource run by a function with the canary configuration and the gate settings', () => {
    const { template } = monitored({ deployGate: true, deployGateTimeout: Duration.minutes(3) });
    template.resourceCountIs('Custom::McpDeployGate', 1);
    template.hasResourceProperties('Custom::McpDeployGate', { ServiceName: 'orders-mcp', Url: 'https://mcp.example.com/mcp', [GATE_PROPERTIES.TRIGGER]: 'https://mcp.example.com/mcp' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^MCP deploy gate'),
      Timeout: 180 + 28 + 15,
      Environment: { Variables: Match.objectLike({ MCP_CANARY_URL: 'https://mcp.example.com/mcp', MCP_CANARY_SERVICE_NAME: 'orders-mcp', [GATE_ENV.MAX_WAIT_MS]: '180000' }) },
    });
  });

  test('the gate may write only the probe namespace and describe only its own stack', () => {
    const { template } = monitored({ deployGate: true });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'MCP' } } }),
          Match.objectLike({ Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } }),
        ]),
      },
    });
  });

  test('a gate without the canary is a synth error naming both props', () => {
    expect(() => monitored({ deployGate: true, canary: false })).toThrow(/deployGate: true needs the canary \(canary: true\)/);
  });

  test('a gate timeout out of range is a synth error naming the prop and the range', () => {
    expect(() => monitored({ deployGate: true, deployGateTimeout: Duration.hours(1) })).toThrow(/deployGateTimeout must be between 30 seconds and 13 minutes \(got 1 hour\)/);
  });

  test('on McpLambdaService the gate runs on every new version, after the alias and URL serve it', () => {
    const stack = testStack();
    new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), deployGate: true });
    const template = Template.fromStack(stack);
    const gate = Object.values(template.findResources('Custom::McpDeployGate'))[0] as any;
    expect(gate.Properties[GATE_PROPERTIES.TRIGGER]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpFunctionCurrentVersion/), 'Version'] });
    expect(gate.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^McpLiveAlias/), expect.stringMatching(/^McpLiveAliasFunctionUrl/)]));
  });
});

describe('service names are unique per stack', () => {
  test('two services with the same serviceName in one stack are a synth error naming both', () => {
    const stack = testStack();
    new McpServiceMonitoring(stack, 'First', { serviceName: 'orders-mcp', url: 'https://a.example.com/mcp' });
    expect(() => new McpServiceMonitoring(stack, 'Second', { serviceName: 'orders-mcp', url: 'https://b.example.com/mcp' }))
      .toThrow(/serviceName 'orders-mcp' is already the name of Stack\/First in this stack[\s\S]*Give each service its own serviceName/);
  });

  test('the same name in another namespace, or the generated default names, are fine', () => {
    const stack = testStack();
    new McpServiceMonitoring(stack, 'First', { serviceName: 'orders-mcp', url: 'https://a.example.com/mcp' });
    new McpServiceMonitoring(stack, 'Second', { serviceName: 'orders-mcp', url: 'https://b.example.com/mcp', metricNamespace: 'Team/MCP' });
    new McpLambdaService(stack, 'A', { code: McpServerCode.fromDirectory(SERVER_DIR) });
    new McpLambdaService(stack, 'B', { code: McpServerCode.fromDirectory(SERVER_DIR) });
    expect(Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm')).not.toEqual({});
  });
});
