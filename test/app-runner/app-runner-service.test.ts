import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Annotations as CoreAnnotations, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  McpAppRunnerImage,
  McpAppRunnerSecret,
  McpAppRunnerService,
  McpAppRunnerServiceProps,
  McpSessionMode,
} from '../../src';

/** A Docker build context; synth only stages it, nothing is built. */
const IMAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mcp-apprunner-image-'));
fs.writeFileSync(path.join(IMAGE_DIR, 'Dockerfile'), 'FROM public.ecr.aws/docker/library/node:22-alpine\nCMD ["node", "-e", "1"]\n');

afterAll(() => fs.rmSync(IMAGE_DIR, { recursive: true, force: true }));

function synth(
  props: Partial<McpAppRunnerServiceProps> = {},
  stackFn?: (stack: Stack) => Partial<McpAppRunnerServiceProps>,
  after?: (service: McpAppRunnerService, stack: Stack) => void,
) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const stack = new Stack(app, 'Stack');
  const extra = stackFn ? stackFn(stack) : {};
  const service = new McpAppRunnerService(stack, 'Mcp', { image: McpAppRunnerImage.fromAsset(IMAGE_DIR), ...props, ...extra });
  after?.(service, stack);
  return { app, stack, service, template: Template.fromStack(stack) };
}

/** The resources the App Runner service waits for. */
function serviceDependsOn(template: Template): string[] {
  return (Object.values(template.findResources('AWS::AppRunner::Service'))[0] as any).DependsOn ?? [];
}

function serviceProperties(template: Template): { [key: string]: any } {
  const services = Object.values(template.findResources('AWS::AppRunner::Service'));
  expect(services).toHaveLength(1);
  return (services[0] as any).Properties;
}

