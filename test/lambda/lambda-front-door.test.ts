import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  McpCanaryAuth,
  McpFunctionUrlAuth,
  McpLambdaService,
  McpLambdaServiceProps,
  McpServerCode,
  McpServiceBase,
  McpWebAcl,
  McpWebAclScope,
} from '../../src';
import { McpServiceMonitoringProps } from '../../src/monitoring/service-monitoring';

const SERVER_DIR = path.join(__dirname, '..', 'fixtures', 'lambda-server');
const ENV = { region: 'eu-west-1', account: '111111111111' };
const DOMAIN = 'mcp.example.com';

type PropsOf = (stack: Stack) => Partial<McpLambdaServiceProps>;

function synth(props: PropsOf = () => ({}), env: { region?: string; account?: string } | undefined = ENV) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const stack = new Stack(app, 'Stack', { env });
  const service = new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), ...props(stack) });
  return { app, stack, service, template: Template.fromStack(stack) };
}

const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
const withDomain: PropsOf = (stack) => ({ domainName: DOMAIN, domainZone: zone(stack) });
const withWebAcl: PropsOf = (stack) => ({ webAcl: new McpWebAcl(stack, 'WebAcl') });

/** The canary function's environment (the function whose description names the canary). */
function canaryEnvironment(template: Template): { [name: string]: unknown } {
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
  const canary = functions.find((f) => f.Properties.Environment?.Variables?.MCP_CANARY_URL !== undefined);
  expect(canary).toBeDefined();
  return canary.Properties.Environment.Variables;
}

/** The props `McpLambdaService` passes to its monitoring. */
function monitoringProps(props: PropsOf): McpServiceMonitoringProps {
  const spy = jest.spyOn(McpServiceBase.prototype as any, 'attachMonitoring');
  try {
    synth(props);
    return spy.mock.calls[0][0] as McpServiceMonitoringProps;
  } finally {
    spy.mockRestore();
  }
}

describe('without domainName or webAcl', () => {
  test('builds no API Gateway: the Function URL is the URL', () => {
    // GIVEN no front door props / WHEN synthesized / THEN no REST API, and url is the Function URL's
    const { template, service } = synth();
    template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    expect(service.restApi).toBeUndefined();
    expect(service.url).toBe(service.functionUrlEndpoint);
  });
});

describe('with canaryUrl (a front door of the user\'s own)', () => {
  test('the canary probes canaryUrl unsigned, and the Function URL with SigV4 as the origin', () => {
    const props = monitoringProps(() => ({ canaryUrl: 'https://mcp.example.org/mcp' }));
    expect(props.url).toBe('https://mcp.example.org/mcp');
    expect(props.canaryAuth).toBeUndefined();
    expect(props.originUrl).toMatch(/mcp$/);
    expect(props.originAuth).toBeInstanceOf(McpCanaryAuth);
  });

  test('without canaryUrl the canary signs its probes of the Function URL, and probes no origin', () => {
    const props = monitoringProps(() => ({}));
    expect(props.canaryAuth).toBeInstanceOf(McpCanaryAuth);
    expect(props.originUrl).toBeUndefined();
  });
});

