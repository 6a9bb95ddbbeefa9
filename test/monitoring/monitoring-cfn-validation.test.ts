import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpCanary, McpCanaryAuth, McpTransport, McpLambdaAlarms, McpServiceMonitoring } from '../../src';
import { enableBuiltinValidation, strictValidationApp } from '../support/builtin-validation';

/**
 * aws-cdk-lib's built-in CloudFormation validator (resource schemas plus its default rules, as
 * errors) over canaries in every auth mode and placement, and the full monitoring of a function.
 */
describe('McpCanary and McpServiceMonitoring under the built-in CloudFormation validator', () => {
  enableBuiltinValidation();
  const strictApp = strictValidationApp;

  test('canaries and a monitored function with every option synthesize clean', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Monitoring');
    const logGroup = new logs.LogGroup(stack, 'ServerLogs', { retention: logs.RetentionDays.ONE_WEEK });
    const fn = new lambda.Function(stack, 'Server', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      timeout: Duration.seconds(60),
      memorySize: 1024,
      reservedConcurrentExecutions: 20,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    });
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion, provisionedConcurrentExecutions: 1 });
    const functionUrl = alias.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM, invokeMode: lambda.InvokeMode.RESPONSE_STREAM });
    const monitoring = new McpServiceMonitoring(stack, 'Orders', {
      serviceName: 'orders-mcp',
      url: functionUrl.url,
      canaryAuth: McpCanaryAuth.sigV4(functionUrl),
      canaryExpectedTools: ['get_order'],
      canarySentinelTool: 'get_order',
      canarySentinelToolArguments: '{"id":"42"}',
      canaryTransport: McpTransport.MODERN,
      canaryHeaders: { 'X-Tenant': 'blue' },
      serverLogGroup: logGroup,
      alarmEmails: ['oncall@example.com'],
      alarmActionsSuppressor: new cloudwatch.Alarm(stack, 'Deploying', {
        metric: new cloudwatch.Metric({ namespace: 'Deploys', metricName: 'InProgress' }),
        threshold: 0,
        evaluationPeriods: 1,
      }),
      dashboard: true,
    });
    new McpLambdaAlarms(stack, 'LambdaAlarms', {
      monitoring,
      serverFunction: fn,
      serverAlias: alias,
      timeout: Duration.seconds(60),
      memorySizeMiB: 1024,
      reservedConcurrentExecutions: 20,
      provisionedConcurrentExecutions: 1,
      functionUrl,
      serverLogGroup: logGroup,
    });
    new McpCanary(stack, 'Bearer', {
      url: 'https://mcp.example.com/mcp',
      serviceName: 'partner-mcp',
      auth: McpCanaryAuth.bearerTokenFromSecret(new secretsmanager.Secret(stack, 'Token'), { jsonField: 'token' }),
      deadline: Duration.seconds(890),
    });
    new McpCanary(stack, 'Private', {
      url: 'http://internal-orders.local/mcp',
      serviceName: 'internal-mcp',
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      deadline: Duration.seconds(1),
      enabled: false,
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('the validator does reject an alarm description over 1024 characters (the check above can fail)', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Invalid');
    new CfnResource(stack, 'Alarm', {
      type: 'AWS::CloudWatch::Alarm',
      properties: {
        AlarmDescription: 'x'.repeat(1100),
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        Threshold: 1,
        MetricName: 'X',
        Namespace: 'Y',
        Period: 60,
        Statistic: 'Sum',
      },
    });
    expect(() => app.synth()).toThrow(/AlarmDescription: length 1100 exceeds maximum 1024/);
  });

  // GovCloud and China: the validator's per-region resource schemas are the offline evidence of
  // what CloudFormation accepts there. They know AWS::Lambda::Function LoggingConfig (the JSON log
  // format the canary and the Lambda services use); an unknown property is rejected there, so the
  // check can fail (next test).
  test.each(['us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1'])('a canary in %s (JSON logs, LoggingConfig) synthesizes clean', (region) => {
    const app = strictApp();
    const stack = new Stack(app, 'Partition', { env: { region, account: '123456789012' } });
    const canary = new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'partition-mcp' });
    expect(() => app.synth()).not.toThrow();
    const fn = canary.node.findAll().find((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction)!;
    expect(stack.resolve(fn.loggingConfig)).toMatchObject({ logFormat: 'JSON' });
  });

  test('the validator does reject an unknown Lambda property in us-gov-west-1 (the checks above can fail)', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Partition', { env: { region: 'us-gov-west-1', account: '123456789012' } });
    const canary = new McpCanary(stack, 'Canary', { url: 'https://mcp.example.com/mcp', serviceName: 'partition-mcp' });
    canary.node.findAll().find((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction)!.addPropertyOverride('LoggingConfigX', 'JSON');
    expect(() => app.synth()).toThrow(/'LoggingConfigX' was unexpected/);
  });
});
