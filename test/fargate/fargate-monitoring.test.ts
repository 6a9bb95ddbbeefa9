/**
 * Monitoring of McpFargateService: the canary on the load balancer URL, the ECS and load
 * balancer alarms, the fatal-error log filters (evaluated against real crash output of node), and
 * the composite health alarm.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpFargateService, McpFargateServiceProps } from '../../src';
import { FATAL_LOG_LEVEL_PATTERN, PROCESS_CRASH_PATTERN } from '../../src/monitoring/private/container-log-patterns';
import { matchesFilterPattern } from '../support/cloudwatch-filter-pattern';
import { alarmById, canaryEnvironment, FARGATE_OPT_IN, MONITORING_OPT_IN, withOptInAlarms } from '../support/kit';

type Resources = Record<string, { Properties: Record<string, any> }>;

function synth(props: Partial<McpFargateServiceProps> = {}, prepare?: (stack: Stack) => Partial<McpFargateServiceProps>) {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  // Every opt-in alarm on (with detailed metrics): these tests are about the alarms themselves.
  const all = withOptInAlarms({ canaryDetailedMetrics: true, ...props, ...prepare?.(stack) }, [...FARGATE_OPT_IN, ...MONITORING_OPT_IN]);
  const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromRegistry('example/mcp'), ...all });
  return { stack, service, template: Template.fromStack(stack) };
}

const PLATFORM_ALARMS = [
  'McpAlarmsCpuUtilization',
  'McpAlarmsMemoryUtilization',
  'McpAlarmsRunningTasksBelowDesired',
  'McpAlarmsTarget5xx',
  'McpAlarmsLoadBalancer5xx',
  'McpAlarmsUnhealthyHosts',
  'McpAlarmsTargetResponseTime',
  'McpAlarmsRejectedConnections',
  'McpAlarmsFatalErrors',
];

describe('McpFargateService canary', () => {
  test('probes the load balancer URL, named after the ECS service', () => {
    const { template, service, stack } = synth();
    const env = canaryEnvironment(template);
    expect(env.MCP_CANARY_URL).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/^McpLoadBalancer/), 'DNSName'] }, '/mcp']],
    });
    expect(env.MCP_CANARY_SERVICE_NAME).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpService/), 'Name'] });
    expect(service.canary).toBeDefined();
    expect(stack.resolve(service.canary!.serviceName)).toEqual(stack.resolve(service.service.serviceName));
  });

  test('runs outside the VPC for a public load balancer', () => {
    const { template } = synth();
    const canary = Object.entries(template.findResources('AWS::Lambda::Function') as Resources).find(([id]) => id.startsWith('McpMonitoringCanary'))![1];
    expect(canary.Properties.VpcConfig).toBeUndefined();
  });

  test('runs inside the VPC for an internal load balancer, which admits the VPC CIDR', () => {
    const { template } = synth({ publicLoadBalancer: false });
    const canary = Object.entries(template.findResources('AWS::Lambda::Function') as Resources).find(([id]) => id.startsWith('McpMonitoringCanary'))![1];
    expect(canary.Properties.VpcConfig.SubnetIds).toEqual([
      { Ref: expect.stringMatching(/^McpVpcPrivateSubnet1/) },
      { Ref: expect.stringMatching(/^McpVpcPrivateSubnet2/) },
    ]);
  });

  test('probes a given public URL instead, from outside the VPC even for an internal load balancer', () => {
    const { template } = synth({ publicLoadBalancer: false, canaryUrl: 'https://mcp.example.com/mcp' });
    expect(canaryEnvironment(template).MCP_CANARY_URL).toBe('https://mcp.example.com/mcp');
    const canary = Object.entries(template.findResources('AWS::Lambda::Function') as Resources).find(([id]) => id.startsWith('McpMonitoringCanary'))![1];
    expect(canary.Properties.VpcConfig).toBeUndefined();
    alarmById(template, 'McpMonitoringCertificateExpiring');
  });

  test('watches no certificate on a plain-HTTP URL, and watches it over HTTPS', () => {
    const plain = synth().template;
    expect(Object.keys(plain.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.startsWith('McpMonitoringCertificateExpiring'))).toEqual([]);
    const tls = synth({}, (s) => ({ certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'), domainName: 'mcp.example.com' })).template;
    expect(alarmById(tls, 'McpMonitoringCertificateExpiring').MetricName).toBe('CertDaysRemaining');
  });

  test('a given service name names the ECS service and the metrics', () => {
    const { template } = synth({ serviceName: 'orders-mcp' });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceName: 'orders-mcp' });
    expect(canaryEnvironment(template).MCP_CANARY_SERVICE_NAME).toBe('orders-mcp');
    expect(alarmById(template, 'McpAlarmsFatalErrors').Namespace).toBe('MCP/orders-mcp');
  });

  test('an invalid service name or canary URL is a synth-time error', () => {
    expect(() => synth({ serviceName: 'orders mcp' })).toThrow(/serviceName must be 1 to 255 letters, digits, hyphens or underscores, as ECS requires \(got "orders mcp"\).*\[cdk-mcp:ecsServiceNameFormat\]/);
    expect(() => synth({ canaryUrl: 'mcp.example.com' })).toThrow(/canaryUrl must be an http:\/\/ or https:\/\/ URL \(got "mcp.example.com"\)/);
  });

  test('canary: false keeps the platform alarms and warns', () => {
    const { template, stack, service } = synth({ canary: false });
    expect(service.canary).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('McpMonitoringCanary'))).toEqual([]);
    alarmById(template, 'McpAlarmsCpuUtilization');
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp/Monitoring', Match.stringLikeRegexp('cdk-mcp:canaryDisabled'));
  });
});

describe('McpFargateService platform alarms', () => {
  test('CPU and memory utilization above 80% for 3 of 3 five-minute periods', () => {
    const { template } = synth();
    for (const [id, metricName] of [['McpAlarmsCpuUtilization', 'CPUUtilization'], ['McpAlarmsMemoryUtilization', 'MemoryUtilization']]) {
      expect(alarmById(template, id)).toMatchObject({
        Namespace: 'AWS/ECS',
        MetricName: metricName,
        Statistic: 'Average',
        Period: 300,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanThreshold',
        DatapointsToAlarm: 3,
        EvaluationPeriods: 3,
        Dimensions: [
          { Name: 'ClusterName', Value: { Ref: expect.stringMatching(/^McpCluster/) } },
          { Name: 'ServiceName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^McpService/), 'Name'] } },
        ],
      });
    }
  });

  test('running tasks below desired, from Container Insights, for 5 of 5 minutes', () => {
    const { template } = synth();
    const props = alarmById(template, 'McpAlarmsRunningTasksBelowDesired');
    expect(props).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', DatapointsToAlarm: 5, EvaluationPeriods: 5, TreatMissingData: 'notBreaching' });
    const byId = Object.fromEntries(props.Metrics.map((m: any) => [m.Id, m]));
    expect(byId.expr_1).toMatchObject({ Expression: 'desired - running', ReturnData: true });
    for (const [id, name] of [['desired', 'DesiredTaskCount'], ['running', 'RunningTaskCount']]) {
      expect(byId[id].MetricStat).toMatchObject({
        Metric: { Namespace: 'ECS/ContainerInsights', MetricName: name },
        Period: 60,
        Stat: 'Average',
      });
      expect(byId[id].ReturnData).toBe(false);
    }
  });

  test('target 5xx, load balancer 5xx and rejected connections: any in five minutes', () => {
    const { template } = synth();
    expect(alarmById(template, 'McpAlarmsTarget5xx')).toMatchObject({
      Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum', Period: 300, Threshold: 0, DatapointsToAlarm: 1,
    });
    expect(alarmById(template, 'McpAlarmsTarget5xx').Dimensions.map((d: any) => d.Name)).toEqual(['LoadBalancer', 'TargetGroup']);
    expect(alarmById(template, 'McpAlarmsLoadBalancer5xx')).toMatchObject({
      MetricName: 'HTTPCode_ELB_5XX_Count',
      Statistic: 'Sum',
      Threshold: 0,
      Dimensions: [{ Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [expect.stringMatching(/^McpLoadBalancer/), 'LoadBalancerFullName'] } }],
    });
    expect(alarmById(template, 'McpAlarmsRejectedConnections')).toMatchObject({ MetricName: 'RejectedConnectionCount', Statistic: 'Sum', Threshold: 0 });
  });

  test('unhealthy hosts for 3 of 3 minutes', () => {
    const { template } = synth();
    expect(alarmById(template, 'McpAlarmsUnhealthyHosts')).toMatchObject({
      MetricName: 'UnHealthyHostCount', Statistic: 'Maximum', Period: 60, Threshold: 0, DatapointsToAlarm: 3, EvaluationPeriods: 3,
    });
  });

  test('target response time p90 above 5 seconds, in the metric\'s unit (seconds)', () => {
    const { template } = synth();
    const props = alarmById(template, 'McpAlarmsTargetResponseTime');
    expect(props).toMatchObject({ MetricName: 'TargetResponseTime', ExtendedStatistic: 'p90', Period: 300, Threshold: 5, DatapointsToAlarm: 3, EvaluationPeriods: 3 });
    expect(JSON.stringify(props.AlarmDescription)).toContain('TargetResponseTime p90 > 5 s in 3 of 3 periods of 5 minutes');
  });

  test('thresholds are props, and each alarm can be turned off', () => {
    const { template } = synth({
      cpuAlarm: { maxUtilizationPercent: 60, datapointsToAlarm: 2, evaluationPeriods: 4 },
      targetResponseTimeAlarm: { maxLatency: Duration.millis(1500) },
      target5xxAlarm: { maxCount: 10, period: Duration.minutes(1) },
      runningTasksAlarm: { enabled: false },
      fatalErrorsAlarm: { enabled: false },
    });
    expect(alarmById(template, 'McpAlarmsCpuUtilization')).toMatchObject({ Threshold: 60, DatapointsToAlarm: 2, EvaluationPeriods: 4 });
    expect(alarmById(template, 'McpAlarmsTargetResponseTime').Threshold).toBe(1.5);
    expect(alarmById(template, 'McpAlarmsTarget5xx')).toMatchObject({ Threshold: 10, Period: 60 });
    const ids = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(ids.filter((id) => id.startsWith('McpAlarmsRunningTasks') || id.startsWith('McpAlarmsFatalErrors'))).toEqual([]);
    // The tool metrics' filters (toolMetrics, docs/per-tool.md) aside.
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter') as Resources)
      .filter((f) => !f.Properties.MetricTransformations[0].MetricName.startsWith('Tool'));
    expect(filters.map((f) => f.Properties.MetricTransformations[0].MetricName)).toEqual(['AwsCredentialErrors']);
  });

  test('impossible thresholds name the prop', () => {
    expect(() => synth({ memoryAlarm: { maxUtilizationPercent: 150 } })).toThrow(/`memoryAlarm.maxUtilizationPercent` is 150/);
    expect(() => synth({ unhealthyHostsAlarm: { datapointsToAlarm: 4, evaluationPeriods: 2 } })).toThrow(/`unhealthyHostsAlarm.datapointsToAlarm` is 4/);
  });

  test('the service log group feeds the fatal-error and credential-error filters', () => {
    const { template } = synth();
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter') as Resources).map((f) => f.Properties)
      .filter((f) => !f.MetricTransformations[0].MetricName.startsWith('Tool'));
    expect(filters.map((f) => [f.MetricTransformations[0].MetricName, f.FilterPattern])).toEqual([
      ['AwsCredentialErrors', expect.stringContaining('AccessDeniedException')],
      ['FatalErrors', PROCESS_CRASH_PATTERN],
      ['FatalErrors', FATAL_LOG_LEVEL_PATTERN],
    ]);
    for (const filter of filters) {
      expect(filter.LogGroupName).toEqual({ Ref: expect.stringMatching(/^McpLogGroup/) });
    }
  });
});

describe('McpFargateService health alarm', () => {
  test('the composite alarm watches the canary, log and platform alarms, and notifies a TLS-only topic', () => {
    const { template, stack, service } = synth();
    const composite = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm') as Resources);
    expect(composite).toHaveLength(1);
    const rule = JSON.stringify(stack.resolve(composite[0].Properties.AlarmRule));
    const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    for (const prefix of [...PLATFORM_ALARMS, 'McpMonitoringProbeFailing', 'McpMonitoringProbeLatency', 'McpMonitoringCanaryErrors', 'McpMonitoringCredentialErrors']) {
      const id = alarmIds.find((candidate) => candidate.startsWith(prefix));
      expect(id).toBeDefined();
      expect(rule).toContain(id);
    }
    // Every alarm but the maintenance window (which suppresses, never pages) is watched.
    expect(service.alarms).toHaveLength(alarmIds.filter((id) => !id.startsWith('McpMonitoringMaintenanceWindow')).length);
    expect(rule).not.toContain('McpMonitoringMaintenanceWindow');
    expect(composite[0].Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^McpMonitoringAlarmTopic/) }]);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    expect(stack.resolve(service.healthAlarm.alarmArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpMonitoringServiceHealth/), 'Arn'] });
  });

  test('platform alarms do not notify on their own', () => {
    const { template } = synth();
    for (const prefix of PLATFORM_ALARMS) {
      expect(alarmById(template, prefix).AlarmActions).toBeUndefined();
    }
  });

  test('a maintenance-window alarm suppresses the health alarm\'s actions', () => {
    const { template } = synth({}, (s) => ({
      alarmActionsSuppressor: new cloudwatch.Alarm(s, 'Maintenance', {
        metric: new cloudwatch.Metric({ namespace: 'Ops', metricName: 'MaintenanceWindow' }),
        threshold: 1,
        evaluationPeriods: 1,
      }),
    }));
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      ActionsSuppressor: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Maintenance'), 'Arn'] },
    });
  });

  test('a given topic and e-mail subscriptions are used', () => {
    const { template, service, stack } = synth({ alarmEmails: ['oncall@example.com'] }, (s) => ({ alarmTopic: new sns.Topic(s, 'Pager') }));
    expect(stack.resolve(service.alarmTopic.topicArn)).toEqual({ Ref: expect.stringMatching(/^Pager/) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^Pager') } });
  });

  test('the dashboard shows the load balancer and ECS metrics next to the probe', () => {
    const { template, stack, service } = synth({ dashboard: true });
    expect(service.dashboard).toBeDefined();
    const body = JSON.stringify(stack.resolve(Object.values(template.findResources('AWS::CloudWatch::Dashboard') as Resources)[0].Properties.DashboardBody));
    for (const title of ['Probe success', 'Requests and 5xx', 'Target response time (s)', 'Task CPU and memory (%)', 'Tasks and targets']) {
      expect(body).toContain(title);
    }
    expect(body).toContain('HTTPCode_Target_5XX_Count');
    expect(body).toContain('RunningTaskCount');
  });
});

describe('fatal-error filter patterns against real crash output', () => {
  /** Runs node with a script and returns its stderr lines, as awslogs would ship them (one event per line). */
  function crashLines(args: string[]): string[] {
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).not.toBe(0);
    return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  }

  function matches(lines: string[]): string[] {
    return lines.filter((line) => matchesFilterPattern(PROCESS_CRASH_PATTERN, line) || matchesFilterPattern(FATAL_LOG_LEVEL_PATTERN, line));
  }

  test('an uncaught exception matches once, on the Node.js trailer', () => {
    const lines = crashLines(['-e', 'throw new Error("tool registry broken")']);
    expect(matches(lines)).toEqual([expect.stringMatching(/^Node\.js v\d+/)]);
  });

  test('an unhandled promise rejection matches', () => {
    const lines = crashLines(['-e', 'Promise.reject(new Error("upstream gone"))']);
    expect(matches(lines)).toEqual([expect.stringMatching(/^Node\.js v\d+/)]);
  });

  test('running out of heap matches on V8\'s fatal error', () => {
    const lines = crashLines(['--max-old-space-size=16', '-e', 'const a = []; for (;;) a.push(new Array(1e5).fill(1));']);
    expect(matches(lines)).toEqual(expect.arrayContaining([expect.stringMatching(/FATAL ERROR: .*JavaScript heap out of memory/)]));
  });

  test('structured fatal and critical lines match; ordinary server log lines do not', () => {
    expect(matchesFilterPattern(FATAL_LOG_LEVEL_PATTERN, '{"level":"fatal","msg":"cannot bind"}')).toBe(true);
    expect(matchesFilterPattern(FATAL_LOG_LEVEL_PATTERN, '{"levelname":"x","level":"CRITICAL","message":"db down"}')).toBe(true);
    expect(matchesFilterPattern(FATAL_LOG_LEVEL_PATTERN, '{"level":"error","event":"crashed","errorName":"TypeError"}')).toBe(true);
    const ordinary = [
      '{"time":"2026-11-21T11:00:00.000Z","level":"info","event":"listening","host":"0.0.0.0","port":8080,"mode":"stateless","tools":3}',
      '{"time":"2026-11-21T11:00:01.000Z","level":"info","event":"request","method":"POST","path":"/mcp","status":200,"durationMs":4}',
      '{"time":"2026-11-21T11:00:02.000Z","level":"error","event":"request","method":"POST","path":"/mcp","status":500,"durationMs":9}',
      'GET /healthz 200',
    ];
    expect(matches(ordinary)).toEqual([]);
  });
});

describe('cdk-nag on the bare service', () => {
  test('leaves only the findings the examples acknowledge: the public ingress, the ECR token wildcard, access logs, PORT', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(path.join(__dirname, '..', '..', 'examples', 'server')) });
    const report = new AwsSolutionsChecks(undefined).validateScope(stack);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(findings.sort()).toEqual([
      'AwsSolutions-EC23 Stack/Mcp/LoadBalancerSecurityGroup/Resource',
      // PORT, the one server contract: plain configuration, not a secret.
      'AwsSolutions-ECS2 Stack/Mcp/TaskDefinition/Resource',
      'AwsSolutions-ELB2 Stack/Mcp/LoadBalancer/Resource',
      'AwsSolutions-IAM5[Resource::*] Stack/Mcp/ExecutionRole/DefaultPolicy/Resource',
    ]);
  });
});
