import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpCanary, McpCanaryAuth, McpCanaryProps, McpFailureClass, McpProbePhase, McpTransport } from '../../src';
import { CANARY_ENV } from '../../src/contract/canary-env';
import { canaryEnvironment } from '../support/kit';

const URL = 'https://mcp.example.com/mcp';

function stackWith(props: Partial<McpCanaryProps> = {}, build?: (stack: Stack) => Partial<McpCanaryProps>) {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const canary = new McpCanary(stack, 'Canary', { url: URL, serviceName: 'orders-mcp', ...props, ...build?.(stack) });
  return { stack, canary, template: Template.fromStack(stack) };
}

function policyStatements(template: Template): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: [] } } }).Properties.PolicyDocument.Statement);
}

describe('McpCanary schedule', () => {
  test('probes every minute by default, enabled, with no retry of a missed run', () => {
    const { template } = stackWith();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
  });

  test('uses the schedule given and can be created disabled', () => {
    const { template } = stackWith({ schedule: events.Schedule.rate(Duration.minutes(5)), enabled: false });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' });
  });

  test('does not retry failed or throttled asynchronous invocations and drops stale ones', () => {
    const { template } = stackWith();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
  });

  test('warns when a run can outlast the schedule interval', () => {
    const { stack } = stackWith({ deadline: Duration.seconds(120) });
    Annotations.fromStack(stack).hasWarning('/Stack/Canary', Match.stringLikeRegexp('cdk-mcp:canaryRunsOverlapSchedule'));
  });
});

describe('McpCanary function', () => {
  test('runs the bundled handler on arm64 with the latest Node.js runtime, 256 MB, JSON logs and no reserved concurrency', () => {
    const { template } = stackWith();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      ReservedConcurrentExecutions: Match.absent(),
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
  });

  test('derives the timeout from the deadline plus a 10 second margin', () => {
    stackWith().template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 38 });
    stackWith({ deadline: Duration.seconds(90) }).template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 100 });
    stackWith({ deadline: Duration.millis(1500) }).template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 12 });
  });

  test('writes to its own log group with one month retention by default', () => {
    const { template } = stackWith();
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^CanaryLogGroup') } },
    });
  });

  test('uses the log retention given', () => {
    stackWith({ logRetention: logs.RetentionDays.ONE_WEEK }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('passes its configuration in the environment, with the names the handler reads', () => {
    const { template } = stackWith({
      deadline: Duration.seconds(20),
      expectedTools: ['get_order', 'list_orders'],
      expectedToolsHash: 'sha256:0123456789abcdef',
      sentinelTool: 'get_order',
      sentinelToolArguments: '{"id":"42"}',
      transport: McpTransport.LEGACY,
      headers: { 'X-Tenant': 'blue' },
      metricNamespace: 'Acme/MCP',
    });
    expect(canaryEnvironment(template)).toEqual({
      [CANARY_ENV.URL]: URL,
      [CANARY_ENV.SERVICE_NAME]: 'orders-mcp',
      [CANARY_ENV.METRIC_NAMESPACE]: 'Acme/MCP',
      [CANARY_ENV.DEADLINE_MS]: '20000',
      [CANARY_ENV.TRANSPORT]: 'legacy',
      [CANARY_ENV.EXPECTED_TOOLS]: '["get_order","list_orders"]',
      [CANARY_ENV.EXPECTED_TOOLS_HASH]: 'sha256:0123456789abcdef',
      [CANARY_ENV.SENTINEL_TOOL]: 'get_order',
      [CANARY_ENV.SENTINEL_TOOL_ARGUMENTS]: '{"id":"42"}',
      [CANARY_ENV.HEADERS]: '{"X-Tenant":"blue"}',
      [CANARY_ENV.AUTH_MODE]: 'none',
    });
  });

  test('defaults to the MCP namespace, 28 s deadline, automatic transport and no auth', () => {
    expect(canaryEnvironment(stackWith().template)).toEqual({
      [CANARY_ENV.URL]: URL,
      [CANARY_ENV.SERVICE_NAME]: 'orders-mcp',
      [CANARY_ENV.METRIC_NAMESPACE]: 'MCP',
      [CANARY_ENV.DEADLINE_MS]: '28000',
      [CANARY_ENV.TRANSPORT]: 'auto',
      [CANARY_ENV.AUTH_MODE]: 'none',
    });
  });

  test('tool names and headers may be tokens', () => {
    const { template } = stackWith({
      expectedTools: [Lazy.string({ produce: () => 'get_order' })],
      headers: { 'X-Tenant': Lazy.string({ produce: () => 'blue' }) },
    });
    const env = canaryEnvironment(template);
    expect(env[CANARY_ENV.EXPECTED_TOOLS]).toBe('["get_order"]');
    expect(env[CANARY_ENV.HEADERS]).toBe('{"X-Tenant":"blue"}');
  });

  test('accepts a URL token, such as a Function URL of the same stack', () => {
    const { template } = stackWith({}, (stack) => {
      const fn = new lambda.Function(stack, 'Server', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}'),
      });
      return { url: fn.addFunctionUrl().url };
    });
    expect(canaryEnvironment(template)[CANARY_ENV.URL]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ServerFunctionUrl/), 'FunctionUrl'] });
  });
});

