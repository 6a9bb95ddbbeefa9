import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { McpAppRunnerCustomDomainExampleStack, McpAppRunnerExampleStack, McpAppRunnerStatefulExampleStack } from '../../examples/app-runner-stack';
import { McpSessionMode } from '../../src';
import { CANARY_ENV } from '../../src/contract/canary-env';

function variables(template: Template): { [name: string]: string } {
  const service = Object.values<any>(template.findResources('AWS::AppRunner::Service'))[0];
  const config = service.Properties.SourceConfiguration.ImageRepository.ImageConfiguration;
  return Object.fromEntries(config.RuntimeEnvironmentVariables.map((v: any) => [v.Name, v.Value]));
}

describe('App Runner example stacks', () => {
  test('the stateless example runs the example server image, stateless, on 1 to 5 instances, with a canary that calls health', () => {
    const stack = new McpAppRunnerExampleStack(new App(), 'Example');
    const template = Template.fromStack(stack);
    expect(variables(template)).toEqual({ MCP_SESSION_MODE: 'stateless', LOG_LEVEL: 'info', PORT: '8080' });
    expect(stack.service.sessionMode).toBe(McpSessionMode.STATELESS);
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: 1, MaxSize: 5 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [CANARY_ENV.SENTINEL_TOOL]: 'health', [CANARY_ENV.EXPECTED_TOOLS]: '["echo","get_time","health"]' }) },
    });
    template.resourceCountIs('AWS::AppRunner::VpcConnector', 0);
  });

  test('the stateful example keeps sessions on one instance, egresses through a VPC connector and traces with X-Ray', () => {
    const stack = new McpAppRunnerStatefulExampleStack(new App(), 'Stateful');
    const template = Template.fromStack(stack);
    expect(variables(template)).toMatchObject({ MCP_SESSION_MODE: 'stateful' });
    expect(stack.service.sessionMode).toBe(McpSessionMode.STATEFUL);
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: 1, MaxSize: 1 });
    template.resourceCountIs('AWS::AppRunner::VpcConnector', 1);
    template.resourceCountIs('AWS::AppRunner::ObservabilityConfiguration', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  test('the custom-domain example associates mcp.<zone> through the custom resource, probes it, and puts its web ACL on the service', () => {
    const stack = new McpAppRunnerCustomDomainExampleStack(new App(), 'CustomDomain');
    const template = Template.fromStack(stack);
    expect(stack.service.url).toBe('https://mcp.example.com/mcp');
    template.hasResourceProperties('Custom::McpAppRunnerCustomDomain', { DomainName: 'mcp.example.com', HostedZoneId: 'Z0123456789EXAMPLE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [CANARY_ENV.URL]: 'https://mcp.example.com/mcp' }) },
    });
    const [service] = Object.keys(template.findResources('AWS::AppRunner::Service'));
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { 'Fn::GetAtt': [service, 'ServiceArn'] } });
  });

  test.each([
    ['McpAppRunnerExampleStack', () => new McpAppRunnerExampleStack(new App(), 'Example')],
    ['McpAppRunnerStatefulExampleStack', () => new McpAppRunnerStatefulExampleStack(new App(), 'Stateful')],
    ['McpAppRunnerCustomDomainExampleStack', () => new McpAppRunnerCustomDomainExampleStack(new App(), 'CustomDomain')],
  ])('%s acknowledges every cdk-mcp warning it raises, with a reason', (_name, create) => {
    const stack = create();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-mcp:'));
  });
});
