import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { McpExpressScalingMetric, McpExpressService, McpExpressServiceProps, McpSessionMode } from '../../src';
import { expressMemoryChoices } from '../../src/express/private/express-validation';
import { alarmById, canaryEnvironment, EXPRESS_OPT_IN, onlyResource, warningsOf, withOptInAlarms } from '../support/kit';

const SERVER_DIR = path.join(__dirname, '..', '..', 'examples', 'server');

interface Synth {
  readonly stack: Stack;
  readonly service: McpExpressService;
  readonly template: Template;
}

function image(): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(SERVER_DIR, { platform: ecr_assets.Platform.LINUX_AMD64 });
}

/** Builds the service in a fresh stack; `prepare` makes props that need other constructs. */
function synth(props: Partial<McpExpressServiceProps> | ((stack: Stack) => Partial<McpExpressServiceProps>) = {}): Synth {
  const stack = new Stack(new App(), 'Stack');
  const extra = typeof props === 'function' ? props(stack) : props;
  const service = new McpExpressService(stack, 'Mcp', { image: image(), ...withOptInAlarms(extra, EXPRESS_OPT_IN) });
  return { stack, service, template: Template.fromStack(stack) };
}

function expressService(template: Template): Record<string, any> {
  return onlyResource(template, 'AWS::ECS::ExpressGatewayService');
}

/** The statements of the default policy of the role whose logical id starts with `rolePrefix`. */
function statementsOf(template: Template, rolePrefix: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, any>)
    .filter((p) => p.Properties.Roles.some((r: any) => String(r.Ref).startsWith(rolePrefix)));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function expectError(props: Partial<McpExpressServiceProps> | ((stack: Stack) => Partial<McpExpressServiceProps>), message: RegExp): void {
  expect(() => synth(props)).toThrow(message);
}

describe('McpExpressService defaults', () => {
  test('one Express service of 0.25 vCPU and 512 MiB, port 8080, health check /healthz', () => {
    const svc = expressService(synth().template);
    expect(svc).toMatchObject({ Cpu: '256', Memory: '512', HealthCheckPath: '/healthz' });
    expect(svc.PrimaryContainer).toMatchObject({ ContainerPort: 8080, AwsLogsConfiguration: { LogStreamPrefix: 'mcp' } });
    // PORT, the one server contract, and nothing else.
    expect(svc.PrimaryContainer.Environment).toEqual([{ Name: 'PORT', Value: '8080' }]);
    expect(svc.PrimaryContainer.Secrets).toBeUndefined();
    expect(svc.ServiceName).toBeUndefined();
  });

  test('two tasks, fixed, scaling on requests per target (600 per minute)', () => {
    expect(expressService(synth().template).ScalingTarget).toEqual({
      MinTaskCount: 2, MaxTaskCount: 2, AutoScalingMetric: 'REQUEST_COUNT_PER_TARGET', AutoScalingTargetValue: 600,
    });
  });

  test('runs in the public subnets of a new VPC with flow logs, in a cluster with Container Insights, without its own security groups', () => {
    const { template } = synth();
    const network = expressService(template).NetworkConfiguration;
    expect(network.SecurityGroups).toBeUndefined();
    expect(network.Subnets.map((s: any) => s.Ref)).toEqual([expect.stringMatching(/PublicSubnet1/), expect.stringMatching(/PublicSubnet2/)]);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    expect(expressService(template).Cluster).toEqual({ Ref: expect.stringMatching(/^McpCluster/) });
  });

  test('logs to its own log group, kept a month, unencrypted by KMS', () => {
    const { template } = synth();
    const group = onlyResource(template, 'AWS::Logs::LogGroup', 'McpLogGroup');
    expect(group.RetentionInDays).toBe(30);
    expect(group.KmsKeyId).toBeUndefined();
    expect(expressService(template).PrimaryContainer.AwsLogsConfiguration.LogGroup).toEqual({ Ref: expect.stringMatching(/^McpLogGroup/) });
  });

  test('the URL is https://<Endpoint without any scheme>/mcp, and the canary probes it', () => {
    const { stack, service, template } = synth();
    const url = stack.resolve(service.url);
    expect(url).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::Join': ['', { 'Fn::Split': ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^McpService/), 'Endpoint'] }] }] }, '/mcp']] });
    expect(JSON.stringify(canaryEnvironment(template))).toContain('Endpoint');
  });

  test('the metrics name the service after the last segment of its ARN', () => {
    const { template } = synth();
    const alarm = alarmById(template, 'McpAlarmsCpuUtilization');
    expect(alarm.Dimensions).toEqual([
      { Name: 'ClusterName', Value: { Ref: expect.stringMatching(/^McpCluster/) } },
      { Name: 'ServiceName', Value: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.stringMatching(/^McpService/), 'ServiceArn'] }] }] } },
    ]);
  });

  test('is stateless and warns about nothing', () => {
    const { service, stack } = synth();
    expect(service.sessionMode).toBe(McpSessionMode.STATELESS);
    expect(warningsOf(stack, true)).toEqual([]);
  });
});

