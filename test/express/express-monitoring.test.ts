import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpExpressService, McpExpressServiceProps } from '../../src';
import { FATAL_LOG_LEVEL_PATTERN, PROCESS_CRASH_PATTERN } from '../../src/monitoring/private/container-log-patterns';
import { alarmById, EXPRESS_OPT_IN, withOptInAlarms } from '../support/kit';

function synth(props: Partial<McpExpressServiceProps> = {}): { service: McpExpressService; template: Template } {
  const stack = new Stack(new App(), 'Stack');
  const service = new McpExpressService(stack, 'Mcp', {
    image: ecs.ContainerImage.fromAsset(path.join(__dirname, '..', '..', 'examples', 'server'), { platform: ecr_assets.Platform.LINUX_AMD64 }),
    // Every opt-in alarm on: these tests are about the alarms themselves.
    ...withOptInAlarms(props, EXPRESS_OPT_IN),
  });
  return { service, template: Template.fromStack(stack) };
}

describe('McpExpressService monitoring', () => {
  test('CPU, memory, running tasks and fatal errors join the health alarm with the canary and credential alarms', () => {
    const { service } = synth({ serviceName: 'orders-mcp' });
    const ids = service.alarms.map((a) => a.node.path.replace('Stack/Mcp/', ''));
    expect(ids).toEqual(expect.arrayContaining([
      'Alarms/CpuUtilization', 'Alarms/MemoryUtilization', 'Alarms/RunningTasksBelowDesired', 'Alarms/FatalErrors',
      'Monitoring/ProbeFailing', 'Monitoring/CredentialErrors',
    ]));
    expect(service.platformAlarms.alarms).toHaveLength(4);
  });

  test('no load balancer alarm: the managed load balancer has no dimension of its own', () => {
    const { template } = synth();
    const metricNames = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, any>).map((a) => a.Properties.MetricName);
    expect(metricNames).not.toContain('HTTPCode_Target_5XX_Count');
    expect(metricNames).not.toContain('TargetResponseTime');
  });

  test('the running-tasks alarm reads Container Insights for the Express service', () => {
    const alarm = alarmById(synth({ serviceName: 'orders-mcp' }).template, 'McpAlarmsRunningTasksBelowDesired');
    expect(alarm.Metrics[0].Expression).toBe('desired - running');
    expect(alarm.Metrics[1].MetricStat.Metric).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'DesiredTaskCount' });
    expect(alarm.Metrics[1].MetricStat.Metric.Dimensions[1]).toEqual({ Name: 'ServiceName', Value: 'orders-mcp' });
    expect(alarm).toMatchObject({ DatapointsToAlarm: 5, EvaluationPeriods: 5, Threshold: 0 });
  });

  test('the fatal-errors alarm counts both container log patterns on the server log group', () => {
    const { template } = synth();
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter') as Record<string, any>).map((f) => f.Properties);
    const fatal = filters.filter((f) => f.MetricTransformations[0].MetricName === 'FatalErrors');
    expect(fatal.map((f) => f.FilterPattern).sort()).toEqual([FATAL_LOG_LEVEL_PATTERN, PROCESS_CRASH_PATTERN].sort());
    expect(fatal.every((f) => /^McpLogGroup/.test(f.LogGroupName.Ref))).toBe(true);
    expect(filters.some((f) => f.MetricTransformations[0].MetricName === 'AwsCredentialErrors')).toBe(true);
  });

  test('thresholds are props, and an alarm can be turned off', () => {
    const { service, template } = synth({ cpuAlarm: { maxUtilizationPercent: 65 }, memoryAlarm: { enabled: false } });
    expect(alarmById(template, 'McpAlarmsCpuUtilization').Threshold).toBe(65);
    expect(service.platformAlarms.memoryAlarm).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).some((id) => id.startsWith('McpAlarmsMemoryUtilization'))).toBe(false);
  });

  test('the dashboard shows task CPU, memory and missing tasks', () => {
    const { template } = synth({ dashboard: true });
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard') as Record<string, any>)[0].Properties.DashboardBody);
    expect(body).toContain('Task CPU and memory (%)');
    expect(body).toContain('Tasks missing');
  });
});
