import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpCanary, McpCanaryAuth, McpWebFunctionAuth, McpWebFunctionCode, McpWebFunctionService, McpWebFunctionServiceProps } from '../../src';
import { enableBuiltinValidation, strictValidationApp } from '../support/builtin-validation';
import { alarmById, canaryEnvironment, onlyResource, warningsOf, WEB_FUNCTION_OPT_IN, withOptInAlarms } from '../support/kit';

const SERVER_DIR = path.join(__dirname, '..', 'fixtures', 'web-function-server');
const ENTRY = path.join(__dirname, '..', 'fixtures', 'entry-server', 'server.ts');

function synth(props: Partial<McpWebFunctionServiceProps> = {}, env?: { region?: string; account?: string }) {
  const stack = new Stack(new App(), 'Stack', env ? { env } : undefined);
  const service = new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), ...withOptInAlarms(props, WEB_FUNCTION_OPT_IN) });
  return { stack, service, template: Template.fromStack(stack) };
}

function revision(template: Template): Record<string, any> {
  return onlyResource(template, 'AWS::Lambda::WebFunctionRevision');
}

function endpoint(template: Template): Record<string, any> {
  return onlyResource(template, 'AWS::Lambda::WebFunctionEndpoint');
}

/** The statements of the IAM policy attached to the role whose logical id starts with `rolePrefix`. */
function policyStatements(template: Template, rolePrefix: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, any>)
    .filter((p) => p.Properties.Roles.some((r: any) => String(r.Ref).startsWith(rolePrefix)));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('McpWebFunctionService defaults', () => {
  test('Node.js 24 Web Function, 5 minute timeout, INFO system and application logs into its own log group', () => {
    const { template } = synth();
    const props = revision(template);
    expect(props.BuildConfig.RuntimeConfig).toEqual({ Runtime: 'nodejs24.x' });
    expect(props.ServiceConfig.TimeoutSeconds).toBe(300);
    expect(props.ServiceConfig.MaxConcurrencyPerEnvironment).toBeUndefined();
    // The start file (PORT and HOST from AWS_LAMBDA_HTTP_ENDPOINT) loads the server from index.js.
    expect(props.ServiceConfig.EnvironmentVariables).toEqual({ AWS_LAMBDA_NODEJS_ENTRYPOINT: 'cdk-mcp-start.js' });
    expect(props.ServiceConfig.TelemetryConfig.LoggingConfig).toEqual({
      ApplicationLogLevel: 'INFO',
      SystemLogLevel: 'INFO',
      LogGroup: { Ref: expect.stringMatching(/^McpLogGroup/) },
    });
    expect(props.Description).toBe('MCP server Stack/Mcp');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('an IAM, home-Region endpoint named prod with no caps; url is https + domain + /mcp', () => {
    const { stack, service, template } = synth();
    const props = endpoint(template);
    expect(props).toMatchObject({ AuthType: 'IamAuth', EndpointType: 'HomeRegion', EndpointName: 'prod' });
    expect(props.ScalingConfig).toBeUndefined();
    expect(props.ThrottleConfig).toBeUndefined();
    expect(service.auth).toBe(McpWebFunctionAuth.IAM);
    expect(stack.resolve(service.url)).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^McpWebFunctionEndpoint/), 'DomainName'] }, '/mcp']],
    });
  });

  test('the execution role may write to its log group only (no AWSLambdaBasicExecutionRole)', () => {
    const { template } = synth();
    const role = onlyResource(template, 'AWS::IAM::Role', 'McpServiceRole');
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
    expect(policyStatements(template, 'McpServiceRole')).toEqual([{
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^McpLogGroup/), 'Arn'] },
    }]);
  });

  test('the canary signs SigV4 as service lambda and may invoke this endpoint only', () => {
    const { template } = synth({}, { region: 'eu-west-1', account: '123456789012' });
    const env = canaryEnvironment(template);
    expect(env).toMatchObject({ MCP_CANARY_AUTH_MODE: 'sigv4', MCP_CANARY_SIGV4_SERVICE: 'lambda', MCP_CANARY_SIGV4_REGION: 'eu-west-1' });
    const invoke = policyStatements(template, 'McpMonitoringCanary').filter((s) => String(s.Action).includes('InvokeWebFunctionEndpoint'));
    expect(invoke).toEqual([{
      Action: 'lambda:InvokeWebFunctionEndpoint',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^McpWebFunctionEndpoint/), 'EndpointArn'] },
    }]);
  });

  test('the 5xx alarm reads AWS/Lambda/Web HTTPResponseStatusClass5XX by FunctionName and EndpointName, sparse-safe', () => {
    const { service, template } = synth();
    const alarm = alarmById(template, 'McpAlarmsHttp5xx');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda/Web',
      MetricName: 'HTTPResponseStatusClass5XX',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Dimensions).toEqual(expect.arrayContaining([
      { Name: 'FunctionName', Value: service.webFunction.webFunctionName },
      { Name: 'EndpointName', Value: 'prod' },
    ]));
    expect(alarm.AlarmDescription).toMatch(/5xx.*First check/);
  });

  test('log alarms on the system log schema join the health alarm, with the credential alarm on the same log group', () => {
    const { service, template } = synth();
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.type = "platform.initReport" && $.record.status != "success" }',
      LogGroupName: { Ref: Match.stringLikeRegexp('^McpLogGroup') },
    });
    for (const id of ['McpAlarmsInitFailures', 'McpAlarmsRequestTimeouts', 'McpAlarmsOutOfMemory', 'McpAlarmsFileDescriptorExhaustion', 'McpMonitoringCredentialErrors']) {
      expect(alarmById(template, id).TreatMissingData).toBe('notBreaching');
    }
    const platform = service.platformAlarms.alarms;
    expect(platform).toHaveLength(5);
    for (const alarm of platform) expect(service.alarms).toContain(alarm);
    const rule = JSON.stringify(onlyResource(template, 'AWS::CloudWatch::CompositeAlarm').AlarmRule);
    expect(rule).toContain('McpAlarmsInitFailures');
    expect(rule).toContain('McpAlarmsHttp5xx');
    expect(service.canary).toBeDefined();
    expect(service.healthAlarm).toBeDefined();
    expect(service.alarmTopic).toBeDefined();
  });

  test('no library warning for the default IAM endpoint', () => {
    const { stack } = synth();
    expect(warningsOf(stack, true)).toEqual([]);
  });
});

