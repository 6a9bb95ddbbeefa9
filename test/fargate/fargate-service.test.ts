import * as path from 'path';
import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpFargateScalingMetric, McpFargateService, McpFargateServiceProps, McpSessionMode } from '../../src';
import { warningsOf } from '../support/kit';

const SERVER_DIR = path.join(__dirname, '..', '..', 'examples', 'server');

interface Synth {
  readonly stack: Stack;
  readonly service: McpFargateService;
  readonly template: Template;
}

function synth(props: Partial<McpFargateServiceProps> = {}, env?: { region?: string; account?: string }): Synth {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(SERVER_DIR), ...props });
  return { stack, service, template: Template.fromStack(stack) };
}

/** Builds the service in a stack prepared by `prepare` (for props that need other constructs). */
function synthWith(prepare: (stack: Stack) => Partial<McpFargateServiceProps>, env?: { region?: string; account?: string }): Synth {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env });
  const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(SERVER_DIR), ...prepare(stack) });
  return { stack, service, template: Template.fromStack(stack) };
}

function container(template: Template): { [key: string]: any } {
  const taskDefinitions = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[];
  expect(taskDefinitions).toHaveLength(1);
  return taskDefinitions[0].Properties.ContainerDefinitions[0];
}

function targetGroupAttributes(template: Template): { [key: string]: string } {
  const groups = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')) as any[];
  expect(groups).toHaveLength(1);
  return Object.fromEntries(groups[0].Properties.TargetGroupAttributes.map((a: any) => [a.Key, a.Value]));
}

function loadBalancerAttributes(template: Template): { [key: string]: string } {
  const balancers = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer')) as any[];
  expect(balancers).toHaveLength(1);
  return Object.fromEntries(balancers[0].Properties.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]));
}

