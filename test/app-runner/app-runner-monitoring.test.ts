import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { McpAppRunnerImage, McpAppRunnerService, McpAppRunnerServiceProps, McpSessionMode } from '../../src';
import { CANARY_ENV } from '../../src/contract/canary-env';
import { APP_RUNNER_OPT_IN, MONITORING_OPT_IN, withOptInAlarms } from '../support/kit';

type Resources = { [logicalId: string]: any };

const IMAGE = McpAppRunnerImage.fromEcrPublic('public.ecr.aws/acme/mcp-server:1.0.0');

function synth(props: Partial<McpAppRunnerServiceProps> = {}, stackFn?: (stack: Stack) => Partial<McpAppRunnerServiceProps>) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const stack = new Stack(app, 'Stack');
  // Every opt-in alarm on (with detailed metrics): these tests are about the alarms themselves.
  const given = { canaryDetailedMetrics: true, ...props, ...(stackFn ? stackFn(stack) : {}) };
  const all = withOptInAlarms(given, [...APP_RUNNER_OPT_IN, ...MONITORING_OPT_IN]);
  const service = new McpAppRunnerService(stack, 'Mcp', { image: IMAGE, ...all });
  return { stack, service, template: Template.fromStack(stack) };
}

/** The App Runner service's logical id. */
function serviceId(template: Template): string {
  return Object.keys(template.findResources('AWS::AppRunner::Service'))[0];
}

/** The alarm with this construct id under the service's platform alarms. */
function platformAlarm(template: Template, id: string): any {
  const matches = Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm')).filter(([logicalId]) => logicalId.startsWith(`McpPlatformAlarms${id}`));
  expect(matches).toHaveLength(1);
  return matches[0][1].Properties;
}

