/**
 * McpServiceMonitoring with an origin behind the front door (issue 21): the canary and the deploy
 * gate get the origin and its auth, the FrontDoorFailing alarm on FrontDoorFailures joins the
 * health composite, and the dashboard graphs OriginProbeSuccess beside ProbeSuccess. Without an
 * origin nothing changes.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { McpCanaryAuth, McpServiceMonitoring, McpServiceMonitoringProps } from '../../src';
import { CANARY_ENV, CANARY_ORIGIN_AUTH_ENV } from '../../src/contract/canary-env';
import { alarmById } from '../support/kit';

const URL = 'https://mcp.example.com/mcp';
const ORIGIN = 'https://abc.lambda-url.us-east-1.on.aws/mcp';

function monitoringStack(props: Partial<McpServiceMonitoringProps> = {}, build?: (stack: Stack) => Partial<McpServiceMonitoringProps>) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  const monitoring = new McpServiceMonitoring(stack, 'Monitoring', { serviceName: 'orders-mcp', url: URL, ...props, ...build?.(stack) });
  return { stack, monitoring, template: Template.fromStack(stack) };
}

function functionEnvironment(template: Template, description: RegExp): Record<string, unknown> {
  const fns = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(description.source) } })) as Array<{ Properties: { Environment: { Variables: Record<string, unknown> } } }>;
  expect(fns).toHaveLength(1);
  return fns[0].Properties.Environment.Variables;
}

describe('with an origin', () => {
  const { stack, monitoring, template } = monitoringStack({ originUrl: ORIGIN, dashboard: true });

  test('FrontDoorFailing: FrontDoorFailures Sum above 0 for 3 of 3 one-minute datapoints, missing data not breaching', () => {
    expect(alarmById(template, 'MonitoringFrontDoorFailing')).toEqual(expect.objectContaining({
      Namespace: 'MCP',
      MetricName: 'FrontDoorFailures',
      Dimensions: [{ Name: 'ServiceName', Value: 'orders-mcp' }],
      Statistic: 'Sum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    }));
  });

  test('its description says the front door fails while the origin answers, and where to look', () => {
    expect(alarmById(template, 'MonitoringFrontDoorFailing').AlarmDescription).toMatch(
      /^The front door \(CloudFront\/API Gateway\/WAF\/DNS\) fails while the origin answers: .*First check: the canary log line's probe\.message and probe\.origin \(FailedSide front-door\): a BLOCKED_BY_WAF class means the web ACL's sampled requests/);
  });

  test('it is in alarms, the frontDoorAlarm field and the health composite\'s rule', () => {
    expect(monitoring.frontDoorAlarm).toBeDefined();
    expect(monitoring.alarms).toContain(monitoring.frontDoorAlarm);
    const rule = JSON.stringify(stack.resolve(Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'))[0].Properties.AlarmRule));
    const logicalId = stack.getLogicalId(monitoring.frontDoorAlarm!.node.defaultChild as any);
    expect(rule).toContain(logicalId);
  });

  test('the canary and the deploy gate get the origin URL', () => {
    expect(functionEnvironment(template, /^MCP protocol canary/)[CANARY_ENV.ORIGIN_URL]).toBe(ORIGIN);
  });

  test('the dashboard graphs OriginProbeSuccess beside ProbeSuccess', () => {
    const body = JSON.stringify(stack.resolve(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody));
    expect(body).toContain('Front door vs origin');
    expect(body).toMatch(/OriginProbeSuccess.*Origin \(OriginProbeSuccess\)/);
  });

  test('the metric helpers read the origin metrics', () => {
    expect(stack.resolve(monitoring.metricOriginProbeSuccess().toMetricConfig().metricStat)).toEqual(expect.objectContaining({ metricName: 'OriginProbeSuccess', statistic: 'Average' }));
    expect(stack.resolve(monitoring.metricFrontDoorFailures().toMetricConfig().metricStat)).toEqual(expect.objectContaining({ metricName: 'FrontDoorFailures', statistic: 'Sum' }));
  });
});

test('the deploy gate gets the origin and its auth, granted to the gate\'s own role', () => {
  const { template } = monitoringStack({ deployGate: true }, (s) => {
    const fn = new lambda.Function(s, 'Server', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}') });
    return { originUrl: ORIGIN, originAuth: McpCanaryAuth.sigV4(fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM })) };
  });
  const gateEnv = functionEnvironment(template, /^MCP deploy gate/);
  expect(gateEnv[CANARY_ENV.ORIGIN_URL]).toBe(ORIGIN);
  expect(gateEnv[CANARY_ORIGIN_AUTH_ENV.AUTH_MODE]).toBe('sigv4');
  // One InvokeFunctionUrl grant on the canary's role and one on the gate's.
  const grants = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('lambda:InvokeFunctionUrl'));
  expect(grants).toHaveLength(2);
});

test('the threshold is configurable like the other canary alarms', () => {
  const { template } = monitoringStack({
    originUrl: ORIGIN,
    frontDoorAlarm: { maxCount: 2, datapointsToAlarm: 2, evaluationPeriods: 5, period: Duration.minutes(5) },
  });
  expect(alarmById(template, 'MonitoringFrontDoorFailing')).toEqual(expect.objectContaining({ Threshold: 2, DatapointsToAlarm: 2, EvaluationPeriods: 5, Period: 300 }));
});

test('enabled: false leaves it out', () => {
  const { monitoring, template } = monitoringStack({ originUrl: ORIGIN, frontDoorAlarm: { enabled: false } });
  expect(monitoring.frontDoorAlarm).toBeUndefined();
  expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).some((id) => id.includes('FrontDoorFailing'))).toBe(false);
});

test('without an origin there is no front-door alarm and no origin widget, and the template is what it was', () => {
  const { monitoring, template } = monitoringStack({ dashboard: true });
  expect(monitoring.frontDoorAlarm).toBeUndefined();
  expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).some((id) => id.includes('FrontDoorFailing'))).toBe(false);
  expect(JSON.stringify(template.toJSON())).not.toContain('OriginProbeSuccess');
  expect(functionEnvironment(template, /^MCP protocol canary/)[CANARY_ENV.ORIGIN_URL]).toBeUndefined();
});

test('a bad threshold is an error even without an origin (cdk-mcp:alarmDatapointsToAlarm)', () => {
  expect(() => monitoringStack({ frontDoorAlarm: { datapointsToAlarm: 4, evaluationPeriods: 3 } })).toThrow(/`frontDoorAlarm\.datapointsToAlarm` is 4; use a whole number from 1 to evaluationPeriods \(3\)/);
});