/** The logical id of the one role the given service principal assumes. */
function roleAssumedBy(template: Template, service: string): string {
  const ids = Object.keys(template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: service } })] } },
  }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('McpAppRunnerService defaults', () => {
  test('runs the image from the asset in private ECR on port 8080, with PORT set and no auto deployments', () => {
    const { template } = synth();
    const props = serviceProperties(template);
    expect(props.SourceConfiguration.AutoDeploymentsEnabled).toBe(false);
    expect(props.SourceConfiguration.ImageRepository).toEqual({
      ImageIdentifier: expect.objectContaining({ 'Fn::Sub': expect.stringContaining('.dkr.ecr.') }),
      ImageRepositoryType: 'ECR',
      ImageConfiguration: {
        Port: '8080',
        RuntimeEnvironmentVariables: [{ Name: 'PORT', Value: '8080' }],
      },
    });
  });

  test('uses 1 vCPU and 2 GB per instance, with its own instance role', () => {
    const { template } = synth();
    const instanceRole = roleAssumedBy(template, 'tasks.apprunner.amazonaws.com');
    expect(serviceProperties(template).InstanceConfiguration).toEqual({
      Cpu: '1024',
      Memory: '2048',
      InstanceRoleArn: { 'Fn::GetAtt': [instanceRole, 'Arn'] },
    });
  });

  test('checks health over HTTP on /healthz, never the MCP path', () => {
    const { template } = synth();
    expect(serviceProperties(template).HealthCheckConfiguration).toEqual({
      Protocol: 'HTTP',
      Path: '/healthz',
      Interval: 10,
      Timeout: 5,
      HealthyThreshold: 1,
      UnhealthyThreshold: 3,
    });
  });

  test('scales from 1 to 25 instances at 100 concurrent requests each, through its own auto scaling configuration', () => {
    const { template, service } = synth();
    template.resourceCountIs('AWS::AppRunner::AutoScalingConfiguration', 1);
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: 1, MaxSize: 25, MaxConcurrency: 100 });
    const configId = logicalIdOf(template, 'AWS::AppRunner::AutoScalingConfiguration');
    expect(serviceProperties(template).AutoScalingConfigurationArn).toEqual({ 'Fn::GetAtt': [configId, 'AutoScalingConfigurationArn'] });
    expect([service.minInstances, service.maxInstances, service.maxConcurrency]).toEqual([1, 25, 100]);
  });

  test('is public with default egress: no VPC connector, no tracing, no physical name', () => {
    const { template } = synth();
    const props = serviceProperties(template);
    expect(props.NetworkConfiguration).toEqual({
      EgressConfiguration: { EgressType: 'DEFAULT' },
      IngressConfiguration: { IsPubliclyAccessible: true },
    });
    expect(props.ObservabilityConfiguration).toBeUndefined();
    expect(props.ServiceName).toBeUndefined();
    template.resourceCountIs('AWS::AppRunner::VpcConnector', 0);
    template.resourceCountIs('AWS::AppRunner::ObservabilityConfiguration', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
  });

  test('pulls with an access role limited to the asset repository, created before the service', () => {
    const { template } = synth();
    const accessRoleId = roleAssumedBy(template, 'build.apprunner.amazonaws.com');
    const props = serviceProperties(template);
    expect(props.SourceConfiguration.AuthenticationConfiguration).toEqual({ AccessRoleArn: { 'Fn::GetAtt': [accessRoleId, 'Arn'] } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: accessRoleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':repository/')])] },
          }),
          Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
        ]),
      },
    });
    const policyId = Object.keys(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: accessRoleId }] } }))[0];
    expect(serviceDependsOn(template)).toEqual(expect.arrayContaining([accessRoleId, policyId]));
  });

  test('gives the instance role no permissions when nothing needs them', () => {
    const { template } = synth();
    const instanceRoleId = roleAssumedBy(template, 'tasks.apprunner.amazonaws.com');
    expect(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: instanceRoleId }] } })).toEqual({});
    const role = template.toJSON().Resources[instanceRoleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('exposes the https MCP URL on the service domain, and name, id and ARN from the service', () => {
    const { stack, service, template } = synth();
    const serviceId = logicalIdOf(template, 'AWS::AppRunner::Service');
    expect(stack.resolve(service.url)).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [serviceId, 'ServiceUrl'] }, '/mcp']] });
    expect(stack.resolve(service.serviceId)).toEqual({ 'Fn::GetAtt': [serviceId, 'ServiceId'] });
    expect(stack.resolve(service.serviceArn)).toEqual({ 'Fn::GetAtt': [serviceId, 'ServiceArn'] });
    // arn:<partition>:apprunner:<region>:<account>:service/<name>/<id>
    expect(stack.resolve(service.serviceName)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': [serviceId, 'ServiceArn'] }] }] }] }],
    });
  });

  test('builds the asset image for linux/amd64, the only platform App Runner runs', () => {
    const { app } = synth();
    const assembly = app.synth();
    const manifestFile = fs.readdirSync(assembly.directory).find((f) => f.endsWith('.assets.json'))!;
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, manifestFile), 'utf8'));
    const images = Object.values<any>(manifest.dockerImages);
    expect(images).toHaveLength(1);
    expect(images[0].source.platform).toBe('linux/amd64');
  });

  test('warns, acknowledgeably, that App Runner is closed to new customers and points to McpFargateService', () => {
    const { stack } = synth();
    Annotations.fromStack(stack).hasWarning(
      '/Stack/Mcp',
      Match.stringLikeRegexp('stopped accepting new customers on 2026-04-30.*McpExpressService \\(ECS Express Mode.*\\[ack: cdk-mcp:appRunnerClosedToNewCustomers\\]'),
    );
  });

  test('the closed-to-new-customers warning disappears once acknowledged', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const service = new McpAppRunnerService(stack, 'Mcp', { image: McpAppRunnerImage.fromAsset(IMAGE_DIR) });
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.anyValue());
    const app2 = new App();
    const stack2 = new Stack(app2, 'Stack');
    const service2 = new McpAppRunnerService(stack2, 'Mcp', { image: McpAppRunnerImage.fromAsset(IMAGE_DIR) });
    CoreAnnotations.of(service2).acknowledgeWarning('cdk-mcp:appRunnerClosedToNewCustomers', 'this account already runs App Runner services');
    Annotations.fromStack(stack2).hasNoWarning('/Stack/Mcp', Match.anyValue());
    expect(service.node.path).toBe(service2.node.path);
  });
});