describe('McpCanary role', () => {
  test('is its own role without AWS managed policies, trusted by Lambda only', () => {
    const { template } = stackWith();
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    const role = (roles[0] as { Properties: Record<string, unknown> }).Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
    });
  });

  test('may only write its own log group, and has no wildcard action or resource', () => {
    const { template } = stackWith();
    const statements = policyStatements(template);
    expect(statements).toEqual([{
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CanaryLogGroup/), 'Arn'] },
    }]);
    expect(JSON.stringify(statements)).not.toContain('*');
    expect(JSON.stringify(statements)).not.toContain('cloudwatch:PutMetricData');
  });

  test('bearer auth grants GetSecretValue on that secret only and passes its ARN, never its value', () => {
    const { template } = stackWith({}, (stack) => ({
      auth: McpCanaryAuth.bearerTokenFromSecret(new secretsmanager.Secret(stack, 'Token'), { jsonField: 'token' }),
    }));
    const env = canaryEnvironment(template);
    expect(env[CANARY_ENV.AUTH_MODE]).toBe('bearer-secret');
    expect(env[CANARY_ENV.AUTH_SECRET_ARN]).toEqual({ Ref: expect.stringMatching(/^Token/) });
    expect(env[CANARY_ENV.AUTH_SECRET_JSON_FIELD]).toBe('token');
    const secretStatements = policyStatements(template).filter((s) => JSON.stringify(s.Action).includes('secretsmanager'));
    expect(secretStatements).toEqual([{
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Effect: 'Allow',
      Resource: { Ref: expect.stringMatching(/^Token/) },
    }]);
  });

  test('bearer auth with a customer managed key also grants decrypt on that key', () => {
    const { template } = stackWith({}, (stack) => ({
      auth: McpCanaryAuth.bearerTokenFromSecret(new secretsmanager.Secret(stack, 'Token', { encryptionKey: new kms.Key(stack, 'Key') })),
    }));
    const kmsStatements = Object.values(template.findResources('AWS::KMS::Key'))
      .flatMap((k) => (k as { Properties: { KeyPolicy: { Statement: Array<{ Action: unknown }> } } }).Properties.KeyPolicy.Statement)
      .filter((s) => JSON.stringify(s).includes('CanaryServiceRole'));
    expect(kmsStatements).toEqual([expect.objectContaining({
      Action: 'kms:Decrypt',
      Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
    })]);
  });

  test('SigV4 auth grants invoking the probed function through its URL only, and signs for its region', () => {
    const { template } = stackWith({}, (stack) => {
      const fn = new lambda.Function(stack, 'Server', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}'),
      });
      const functionUrl = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
      return { url: functionUrl.url, auth: McpCanaryAuth.sigV4(functionUrl) };
    });
    const env = canaryEnvironment(template);
    expect(env[CANARY_ENV.AUTH_MODE]).toBe('sigv4');
    expect(env[CANARY_ENV.SIGV4_REGION]).toEqual({ Ref: 'AWS::Region' });
    expect(env[CANARY_ENV.SIGV4_SERVICE]).toBe('lambda');
    const invoke = policyStatements(template).filter((s) => JSON.stringify(s.Action).includes('lambda:'));
    expect(invoke).toEqual([expect.objectContaining({
      Action: 'lambda:InvokeFunctionUrl',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Server/), 'Arn'] },
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
    }), expect.objectContaining({
      // Since October 2025 a Function URL call also needs lambda:InvokeFunction, limited to URL invocations.
      Action: 'lambda:InvokeFunction',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Server/), 'Arn'] },
      Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': true } },
    })]);
  });

  test('in a VPC, adds only the network-interface actions Lambda requires', () => {
    const { template } = stackWith({}, (stack) => ({ vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) }));
    const ec2Statements = policyStatements(template).filter((s) => JSON.stringify(s.Action).includes('ec2:'));
    expect(ec2Statements).toEqual([expect.objectContaining({
      Action: [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: '*',
    })]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() }),
    });
  });
});