describe('McpExpressService roles (least privilege)', () => {
  test('the infrastructure role is assumed by ECS and has exactly the Express Mode managed policy', () => {
    const { template } = synth();
    const role = onlyResource(template, 'AWS::IAM::Role', 'McpInfrastructureRole');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' } }]);
    expect(JSON.stringify(role.ManagedPolicyArns)).toContain(':iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices');
    expect(role.ManagedPolicyArns).toHaveLength(1);
    expect(statementsOf(template, 'McpInfrastructureRole')).toEqual([]);
    expect(expressService(template).InfrastructureRoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpInfrastructureRole/), 'Arn'] });
  });

  test('the execution role writes its log group and pulls the image, nothing else, with no managed policy', () => {
    const { template } = synth();
    const role = onlyResource(template, 'AWS::IAM::Role', 'McpExecutionRole');
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'ecs-tasks.amazonaws.com' });
    const statements = statementsOf(template, 'McpExecutionRole');
    expect(statements.map((s) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      'ecr:GetAuthorizationToken',
    ]);
    expect(statements[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpLogGroup/), 'Arn'] });
  });

  test('the task role starts empty; grants to the service go to it', () => {
    expect(statementsOf(synth().template, 'McpTaskRole')).toEqual([]);
    const stack = new Stack(new App(), 'Stack');
    const service = new McpExpressService(stack, 'Mcp', { image: image() });
    new s3.Bucket(stack, 'Bucket').grantRead(service);
    const template = Template.fromStack(stack);
    expect(statementsOf(template, 'McpTaskRole').map((s) => s.Action)).toEqual([expect.arrayContaining(['s3:GetObject*'])]);
    expect(statementsOf(template, 'McpExecutionRole').some((s) => JSON.stringify(s.Action).includes('s3:'))).toBe(false);
    expect(expressService(template).TaskRoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpTaskRole/), 'Arn'] });
  });

  test('a given task role is used as is', () => {
    const { service, template } = synth((stack) => ({ taskRole: iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/tools') }));
    expect(expressService(template).TaskRoleArn).toBe('arn:aws:iam::123456789012:role/tools');
    expect(service.grantPrincipal).toBe(service.taskRole);
    template.resourceCountIs('AWS::IAM::Role', 4); // infrastructure, execution, flow logs, canary
  });

  test('an ECR image is pulled from its repository only', () => {
    const { template } = synth((stack) => ({ image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'mcp'), '1.0.0') }));
    const pull = statementsOf(template, 'McpExecutionRole').find((s) => JSON.stringify(s.Action).includes('BatchGetImage'));
    expect(JSON.stringify(pull.Resource)).toContain(':repository/mcp');
    expect(JSON.stringify(expressService(template).PrimaryContainer.Image)).toContain('mcp:1.0.0');
  });
});