describe('McpAppRunnerService images', () => {
  test('an ECR repository image: tag, pull grant on that repository, opt-in auto deployments', () => {
    const { template, stack } = synth({}, (s) => ({
      image: McpAppRunnerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(s, 'Repo', 'mcp-server'), { tagOrDigest: 'v1.2.3', autoDeployments: true }),
    }));
    const props = serviceProperties(template);
    expect(props.SourceConfiguration.AutoDeploymentsEnabled).toBe(true);
    expect(props.SourceConfiguration.ImageRepository.ImageRepositoryType).toBe('ECR');
    expect(JSON.stringify(stack.resolve(props.SourceConfiguration.ImageRepository.ImageIdentifier))).toMatch(/mcp-server:v1\.2\.3/);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':repository/mcp-server')])] },
          }),
        ]),
      },
    });
  });

  test('an ECR repository image defaults to the latest tag', () => {
    const { template, stack } = synth({}, (s) => ({
      image: McpAppRunnerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(s, 'Repo', 'mcp-server')),
    }));
    const props = serviceProperties(template);
    expect(JSON.stringify(stack.resolve(props.SourceConfiguration.ImageRepository.ImageIdentifier))).toMatch(/mcp-server:latest/);
    expect(props.SourceConfiguration.AutoDeploymentsEnabled).toBe(false);
  });

  test('an ECR Public image needs no access role', () => {
    const { template, service } = synth({ image: McpAppRunnerImage.fromEcrPublic('public.ecr.aws/acme/mcp:1.0.0') });
    const props = serviceProperties(template);
    expect(props.SourceConfiguration.ImageRepository).toMatchObject({ ImageIdentifier: 'public.ecr.aws/acme/mcp:1.0.0', ImageRepositoryType: 'ECR_PUBLIC' });
    expect(props.SourceConfiguration.AuthenticationConfiguration).toBeUndefined();
    expect(service.accessRole).toBeUndefined();
    expect(template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'build.apprunner.amazonaws.com' } })] } },
    })).toEqual({});
  });

  test('rejects a non-ECR-Public URI for fromEcrPublic', () => {
    expect(() => synth({ image: McpAppRunnerImage.fromEcrPublic('docker.io/acme/mcp:1') })).toThrow(
      /"docker.io\/acme\/mcp:1" is not an ECR Public image; .*public.ecr.aws.*fromEcrRepository/,
    );
  });

  test('rejects an arm64 asset platform: App Runner runs linux/amd64 only', () => {
    expect(() => synth({ image: McpAppRunnerImage.fromAsset(IMAGE_DIR, { platform: ecrAssets.Platform.LINUX_ARM64 }) })).toThrow(
      /platform linux\/arm64 is not supported; App Runner runs linux\/amd64 images only/,
    );
  });
});