describe('McpCanary metrics', () => {
  const { canary, stack } = stackWith();
  const resolve = (metric: cloudwatch.Metric) => stack.resolve(metric.toMetricConfig().metricStat);

  test('probe success: Average per minute, dimensioned by service name only', () => {
    expect(resolve(canary.metricProbeSuccess())).toEqual(expect.objectContaining({
      namespace: 'MCP',
      metricName: 'ProbeSuccess',
      statistic: 'Average',
      period: Duration.minutes(1),
      dimensions: [{ name: 'ServiceName', value: 'orders-mcp' }],
    }));
  });

  test('latencies: p90 per minute, one metric per phase', () => {
    expect(resolve(canary.metricProbeLatency())).toEqual(expect.objectContaining({ metricName: 'ProbeLatency', statistic: 'p90' }));
    const names = Object.values(McpProbePhase).map((phase) => canary.metricPhaseLatency(phase).metricName);
    expect(names).toEqual(['ConnectLatency', 'TlsLatency', 'HandshakeLatency', 'ToolsListLatency', 'ToolCallLatency']);
  });

  test('tool count and certificate days: Minimum, per minute and per hour', () => {
    expect(resolve(canary.metricToolCount())).toEqual(expect.objectContaining({ metricName: 'ToolCount', statistic: 'Minimum', period: Duration.minutes(1) }));
    expect(resolve(canary.metricCertDaysRemaining())).toEqual(expect.objectContaining({ metricName: 'CertDaysRemaining', statistic: 'Minimum', period: Duration.hours(1) }));
  });

  test('failures: Sum, all classes or one class as an extra dimension', () => {
    expect(resolve(canary.metricProbeFailures())).toEqual(expect.objectContaining({
      metricName: 'ProbeFailures', statistic: 'Sum', dimensions: [{ name: 'ServiceName', value: 'orders-mcp' }],
    }));
    expect(resolve(canary.metricProbeFailures({ failureClass: McpFailureClass.GATEWAY_TIMEOUT })).dimensions).toEqual(expect.arrayContaining([
      { name: 'ServiceName', value: 'orders-mcp' }, { name: 'FailureClass', value: 'GATEWAY_TIMEOUT' },
    ]));
    expect(resolve(canary.metricProbeFailures({ failureClass: McpFailureClass.GATEWAY_TIMEOUT })).dimensions).toHaveLength(2);
  });

  test('failures: the failure class and metric options go in one object; the class is a dimension, not a metric property', () => {
    const metric = canary.metricProbeFailures({ failureClass: McpFailureClass.TIMEOUT, period: Duration.minutes(5), statistic: 'Maximum' });
    const rendered = resolve(metric);
    expect(rendered).toEqual(expect.objectContaining({ metricName: 'ProbeFailures', statistic: 'Maximum', period: Duration.minutes(5) }));
    expect(rendered.dimensions).toHaveLength(2);
    expect(rendered.dimensions).toEqual(expect.arrayContaining([{ name: 'ServiceName', value: 'orders-mcp' }, { name: 'FailureClass', value: 'TIMEOUT' }]));
    expect(Object.keys(metric)).not.toContain('failureClass');
  });

  test('options override the defaults', () => {
    expect(resolve(canary.metricProbeSuccess({ period: Duration.minutes(5), statistic: 'Minimum' }))).toEqual(expect.objectContaining({
      statistic: 'Minimum', period: Duration.minutes(5),
    }));
  });
});