describe('McpFargateService defaults', () => {
  test('runs one container of 0.25 vCPU and 512 MiB on x86_64 Linux, listening on 8080, with a 60 second stop timeout', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256',
      Memory: '512',
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    });
    const server = container(template);
    expect(server.Name).toBe('Server');
    expect(server.Essential).toBe(true);
    expect(server.PortMappings).toEqual([{ ContainerPort: 8080, Name: 'mcp', Protocol: 'tcp' }]);
    expect(server.StopTimeout).toBe(60);
  });

  test('a server that reads only PORT gets containerPort there (the one server contract); nothing else is set', () => {
    expect(container(synth().template).Environment).toEqual([{ Name: 'PORT', Value: '8080' }]);
    expect(container(synth({ containerPort: 3000 }).template).Environment).toEqual([{ Name: 'PORT', Value: '3000' }]);
  });

  test('an environment.PORT that contradicts containerPort is an error naming both; an equal one is accepted', () => {
    expect(() => synth({ containerPort: 3000, environment: { PORT: '8080' } }))
      .toThrow(/environment.PORT is "8080" but containerPort is 3000: .*Remove PORT from environment, or set containerPort: 8080/);
    expect(container(synth({ containerPort: 3000, environment: { PORT: '3000' } }).template).Environment).toEqual([{ Name: 'PORT', Value: '3000' }]);
  });

  test('logs through awslogs into its own log group, one event per line, non-blocking, kept a month', () => {
    const { template } = synth();
    const logging = container(template).LogConfiguration;
    expect(logging.LogDriver).toBe('awslogs');
    expect(logging.Options).toEqual({
      'awslogs-group': { Ref: expect.stringMatching(/^McpLogGroup/) },
      'awslogs-stream-prefix': 'mcp',
      'awslogs-region': { Ref: 'AWS::Region' },
      'mode': 'non-blocking',
      'max-buffer-size': '26214400b',
    });
    // No multiline or datetime merging: JSON lines stay whole for filter patterns.
    expect(Object.keys(logging.Options)).not.toEqual(expect.arrayContaining([expect.stringMatching(/multiline|datetime/)]));
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('uses separate task and execution roles, both for ECS tasks, with no AWS managed policy', () => {
    const { template, stack, service } = synth();
    const taskDefinition = (Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as any).Properties;
    expect(taskDefinition.TaskRoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpTaskRole/), 'Arn'] });
    expect(taskDefinition.ExecutionRoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpExecutionRole/), 'Arn'] });
    for (const role of Object.values(template.findResources('AWS::IAM::Role')) as any[]) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    template.resourcePropertiesCountIs('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })],
      }),
    }, 2);
    expect(service.grantPrincipal).toBe(service.taskRole);
    expect(stack.resolve(service.taskRole.roleArn)).not.toEqual(stack.resolve(service.executionRole.roleArn));
  });

  test('the task role starts with no permissions; the execution role pulls the image and writes only its log group', () => {
    const { template } = synth();
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
    const taskRolePolicies = policies.filter((p) => JSON.stringify(p.Properties.Roles).includes('McpTaskRole'));
    expect(taskRolePolicies).toEqual([]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^McpExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['ecr:BatchGetImage']) }),
          Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^McpLogGroup'), 'Arn'] } }),
        ]),
      },
    });
  });

  test('runs two tasks in private subnets without public IPs, with circuit breaker rollback and a 60 second grace period', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      HealthCheckGracePeriodSeconds: 60,
      EnableExecuteCommand: false,
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      }),
      NetworkConfiguration: {
        AwsvpcConfiguration: Match.objectLike({
          AssignPublicIp: 'DISABLED',
          Subnets: [{ Ref: Match.stringLikeRegexp('^McpVpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('^McpVpcPrivateSubnet2') }],
        }),
      },
      LoadBalancers: [{ ContainerName: 'Server', ContainerPort: 8080, TargetGroupArn: { Ref: Match.stringLikeRegexp('^McpTargetGroup') } }],
    });
  });

  test('creates a VPC with flow logs and a cluster with Container Insights', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'REJECT' });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  test('health-checks /healthz every 15 seconds, healthy after 2, unhealthy after 3, expecting a 2xx (the contract)', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: 8080,
      Protocol: 'HTTP',
      HealthCheckEnabled: true,
      HealthCheckPath: '/healthz',
      HealthCheckProtocol: 'HTTP',
      HealthCheckIntervalSeconds: 15,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200-299' },
    });
  });

  test('drains deregistered tasks for 120 seconds, balances on outstanding requests, and is not sticky', () => {
    const { template } = synth();
    expect(targetGroupAttributes(template)).toEqual({
      'deregistration_delay.timeout_seconds': '120',
      'stickiness.enabled': 'false',
      'load_balancing.algorithm.type': 'least_outstanding_requests',
    });
  });

  test('puts an internet-facing load balancer with a 60 second idle timeout in front, dropping invalid headers', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', Type: 'application' });
    expect(loadBalancerAttributes(template)).toMatchObject({
      'idle_timeout.timeout_seconds': '60',
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'routing.http2.enabled': 'true',
    });
  });

  test('forwards plain HTTP on port 80 to the tasks, and warns that it is unencrypted', () => {
    const { template, stack } = synth();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^McpTargetGroup') } }],
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('listens on plain HTTP.*\\[ack: cdk-mcp:plainHttp\\]'));
  });

  test('tasks accept traffic only from the load balancer, on the container port', () => {
    const { template } = synth();
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')) as any[];
    expect(ingress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
        GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^McpServiceSecurityGroup/), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^McpLoadBalancerSecurityGroup/), 'GroupId'] },
      }),
    ]);
    const serviceGroup = Object.entries(template.findResources('AWS::EC2::SecurityGroup')).find(([id]) => id.startsWith('McpServiceSecurityGroup'))![1] as any;
    expect(serviceGroup.Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('the load balancer accepts port 80 from anywhere and sends only to the tasks', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Load balancer of the MCP server Stack/Mcp',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 })],
      SecurityGroupEgress: Match.absent(),
    });
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')) as any[];
    expect(egress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        FromPort: 8080,
        ToPort: 8080,
        DestinationSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^McpServiceSecurityGroup/), 'GroupId'] },
      }),
    ]);
  });

  test('the URL is http://<load balancer DNS name>/mcp', () => {
    const { stack, service } = synth();
    expect(stack.resolve(service.url)).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/^McpLoadBalancer/), 'DNSName'] }, '/mcp']],
    });
  });

  test('is stateless by default and warns about nothing but plain HTTP', () => {
    const { stack, service } = synth();
    expect(service.sessionMode).toBe(McpSessionMode.STATELESS);
    expect(warningsOf(stack)).toEqual([expect.stringContaining('cdk-mcp:plainHttp')]);
  });
});

