import { Annotations, App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { McpLambdaAlarms, McpLambdaAlarmsProps, McpServiceMonitoring, McpServiceMonitoringProps } from '../../src';
import { alarmById, LAMBDA_OPT_IN, MONITORING_OPT_IN, warningsOf, withOptInAlarms } from '../support/kit';

const URL = 'https://mcp.example.com/mcp';

type Resources = Record<string, { Properties: Record<string, any> }>;

function monitoringStack(props: Partial<McpServiceMonitoringProps> = {}, build?: (stack: Stack) => Partial<McpServiceMonitoringProps>) {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  // Every opt-in alarm on (with detailed metrics): these tests are about the alarms themselves.
  const all = withOptInAlarms({ canaryDetailedMetrics: true, ...props, ...build?.(stack) }, MONITORING_OPT_IN);
  const monitoring = new McpServiceMonitoring(stack, 'Monitoring', { serviceName: 'orders-mcp', url: URL, ...all });
  return { app, stack, monitoring };
}

/** A server function with an alias, a URL and a JSON log group, as McpLambdaService builds it. */
function lambdaStack(
  monitoringProps: Partial<McpServiceMonitoringProps> = {},
  alarmProps: Partial<McpLambdaAlarmsProps> = {},
) {
  const { stack, monitoring } = monitoringStack(monitoringProps);
  const logGroup = new logs.LogGroup(stack, 'ServerLogs');
  const fn = new lambda.Function(stack, 'Server', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    timeout: Duration.seconds(60),
    memorySize: 1024,
    reservedConcurrentExecutions: 50,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
  });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion, provisionedConcurrentExecutions: 2 });
  const functionUrl = alias.addFunctionUrl();
  const alarms = new McpLambdaAlarms(stack, 'LambdaAlarms', {
    monitoring,
    serverFunction: fn,
    serverAlias: alias,
    timeout: Duration.seconds(60),
    memorySizeMiB: 1024,
    reservedConcurrentExecutions: 50,
    provisionedConcurrentExecutions: 2,
    functionUrl,
    serverLogGroup: logGroup,
    ...withOptInAlarms(alarmProps, LAMBDA_OPT_IN),
  });
  return { stack, monitoring, alarms, template: Template.fromStack(stack) };
}

describe('McpServiceMonitoring canary alarms', () => {
  const { stack } = monitoringStack();
  const template = Template.fromStack(stack);

  test('creates the canary', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^MCP protocol canary') });
  });

  test('probe failing: ProbeSuccess Average below 1 for 3 of 3 one-minute datapoints, missing data breaching', () => {
    expect(alarmById(template, 'MonitoringProbeFailing')).toEqual(expect.objectContaining({
      Namespace: 'MCP',
      MetricName: 'ProbeSuccess',
      Dimensions: [{ Name: 'ServiceName', Value: 'orders-mcp' }],
      Statistic: 'Average',
      Period: 60,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
    }));
  });

  test('probe latency: ProbeLatency p90 above 10 s for 3 of 3 five-minute datapoints, missing data not breaching', () => {
    expect(alarmById(template, 'MonitoringProbeLatency')).toEqual(expect.objectContaining({
      MetricName: 'ProbeLatency',
      ExtendedStatistic: 'p90',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 10000,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    }));
  });

  test('certificate expiring: CertDaysRemaining Minimum below 14 in one hourly datapoint', () => {
    expect(alarmById(template, 'MonitoringCertificateExpiring')).toEqual(expect.objectContaining({
      MetricName: 'CertDaysRemaining',
      Statistic: 'Minimum',
      Period: 3600,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 14,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    }));
  });

  test('canary errors: the canary function\'s Errors Sum above 0 in 15 minutes', () => {
    expect(alarmById(template, 'MonitoringCanaryErrors')).toEqual(expect.objectContaining({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^MonitoringCanaryFunction/) } }],
      Statistic: 'Sum',
      Period: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    }));
  });

  test('every alarm says what failed and where to look first, and has a name derived from its path', () => {
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm') as Resources)
      // The maintenance-window alarm suppresses and never pages: it is not one of the service's alarms.
      .filter(([id]) => !id.startsWith('MonitoringMaintenanceWindow')).map(([, alarm]) => alarm);
    expect(alarms.length).toBeGreaterThan(3);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmDescription).toMatch(/\(MCP service orders-mcp\)\. Fires when .+ in \d+ of \d+ periods of .+\. First check: .+/);
      expect(alarm.Properties.AlarmName).toMatch(/^Stack-Monitoring-[A-Za-z]+-[A-F0-9]{8}$/);
    }
  });

  test('individual alarms have no actions: the composite alarm notifies', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources)) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });

  test('no certificate alarm for a plain http URL', () => {
    const { monitoring } = monitoringStack({ url: 'http://internal.example/mcp' });
    expect(monitoring.certificateExpiryAlarm).toBeUndefined();
    expect(monitoring.alarms).toHaveLength(3);
  });
});