describe('McpWebFunctionService props', () => {
  test('timeout, concurrency, environments, rate limit, description, name and log level reach the template', () => {
    const { template } = synth({
      timeout: Duration.minutes(15),
      maxConcurrencyPerEnvironment: 16,
      maxEnvironments: 10,
      rateLimit: 2000,
      description: 'orders',
      webFunctionName: 'orders-mcp',
      applicationLogLevel: lambda.ApplicationLogLevel.WARN,
      logRetention: logs.RetentionDays.ONE_WEEK,
    });
    const rev = revision(template);
    expect(rev.ServiceConfig).toMatchObject({ TimeoutSeconds: 900, MaxConcurrencyPerEnvironment: 16 });
    expect(rev.ServiceConfig.TelemetryConfig.LoggingConfig.ApplicationLogLevel).toBe('WARN');
    expect(rev.Description).toBe('orders');
    expect(endpoint(template)).toMatchObject({ ScalingConfig: { MaxEnvironments: 10 }, ThrottleConfig: { RateLimit: 2000 } });
    template.hasResourceProperties('AWS::Lambda::WebFunction', { FunctionName: 'orders-mcp' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('rateLimit 0 (the kill switch) is accepted', () => {
    expect(endpoint(synth({ rateLimit: 0 }).template).ThrottleConfig).toEqual({ RateLimit: 0 });
  });

  test('secrets become <NAME>_SECRET_ARN with read access for the execution role; environment passes through', () => {
    const stack = new Stack(new App(), 'Stack');
    const secret = new secretsmanager.Secret(stack, 'Token');
    new McpWebFunctionService(stack, 'Mcp', {
      code: McpWebFunctionCode.fromDirectory(SERVER_DIR),
      environment: { LOG_LEVEL: 'info' },
      secretArns: { API: secret },
    });
    const template = Template.fromStack(stack);
    expect(revision(template).ServiceConfig.EnvironmentVariables).toEqual({
      LOG_LEVEL: 'info',
      API_SECRET_ARN: { Ref: expect.stringMatching(/^Token/) },
      AWS_LAMBDA_NODEJS_ENTRYPOINT: 'cdk-mcp-start.js',
    });
    const statements = policyStatements(template, 'McpServiceRole');
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: { Ref: expect.stringMatching(/^Token/) },
    }));
  });

  test('logEncryptionKey encrypts the log group and lets CloudWatch Logs use the key; environmentEncryptionKey goes to the revision', () => {
    const stack = new Stack(new App(), 'Stack', { env: { region: 'us-east-1', account: '123456789012' } });
    const logKey = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
    const envKey = new kms.Key(stack, 'EnvKey', { enableKeyRotation: true });
    new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), logEncryptionKey: logKey, environmentEncryptionKey: envKey });
    const template = Template.fromStack(stack);
    const logGroup = Object.values(template.findResources('AWS::Logs::LogGroup') as Record<string, any>).find((g) => g.Properties.KmsKeyId);
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LogKey/), 'Arn'] });
    const keyPolicy = onlyResource(template, 'AWS::KMS::Key', 'LogKey').KeyPolicy.Statement;
    const logsStatement = keyPolicy.find((st: any) => st.Principal.Service === 'logs.us-east-1.amazonaws.com');
    expect(logsStatement.Action).toEqual(['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*']);
    expect(JSON.stringify(logsStatement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toContain(':logs:us-east-1:123456789012:log-group:*');
    expect(revision(template).KmsKeyArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EnvKey/), 'Arn'] });
  });

  test('a per-Region endpoint keeps SigV4 in the canary; the endpoint name follows the location', () => {
    const { template } = synth({ endpointLocation: lambda.WebFunctionEndpointLocation.perRegion(['us-west-2']) }, { region: 'us-east-1', account: '123456789012' });
    expect(endpoint(template)).toMatchObject({ EndpointType: 'PerRegion', Regions: ['us-west-2'], EndpointName: expect.stringMatching(/^prod-/) });
    expect(canaryEnvironment(template).MCP_CANARY_AUTH_MODE).toBe('sigv4');
  });

  test('a multi-Region IAM endpoint works with an explicit canaryAuth', () => {
    const { template } = synth({
      endpointLocation: lambda.WebFunctionEndpointLocation.multiRegion(['eu-west-1']),
      canaryAuth: McpCanaryAuth.none(),
    }, { region: 'us-east-1', account: '123456789012' });
    expect(endpoint(template).EndpointType).toBe('MultiRegion');
  });

  test('egressNetworkConnector pins the connector version on the revision', () => {
    const stack = new Stack(new App(), 'Stack');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const connector = new lambda.NetworkConnector(stack, 'Egress', {
      configuration: lambda.NetworkConnectorConfiguration.vpcEgress({
        computeType: lambda.NetworkConnectorComputeType.WEB_FUNCTION,
        vpc,
        securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
      }),
    });
    new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), egressNetworkConnector: connector });
    expect(revision(Template.fromStack(stack)).ServiceConfig.EgressNetworkConnectorArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Egress/), 'LatestVersionArn'] });
  });

  test('the runtime starts the start file, which loads fromDirectory\'s entryPoint, or the index.js fromEntry bundles', () => {
    const dir = synth({ code: McpWebFunctionCode.fromDirectory(path.dirname(SERVER_DIR), { entryPoint: 'web-function-server/index.js' }) });
    expect(revision(dir.template).ServiceConfig.EnvironmentVariables).toEqual({
      AWS_LAMBDA_NODEJS_ENTRYPOINT: 'cdk-mcp-start.js',
      CDK_MCP_SERVER_ENTRY: 'web-function-server/index.js',
    });
    const entry = synth({ code: McpWebFunctionCode.fromEntry(ENTRY) });
    expect(revision(entry.template).ServiceConfig.EnvironmentVariables).toEqual({ AWS_LAMBDA_NODEJS_ENTRYPOINT: 'cdk-mcp-start.js' });
    entry.template.resourceCountIs('Custom::S3ObjectCopy', 1);
  });

  test('mcpPath and serviceName', () => {
    const { stack, service, template } = synth({ mcpPath: '/v1/mcp', serviceName: 'orders-mcp' });
    expect(JSON.stringify(stack.resolve(service.url))).toContain('/v1/mcp');
    expect(canaryEnvironment(template).MCP_CANARY_SERVICE_NAME).toBe('orders-mcp');
  });

  test('alarm thresholds pass through and alarms can be disabled', () => {
    const { template, service } = synth({
      http5xxAlarm: { maxCount: 5, evaluationPeriods: 3, datapointsToAlarm: 2 },
      fileDescriptorsAlarm: { enabled: false },
    });
    expect(alarmById(template, 'McpAlarmsHttp5xx')).toMatchObject({ Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    expect(service.platformAlarms.fileDescriptorsAlarm).toBeUndefined();
    expect(template.findResources('AWS::Logs::MetricFilter', { Properties: { FilterPattern: '"EMFILE"' } })).toEqual({});
  });

  test('the dashboard gets the endpoint 5xx widget', () => {
    const { template } = synth({ dashboard: true });
    expect(JSON.stringify(onlyResource(template, 'AWS::CloudWatch::Dashboard').DashboardBody)).toContain('HTTPResponseStatusClass5XX');
  });

  test('grantInvoke gives lambda:InvokeWebFunctionEndpoint on the endpoint ARN only', () => {
    const stack = new Stack(new App(), 'Stack');
    const service = new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR) });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    service.grantInvoke(caller);
    expect(policyStatements(Template.fromStack(stack), 'Caller')).toEqual([{
      Action: 'lambda:InvokeWebFunctionEndpoint',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^McpWebFunctionEndpoint/), 'EndpointArn'] },
    }]);
  });
});