function healthRule(stack: Stack, template: Template): string {
  return JSON.stringify(stack.resolve((Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm') as Resources)[0]).Properties.AlarmRule));
}

describe('McpAppRunnerService monitoring defaults', () => {
  test('a canary probes the https MCP URL of the service, dimensioned by the App Runner service name', () => {
    const { template } = synth();
    const id = serviceId(template);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [CANARY_ENV.URL]: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [id, 'ServiceUrl'] }, '/mcp']] },
          [CANARY_ENV.SERVICE_NAME]: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': [id, 'ServiceArn'] }] }] }] }] },
        }),
      },
    });
    template.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('exposes the canary, the alarms, the composite health alarm and the topic like the other services', () => {
    const { service } = synth();
    expect(service.canary).toBe(service.monitoring.canary);
    expect(service.alarms).toBe(service.monitoring.alarms);
    expect(service.healthAlarm).toBe(service.monitoring.healthAlarm);
    expect(service.alarmTopic).toBe(service.monitoring.alarmTopic);
    expect(service.dashboard).toBeUndefined();
    expect(service.platformAlarms.alarms).toHaveLength(5);
    for (const alarm of service.platformAlarms.alarms) {
      expect(service.alarms).toContain(alarm);
    }
    // ProbeFailing, ProbeLatency, CertificateExpiring (https), CanaryErrors + the five platform alarms.
    expect(service.alarms).toHaveLength(9);
  });

  test('5xx responses: Sum above 0 in 2 of 3 five-minute periods, on this service only', () => {
    const { template } = synth();
    const id = serviceId(template);
    expect(platformAlarm(template, 'Http5xx')).toMatchObject({
      Namespace: 'AWS/AppRunner',
      MetricName: '5xxStatusResponses',
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      DatapointsToAlarm: 2,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
      Dimensions: expect.arrayContaining([{ Name: 'ServiceID', Value: { 'Fn::GetAtt': [id, 'ServiceId'] } }]),
    });
    expect(platformAlarm(template, 'Http5xx').Dimensions.map((d: any) => d.Name).sort()).toEqual(['ServiceID', 'ServiceName']);
  });

  test('request latency: p90 above 10 s in 3 of 3 five-minute periods', () => {
    const { template } = synth();
    expect(platformAlarm(template, 'RequestLatency')).toMatchObject({
      MetricName: 'RequestLatency',
      ExtendedStatistic: 'p90',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 10000,
      DatapointsToAlarm: 3,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  test.each([
    ['CpuUtilization', 'CPUUtilization'],
    ['MemoryUtilization', 'MemoryUtilization'],
  ])('%s: Average above 80% in 3 of 3 five-minute periods', (id, metricName) => {
    const { template } = synth();
    expect(platformAlarm(template, id)).toMatchObject({
      Namespace: 'AWS/AppRunner',
      MetricName: metricName,
      Statistic: 'Average',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 80,
      DatapointsToAlarm: 3,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  test('instances at the maximum: ActiveInstances Minimum at or above maxInstances for 3 of 3 five-minute periods', () => {
    const { template } = synth({ minInstances: 2, maxInstances: 10 });
    expect(platformAlarm(template, 'InstancesAtMaximum')).toMatchObject({
      MetricName: 'ActiveInstances',
      Statistic: 'Minimum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 10,
      DatapointsToAlarm: 3,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  test('every alarm description says what failed and where to look first', () => {
    const { template, stack } = synth();
    for (const id of ['Http5xx', 'RequestLatency', 'CpuUtilization', 'MemoryUtilization', 'InstancesAtMaximum']) {
      const description = JSON.stringify(stack.resolve(platformAlarm(template, id).AlarmDescription));
      expect(description).toMatch(/App Runner/);
      expect(description).toMatch(/First check: /);
    }
  });

  test('the composite health alarm watches the canary and every platform alarm, and notifies the topic', () => {
    const { template, stack, service } = synth();
    const rule = healthRule(stack, template);
    for (const id of ['Http5xx', 'RequestLatency', 'CpuUtilization', 'MemoryUtilization', 'InstancesAtMaximum']) {
      expect(rule).toMatch(new RegExp(`McpPlatformAlarms${id}`));
    }
    expect(rule).toMatch(/McpMonitoringProbeFailing/);
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }] });
    // Only the composite alarm notifies by default: one incident pages once.
    for (const alarm of Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
    expect(stack.resolve(service.alarmTopic.topicArn)).toEqual({ Ref: topicId });
  });

  test('attaches no log metric filters: App Runner creates its log groups itself, after the service exists', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::Logs::MetricFilter', 0);
  });
});

describe('McpAppRunnerService monitoring options', () => {
  test('no instances-at-maximum alarm when the service cannot scale (min = max, e.g. a stateful single instance)', () => {
    const { service, template } = synth({ sessionMode: McpSessionMode.STATEFUL, maxInstances: 1 });
    expect(service.platformAlarms.instancesAtMaxAlarm).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.startsWith('McpPlatformAlarmsInstancesAtMaximum'))).toEqual([]);
    expect(synth({ minInstances: 3, maxInstances: 3 }).service.platformAlarms.instancesAtMaxAlarm).toBeUndefined();
  });

  test('the instances-at-maximum alarm can fire earlier, at a share of maxInstances (rounded up)', () => {
    const { template } = synth({ maxInstances: 10, instancesAtMaxAlarm: { maxUtilizationPercent: 75 } });
    expect(platformAlarm(template, 'InstancesAtMaximum').Threshold).toBe(8);
  });

  test('the instances-at-maximum alarm follows a maxInstances known only at deploy time', () => {
    const { template } = synth({}, (s) => ({ maxInstances: new CfnParameter(s, 'Max', { type: 'Number' }).valueAsNumber }));
    expect(platformAlarm(template, 'InstancesAtMaximum').Threshold).toEqual({ Ref: 'Max' });
  });

  test('thresholds override the defaults; a disabled alarm is not created and leaves the composite rule', () => {
    const { template, stack, service } = synth({
      http5xxAlarm: { maxCount: 5, datapointsToAlarm: 1, evaluationPeriods: 1 },
      cpuAlarm: { maxUtilizationPercent: 90, actionsEnabled: true },
      memoryAlarm: { enabled: false },
      latencyAlarm: { maxLatency: Duration.seconds(30) },
    });
    expect(platformAlarm(template, 'Http5xx')).toMatchObject({ Threshold: 5, DatapointsToAlarm: 1, EvaluationPeriods: 1 });
    expect(platformAlarm(template, 'CpuUtilization')).toMatchObject({ Threshold: 90, AlarmActions: [{ Ref: expect.stringMatching(/^McpMonitoringAlarmTopic/) }] });
    expect(platformAlarm(template, 'RequestLatency').Threshold).toBe(30000);
    expect(service.platformAlarms.memoryAlarm).toBeUndefined();
    expect(healthRule(stack, template)).not.toMatch(/McpPlatformAlarmsMemoryUtilization/);
  });

  test('impossible thresholds fail at synth, naming the setting', () => {
    expect(() => synth({ cpuAlarm: { maxUtilizationPercent: 150 } })).toThrow(/`cpuAlarm.maxUtilizationPercent` is 150; use a percentage above 0 and at most 100/);
    expect(() => synth({ http5xxAlarm: { datapointsToAlarm: 4, evaluationPeriods: 3 } })).toThrow(/`http5xxAlarm.datapointsToAlarm` is 4/);
  });

  test('canary: false keeps the platform alarms and warns acknowledgeably', () => {
    const { template, stack, service } = synth({ canary: false });
    expect(service.canary).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(service.alarms).toHaveLength(5);
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp/Monitoring', Match.stringLikeRegexp('canary: false.*\\[ack: cdk-mcp:canaryDisabled\\]'));
  });

  test('a maintenance-window alarm suppresses the health alarm\'s actions; a given topic and e-mails are used', () => {
    const { template } = synth({}, (s) => ({
      alarmTopic: new sns.Topic(s, 'Pager', { enforceSSL: true }),
      alarmEmails: ['oncall@example.com'],
      alarmActionsSuppressor: cloudwatch.Alarm.fromAlarmArn(s, 'Window', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:maintenance-window'),
    }));
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      ActionsSuppressor: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:maintenance-window',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Pager') }],
    });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^Pager') } });
  });

  test('the dashboard shows the App Runner metrics next to the probe', () => {
    const { template, stack, service } = synth({ dashboard: true, serviceName: 'orders-mcp' });
    expect(service.dashboard).toBeDefined();
    const body = JSON.stringify(stack.resolve(Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody));
    for (const metric of ['5xxStatusResponses', 'RequestLatency', 'CPUUtilization', 'MemoryUtilization', 'ActiveInstances', 'Concurrency', 'ProbeSuccess']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('request cap (120 s)');
    expect(body).toContain('orders-mcp');
  });
});