describe('McpServiceMonitoring thresholds', () => {
  test('every threshold is a prop', () => {
    const { stack } = monitoringStack({
      probeFailureAlarm: {
        minSuccessRate: 0.5,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        period: Duration.minutes(2),
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      },
      probeLatencyAlarm: { maxLatency: Duration.seconds(3) },
      certificateExpiryAlarm: { minDaysRemaining: 30 },
    });
    const template = Template.fromStack(stack);
    expect(alarmById(template, 'MonitoringProbeFailing')).toEqual(expect.objectContaining({
      Threshold: 0.5, EvaluationPeriods: 5, DatapointsToAlarm: 3, Period: 120, TreatMissingData: 'missing',
    }));
    expect(alarmById(template, 'MonitoringProbeLatency')).toEqual(expect.objectContaining({ Threshold: 3000 }));
    expect(alarmById(template, 'MonitoringCertificateExpiring')).toEqual(expect.objectContaining({ Threshold: 30 }));
  });

  test('an alarm can be disabled', () => {
    const { monitoring, stack } = monitoringStack({ probeLatencyAlarm: { enabled: false } });
    expect(monitoring.probeLatencyAlarm).toBeUndefined();
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).some((id) => id.includes('ProbeLatency'))).toBe(false);
  });

  test('an alarm can notify directly', () => {
    const { stack } = monitoringStack({ probeFailureAlarm: { actionsEnabled: true } });
    expect(alarmById(Template.fromStack(stack), 'MonitoringProbeFailing')).toEqual(expect.objectContaining({
      AlarmActions: [{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }],
      OKActions: [{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }],
    }));
  });

  test('impossible settings name the prop, the value and the fix', () => {
    expect(() => monitoringStack({ probeFailureAlarm: { evaluationPeriods: 2, datapointsToAlarm: 3 } }))
      .toThrow(/`probeFailureAlarm.datapointsToAlarm` is 3; use a whole number from 1 to evaluationPeriods \(2\)/);
    expect(() => monitoringStack({ probeLatencyAlarm: { period: Duration.seconds(45) } }))
      .toThrow(/`probeLatencyAlarm.period` is 45 seconds; CloudWatch accepts 10, 20 or 30 seconds or a multiple of 60 seconds/);
    expect(() => monitoringStack({ probeFailureAlarm: { minSuccessRate: 2 } })).toThrow(/`probeFailureAlarm.minSuccessRate` is 2/);
    expect(() => monitoringStack({ certificateExpiryAlarm: { minDaysRemaining: -1 } })).toThrow(/certificateExpiryAlarm.minDaysRemaining must be a whole number between 1 and 365 days \(got -1\)/);
    expect(() => monitoringStack({ alarmEmails: ['oncall'] })).toThrow(/alarmEmails contains "oncall", which is not an e-mail address.*\[cdk-mcp:alarmEmailFormat\]/);
    expect(() => monitoringStack({ metricNamespace: 'x'.repeat(250) })).toThrow(/CloudWatch namespaces hold at most 255/);
  });
});