describe('McpWebFunctionService application-managed endpoint', () => {
  test('raises cdk-mcp:unauthenticatedWebFunctionEndpoint (and not the L2 duplicate); the canary sends no signature', () => {
    const { stack, template } = synth({ auth: McpWebFunctionAuth.APPLICATION_MANAGED });
    expect(endpoint(template).AuthType).toBe('ApplicationManaged');
    const warnings = warningsOf(stack);
    expect(warnings.filter((w) => w.includes('cdk-mcp:unauthenticatedWebFunctionEndpoint'))).toHaveLength(1);
    expect(warnings.join('\n')).not.toMatch(/webFunctionPublicEndpoint/);
    expect(canaryEnvironment(template).MCP_CANARY_AUTH_MODE).toBe('none');
  });

  test('the warning is acknowledgeable', () => {
    const stack = new Stack(new App(), 'Stack');
    const service = new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), auth: McpWebFunctionAuth.APPLICATION_MANAGED });
    const { Annotations: CoreAnnotations } = jest.requireActual('aws-cdk-lib');
    CoreAnnotations.of(service).acknowledgeWarning('cdk-mcp:unauthenticatedWebFunctionEndpoint', 'public on purpose');
    expect(warningsOf(stack, true)).toEqual([]);
  });

  test('secret-looking environment names warn', () => {
    const { stack } = synth({ environment: { API_TOKEN: 'x' } });
    expect(warningsOf(stack, true).join('\n')).toMatch(/cdk-mcp:secretInEnvironment/);
  });
});