describe('McpAppRunnerService configuration', () => {
  test('passes secrets as runtime environment secrets by ARN, never as variables, and lets the instance role read them', () => {
    const { template, stack } = synth({}, (s) => ({
      environment: { LOG_LEVEL: 'info' },
      secrets: {
        API_TOKEN: McpAppRunnerSecret.fromSecretsManager(new secretsmanager.Secret(s, 'Token')),
        DB_PASSWORD: McpAppRunnerSecret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(s, 'Db', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf'), 'password'),
        UPSTREAM_KEY: McpAppRunnerSecret.fromSsmParameter(ssm.StringParameter.fromSecureStringParameterAttributes(s, 'Key', { parameterName: '/mcp/upstream-key' })),
      },
    }));
    const config = serviceProperties(template).SourceConfiguration.ImageRepository.ImageConfiguration;
    expect(config.RuntimeEnvironmentVariables).toEqual([
      { Name: 'LOG_LEVEL', Value: 'info' },
      { Name: 'PORT', Value: '8080' },
    ]);
    const secrets = stack.resolve(config.RuntimeEnvironmentSecrets);
    expect(secrets.map((s: any) => s.Name)).toEqual(['API_TOKEN', 'DB_PASSWORD', 'UPSTREAM_KEY']);
    expect(secrets[0].Value).toEqual({ Ref: expect.stringMatching(/^Token/) });
    expect(secrets[1].Value).toBe('arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf:password::');
    expect(JSON.stringify(secrets[2].Value)).toMatch(/:parameter\/mcp\/upstream-key/);

    const instanceRoleId = roleAssumedBy(template, 'tasks.apprunner.amazonaws.com');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: instanceRoleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('^Token') } }),
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf' }),
          Match.objectLike({ Action: Match.arrayWith(['ssm:GetParameters', 'ssm:GetParameter']) }),
        ]),
      },
    });
    // The instance role's policy exists before App Runner resolves the secrets.
    const policyId = Object.keys(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: instanceRoleId }] } }))[0];
    expect(serviceDependsOn(template)).toEqual(expect.arrayContaining([instanceRoleId, policyId]));
  });

  test('a user instance role is used as is, and grants through the service land on it', () => {
    const bucketArn = 'arn:aws:s3:::my-bucket/*';
    const { template, service } = synth({}, (s) => ({
      instanceRole: new iam.Role(s, 'MyRole', { assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com') }),
    }), (svc) => svc.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucketArn] })));
    const t = template;
    expect(serviceProperties(template).InstanceConfiguration.InstanceRoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MyRole/), 'Arn'] });
    expect(service.grantPrincipal).toBe(service.instanceRole);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^MyRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 's3:GetObject', Resource: bucketArn })] },
    });
    expect(roleAssumedBy(t, 'tasks.apprunner.amazonaws.com')).toMatch(/^MyRole/);
    // The service waits for the given role's policy too (it may carry the secret grants).
    expect(serviceDependsOn(t)).toEqual(expect.arrayContaining([expect.stringMatching(/^MyRoleDefaultPolicy/)]));
  });

  test('grantPrincipal lets any grant target the server\'s role', () => {
    const { template } = synth({}, undefined, (service, stack) => new secretsmanager.Secret(stack, 'Other').grantRead(service));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] })] },
      Roles: [{ Ref: Match.stringLikeRegexp('^McpInstanceRole') }],
    });
  });

  test('a VPC connector in the private subnets with a new egress-only security group; outbound traffic goes through the VPC', () => {
    const { template, service, stack } = synth({}, (s) => ({ vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 }) }));
    const connectorId = logicalIdOf(template, 'AWS::AppRunner::VpcConnector');
    const connector = template.toJSON().Resources[connectorId].Properties;
    expect(connector.Subnets).toEqual([{ Ref: expect.stringMatching(/^VpcPrivateSubnet1/) }, { Ref: expect.stringMatching(/^VpcPrivateSubnet2/) }]);
    expect(connector.SecurityGroups).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^McpSecurityGroup/), 'GroupId'] }]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('App Runner VPC connector'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1', Description: 'Allow all outbound traffic by default' }],
      SecurityGroupIngress: Match.absent(),
    });
    expect(serviceProperties(template).NetworkConfiguration.EgressConfiguration).toEqual({
      EgressType: 'VPC',
      VpcConnectorArn: { 'Fn::GetAtt': [connectorId, 'VpcConnectorArn'] },
    });
    expect(service.connections?.securityGroups).toHaveLength(1);
    expect(stack.resolve(service.vpcConnector?.attrVpcConnectorArn)).toEqual({ 'Fn::GetAtt': [connectorId, 'VpcConnectorArn'] });
  });

  test('a VPC connector with the given subnets and security groups', () => {
    const { template } = synth({}, (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [
          { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
          { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        ],
      });
      return {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-12345678')],
      };
    });
    template.hasResourceProperties('AWS::AppRunner::VpcConnector', {
      Subnets: [{ Ref: Match.stringLikeRegexp('^VpcIsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcIsolatedSubnet2') }],
      SecurityGroups: ['sg-12345678'],
    });
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
  });

  test('X-Ray tracing through an observability configuration, with write access for the instance role', () => {
    const { template } = synth({ tracing: true });
    template.hasResourceProperties('AWS::AppRunner::ObservabilityConfiguration', { TraceConfiguration: { Vendor: 'AWSXRAY' } });
    const observabilityId = logicalIdOf(template, 'AWS::AppRunner::ObservabilityConfiguration');
    expect(serviceProperties(template).ObservabilityConfiguration).toEqual({
      ObservabilityEnabled: true,
      ObservabilityConfigurationArn: { 'Fn::GetAtt': [observabilityId, 'ObservabilityConfigurationArn'] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^McpInstanceRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']), Resource: '*' })] },
    });
  });

  test('custom port, paths, health check, size, scaling, start command and name', () => {
    const { template, service, stack } = synth({
      port: 3000,
      mcpPath: '/v1/mcp',
      healthCheckPath: '/ready',
      healthCheckInterval: Duration.seconds(5),
      healthCheckTimeout: Duration.seconds(2),
      healthCheckHealthyThreshold: 2,
      healthCheckUnhealthyThreshold: 5,
      cpu: 256,
      memoryLimitMiB: 512,
      minInstances: 2,
      maxInstances: 4,
      maxConcurrency: 20,
      startCommand: 'node dist/server.js',
      serviceName: 'orders-mcp',
    });
    const props = serviceProperties(template);
    expect(props.ServiceName).toBe('orders-mcp');
    expect(props.SourceConfiguration.ImageRepository.ImageConfiguration).toEqual({
      Port: '3000',
      StartCommand: 'node dist/server.js',
      RuntimeEnvironmentVariables: [{ Name: 'PORT', Value: '3000' }],
    });
    expect(props.HealthCheckConfiguration).toEqual({ Protocol: 'HTTP', Path: '/ready', Interval: 5, Timeout: 2, HealthyThreshold: 2, UnhealthyThreshold: 5 });
    expect(props.InstanceConfiguration).toMatchObject({ Cpu: '256', Memory: '512' });
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: 2, MaxSize: 4, MaxConcurrency: 20 });
    expect(stack.resolve(service.url)).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.any(String), 'ServiceUrl'] }, '/v1/mcp']] });
    expect(service.serviceName).toBe('orders-mcp');
  });

  test.each([
    [256, 512], [256, 1024], [512, 1024],
    [1024, 2048], [1024, 3072], [1024, 4096],
    [2048, 4096], [2048, 6144],
    [4096, 8192], [4096, 10240], [4096, 12288],
  ])('accepts the App Runner instance size cpu %d / memoryLimitMiB %d', (cpu, memoryLimitMiB) => {
    const { template } = synth({ cpu, memoryLimitMiB });
    expect(serviceProperties(template).InstanceConfiguration).toMatchObject({ Cpu: String(cpu), Memory: String(memoryLimitMiB) });
  });

  test('maxInstances above 25 is allowed: the limit is an adjustable quota', () => {
    const { template } = synth({ maxInstances: 40 });
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MaxSize: 40 });
  });

  test('metrics are AWS/AppRunner metrics of this service, with documented default statistics', () => {
    const { stack, service } = synth({ serviceName: 'orders-mcp' });
    const dims = stack.resolve(service.metricRequests().dimensions);
    expect(dims).toEqual({ ServiceName: 'orders-mcp', ServiceID: { 'Fn::GetAtt': [expect.any(String), 'ServiceId'] } });
    expect(service.metricRequests().namespace).toBe('AWS/AppRunner');
    expect([
      [service.metricRequests(), 'Requests', 'Sum'],
      [service.metric4xxStatusResponses(), '4xxStatusResponses', 'Sum'],
      [service.metric5xxStatusResponses(), '5xxStatusResponses', 'Sum'],
      [service.metricRequestLatency(), 'RequestLatency', 'p90'],
      [service.metricActiveInstances(), 'ActiveInstances', 'Maximum'],
      [service.metricCpuUtilization(), 'CPUUtilization', 'Average'],
      [service.metricMemoryUtilization(), 'MemoryUtilization', 'Average'],
      [service.metricConcurrency(), 'Concurrency', 'Maximum'],
    ].map(([m, name, stat]: any) => [m.metricName === name, m.statistic === stat, m.period.toSeconds()])).toEqual(Array(8).fill([true, true, 300]));
    expect(service.metricRequestLatency({ statistic: 'p99', period: Duration.minutes(1) }).statistic).toBe('p99');
  });

  test('the application log group is App Runner\'s, named after the service name and ID', () => {
    const { stack, service } = synth({ serviceName: 'orders-mcp' });
    expect(stack.resolve(service.applicationLogGroup.logGroupName)).toEqual({
      'Fn::Join': ['', ['/aws/apprunner/orders-mcp/', { 'Fn::GetAtt': [expect.any(String), 'ServiceId'] }, '/application']],
    });
  });

  test('states the 120 s request cap', () => {
    expect(McpAppRunnerService.REQUEST_TIMEOUT.toSeconds()).toBe(120);
  });
});