describe('McpExpressService props', () => {
  test('size, port, command, paths, name and scaling are props', () => {
    const svc = expressService(synth({
      cpu: 1024,
      memoryLimitMiB: 4096,
      containerPort: 3000,
      command: ['node', 'server.js'],
      mcpPath: '/v1/mcp',
      healthCheckPath: '/ready',
      serviceName: 'orders-mcp',
      minTaskCount: 2,
      maxTaskCount: 8,
      scalingMetric: McpExpressScalingMetric.CPU_UTILIZATION,
      scalingTargetValue: 70,
    }).template);
    expect(svc).toMatchObject({ Cpu: '1024', Memory: '4096', HealthCheckPath: '/ready', ServiceName: 'orders-mcp' });
    expect(svc.PrimaryContainer).toMatchObject({ ContainerPort: 3000, Command: ['node', 'server.js'] });
    expect(svc.ScalingTarget).toEqual({ MinTaskCount: 2, MaxTaskCount: 8, AutoScalingMetric: 'AVERAGE_CPU', AutoScalingTargetValue: 70 });
  });

  test('the URL uses mcpPath and the metrics use serviceName', () => {
    const { stack, service, template } = synth({ mcpPath: '/v1/mcp', serviceName: 'orders-mcp' });
    expect(JSON.stringify(stack.resolve(service.url))).toContain('/v1/mcp');
    expect(alarmById(template, 'McpAlarmsMemoryUtilization').Dimensions[1]).toEqual({ Name: 'ServiceName', Value: 'orders-mcp' });
  });

  test('memory scaling defaults to a 60 percent target', () => {
    expect(expressService(synth({ scalingMetric: McpExpressScalingMetric.MEMORY_UTILIZATION }).template).ScalingTarget)
      .toMatchObject({ AutoScalingMetric: 'AVERAGE_MEMORY', AutoScalingTargetValue: 60 });
  });

  test('secrets from Secrets Manager and SSM are container secrets the execution role reads; environment stays plain config', () => {
    const { template } = synth((stack) => ({
      environment: { LOG_LEVEL: 'debug' },
      secrets: {
        API_TOKEN: ecs.Secret.fromSecretsManager(new secretsmanager.Secret(stack, 'Token'), 'token'),
        UPSTREAM_URL: ecs.Secret.fromSsmParameter(ssm.StringParameter.fromStringParameterName(stack, 'Url', '/mcp/upstream-url')),
      },
    }));
    const container = expressService(template).PrimaryContainer;
    expect(container.Environment).toEqual([{ Name: 'LOG_LEVEL', Value: 'debug' }, { Name: 'PORT', Value: '8080' }]);
    expect(container.Secrets.map((s: any) => s.Name)).toEqual(['API_TOKEN', 'UPSTREAM_URL']);
    expect(JSON.stringify(container.Secrets[0].ValueFrom)).toContain(':token::');
    const actions = statementsOf(template, 'McpExecutionRole').map((s) => JSON.stringify(s.Action));
    expect(actions.some((a) => a.includes('secretsmanager:GetSecretValue'))).toBe(true);
    expect(actions.some((a) => a.includes('ssm:GetParameters'))).toBe(true);
    expect(JSON.stringify(container)).not.toContain('API_TOKEN"},{"Name"'); // no secret in plain environment
  });

  test('a secret-looking environment variable raises a warning', () => {
    const { stack } = synth({ environment: { API_TOKEN: 'abc' } });
    expect(warningsOf(stack, true).join('\n')).toMatch(/API_TOKEN, which look like secrets.*ecs.Secret.fromSecretsManager/);
  });

  test('log retention and a KMS key are props', () => {
    const { template } = synth((stack) => ({ logRetention: logs.RetentionDays.ONE_YEAR, logEncryptionKey: new kms.Key(stack, 'Key') }));
    const group = onlyResource(template, 'AWS::Logs::LogGroup', 'McpLogGroup');
    expect(group.RetentionInDays).toBe(365);
    expect(group.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
  });

  test('a given VPC, subnets and security groups are used', () => {
    const { template } = synth((stack) => {
      const vpc = new ec2.Vpc(stack, 'Net', { maxAzs: 2, natGateways: 1 });
      return { vpc, taskSubnets: { subnetType: ec2.SubnetType.PUBLIC }, securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })] };
    });
    const network = expressService(template).NetworkConfiguration;
    expect(network.SecurityGroups).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Sg/), 'GroupId'] }]);
    expect(network.Subnets.every((s: any) => /^NetPublicSubnet/.test(s.Ref))).toBe(true);
    template.resourceCountIs('AWS::EC2::VPC', 1);
  });

  test('an internal endpoint runs in private subnets and the canary runs in the VPC', () => {
    const { template } = synth({ publicEndpoint: false });
    expect(expressService(template).NetworkConfiguration.Subnets.every((s: any) => /PrivateSubnet/.test(s.Ref))).toBe(true);
    const canary = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^MCP protocol canary') } }))[0] as any;
    expect(canary.Properties.VpcConfig).toBeDefined();
  });

  test('canaryUrl replaces the probed URL', () => {
    expect(canaryEnvironment(synth({ canaryUrl: 'https://mcp.example.com/mcp' }).template)).toMatchObject({ MCP_CANARY_URL: 'https://mcp.example.com/mcp' });
  });
});