describe('McpWebFunctionService validation', () => {
  function errorOf(props: Partial<McpWebFunctionServiceProps>, env?: { region?: string; account?: string }): string {
    try {
      synth(props, env);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected synth to fail');
  }

  test('collects every problem with prop, value and fix in one error', () => {
    const message = errorOf({
      timeout: Duration.seconds(1),
      maxConcurrencyPerEnvironment: 129,
      maxEnvironments: 1,
      rateLimit: 150,
      mcpPath: 'mcp',
      environment: { 'AWS_LAMBDA_NODEJS_ENTRYPOINT': 'x.js', 'BAD-NAME': 'x' },
    });
    expect(message).toMatch(/^McpWebFunctionService 'Stack\/Mcp' has 7 problems:/);
    expect(message).toContain('timeout must be a whole number of seconds from 3 to 900 (got 1 second). [cdk-mcp:timeoutRange]');
    expect(message).toContain('maxConcurrencyPerEnvironment must be a whole number between 1 and 128 (got 129). [cdk-mcp:maxConcurrencyPerEnvironmentRange]');
    expect(message).toContain('maxEnvironments must be a whole number between 2 and 10000 (got 1)');
    expect(message).toContain('rateLimit must be 0, 100 to 1000 in steps of 100, or 2000 to 10000 in steps of 1000 (got 150)');
    expect(message).toContain('mcpPath must be a URL path');
    expect(message).toContain('environment must not set AWS_LAMBDA_NODEJS_ENTRYPOINT: names starting with AWS_LAMBDA_ are reserved');
    expect(message).toContain('environment key "BAD-NAME" is not a valid environment variable name: use letters, digits and underscores, not starting with a digit. [cdk-mcp:environmentNameFormat]');
  });

  test('rateLimit between the 1000 steps, fractional timeouts and too much environment', () => {
    expect(errorOf({ rateLimit: 1500 })).toMatch(/rateLimit .* \(got 1500\)\. Use the nearest of those, e\.g\. 1000/);
    expect(errorOf({ timeout: Duration.millis(3500) })).toMatch(/timeout must be a whole number of seconds/);
    expect(errorOf({ environment: { BIG: 'x'.repeat(5000) } })).toMatch(/environment takes 5003 bytes \(names plus values\); Lambda allows 4096 bytes.*\[cdk-mcp:lambdaEnvironmentSize\]/);
  });

  test('secretArns keys must be variable names and must not collide with environment', () => {
    const stack = new Stack(new App(), 'Stack');
    const secret = new secretsmanager.Secret(stack, 'S');
    expect(() => new McpWebFunctionService(stack, 'Mcp', {
      code: McpWebFunctionCode.fromDirectory(SERVER_DIR),
      secretArns: { 'bad-key': secret, 'API': secret },
      environment: { API_SECRET_ARN: 'x' },
    })).toThrow(/secretArns key "bad-key" is not a valid environment variable name[\s\S]*environment sets API_SECRET_ARN/);
  });

  test('a network connector needs a home-Region endpoint', () => {
    const connector = lambda.NetworkConnector.fromNetworkConnectorVersionArn(new Stack(), 'C', 'arn:aws:lambda:us-east-1:123456789012:network-connector/c:1');
    expect(errorOf({ egressNetworkConnector: connector, endpointLocation: lambda.WebFunctionEndpointLocation.perRegion(['us-west-2']) }, { region: 'us-east-1', account: '123456789012' }))
      .toMatch(/egressNetworkConnector needs a home-Region endpoint \(got endpointLocation PerRegion\)/);
  });

  test('a multi-Region IAM endpoint synthesizes with the default canary, which signs SigV4a for the Region set *', () => {
    const { template } = synth({ endpointLocation: lambda.WebFunctionEndpointLocation.multiRegion(['eu-west-1']) }, { region: 'us-east-1', account: '123456789012' });
    expect(endpoint(template)).toMatchObject({ EndpointType: 'MultiRegion', AuthType: 'IamAuth' });
    const env = canaryEnvironment(template);
    expect(env).toMatchObject({ MCP_CANARY_AUTH_MODE: 'sigv4a', MCP_CANARY_SIGV4A_REGION_SET: '*', MCP_CANARY_SIGV4_SERVICE: 'lambda' });
    expect(env.MCP_CANARY_SIGV4_REGION).toBeUndefined();
    expect(() => synth({ endpointLocation: lambda.WebFunctionEndpointLocation.multiRegion(['eu-west-1']), canary: false }, { region: 'us-east-1', account: '123456789012' })).not.toThrow();
  });

  test('the multi-Region canary may invoke this endpoint only (lambda:InvokeWebFunctionEndpoint, as for the home Region)', () => {
    const { template } = synth({ endpointLocation: lambda.WebFunctionEndpointLocation.multiRegion(['eu-west-1']) }, { region: 'us-east-1', account: '123456789012' });
    const invoke = policyStatements(template, 'McpMonitoringCanary').filter((s) => String(s.Action).includes('InvokeWebFunctionEndpoint'));
    expect(invoke).toEqual([{
      Action: 'lambda:InvokeWebFunctionEndpoint',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^McpWebFunctionEndpoint/), 'EndpointArn'] },
    }]);
  });

  test('code problems name the fix', () => {
    expect(() => McpWebFunctionCode.fromDirectory('/nonexistent').bind()).toThrow(/is not a directory/);
    expect(() => McpWebFunctionCode.fromDirectory(path.dirname(SERVER_DIR)).bind()).toThrow(/no index\.js .* loads the server from index\.js unless entryPoint/);
    expect(() => McpWebFunctionCode.fromEntry('/nonexistent.ts').bind()).toThrow(/not an existing JavaScript or TypeScript file/);
  });
});