describe('with domainName and domainZone', () => {
  test('builds a REGIONAL REST API with the execute-api endpoint closed', () => {
    const { template } = synth(withDomain);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      DisableExecuteApiEndpoint: true,
    });
  });

  test('routes ANY / and ANY /{proxy+} to the live alias through a streaming Lambda proxy integration', () => {
    const { template, stack, service } = synth(withDomain);
    const methods = template.findResources('AWS::ApiGateway::Method');
    expect(Object.keys(methods)).toHaveLength(2);
    const aliasRef = stack.resolve((service.alias.node.defaultChild as any).ref);
    for (const method of Object.values(methods) as any[]) {
      expect(method.Properties).toMatchObject({
        HttpMethod: 'ANY',
        AuthorizationType: 'NONE',
        Integration: { Type: 'AWS_PROXY', ResponseTransferMode: 'STREAM', TimeoutInMillis: 300_000 },
      });
      const uri = JSON.stringify(method.Properties.Integration.Uri);
      expect(uri).toContain('/response-streaming-invocations');
      expect(uri).toContain(JSON.stringify(aliasRef));
    }
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
  });

  test('lets API Gateway invoke the alias, with one permission for the API', () => {
    const { template, stack, service } = synth(withDomain);
    const permissions = template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } });
    expect(Object.values(permissions)).toHaveLength(1);
    expect((Object.values(permissions)[0] as any).Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      FunctionName: stack.resolve((service.alias.node.defaultChild as any).ref),
      SourceAccount: '111111111111',
      SourceArn: expect.objectContaining({ 'Fn::Join': expect.anything() }),
    });
  });

  test('traces the stage with X-Ray only when the function is traced', () => {
    const off = synth(withDomain).template;
    off.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false });
    const on = synth((stack) => ({ ...withDomain(stack), tracing: lambda.Tracing.ACTIVE })).template;
    on.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  test('maps the domain at the root with a DNS-validated regional certificate and an A alias record', () => {
    const { template, service } = synth(withDomain);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: DOMAIN,
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: DOMAIN, HostedZoneId: 'Z0123456789' }],
    });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: DOMAIN,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
      RegionalCertificateArn: Match.anyValue(),
    });
    const mappings = Object.values(template.findResources('AWS::ApiGateway::BasePathMapping')) as any[];
    expect(mappings).toHaveLength(1);
    expect(mappings[0].Properties.BasePath).toBeUndefined();
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${DOMAIN}.`,
      Type: 'A',
      HostedZoneId: 'Z0123456789',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.anyValue(), 'RegionalDomainName'] } },
    });
    expect(service.certificate).toBeDefined();
  });

  test('writes no output of the closed execute-api URL: the service\'s own URL output names the domain', () => {
    const { template } = synth(withDomain);
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).filter((id) => /RestApi/.test(id))).toEqual([]);
    expect(JSON.stringify(outputs)).toContain('https://mcp.example.com/mcp');
  });

  test('url is https://<domainName>/<mcpPath>', () => {
    const { service } = synth((stack) => ({ ...withDomain(stack), mcpPath: '/v1/mcp' }));
    expect(service.url).toBe('https://mcp.example.com/v1/mcp');
  });

  test('takes a given certificate and creates none', () => {
    const arn = 'arn:aws:acm:eu-west-1:111111111111:certificate/abc';
    const { template } = synth((stack) => ({ domainName: DOMAIN, certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', arn) }));
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { RegionalCertificateArn: arn });
  });

  test('logs access to a log group with the service\'s retention and key, and errors only from execution', () => {
    const { template } = synth((stack) => ({
      ...withDomain(stack),
      logRetention: 90,
      logEncryptionKey: new kms.Key(stack, 'Key'),
    }));
    const groups = template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 90, KmsKeyId: Match.anyValue() } });
    const accessGroup = Object.keys(groups).find((id) => id.includes('ApiAccessLogs'));
    expect(accessGroup).toBeDefined();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'live',
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [accessGroup, 'Arn'] }, Format: Match.stringLikeRegexp('\\$context.requestId') },
      MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR', DataTraceEnabled: false, ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 500 })],
    });
  });

  test('keeps the Function URL, IAM-authenticated, and the Web Adapter streaming', () => {
    const { template } = synth(withDomain);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AWS_LWA_INVOKE_MODE: 'response_stream' }) },
    });
  });

  test('the canary probes the domain without signing, and the Function URL with SigV4 as the origin', () => {
    const { template } = synth(withDomain);
    const env = canaryEnvironment(template);
    expect(env.MCP_CANARY_URL).toBe('https://mcp.example.com/mcp');
    expect(env.MCP_CANARY_SIGV4_SERVICE).toBeUndefined();
    const props = monitoringProps(withDomain);
    expect(props.url).toBe('https://mcp.example.com/mcp');
    expect(props.originUrl).toMatch(/mcp$/);
    expect(props.originUrl).not.toContain(DOMAIN);
    expect(props.originAuth).toBeInstanceOf(McpCanaryAuth);
  });

  test('canaryProbesOrigin: false probes the front door only', () => {
    const props = monitoringProps((stack) => ({ ...withDomain(stack), canaryProbesOrigin: false }));
    expect(props.originUrl).toBeUndefined();
  });

  test('the deploy gate waits for the stage, the domain, its record and the web ACL association', () => {
    const props = monitoringProps((stack) => ({ ...withDomain(stack), ...withWebAcl(stack) }));
    const ids = (props.deployGateDependencies ?? []).map((d: any) => d.node.id);
    expect(ids).toEqual(expect.arrayContaining(['DeploymentStage.live', 'CustomDomain', 'AliasRecord', expect.stringMatching(/^Association/)]));
  });

  test('alarms on the stage\'s 5xx responses and graphs its requests', () => {
    const { template, service } = synth((stack) => ({ ...withDomain(stack), dashboard: true }));
    expect(service.platformAlarms.apiGateway5xxAlarm).toBeDefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Statistic: 'Sum',
      Threshold: 0,
      Dimensions: Match.arrayWith([Match.objectLike({ Name: 'Stage', Value: Match.anyValue() })]),
    });
    const dashboards = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toContain('API Gateway requests, 4xx, 5xx');
  });

  test('apiGateway5xxAlarm: { enabled: false } drops the alarm', () => {
    const { service, template } = synth((stack) => ({ ...withDomain(stack), apiGateway5xxAlarm: { enabled: false } }));
    expect(service.platformAlarms.apiGateway5xxAlarm).toBeUndefined();
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('5XXError');
  });

  test('a function timeout of 15 minutes is the integration timeout (the most streaming allows)', () => {
    const { template } = synth((stack) => ({ ...withDomain(stack), timeout: Duration.minutes(15) }));
    template.hasResourceProperties('AWS::ApiGateway::Method', { Integration: Match.objectLike({ TimeoutInMillis: 900_000 }) });
  });
});

describe('with webAcl only', () => {
  test('associates the web ACL with the stage, after the stage exists', () => {
    const { template } = synth(withWebAcl);
    const associations = template.findResources('AWS::WAFv2::WebACLAssociation');
    expect(Object.values(associations)).toHaveLength(1);
    const association = Object.values(associations)[0] as any;
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain('/stages/');
    const stageId = Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0];
    expect(association.DependsOn).toContain(stageId);
  });

  test('keeps the execute-api endpoint open, and url is the stage URL plus mcpPath', () => {
    const { template, service, stack } = synth(withWebAcl);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: false });
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    const url = JSON.stringify(stack.resolve(service.url));
    expect(url).toMatch(/"https:\/\/",\{"Ref":"McpRestApi\w+"\},"\.execute-api\.eu-west-1\./);
    expect(url).toMatch(/\{"Ref":"McpRestApiDeploymentStagelive\w+"\},"\/mcp"\]/);
  });
});

describe('in a VPC (buffered responses)', () => {
  const inVpc: PropsOf = (stack) => ({ ...withWebAcl(stack), vpc: new ec2.Vpc(stack, 'Vpc') });

  test('the integration buffers, with API Gateway\'s default timeout', () => {
    const { template } = synth(inVpc);
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as any[];
    for (const method of methods) {
      expect(method.Properties.Integration.ResponseTransferMode ?? 'BUFFERED').toBe('BUFFERED');
      expect(method.Properties.Integration.TimeoutInMillis).toBeUndefined();
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain('/invocations');
    }
  });

  test('warns cdk-mcp:bufferedFrontDoorTimeout when the function may run longer than 29 seconds', () => {
    const { stack } = synth(inVpc);
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('bufferedFrontDoorTimeout'));
    const short = synth((s) => ({ ...inVpc(s), timeout: Duration.seconds(29) }));
    expect(Annotations.fromStack(short.stack).findWarning('*', Match.stringLikeRegexp('bufferedFrontDoorTimeout'))).toHaveLength(0);
  });
});

describe('front door validation', () => {
  test.each<[string, PropsOf, RegExp]>([
    ['cdk-mcp:publicOriginBehindFrontDoor', (s) => ({ ...withDomain(s), auth: McpFunctionUrlAuth.NONE }), /auth is NONE with a front door.*Remove auth/],
    ['cdk-mcp:corsBehindFrontDoor', (s) => ({ ...withWebAcl(s), corsAllowedOrigins: ['https://app.example.com'] }), /corsAllowedOrigins is set \(got \["https:\/\/app.example.com"\]\).*server answer CORS itself/],
    ['cdk-mcp:domainNameWithoutZoneOrCertificate', () => ({ domainName: DOMAIN }), /domainName mcp.example.com needs domainZone .* or certificate/],
    ['cdk-mcp:domainZoneWithoutDomainName', (s) => ({ domainZone: zone(s) }), /domainZone is set but domainName is not/],
    ['cdk-mcp:certificateWithoutDomainName', (s) => ({ certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:eu-west-1:111111111111:certificate/a') }),
      /certificate is set but domainName is not: url and the canary would use the Function URL/],
    ['cdk-mcp:frontDoorCertificateRegion', (s) => ({ domainName: DOMAIN, certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/a') }),
      /certificate arn:aws:acm:us-east-1:.* is in us-east-1, but .* region eu-west-1/],
    ['cdk-mcp:frontDoorWebAclScope', (s) => ({ webAcl: McpWebAcl.fromWebAclArn(s, 'Acl', 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/edge/1234') }),
      /webAcl has scope CLOUDFRONT.*McpWebAclScope.REGIONAL/],
  ])('%s', (id, props, message) => {
    expect(() => synth(props)).toThrow(message);
    expect(() => synth(props)).toThrow(`[${id}]`);
  });

  test('a CLOUDFRONT McpWebAcl is refused by its scope', () => {
    const app = new App();
    const stack = new Stack(app, 'Edge', { env: { region: 'us-east-1', account: '111111111111' } });
    const webAcl = new McpWebAcl(stack, 'Acl', { scope: McpWebAclScope.CLOUDFRONT });
    expect(() => new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), webAcl })).toThrow(/\[cdk-mcp:frontDoorWebAclScope\]/);
  });

  test('a certificate of another region in an environment-agnostic stack raises cdk-mcp:frontDoorCertificateRegionUnknown', () => {
    const { stack } = synth((s) => ({ domainName: DOMAIN, certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/a') }), {});
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('frontDoorCertificateRegionUnknown'));
  });

  test('every problem at once', () => {
    expect(() => synth(() => ({ domainName: DOMAIN, auth: McpFunctionUrlAuth.NONE, corsAllowedOrigins: ['*'] })))
      .toThrow(/domainNameWithoutZoneOrCertificate[\s\S]*publicOriginBehindFrontDoor[\s\S]*corsBehindFrontDoor/);
  });
});
