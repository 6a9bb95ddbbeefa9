import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IMcpService } from '../../src';
import { testStack } from '../support/kit';
import { minimalService } from '../support/service-kinds';

/** The retention in days a log group of the library renders to. */
function retentionOf(logGroup: logs.ILogGroup): unknown {
  return Stack.of(logGroup).resolve((logGroup.node.defaultChild as logs.CfnLogGroup).retentionInDays);
}

/** Every log group of the canary and the deploy gate of a service. */
function probeLogGroups(service: IMcpService): logs.LogGroup[] {
  const gate = service.monitoring.deployGate!;
  return [service.canary!, gate].flatMap((c) => c.node.findAll()).filter((c): c is logs.LogGroup => c instanceof logs.LogGroup);
}

type RetentionProps = { logRetention?: logs.RetentionDays; canaryLogRetention?: logs.RetentionDays };

/** Each service kind with a `logRetention` of its own, with a deploy gate and the given retention props. */
const kinds: Array<[string, (stack: Stack, extra: RetentionProps) => IMcpService]> = [
  ['McpLambdaService', (stack, extra) => minimalService.lambda(stack, { deployGate: true, ...extra })],
  ['McpWebFunctionService', (stack, extra) => minimalService.webFunction(stack, { deployGate: true, ...extra })],
  ['McpFargateService', (stack, extra) => minimalService.fargate(stack, { deployGate: true, ...extra })],
  ['McpExpressService', (stack, extra) => minimalService.express(stack, { deployGate: true, ...extra })],
];

describe.each(kinds)('%s: the canary\'s and the deploy gate\'s log retention', (_name, make) => {
  test('follows the service\'s logRetention when canaryLogRetention is not set', () => {
    // GIVEN a compliance setting of one year on the service
    const service = make(testStack(), { logRetention: logs.RetentionDays.ONE_YEAR });
    // THEN every log group of the probe keeps its lines one year too
    const groups = probeLogGroups(service);
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups) {
      expect(retentionOf(group)).toBe(365);
    }
  });

  test('canaryLogRetention wins over logRetention', () => {
    const service = make(testStack(), { logRetention: logs.RetentionDays.ONE_YEAR, canaryLogRetention: logs.RetentionDays.ONE_WEEK });
    for (const group of probeLogGroups(service)) {
      expect(retentionOf(group)).toBe(7);
    }
  });

  test('stays one month with neither set', () => {
    const service = make(testStack(), {});
    for (const group of probeLogGroups(service)) {
      expect(retentionOf(group)).toBe(30);
    }
  });
});