describe('McpExpressService sessions', () => {
  test('a stateful server runs one task by default and warns that deployments drop sessions', () => {
    const { stack, template } = synth({ sessionMode: McpSessionMode.STATEFUL });
    expect(expressService(template).ScalingTarget).toMatchObject({ MinTaskCount: 1, MaxTaskCount: 1 });
    expect(warningsOf(stack, true).join('\n')).toMatch(/cdk-mcp:expressStatefulSessions/);
  });

  test('a stateful server with more than one task is a synth error pointing to McpFargateService', () => {
    expectError({ sessionMode: McpSessionMode.STATEFUL, maxTaskCount: 3 }, /STATEFUL with up to 3 tasks: Express Mode's load balancer has no session affinity.*McpFargateService/);
  });

  test('a stateless server on one task warns about availability', () => {
    const { stack } = synth({ minTaskCount: 1 });
    expect(warningsOf(stack, true).join('\n')).toMatch(/cdk-mcp:expressSingleTask/);
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('maxTaskCount is 1'));
  });
});

describe('McpExpressService validation', () => {
  test.each([
    [{ cpu: 300 }, /cpu must be one of 256, 512, 1024, 2048, 4096 \(got 300\)/],
    [{ cpu: 256, memoryLimitMiB: 4096 }, /memoryLimitMiB 4096 is not an Express Mode size for cpu 256: use one of 512, 1024, 2048 MiB/],
    [{ cpu: 8192, memoryLimitMiB: 16384 }, /cpu must be one of/],
    [{ containerPort: 70000 }, /containerPort must be a whole number between 1 and 65535 \(got 70000\)/],
    [{ healthCheckPath: '/mcp' }, /healthCheckPath must not be the MCP path \(got "\/mcp"\).*managed load balancer's health check.*\[cdk-mcp:healthPathIsMcpPath\]/],
    [{ mcpPath: 'mcp' }, /mcpPath must be a URL path/],
    [{ serviceName: 'orders mcp' }, /serviceName must be 1 to 255 letters/],
    [{ canaryUrl: 'ftp://x' }, /canaryUrl must be an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/x"\).*\[cdk-mcp:canaryUrlFormat\]/],
    [{ minTaskCount: 4, maxTaskCount: 2 }, /minTaskCount \(4\) must not exceed maxTaskCount \(2\)/],
    [{ minTaskCount: 0 }, /minTaskCount must be a whole number at least 1/],
    [{ scalingMetric: McpExpressScalingMetric.CPU_UTILIZATION, scalingTargetValue: 95 }, /scalingTargetValue must be a whole number between 10 and 90 percent/],
    [{ scalingTargetValue: 0 }, /scalingTargetValue must be a whole number at least 1 requests per task per minute/],
    [{ publicEndpoint: false, taskSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, /taskSubnets selects public subnets but publicEndpoint is false/],
    [{ publicEndpoint: true, taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }, /taskSubnets selects private subnets but publicEndpoint is true/],
    [{ environment: { 'BAD-NAME': 'x' } }, /environment key "BAD-NAME" is not a valid environment variable name.*\[cdk-mcp:environmentNameFormat\]/],
  ] as Array<[Partial<McpExpressServiceProps>, RegExp]>)('%p is refused', (props, message) => {
    expectError(props, message);
  });

  test('a secret also in environment is refused', () => {
    expectError((stack) => ({
      environment: { TOKEN: 'x' },
      secrets: { TOKEN: ecs.Secret.fromSecretsManager(new secretsmanager.Secret(stack, 'S')) },
    }), /TOKEN is set in both environment and secrets.*\[cdk-mcp:secretAlsoInEnvironment\]/);
  });

  test('a secret name that is no environment variable name is refused', () => {
    expectError((stack) => ({ secrets: { '1TOKEN': ecs.Secret.fromSecretsManager(new secretsmanager.Secret(stack, 'S')) } }),
      /secrets key "1TOKEN" is not a valid environment variable name/);
  });

  test('every problem is reported at once, naming the construct', () => {
    expectError({ cpu: 300, containerPort: 0, healthCheckPath: '/mcp' }, /McpExpressService 'Stack\/Mcp' has 3 problems/);
  });

  test('the memory table matches Fargate\'s pairs for the CPU sizes Express Mode takes', () => {
    expect(expressMemoryChoices(256)).toEqual([512, 1024, 2048]);
    expect(expressMemoryChoices(4096)[0]).toBe(8192);
    expect(expressMemoryChoices(4096).slice(-1)[0]).toBe(30720);
    expect(expressMemoryChoices(128)).toEqual([]);
  });
});

describe('McpExpressService deploy gate', () => {
  test('deployGate: true probes after every update of the Express service', () => {
    const { template } = synth({ deployGate: true });
    const gates = Object.values(template.findResources('AWS::CloudFormation::CustomResource') as Record<string, any>)
      .concat(Object.values(template.findResources('Custom::McpDeployGate') as Record<string, any>));
    expect(gates.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(gates)).toContain('UpdatedAt');
    expect(gates[0].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^McpService/)]));
  });
});