/** An imported Web Function endpoint of the given type and auth (in us-east-1). */
function importedEndpoint(
  stack: Stack, id: string, endpointType: lambda.WebFunctionEndpointType, authType: lambda.WebFunctionAuthType,
): lambda.IWebFunctionEndpoint {
  return lambda.WebFunctionEndpoint.fromWebFunctionEndpointAttributes(stack, id, {
    endpointArn: 'arn:aws:lambda:us-east-1:123456789012:web-function/f/endpoint/prod', domainName: 'a.b.lambda-web.us-east-1.on.aws', endpointType, authType,
  });
}

describe('McpCanaryAuth.sigV4ForWebFunction', () => {
  test('refuses an application-managed and a multi-Region endpoint', () => {
    const stack = new Stack();
    const open = importedEndpoint(stack, 'Open', lambda.WebFunctionEndpointType.HOME_REGION, lambda.WebFunctionAuthType.APPLICATION_MANAGED);
    const global = importedEndpoint(stack, 'Global', lambda.WebFunctionEndpointType.MULTI_REGION, lambda.WebFunctionAuthType.IAM_AUTH);
    expect(() => McpCanaryAuth.sigV4ForWebFunction(open)).toThrow(/auth type ApplicationManaged; Lambda checks no signature/);
    expect(() => McpCanaryAuth.sigV4ForWebFunction(global)).toThrow(/MultiRegion, whose requests are signed with SigV4a .* Use McpCanaryAuth.sigV4aForWebFunction\(endpoint\)/);
  });

  test('signs for a per-Region replica given in options.region, and refuses another Region for a home-Region endpoint', () => {
    const stack = new Stack(new App(), 'Stack', { env: { region: 'us-east-1', account: '123456789012' } });
    const perRegion = importedEndpoint(stack, 'PerRegion', lambda.WebFunctionEndpointType.PER_REGION, lambda.WebFunctionAuthType.IAM_AUTH);
    const home = importedEndpoint(stack, 'Home', lambda.WebFunctionEndpointType.HOME_REGION, lambda.WebFunctionAuthType.IAM_AUTH);
    new McpCanary(stack, 'West', { url: 'https://c.d.lambda-web.us-west-2.on.aws/mcp', serviceName: 'mcp-us-west-2', auth: McpCanaryAuth.sigV4ForWebFunction(perRegion, { region: 'us-west-2' }) });
    expect(canaryEnvironment(Template.fromStack(stack))).toMatchObject({ MCP_CANARY_AUTH_MODE: 'sigv4', MCP_CANARY_SIGV4_REGION: 'us-west-2', MCP_CANARY_SIGV4_SERVICE: 'lambda' });
    expect(() => McpCanaryAuth.sigV4ForWebFunction(home, { region: 'us-west-2' }))
      .toThrow(/options.region is "us-west-2", but endpoint Stack\/Home is HomeRegion and serves from us-east-1 only. Omit options.region/);
    expect(() => McpCanaryAuth.sigV4ForWebFunction(perRegion, { region: 'west' })).toThrow(/options.region is "west", which is not a Region name/);
  });
});