describe('McpFargateService sessions', () => {
  test('a stateful server gets lb_cookie stickiness for one hour, and a warning about cookie-less clients', () => {
    const { template, stack } = synth({ sessionMode: McpSessionMode.STATEFUL });
    expect(targetGroupAttributes(template)).toMatchObject({
      'stickiness.enabled': 'true',
      'stickiness.type': 'lb_cookie',
      'stickiness.lb_cookie.duration_seconds': '3600',
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('AWSALB stickiness cookie.*\\[ack: cdk-mcp:statefulNeedsCookies\\]'));
  });

  test('the stickiness duration is a prop', () => {
    const { template } = synth({ sessionMode: McpSessionMode.STATEFUL, stickinessDuration: Duration.hours(8) });
    expect(targetGroupAttributes(template)['stickiness.lb_cookie.duration_seconds']).toBe(String(8 * 3600));
  });

  test('a stateful server on one task needs no stickiness and raises no session warning', () => {
    const { template, stack } = synth({ sessionMode: McpSessionMode.STATEFUL, stickiness: false, desiredCount: 1 });
    expect(targetGroupAttributes(template)['stickiness.enabled']).toBe('false');
    expect(warningsOf(stack).join('\n')).not.toMatch(/statefulNeedsCookies/);
  });

  test('a stateful server with more than one task and no stickiness is a synth-time error', () => {
    expect(() => synth({ sessionMode: McpSessionMode.STATEFUL, stickiness: false })).toThrow(
      /sessionMode is STATEFUL with up to 2 tasks and stickiness: false: .*404 "Session not found"/,
    );
  });

  test('auto scaling above one task counts as more than one task for a stateful server', () => {
    expect(() => synth({ sessionMode: McpSessionMode.STATEFUL, stickiness: false, desiredCount: 1, maxTaskCount: 4 })).toThrow(
      /sessionMode is STATEFUL with up to 4 tasks/,
    );
  });

  test('a stateless server may opt into stickiness', () => {
    const { template } = synth({ stickiness: true, stickinessDuration: Duration.minutes(10) });
    expect(targetGroupAttributes(template)).toMatchObject({ 'stickiness.enabled': 'true', 'stickiness.lb_cookie.duration_seconds': '600' });
  });
});

describe('McpFargateService HTTPS and domains', () => {
  test('a certificate makes the listener HTTPS on 443 with the recommended TLS policy, and HTTP redirects to it', () => {
    const { template, stack, service } = synthWith((s) => ({
      certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
      domainName: 'mcp.example.com',
    }));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' }],
      SslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^McpTargetGroup') } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } }],
    });
    expect(service.url).toBe('https://mcp.example.com/mcp');
    expect(stack.resolve(service.listener.listenerArn)).toEqual({ Ref: expect.stringMatching(/^McpLoadBalancerHttpsListener/) });
    expect(warningsOf(stack).join('\n')).not.toMatch(/plainHttp/);
  });

  test('a domain name with its zone gets a DNS-validated certificate, an alias record, and the URL', () => {
    const { template, service } = synthWith((s) => ({
      domainName: 'mcp.example.com',
      domainZone: route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' }),
    }));
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'mcp.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'mcp.example.com', HostedZoneId: 'Z123' }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'mcp.example.com.',
      Type: 'A',
      HostedZoneId: 'Z123',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
    expect(service.url).toBe('https://mcp.example.com/mcp');
    expect(service.certificate).toBeDefined();
  });

  test('a domain name with a certificate and no zone uses the domain in the URL and creates no record', () => {
    const { template, service } = synthWith((s) => ({
      domainName: 'mcp.example.com',
      certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
    }));
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    expect(service.url).toBe('https://mcp.example.com/mcp');
  });

  test('an internal load balancer accepts the VPC CIDR only, and raises no plain-HTTP warning', () => {
    const { template, stack } = synth({ publicLoadBalancer: false });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    const ingress = (Object.values(template.findResources('AWS::EC2::SecurityGroup')) as any[]).flatMap((g) => g.Properties.SecurityGroupIngress ?? []);
    expect(ingress.map((rule: any) => rule.CidrIp)).not.toContain('0.0.0.0/0');
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Load balancer of the MCP server Stack/Mcp',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^McpVpc'), 'CidrBlock'] }, FromPort: 80 })],
    });
    expect(warningsOf(stack).join('\n')).not.toMatch(/plainHttp/);
  });

  test('an internal load balancer with a certificate admits the VPC CIDR on 443 and 80, and still redirects', () => {
    const { template } = synthWith((s) => ({
      publicLoadBalancer: false,
      certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
      domainName: 'mcp.internal.example.com',
    }));
    const group = Object.entries(template.findResources('AWS::EC2::SecurityGroup')).find(([id]) => id.startsWith('McpLoadBalancerSecurityGroup'))![1] as any;
    expect(group.Properties.SecurityGroupIngress.map((r: any) => [r.FromPort, r.CidrIp])).toEqual([
      [443, { 'Fn::GetAtt': [expect.stringMatching(/^McpVpc/), 'CidrBlock'] }],
      [80, { 'Fn::GetAtt': [expect.stringMatching(/^McpVpc/), 'CidrBlock'] }],
    ]);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect' })] });
  });

  test('access logs go to the given bucket and prefix', () => {
    const { template } = synthWith((s) => ({
      accessLogBucket: new s3.Bucket(s, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED }),
      accessLogPrefix: 'mcp',
    }), { region: 'eu-west-1' });
    expect(loadBalancerAttributes(template)).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.prefix': 'mcp',
    });
  });
});

