import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CHAT_GUARDRAIL_POLICY, McpWatchExampleStack } from '../../examples/watch-stack';

/** The example with every channel: e-mail, Slack and Teams. */
function watchEverywhere(): { stack: McpWatchExampleStack; template: Template } {
  const stack = new McpWatchExampleStack(new App(), 'Watch', {
    url: 'https://mcp.partner.example.com/mcp',
    alarmEmails: ['oncall@example.com'],
    slack: { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' },
    teams: { teamId: '00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-000000000002', channelId: '19%3aabc%40thread.tacv2' },
  });
  return { stack, template: Template.fromStack(stack) };
}

const topicRef = (stack: McpWatchExampleStack) => ({ Ref: stack.getLogicalId(stack.alarmTopic.node.defaultChild as any) });
const guardrailArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${CHAT_GUARDRAIL_POLICY}`]] };

describe('examples/watch-stack.ts: watching an MCP server you do not deploy', () => {
  const { stack, template } = watchEverywhere();

  test('the health alarm notifies the topic on ALARM and OK', () => {
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [topicRef(stack)],
      OKActions: [topicRef(stack)],
    });
  });

  test('e-mail is subscribed to the health alarm\'s topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: topicRef(stack) });
  });

  test('the Slack channel configuration\'s SNS topic is the health alarm\'s topic, with a read-only guardrail', () => {
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      SnsTopicArns: [topicRef(stack)],
      GuardrailPolicies: [guardrailArn],
    });
  });

  test('the Teams channel configuration\'s SNS topic is the health alarm\'s topic, with a read-only guardrail', () => {
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      SnsTopicArns: [topicRef(stack)],
      GuardrailPolicies: [guardrailArn],
    });
  });

  test('no channel gets AdministratorAccess, the guardrail AWS applies when none is given', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('AdministratorAccess');
    for (const type of ['AWS::Chatbot::SlackChannelConfiguration', 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration']) {
      for (const config of Object.values(template.findResources(type))) {
        expect((config as any).Properties.GuardrailPolicies).toHaveLength(1);
      }
    }
  });

  test('the channels\' roles can do nothing: no policy, no managed policy, assumed by Chatbot only', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })] } },
    });
    expect(Object.keys(roles)).toHaveLength(2);
    for (const [id, role] of Object.entries(roles) as Array<[string, any]>) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
      expect(Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => JSON.stringify(p.Properties.Roles).includes(id))).toEqual([]);
    }
  });

  test('passes cdk-nag AwsSolutionsChecks with every channel', () => {
    const report = new AwsSolutionsChecks(undefined).validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  test('without channels it is the canary, its alarms, the health alarm and the topic alone', () => {
    const bare = Template.fromStack(new McpWatchExampleStack(new App(), 'Bare'));
    bare.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    bare.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 0);
    bare.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
  });
});