describe('McpCanaryAuth.sigV4aForWebFunction', () => {
  test('writes the SigV4a mode, the Region set * and service lambda, and grants invoking this endpoint only', () => {
    const stack = new Stack(new App(), 'Stack', { env: { region: 'us-east-1', account: '123456789012' } });
    const global = lambda.WebFunctionEndpoint.fromWebFunctionEndpointAttributes(stack, 'Global', {
      endpointArn: 'arn:aws:lambda:us-east-1:123456789012:web-function/f/endpoint/prod-abc',
      domainName: 'abc.lambda-web.global.on.aws',
      endpointType: lambda.WebFunctionEndpointType.MULTI_REGION,
      authType: lambda.WebFunctionAuthType.IAM_AUTH,
    });
    new McpCanary(stack, 'Canary', { url: 'https://abc.lambda-web.global.on.aws/mcp', serviceName: 'global-mcp', auth: McpCanaryAuth.sigV4aForWebFunction(global) });
    const template = Template.fromStack(stack);
    expect(canaryEnvironment(template)).toMatchObject({ MCP_CANARY_AUTH_MODE: 'sigv4a', MCP_CANARY_SIGV4A_REGION_SET: '*', MCP_CANARY_SIGV4_SERVICE: 'lambda' });
    const invoke = policyStatements(template, 'CanaryServiceRole').filter((s) => String(s.Action).includes('InvokeWebFunctionEndpoint'));
    expect(invoke).toEqual([{ Action: 'lambda:InvokeWebFunctionEndpoint', Effect: 'Allow', Resource: 'arn:aws:lambda:us-east-1:123456789012:web-function/f/endpoint/prod-abc' }]);
  });

  test('refuses an application-managed and a Regional endpoint, naming the factory to use', () => {
    const stack = new Stack();
    const open = importedEndpoint(stack, 'Open', lambda.WebFunctionEndpointType.MULTI_REGION, lambda.WebFunctionAuthType.APPLICATION_MANAGED);
    const home = importedEndpoint(stack, 'Home', lambda.WebFunctionEndpointType.HOME_REGION, lambda.WebFunctionAuthType.IAM_AUTH);
    expect(() => McpCanaryAuth.sigV4aForWebFunction(open)).toThrow(/auth type ApplicationManaged; Lambda checks no signature/);
    expect(() => McpCanaryAuth.sigV4aForWebFunction(home)).toThrow(/is HomeRegion, whose Regional domains take SigV4. Use McpCanaryAuth.sigV4ForWebFunction\(endpoint\)/);
  });
});

