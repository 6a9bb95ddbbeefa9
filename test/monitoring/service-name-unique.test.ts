import { Annotations, App, Stack, Stage } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpCanary, McpFargateService, McpServiceMonitoring } from '../../src';
import { warningsOf } from '../support/kit';

const US_EAST_1 = { account: '111111111111', region: 'us-east-1' };
const URL = 'https://mcp.example.com/mcp';

function canary(stack: Stack, serviceName: string, metricNamespace?: string): McpCanary {
  return new McpCanary(stack, 'Canary', { url: URL, serviceName, metricNamespace });
}

describe('serviceName is unique across the stacks of one app in one account and region', () => {
  test('two canaries with one serviceName in two stacks of one account and region fail synth, naming both paths and the fix', () => {
    // GIVEN one app, two stacks in the same account and region
    const app = new App();
    canary(new Stack(app, 'Blue', { env: US_EAST_1 }), 'orders');
    // WHEN the second stack reuses the serviceName
    // THEN synth fails at the second, naming both construct paths and saying what to change
    expect(() => canary(new Stack(app, 'Green', { env: US_EAST_1 }), 'orders'))
      .toThrow(/Green\/Canary[\s\S]*'orders'[\s\S]*Blue\/Canary[\s\S]*111111111111[\s\S]*us-east-1[\s\S]*unique/);
  });

  test('two services with one serviceName in two stacks of one account and region fail synth', () => {
    const app = new App();
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1');
    new McpFargateService(new Stack(app, 'Blue', { env: US_EAST_1 }), 'Mcp', { image, serviceName: 'orders' });
    expect(() => new McpFargateService(new Stack(app, 'Green', { env: US_EAST_1 }), 'Mcp', { image, serviceName: 'orders' }))
      .toThrow(/Green\/Mcp\/Monitoring[\s\S]*Blue\/Mcp\/Monitoring/);
  });

  test('the same serviceName in two regions, two accounts or two namespaces is fine', () => {
    const app = new App();
    canary(new Stack(app, 'East', { env: US_EAST_1 }), 'orders');
    expect(() => canary(new Stack(app, 'West', { env: { ...US_EAST_1, region: 'us-west-2' } }), 'orders')).not.toThrow();
    expect(() => canary(new Stack(app, 'Other', { env: { ...US_EAST_1, account: '222222222222' } }), 'orders')).not.toThrow();
    expect(() => canary(new Stack(app, 'Namespace', { env: US_EAST_1 }), 'orders', 'Team/MCP')).not.toThrow();
  });

  test('a monitoring without canary and a canary elsewhere with its serviceName is the documented pattern, and passes', () => {
    const app = new App();
    new McpServiceMonitoring(new Stack(app, 'Service', { env: US_EAST_1 }), 'Monitoring', { serviceName: 'orders', url: URL, canary: false });
    expect(() => canary(new Stack(app, 'Probe', { env: US_EAST_1 }), 'orders')).not.toThrow();
  });

  test('two environment-agnostic stacks of one stage warn (they deploy wherever the CLI points, often one account), acknowledgeably', () => {
    const app = new App();
    canary(new Stack(app, 'Blue'), 'orders');
    const green = new Stack(app, 'Green');
    const second = canary(green, 'orders');
    expect(warningsOf(green, true)).toEqual([expect.stringMatching(/Blue\/Canary[\s\S]*environment-agnostic[\s\S]*cdk-mcp:serviceNameNotUnique/)]);
    // AND the warning can be acknowledged where the stacks do deploy to different accounts or regions
    Annotations.of(second).acknowledgeWarning('cdk-mcp:serviceNameNotUnique', 'Blue and Green deploy to different accounts');
    expect(warningsOf(green, true)).toEqual([]);
  });

  test('environment-agnostic stacks of different stages, or one agnostic and one concrete, are not compared', () => {
    const app = new App();
    canary(new Stack(new Stage(app, 'Beta'), 'Svc'), 'orders');
    const prod = new Stack(new Stage(app, 'Prod'), 'Svc');
    canary(prod, 'orders');
    const concrete = new Stack(app, 'Concrete', { env: US_EAST_1 });
    canary(concrete, 'orders');
    expect(warningsOf(prod, true)).toEqual([]);
    expect(warningsOf(concrete, true)).toEqual([]);
  });

  test('two canaries with one serviceName in one stack fail synth', () => {
    const stack = new Stack(new App(), 'Stack');
    new McpCanary(stack, 'One', { url: URL, serviceName: 'orders' });
    expect(() => new McpCanary(stack, 'Two', { url: URL, serviceName: 'orders' })).toThrow(/Stack\/Two[\s\S]*Stack\/One/);
  });
});