describe('McpAppRunnerService sessions', () => {
  test('a stateful server on one instance is allowed, with an acknowledgeable warning about lost sessions and the 120 s cap', () => {
    const { stack, template } = synth({ sessionMode: McpSessionMode.STATEFUL, maxInstances: 1 });
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: 1, MaxSize: 1 });
    Annotations.fromStack(stack).hasWarning(
      '/Stack/Mcp',
      Match.stringLikeRegexp('Every deployment and every instance replacement drops them.*after 120 seconds.*\\[ack: cdk-mcp:appRunnerStatefulSessions\\]'),
    );
  });

  test('a stateless server raises no session warning', () => {
    const { stack, service } = synth();
    expect(service.sessionMode).toBe(McpSessionMode.STATELESS);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Mcp', Match.stringLikeRegexp('appRunnerStatefulSessions'));
  });

  test('a stateful server that can scale out is a synth-time error', () => {
    expect(() => synth({ sessionMode: McpSessionMode.STATEFUL })).toThrow(
      /McpAppRunnerService '[^']*': sessionMode is STATEFUL but maxInstances is 25: App Runner has no session affinity.*Set maxInstances: 1/,
    );
    expect(() => synth({ sessionMode: McpSessionMode.STATEFUL, maxInstances: 2 })).toThrow(/sessionMode is STATEFUL but maxInstances is 2/);
  });
});