describe('aws-cdk-lib built-in CloudFormation validation, default rules as errors', () => {
  enableBuiltinValidation();

  test('IAM and application-managed services synthesize clean', () => {
    const app = strictValidationApp();
    const stack = new Stack(app, 'Strict');
    new McpWebFunctionService(stack, 'Iam', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), maxEnvironments: 4, rateLimit: 100 });
    new McpWebFunctionService(stack, 'Public', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), auth: McpWebFunctionAuth.APPLICATION_MANAGED, dashboard: true });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('McpWebFunctionService replica Regions and imported keys', () => {
  test('a per-Region endpoint lets the role write <log group>.local in every Region', () => {
    const { template } = synth({ endpointLocation: lambda.WebFunctionEndpointLocation.perRegion(['us-west-2']) }, { region: 'us-east-1', account: '123456789012' });
    const local = policyStatements(template, 'McpServiceRole').find((s) => String(s.Action).includes('CreateLogGroup'));
    expect(local.Action).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(JSON.stringify(local.Resource)).toMatch(/:logs:\*:123456789012:log-group:.*\.local:\*/);
    const home = policyStatements(synth().template, 'McpServiceRole');
    expect(home.some((s) => String(s.Action).includes('CreateLogGroup'))).toBe(false);
  });

  test('an imported logEncryptionKey warns that its policy must be changed by hand', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), logEncryptionKey: key });
    expect(warningsOf(stack, true).join('\n')).toMatch(/cdk-mcp:logKeyPolicyNotModified/);
  });
});