describe('McpCanary validation', () => {
  const invalid = (props: Partial<McpCanaryProps>, message: RegExp) => expect(() => stackWith(props)).toThrow(message);

  test('rejects a URL as service name', () => invalid({ serviceName: 'https://mcp.example.com/mcp' }, /serviceName is "https:\/\/mcp.example.com\/mcp", which is a URL.*\[cdk-mcp:serviceNameIsUrl\]/));
  test('rejects an empty or too long service name', () => {
    invalid({ serviceName: '' }, /serviceName is "": use 1 to 255 letters.*\[cdk-mcp:serviceNameCharacters\]/);
    invalid({ serviceName: 'x'.repeat(256) }, /1 to 255/);
    invalid({ serviceName: 'orders/mcp' }, /serviceName is "orders\/mcp"/);
  });
  test('rejects an invalid URL', () => {
    invalid({ url: 'mcp.example.com/mcp' }, /url is "mcp.example.com\/mcp", which is not an absolute URL.*\[cdk-mcp:urlFormat\]/);
    invalid({ url: 'ftp://mcp.example.com/mcp' }, /scheme must be https/);
    invalid({ url: 'https://user:pw@mcp.example.com/mcp' }, /carries credentials/);
  });
  test('rejects a deadline that cannot fit in a Lambda timeout', () => {
    invalid({ deadline: Duration.millis(500) }, /deadline must be between 1 second and 14 minutes 50 seconds \(got 500 millis\).*\[cdk-mcp:deadlineRange\]/);
    invalid({ deadline: Duration.minutes(15) }, /deadline must be between 1 second and 14 minutes 50 seconds \(got 15 minutes\)/);
  });
  test('rejects sentinel arguments that are not a JSON object, or without a tool', () => {
    invalid({ sentinelTool: 'get', sentinelToolArguments: '[1]' }, /tool arguments must be a JSON object/);
    invalid({ sentinelTool: 'get', sentinelToolArguments: '{bad' }, /sentinelToolArguments is not valid JSON.*\[cdk-mcp:toolArgumentsJson\]/);
    invalid({ sentinelToolArguments: '{}' }, /sentinelToolArguments is set but sentinelTool is not.*\[cdk-mcp:sentinelArgumentsWithoutTool\]/);
  });
  test('rejects an Authorization header and points to auth', () => {
    invalid({ headers: { authorization: 'Bearer abc' } }, /headers key is "authorization", which no prop may set: use the `auth` prop.*\[cdk-mcp:reservedHeader\]/);
  });
  test('rejects headers the probe sets and invalid header names or values', () => {
    invalid({ headers: { 'Mcp-Session-Id': 'x' } }, /the probe manages sessions/);
    invalid({ headers: { 'Bad Header': 'x' } }, /headers key is "Bad Header", which is not a header name: use an RFC 9110 token.*\[cdk-mcp:headerNameFormat\]/);
    invalid({ headers: { 'X-Ok': 'a\r\nb' } }, /line break/);
  });
  test('rejects an invalid tools hash and namespace', () => {
    invalid({ expectedToolsHash: 'not a hash' }, /expectedToolsHash is "not a hash", which is not a tools hash: use "sha256:" \(optional\) followed by 16 to 64 hex digits.*\[cdk-mcp:expectedToolsHashFormat\]/);
    invalid({ metricNamespace: 'AWS/Lambda' }, /not starting with "AWS\/".*\[cdk-mcp:metricNamespaceFormat\]/);
  });
  test('rejects VPC placement without a VPC', () => {
    expect(() => stackWith({}, (stack) => ({
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-12345678')],
    }))).toThrow(/vpcSubnets or securityGroups is set without vpc.*\[cdk-mcp:vpcPlacementWithoutVpc\]/);
  });
  test('rejects a configuration too large for a Lambda environment', () => {
    const expectedTools = Array.from({ length: 300 }, (_, i) => `tool_number_${i}`);
    invalid({ expectedTools }, /configuration \(its environment variables\) takes \d+ bytes .*Lambda allows 4096 bytes in all.* Shorten `headers`, `expectedTools`.*\[cdk-mcp:lambdaEnvironmentSize\]/);
  });
  test('reports every problem at once', () => {
    expect(() => stackWith({ serviceName: '', deadline: Duration.millis(1), headers: { Authorization: 'x' } }))
      .toThrow(/serviceName[\s\S]*deadline[\s\S]*Authorization/);
  });
  test('rejects an empty JSON field for the bearer secret', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => McpCanaryAuth.bearerTokenFromSecret(new secretsmanager.Secret(stack, 'T'), { jsonField: ' ' })).toThrow(/McpCanaryAuth.bearerTokenFromSecret: options.jsonField is an empty string.*\[cdk-mcp:jsonFieldEmpty\]/);
  });
  test('warns when a bearer token would travel over plain http', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    new McpCanary(stack, 'Canary', {
      url: 'http://10.0.0.5/mcp', serviceName: 'internal', auth: McpCanaryAuth.bearerTokenFromSecret(new secretsmanager.Secret(stack, 'T')),
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Canary', Match.stringLikeRegexp('cdk-mcp:canaryBearerOverPlainHttp'));
  });
});

describe('McpCanary cdk-nag', () => {
  test('a stack with a standalone canary passes the AwsSolutions checks', () => {
    const { stack } = stackWith({}, (s) => ({ auth: McpCanaryAuth.bearerTokenFromSecret(secretsmanager.Secret.fromSecretNameV2(s, 'T', 'mcp/token')) }));
    const report = new AwsSolutionsChecks(undefined).validateScope(stack);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });
});