describe('McpAppRunnerService warnings', () => {
  test('warns about secret-looking plain variables', () => {
    const { stack } = synth({ environment: { GITHUB_TOKEN: 'ghp_x', LOG_LEVEL: 'info' } });
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('environment has GITHUB_TOKEN, which look like secrets.*\\[ack: cdk-mcp:secretInEnvironment\\]'));
  });

  test('plain configuration raises no secret warning', () => {
    const { stack } = synth({ environment: { LOG_LEVEL: 'info' } });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Mcp', Match.stringLikeRegexp('look like secrets'));
  });
});

describe('McpAppRunnerService validation', () => {
  test.each<[string, Partial<McpAppRunnerServiceProps>, RegExp]>([
    ['cpu not an App Runner size', { cpu: 768 }, /cpu must be one of 256, 512, 1024, 2048, 4096 CPU units \(1024 = 1 vCPU\) \(got 768\)/],
    ['memory not allowed with the cpu', { cpu: 512, memoryLimitMiB: 2048 }, /memoryLimitMiB 2048 is not available with cpu 512: App Runner allows 1024 MiB with 512 CPU units.*1024: 2048\/3072\/4096/],
    ['default cpu with too little memory', { memoryLimitMiB: 512 }, /memoryLimitMiB 512 is not available with cpu 1024: App Runner allows 2048, 3072, 4096 MiB/],
    ['minInstances 0', { minInstances: 0 }, /minInstances must be a whole number between 1 and 25 \(got 0\)/],
    ['minInstances 26', { minInstances: 26, maxInstances: 30 }, /minInstances must be a whole number between 1 and 25 \(got 26\)/],
    ['maxInstances 0', { maxInstances: 0 }, /maxInstances must be a whole number at least 1 \(got 0\)/],
    ['maxInstances 2.5', { maxInstances: 2.5 }, /maxInstances must be a whole number at least 1 \(got 2.5\)/],
    ['min above max', { minInstances: 5, maxInstances: 3 }, /minInstances \(5\) must not exceed maxInstances \(3\)/],
    ['maxConcurrency 300', { maxConcurrency: 300 }, /maxConcurrency must be a whole number between 1 and 200 \(got 300\)/],
    ['port 0', { port: 0 }, /port must be a whole number between 1 and 65535 \(got 0\)/],
    ['health check on the MCP path', { healthCheckPath: '/mcp' }, /healthCheckPath must not be the MCP path \(got "\/mcp"\).*\/healthz/],
    ['health check path without slash', { healthCheckPath: 'healthz' }, /healthCheckPath must be a URL path that starts with "\/"/],
    ['mcp path with a query', { mcpPath: '/mcp?x=1' }, /mcpPath must be a URL path .*got "\/mcp\?x=1"/],
    ['interval 30 s', { healthCheckInterval: Duration.seconds(30) }, /healthCheckInterval must be a whole number of seconds from 1 to 20 \(got 30 seconds\).*\[cdk-mcp:healthCheckIntervalRange\]/],
    ['timeout 500 ms', { healthCheckTimeout: Duration.millis(500) }, /healthCheckTimeout must be a whole number of seconds from 1 to 20 \(got 500 millis\)/],
    ['healthy threshold 0', { healthCheckHealthyThreshold: 0 }, /healthCheckHealthyThreshold must be a whole number between 1 and 20 \(got 0\)/],
    ['unhealthy threshold 21', { healthCheckUnhealthyThreshold: 21 }, /healthCheckUnhealthyThreshold must be a whole number between 1 and 20 \(got 21\)/],
    ['service name too short', { serviceName: 'mcp' }, /serviceName must be 4 to 40 letters, digits, hyphens or underscores.*got "mcp"/],
    ['service name with a dot', { serviceName: 'orders.mcp' }, /serviceName must be 4 to 40 .*got "orders.mcp"/],
    ['PORT in environment', { environment: { PORT: '9000' } }, /environment must not set PORT: it is set from the port prop/],
    ['AWSAPPRUNNER prefix', { environment: { AWSAPPRUNNER_X: '1' } }, /environment key "AWSAPPRUNNER_X" starts with AWSAPPRUNNER, a prefix App Runner reserves/],
    ['invalid variable name', { environment: { '1BAD-NAME': 'x' } }, /environment key "1BAD-NAME" is not a valid environment variable name/],
    ['subnets without vpc', { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }, /vpcSubnets is set without vpc/],
  ])('rejects %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('rejects a secret that is also a plain variable, and a secret named PORT', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const secret = McpAppRunnerSecret.fromSecretsManager(new secretsmanager.Secret(stack, 'S'));
    expect(() => new McpAppRunnerService(stack, 'A', {
      image: McpAppRunnerImage.fromEcrPublic('public.ecr.aws/acme/mcp:1'),
      environment: { API_KEY: 'x' },
      secrets: { API_KEY: secret },
    })).toThrow(/API_KEY is set in both environment and secrets: remove it from environment/);
    expect(() => new McpAppRunnerService(stack, 'B', {
      image: McpAppRunnerImage.fromEcrPublic('public.ecr.aws/acme/mcp:1'),
      secrets: { PORT: secret },
    })).toThrow(/secrets must not set PORT/);
  });

  test('rejects security groups without a VPC', () => {
    expect(() => synth({}, (s) => ({ securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-1')] }))).toThrow(
      /securityGroups is set without vpc: they belong to the VPC connector/,
    );
  });

  test('rejects an empty or colon JSON field of a secret', () => {
    const stack = new Stack(new App(), 'Stack');
    const secret = new secretsmanager.Secret(stack, 'S');
    expect(() => McpAppRunnerSecret.fromSecretsManager(secret, '')).toThrow(/field "" must be a non-empty JSON key without ":"/);
    expect(() => McpAppRunnerSecret.fromSecretsManager(secret, 'a:b')).toThrow(/field "a:b"/);
  });

  test('reports every problem at once', () => {
    expect(() => synth({ cpu: 100, maxConcurrency: 0, healthCheckPath: '/mcp' })).toThrow(
      /McpAppRunnerService '[^']*' has 3 problems:\n- healthCheckPath must not be the MCP path.*\n- cpu must be one of.*\n- maxConcurrency must be/,
    );
  });

  test('skips checks of values only known at deploy time', () => {
    const stack = new Stack(new App(), 'Stack');
    const cpu = new CfnParameter(stack, 'Cpu', { type: 'Number' }).valueAsNumber;
    const max = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    const name = new CfnParameter(stack, 'Name').valueAsString;
    expect(() => new McpAppRunnerService(stack, 'Mcp', {
      image: McpAppRunnerImage.fromEcrPublic('public.ecr.aws/acme/mcp:1'),
      cpu,
      maxInstances: max,
      sessionMode: McpSessionMode.STATEFUL,
      serviceName: name,
    })).not.toThrow();
  });
});