describe('McpFargateService configuration and roles', () => {
  test('secrets are container secrets read by the execution role, never plain environment', () => {
    const { template } = synthWith((s) => {
      const secret = new secretsmanager.Secret(s, 'ApiKey');
      return {
        secrets: { UPSTREAM_API_KEY: ecs.Secret.fromSecretsManager(secret) },
        environment: { LOG_LEVEL: 'info' },
      };
    });
    const server = container(template);
    expect(server.Secrets).toEqual([{ Name: 'UPSTREAM_API_KEY', ValueFrom: { Ref: expect.stringMatching(/^ApiKey/) } }]);
    expect(server.Environment).toEqual([{ Name: 'LOG_LEVEL', Value: 'info' }, { Name: 'PORT', Value: '8080' }]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^McpExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('^ApiKey') } }),
        ]),
      },
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
    expect(policies.filter((p) => JSON.stringify(p.Properties.Roles).includes('McpTaskRole'))).toEqual([]);
  });

  test('a secret-looking environment variable raises a warning', () => {
    const { stack } = synth({ environment: { GITHUB_TOKEN: 'abc' } });
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('GITHUB_TOKEN, which look like secrets.*cdk-mcp:secretInEnvironment'));
  });

  test('grants to the service go to the task role, not the execution role', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromRegistry('example/mcp') });
    bucket.grantRead(service);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^McpTaskRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) })] },
    });
    const executionPolicy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) => JSON.stringify(p.Properties.Roles).includes('McpExecutionRole'));
    expect(JSON.stringify(executionPolicy)).not.toContain('s3:');
  });

  test('the service is connectable: a database can admit its tasks', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromRegistry('example/mcp') });
    const database = new ec2.SecurityGroup(stack, 'Database', { vpc: service.cluster.vpc });
    database.connections.allowFrom(service, ec2.Port.tcp(5432));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Database'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^McpServiceSecurityGroup'), 'GroupId'] },
    });
  });

  test('a given task role is used as is', () => {
    const { template } = synthWith((s) => ({
      taskRole: new iam.Role(s, 'MyRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }),
    }));
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { TaskRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyRole'), 'Arn'] } });
  });

  test('ECS Exec is opt-in and adds the SSM messages permissions to the task role', () => {
    const { template } = synth({ enableExecuteCommand: true });
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^McpTaskRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ssmmessages:CreateControlChannel']) })]) },
    });
  });

  test('size, architecture, port, paths, timeouts and counts are props', () => {
    const { template, service } = synth({
      cpu: 1024,
      memoryLimitMiB: 3072,
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      containerPort: 3000,
      mcpPath: '/v1/mcp',
      healthCheckPath: '/ready',
      stopTimeout: Duration.seconds(110),
      deregistrationDelay: Duration.seconds(30),
      healthCheckGracePeriod: Duration.seconds(90),
      idleTimeout: Duration.seconds(300),
      desiredCount: 3,
      logRetention: 7,
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '3072', RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
    expect(container(template).PortMappings[0].ContainerPort).toBe(3000);
    expect(container(template).StopTimeout).toBe(110);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 3000, HealthCheckPath: '/ready' });
    expect(targetGroupAttributes(template)['deregistration_delay.timeout_seconds']).toBe('30');
    expect(loadBalancerAttributes(template)['idle_timeout.timeout_seconds']).toBe('300');
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3, HealthCheckGracePeriodSeconds: 90 });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 3000, ToPort: 3000 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    expect(Stack.of(service).resolve(service.url)['Fn::Join'][1][2]).toBe('/v1/mcp');
  });

  test('an idle timeout below 30 seconds raises a warning about SSE keep-alives', () => {
    const { stack } = synth({ idleTimeout: Duration.seconds(20) });
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('idleTimeout is 20 seconds.*cdk-mcp:shortIdleTimeout'));
  });

  test('runs in a given cluster without creating a VPC or cluster', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const vpc = new ec2.Vpc(stack, 'Shared', { maxAzs: 2 });
    const cluster = new ecs.Cluster(stack, 'SharedCluster', { vpc });
    const service = new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromRegistry('example/mcp'), cluster });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::ECS::Service', { Cluster: { Ref: Match.stringLikeRegexp('^SharedCluster') } });
    expect(service.cluster).toBe(cluster);
  });

  test('in a given VPC it creates a cluster with Container Insights there, and can place tasks in public subnets', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const vpc = new ec2.Vpc(stack, 'Shared', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
    new McpFargateService(stack, 'Mcp', {
      image: ecs.ContainerImage.fromRegistry('example/mcp'),
      vpc,
      taskSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      assignPublicIp: true,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED', Subnets: [{ Ref: Match.stringLikeRegexp('^SharedPublicSubnet1') }, { Ref: Match.stringLikeRegexp('^SharedPublicSubnet2') }] }) },
    });
  });
});

