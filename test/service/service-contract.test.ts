import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IMcpService, McpFailureClass } from '../../src';
import { testStack } from '../support/kit';
import { minimalService } from '../support/service-kinds';

/**
 * Each service kind, and where its template says which role the server runs as: the resource
 * type that runs the server, and the path of the role ARN in its properties.
 */
const kinds: Array<[string, (stack: Stack) => IMcpService, string, string[]]> = [
  ['McpLambdaService', (stack) => minimalService.lambda(stack), 'AWS::Lambda::Function', ['Role']],
  ['McpWebFunctionService', (stack) => minimalService.webFunction(stack), 'AWS::Lambda::WebFunctionRevision', ['ServiceConfig', 'ExecutionRoleArn']],
  ['McpFargateService', (stack) => minimalService.fargate(stack), 'AWS::ECS::TaskDefinition', ['TaskRoleArn']],
  ['McpExpressService', (stack) => minimalService.express(stack), 'AWS::ECS::ExpressGatewayService', ['TaskRoleArn']],
  ['McpAppRunnerService', (stack) => minimalService.appRunner(stack), 'AWS::AppRunner::Service', ['InstanceConfiguration', 'InstanceRoleArn']],
];

describe.each(kinds)('%s is an iam.IGrantable', (_name, make, serverType, rolePath) => {
  test('a grant on the service lands on the policy of the role the server runs as', () => {
    // GIVEN a service and a bucket
    const stack = testStack();
    const service = make(stack);
    const bucket = new s3.Bucket(stack, 'Data');
    // WHEN the bucket grants read to the service itself (typed as the shared interface)
    const grantable: iam.IGrantable = service;
    bucket.grantRead(grantable);
    // THEN exactly one policy allows s3:GetObject* on the bucket, attached to one role ...
    const json = Template.fromStack(stack).toJSON();
    const readsBucket = Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::IAM::Policy'
      && JSON.stringify(r.Properties.PolicyDocument).includes('s3:GetObject*')
      && JSON.stringify(r.Properties.PolicyDocument).includes(stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)));
    expect(readsBucket).toHaveLength(1);
    expect(readsBucket[0].Properties.Roles).toHaveLength(1);
    const roleId = readsBucket[0].Properties.Roles[0].Ref;
    // ... and that role is the one the server runs as (not the canary's, not an execution role for ECS)
    const servers = Object.entries<any>(json.Resources)
      .filter(([id, r]) => r.Type === serverType && (serverType !== 'AWS::Lambda::Function' || id.startsWith('McpFunction')));
    expect(servers).toHaveLength(1);
    const roleArn = rolePath.reduce((value, key) => value?.[key], servers[0][1].Properties);
    expect(roleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(stack.resolve((service.grantPrincipal as iam.IRole).roleArn)).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });
});

describe('metricProbeFailures on a service: one options object', () => {
  const stack = testStack();
  const service = minimalService.lambda(stack, { serviceName: 'orders-mcp' });
  const render = (metric: ReturnType<IMcpService['metricProbeFailures']>) => stack.resolve(metric.toMetricConfig().metricStat);

  test('all failures: the ServiceName dimension alone, Sum per minute', () => {
    expect(render(service.metricProbeFailures())).toEqual(expect.objectContaining({
      namespace: 'MCP', metricName: 'ProbeFailures', statistic: 'Sum', period: Duration.minutes(1), dimensions: [{ name: 'ServiceName', value: 'orders-mcp' }],
    }));
  });

  test('failureClass adds the FailureClass dimension; the metric options apply beside it', () => {
    const rendered = render(service.metricProbeFailures({ failureClass: McpFailureClass.TOOL_CREDENTIALS, period: Duration.minutes(5) }));
    expect(rendered).toEqual(expect.objectContaining({ metricName: 'ProbeFailures', statistic: 'Sum', period: Duration.minutes(5) }));
    expect(rendered.dimensions).toHaveLength(2);
    expect(rendered.dimensions).toEqual(expect.arrayContaining([{ name: 'ServiceName', value: 'orders-mcp' }, { name: 'FailureClass', value: 'TOOL_CREDENTIALS' }]));
  });

  test('the service, its monitoring and its canary give the same metric', () => {
    const options = { failureClass: McpFailureClass.TIMEOUT, statistic: 'Maximum' };
    const fromService = render(service.metricProbeFailures(options));
    expect(render(service.monitoring.metricProbeFailures(options))).toEqual(fromService);
    expect(render(service.canary!.metricProbeFailures(options))).toEqual(fromService);
  });
});