describe('McpServiceMonitoring actions', () => {
  test('creates a topic that denies publishing without TLS and lets only CloudWatch alarms of this account publish; no key by default', () => {
    const { stack, monitoring } = monitoringStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.absent() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    expect(monitoring.alarmTopic).toBeInstanceOf(sns.Topic);
  });

  test('alarmTopicEncryptionKey encrypts the topic and lets CloudWatch alarms use the key (one key can serve many services)', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true });
    new McpServiceMonitoring(stack, 'A', { serviceName: 'a', url: URL, alarmTopicEncryptionKey: key });
    new McpServiceMonitoring(stack, 'B', { serviceName: 'b', url: URL, alarmTopicEncryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
  });

  test('an imported key raises a warning that says which statement to add', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new McpServiceMonitoring(stack, 'A', { serviceName: 'a', url: URL, alarmTopicEncryptionKey: key });
    expect(warningsOf(stack).join('\n')).toMatch(/allow the principal cloudwatch\.amazonaws\.com kms:Decrypt and kms:GenerateDataKey\*/);
  });

  test('uses a topic passed in and creates none', () => {
    const { stack, monitoring } = monitoringStack({}, (s) => ({ alarmTopic: sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:us-east-1:111111111111:oncall') }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: ['arn:aws:sns:us-east-1:111111111111:oncall'] });
    expect(monitoring.alarmTopic.topicArn).toBe('arn:aws:sns:us-east-1:111111111111:oncall');
  });

  test('subscribes e-mail addresses', () => {
    const { stack } = monitoringStack({ alarmEmails: ['oncall@example.com', 'team@example.com'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('the composite service-health alarm watches every alarm and carries the actions', () => {
    const { stack, monitoring } = monitoringStack();
    const template = Template.fromStack(stack);
    const composite = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm') as Resources);
    expect(composite).toHaveLength(1);
    const props = composite[0].Properties;
    expect(props.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
    expect(props.OKActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
    const rule = JSON.stringify(stack.resolve(props.AlarmRule));
    expect(monitoring.alarms).toHaveLength(4);
    for (const id of ['ProbeFailing', 'ProbeLatency', 'CertificateExpiring', 'CanaryErrors']) {
      expect(rule).toMatch(new RegExp(`ALARM\\(.*Monitoring${id}`));
    }
    // Suppressed by the built-in maintenance-window alarm unless another suppressor is given.
    expect(props.ActionsSuppressor).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MonitoringMaintenanceWindow/), 'Arn'] });
  });

  test('the composite alarm accepts an actions suppressor for maintenance windows', () => {
    const { stack } = monitoringStack({}, (s) => ({
      alarmActionsSuppressor: cloudwatch.Alarm.fromAlarmArn(s, 'Deploying', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-in-progress'),
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      ActionsSuppressor: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:deploy-in-progress',
      ActionsSuppressorWaitPeriod: 60,
      ActionsSuppressorExtensionPeriod: 120,
    });
  });

  test('platform alarms passed in or added later join the composite alarm', () => {
    const { stack, monitoring } = monitoringStack({}, (s) => ({
      platformAlarms: [cloudwatch.Alarm.fromAlarmArn(s, 'Alb5xx', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:alb-5xx')],
    }));
    monitoring.addAlarm(cloudwatch.Alarm.fromAlarmArn(stack, 'Ecs', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:ecs-cpu'));
    const rule = JSON.stringify(stack.resolve(Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm') as Resources)[0].Properties.AlarmRule));
    expect(rule).toContain('ALARM(\\"arn:aws:cloudwatch:us-east-1:111111111111:alarm:alb-5xx\\")');
    expect(rule).toContain('ALARM(\\"arn:aws:cloudwatch:us-east-1:111111111111:alarm:ecs-cpu\\")');
    expect(monitoring.alarms).toHaveLength(6);
  });
});

describe('McpServiceMonitoring without a canary', () => {
  test('raises the acknowledgeable warning cdk-mcp:canaryDisabled and creates no canary', () => {
    const { stack, monitoring } = monitoringStack({ canary: false });
    AssertAnnotations.fromStack(stack).hasWarning('/Stack/Monitoring', Match.stringLikeRegexp('cdk-mcp:canaryDisabled'));
    expect(monitoring.canary).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('the warning can be acknowledged from the service that owns the monitoring', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const service = new Construct(stack, 'Service');
    new McpServiceMonitoring(service, 'Monitoring', { serviceName: 'orders-mcp', url: URL, canary: false });
    Annotations.of(service).acknowledgeWarning('cdk-mcp:canaryDisabled', 'probed by another monitor');
    AssertAnnotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-mcp:canaryDisabled'));
  });

  test('the composite alarm with nothing to watch is never in ALARM', () => {
    const { stack } = monitoringStack({ canary: false });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmRule: 'FALSE' });
  });
});

describe('McpServiceMonitoring log alarm for AWS credential failures', () => {
  test('filters the server log group and alarms on any match', () => {
    const { stack } = monitoringStack({}, (s) => ({ serverLogGroup: new logs.LogGroup(s, 'ServerLogs') }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('^ServerLogs') },
      FilterPattern: Match.stringLikeRegexp('AccessDeniedException'),
      MetricTransformations: [{ MetricNamespace: 'MCP/orders-mcp', MetricName: 'AwsCredentialErrors', MetricValue: '1', Unit: 'Count' }],
    });
    expect(alarmById(template, 'MonitoringCredentialErrors')).toEqual(expect.objectContaining({
      Namespace: 'MCP/orders-mcp',
      MetricName: 'AwsCredentialErrors',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }));
  });

  test('a disabled log alarm creates no metric filter either', () => {
    const { stack } = monitoringStack({ credentialErrorsAlarm: { enabled: false } }, (s) => ({ serverLogGroup: new logs.LogGroup(s, 'ServerLogs') }));
    const filters = Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter') as Resources);
    // The tool metrics' filters (toolMetrics) stay; the credential filter goes.
    expect(filters.filter((f) => f.Properties.MetricTransformations[0].MetricName === 'AwsCredentialErrors')).toHaveLength(0);
  });
});

describe('McpLambdaAlarms', () => {
  const { template, monitoring, alarms, stack } = lambdaStack();

  test('throttles: alias Throttles Sum above 0 in 5 minutes', () => {
    expect(alarmById(template, 'LambdaAlarmsThrottles')).toEqual(expect.objectContaining({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      Dimensions: expect.arrayContaining([{ Name: 'Resource', Value: expect.anything() }]),
    }));
  });

  test('errors: alias Errors Sum above 0 for 2 of 3 five-minute datapoints', () => {
    expect(alarmById(template, 'LambdaAlarmsErrors')).toEqual(expect.objectContaining({
      MetricName: 'Errors', Statistic: 'Sum', Period: 300, Threshold: 0, EvaluationPeriods: 3, DatapointsToAlarm: 2,
    }));
  });

  test('duration: p99 above 80% of the 60 s timeout for 3 of 3 datapoints', () => {
    expect(alarmById(template, 'LambdaAlarmsDurationNearTimeout')).toEqual(expect.objectContaining({
      MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 48000, EvaluationPeriods: 3, DatapointsToAlarm: 3,
    }));
  });

  test('concurrency: function ConcurrentExecutions Maximum above 80% of the reservation', () => {
    expect(alarmById(template, 'LambdaAlarmsConcurrencyNearLimit')).toEqual(expect.objectContaining({
      MetricName: 'ConcurrentExecutions',
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 40,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^Server/) } }],
    }));
  });

  test('spillover: ProvisionedConcurrencySpilloverInvocations above 0 for 3 of 3', () => {
    expect(alarmById(template, 'LambdaAlarmsProvisionedConcurrencySpillover')).toEqual(expect.objectContaining({
      MetricName: 'ProvisionedConcurrencySpilloverInvocations', Statistic: 'Sum', Threshold: 0, EvaluationPeriods: 3, DatapointsToAlarm: 3,
    }));
  });

  test('Function URL 5xx: Url5xxCount Sum above 0', () => {
    expect(alarmById(template, 'LambdaAlarmsFunctionUrl5xx')).toEqual(expect.objectContaining({ MetricName: 'Url5xxCount', Statistic: 'Sum', Threshold: 0 }));
  });

  test('memory: utilization from the platform-report filter above 90%', () => {
    const memory = alarmById(template, 'LambdaAlarmsMemoryUtilization');
    expect(memory).toEqual(expect.objectContaining({ Threshold: 90, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' }));
    const [expression, raw] = memory.Metrics;
    expect(expression).toEqual(expect.objectContaining({ Expression: '100 * maxUsed / 1024', ReturnData: true }));
    expect(raw).toEqual(expect.objectContaining({
      Id: 'maxUsed',
      ReturnData: false,
      MetricStat: expect.objectContaining({ Metric: { Namespace: 'MCP/orders-mcp', MetricName: 'LambdaMaxMemoryUsed' }, Stat: 'Maximum', Period: 300 }),
    }));
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.type = "platform.report" && $.record.metrics.maxMemoryUsedMB > 0 }',
      MetricTransformations: [{ MetricNamespace: 'MCP/orders-mcp', MetricName: 'LambdaMaxMemoryUsed', MetricValue: '$.record.metrics.maxMemoryUsedMB', Unit: 'Megabytes' }],
    });
  });

  test('timeouts and out-of-memory exits: log filters and count alarms', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.type = "platform.report" && $.record.status = "timeout" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'LambdaTimeouts' })],
    });
    // One timeout filter only: the text line would count each timeout a second time.
    expect(Object.values(template.findResources('AWS::Logs::MetricFilter')).filter((f) => JSON.stringify(f).includes('"LambdaTimeouts"'))).toHaveLength(1);
    template.hasResourceProperties('AWS::Logs::MetricFilter', { MetricTransformations: [Match.objectLike({ MetricName: 'LambdaOutOfMemory' })] });
    expect(alarmById(template, 'LambdaAlarmsTimeouts')).toEqual(expect.objectContaining({ MetricName: 'LambdaTimeouts', Statistic: 'Sum', Threshold: 0 }));
    expect(alarmById(template, 'LambdaAlarmsOutOfMemory')).toEqual(expect.objectContaining({ MetricName: 'LambdaOutOfMemory', Statistic: 'Sum', Threshold: 0 }));
  });

  test('every Lambda alarm is a public field, in the list, and in the composite alarm', () => {
    const fields = [alarms.throttlesAlarm, alarms.errorsAlarm, alarms.durationAlarm, alarms.concurrencyAlarm, alarms.spilloverAlarm,
      alarms.url5xxAlarm, alarms.memoryAlarm, alarms.timeoutsAlarm, alarms.outOfMemoryAlarm];
    expect(fields.every((a) => a !== undefined)).toBe(true);
    expect(alarms.alarms).toEqual(fields);
    for (const alarm of fields) {
      expect(monitoring.alarms).toContain(alarm);
    }
    const rule = JSON.stringify(stack.resolve(Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm') as Resources)[0].Properties.AlarmRule));
    expect(rule.match(/ALARM\(/g)).toHaveLength(13);
  });

  test('without reserved or provisioned concurrency, URL or log group: only the invocation alarms', () => {
    const { alarms: some } = lambdaStack({}, {
      reservedConcurrentExecutions: undefined, provisionedConcurrentExecutions: undefined, functionUrl: undefined, serverLogGroup: undefined,
    });
    expect(some.alarms).toEqual([some.throttlesAlarm, some.errorsAlarm, some.durationAlarm]);
  });

  test('thresholds are props', () => {
    const { template: t } = lambdaStack({}, {
      durationAlarm: { maxUtilizationPercent: 50 },
      memoryAlarm: { maxUtilizationPercent: 75 },
      throttlesAlarm: { maxCount: 10 },
    });
    expect(alarmById(t, 'LambdaAlarmsDurationNearTimeout').Threshold).toBe(30000);
    expect(alarmById(t, 'LambdaAlarmsMemoryUtilization').Threshold).toBe(75);
    expect(alarmById(t, 'LambdaAlarmsThrottles').Threshold).toBe(10);
  });

  test('invalid settings are synth errors that name the prop', () => {
    expect(() => lambdaStack({}, { memorySizeMiB: 64 })).toThrow(/`memorySizeMiB` is 64/);
    expect(() => lambdaStack({}, { memoryAlarm: { maxUtilizationPercent: 120 } })).toThrow(/`memoryAlarm.maxUtilizationPercent` is 120/);
    expect(() => lambdaStack({}, { serverAlias: undefined })).toThrow(/`provisionedConcurrentExecutions` is set without `serverAlias`/);
  });
});

describe('McpServiceMonitoring dashboard', () => {
  test('is opt-in', () => {
    Template.fromStack(monitoringStack().stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('shows alarms, probe success, phase latencies, tool count, failures by class and the Lambda metrics', () => {
    const { stack } = lambdaStack({ dashboard: true });
    const dashboards = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard') as Resources);
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(stack.resolve(dashboards[0].Properties.DashboardBody));
    for (const title of ['orders-mcp: alarms', 'Probe success', 'Probe latency by phase', 'Tools listed', 'Probe failures by class',
      'Lambda invocations, errors, throttles', 'Lambda duration', 'Lambda concurrency', 'Memory utilization']) {
      expect(body).toContain(title);
    }
    for (const metric of ['ConnectLatency', 'TlsLatency', 'HandshakeLatency', 'ToolsListLatency', 'ToolCallLatency', 'ToolCount', 'Url5xxCount']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('SEARCH(');
    expect(body).toContain('ProbeFailures');
    // The alarm status widget lists the Lambda alarms added after the dashboard was created.
    expect(body).toContain('LambdaAlarmsThrottles');
  });
});

describe('cdk-nag', () => {
  test('a stack with service monitoring, Lambda alarms and a dashboard passes the AwsSolutions checks', () => {
    const { stack } = lambdaStack({ dashboard: true, alarmEmails: ['oncall@example.com'] });
    const report = new AwsSolutionsChecks(undefined).validateScope(stack);
    const ours = report.violations.filter((v) => v.violatingResources.some((r) => !(r.constructPath ?? '').startsWith('Stack/Server')));
    expect(ours).toEqual([]);
  });
});