describe('McpFargateService auto scaling', () => {
  test('is off unless maxTaskCount is set', () => {
    const { template, service } = synth();
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    expect(service.scalableTaskCount).toBeUndefined();
  });

  test('scales on requests per task with a 60 s scale-out and 300 s scale-in cooldown by default', () => {
    const { template } = synth({ maxTaskCount: 6 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6, ScalableDimension: 'ecs:service:DesiredCount' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 600,
        ScaleOutCooldown: 60,
        ScaleInCooldown: 300,
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
      },
    });
  });

  test('can scale on CPU with its own target, bounds and cooldowns', () => {
    const { template } = synth({
      desiredCount: 2,
      minTaskCount: 1,
      maxTaskCount: 10,
      scalingMetric: McpFargateScalingMetric.CPU_UTILIZATION,
      targetCpuUtilizationPercent: 50,
      scaleOutCooldown: Duration.seconds(30),
      scaleInCooldown: Duration.minutes(10),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 10 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 50,
        ScaleOutCooldown: 30,
        ScaleInCooldown: 600,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      },
    });
  });
});

describe('McpFargateService validation', () => {
  test.each<[string, Partial<McpFargateServiceProps>, RegExp]>([
    ['the health check on the MCP path', { healthCheckPath: '/mcp' }, /healthCheckPath must not be the MCP path \(got "\/mcp"\): a GET there answers 405 or 406, so the target group would mark every task unhealthy.*\[cdk-mcp:healthPathIsMcpPath\]/],
    ['a path without a leading slash', { mcpPath: 'mcp' }, /mcpPath must be a URL path that starts with "\/" and has no query string, fragment or space \(got "mcp"\).*\[cdk-mcp:mcpPathFormat\]/],
    ['a CPU size Fargate does not have', { cpu: 300 }, /cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 \(got 300\)/],
    ['a memory size the CPU size does not allow', { cpu: 256, memoryLimitMiB: 4096 }, /memoryLimitMiB 4096 is not a Fargate size for cpu 256: use 512, 1024, 2048 MiB/],
    ['a memory size off the steps', { cpu: 1024, memoryLimitMiB: 2500 }, /memoryLimitMiB 2500 is not a Fargate size for cpu 1024: use 2048, 3072, \.\.\. 8192 \(steps of 1024\)/],
    ['a port out of range', { containerPort: 70000 }, /containerPort must be a whole number between 1 and 65535 \(got 70000\)/],
    ['no tasks', { desiredCount: 0 }, /desiredCount must be a whole number at least 1 \(got 0\)/],
    ['a stop timeout Fargate does not allow', { stopTimeout: Duration.minutes(5) }, /stopTimeout must be a whole number of seconds from 2 to 120 \(got 5 minutes\): Fargate waits at most 2 minutes after SIGTERM\. \[cdk-mcp:stopTimeoutRange\]/],
    ['an idle timeout above 4000 seconds', { idleTimeout: Duration.hours(2) }, /idleTimeout must be a whole number of seconds from 1 to 4000 \(got 2 hours\)/],
    ['a deregistration delay above an hour', { deregistrationDelay: Duration.hours(2) }, /deregistrationDelay must be a whole number of seconds from 0 to 3600/],
    ['a stickiness duration above 7 days', { sessionMode: McpSessionMode.STATEFUL, stickinessDuration: Duration.days(8) }, /stickinessDuration must be a whole number of seconds from 1 to 604800 \(got 8 days\)/],
    ['a stickiness duration without stickiness', { stickinessDuration: Duration.hours(2) }, /stickinessDuration is set but stickiness is off/],
    ['an SSL policy without HTTPS', { sslPolicy: elbv2.SslPolicy.TLS13_RES }, /sslPolicy applies to the HTTPS listener only/],
    ['an access log prefix without a bucket', { accessLogPrefix: 'alb' }, /accessLogPrefix is set \(got "alb"\) but accessLogBucket is not/],
    ['a domain name without zone or certificate', { domainName: 'mcp.example.com' }, /domainName mcp.example.com needs domainZone .* or certificate/],
    ['a scaling prop without maxTaskCount', { minTaskCount: 1 }, /minTaskCount is set but maxTaskCount is not: auto scaling is on only with maxTaskCount/],
    ['a minimum above the maximum', { minTaskCount: 5, maxTaskCount: 3, desiredCount: 4 }, /minTaskCount \(5\) must not exceed maxTaskCount \(3\)/],
    ['a desired count outside the scaling bounds', { desiredCount: 8, maxTaskCount: 4 }, /desiredCount \(8\) must lie between minTaskCount \(8\) and maxTaskCount \(4\)/],
    ['a CPU target while scaling on requests', { maxTaskCount: 4, targetCpuUtilizationPercent: 50 }, /targetCpuUtilizationPercent is set but scalingMetric is REQUEST_COUNT/],
    ['a request target while scaling on CPU', { maxTaskCount: 4, scalingMetric: McpFargateScalingMetric.CPU_UTILIZATION, targetRequestsPerTask: 100 }, /targetRequestsPerTask is set but scalingMetric is CPU_UTILIZATION/],
    ['a CPU target out of range', { maxTaskCount: 4, scalingMetric: McpFargateScalingMetric.CPU_UTILIZATION, targetCpuUtilizationPercent: 99 }, /targetCpuUtilizationPercent must be a whole number between 10 and 90 percent \(got 99\)/],
    ['a bad secret name', { secrets: { 'API-KEY': ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(new Stack(), 'S', 'x')) } }, /secrets key "API-KEY" is not a valid environment variable name/],
    ['the same name in environment and secrets', {
      environment: { API_KEY: 'x' },
      secrets: { API_KEY: ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(new Stack(), 'S', 'x')) },
    }, /API_KEY is set in both environment and secrets: remove it from environment.*\[cdk-mcp:secretAlsoInEnvironment\]/],
  ])('rejects %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('rejects vpc together with cluster', () => {
    expect(() => synthWith((s) => {
      const vpc = new ec2.Vpc(s, 'Vpc');
      return { vpc, cluster: new ecs.Cluster(s, 'Cluster', { vpc }) };
    })).toThrow(/vpc and cluster are both set: the service runs in the cluster's VPC/);
  });

  test('rejects a zone without a domain name', () => {
    expect(() => synthWith((s) => ({
      domainZone: route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' }),
    }))).toThrow(/domainZone is set but domainName is not/);
  });

  test('rejects access logs in an environment-agnostic stack, naming the fix', () => {
    expect(() => synthWith((s) => ({ accessLogBucket: new s3.Bucket(s, 'Logs') }))).toThrow(
      /accessLogBucket needs a stack with a concrete region .* give the stack env: \{ region: \.\.\. \}/,
    );
  });

  test('reports every problem at once', () => {
    expect(() => synth({ healthCheckPath: '/mcp', containerPort: 0, cpu: 100 })).toThrow(
      /McpFargateService '[^']*' has 3 problems:\n- cpu must be one of .*\n- containerPort must be .*\n- healthCheckPath must not be the MCP path/,
    );
  });

  test('skips values that are only known at deploy time', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const count = new CfnParameter(stack, 'Count', { type: 'Number' });
    const port = new CfnParameter(stack, 'Port', { type: 'Number' });
    expect(() => new McpFargateService(stack, 'Mcp', {
      image: ecs.ContainerImage.fromRegistry('example/mcp'),
      desiredCount: count.valueAsNumber,
      containerPort: port.valueAsNumber,
      sessionMode: McpSessionMode.STATEFUL,
      stickiness: false,
    })).not.toThrow();
    expect(Token.isUnresolved(count.valueAsNumber)).toBe(true);
  });
});
