import { Stack, StackProps } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { McpNagAcknowledgements, McpServiceMonitoring } from '../src';

/** A Slack channel authorized in the AWS Chatbot (Amazon Q Developer in chat applications) console. */
export interface SlackChannel {
  /** The workspace id the console shows after the Slack authorization (e.g. `T0123ABCD`). */
  readonly workspaceId: string;
  /** The channel id, the last part of the channel's link (e.g. `C0123ABCD`). */
  readonly channelId: string;
}

/** A Microsoft Teams channel authorized in the AWS Chatbot console. */
export interface TeamsChannel {
  /** The team id the console shows after the Teams authorization. */
  readonly teamId: string;
  /** The tenant id the console shows after the Teams authorization. */
  readonly tenantId: string;
  /** The channel id, from the channel's link. */
  readonly channelId: string;
}

/** Properties of {@link McpWatchExampleStack}. */
export interface McpWatchExampleStackProps extends StackProps {
  /**
   * The MCP endpoint to watch.
   *
   * @default 'https://mcp.example.com/mcp'
   */
  readonly url?: string;
  /**
   * Who gets the health alarm by e-mail (each confirms the subscription).
   *
   * @default - no e-mail
   */
  readonly alarmEmails?: string[];
  /**
   * A Slack channel to post the health alarm to.
   *
   * @default - no Slack channel
   */
  readonly slack?: SlackChannel;
  /**
   * A Microsoft Teams channel to post the health alarm to.
   *
   * @default - no Teams channel
   */
  readonly teams?: TeamsChannel;
}

/**
 * The most a chat channel member may do through AWS Chatbot: read CloudWatch. A channel
 * configuration without guardrail policies gets AWS's `AdministratorAccess` as its guardrail
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-chatbot-microsoftteamschannelconfiguration.html#cfn-chatbot-microsoftteamschannelconfiguration-guardrailpolicies, the same for Slack);
 * the channel role itself has no permissions at all, so the channel only receives notifications.
 */
export const CHAT_GUARDRAIL_POLICY = 'CloudWatchReadOnlyAccess';

/**
 * Watch an MCP server this app does not deploy (a partner's, a SaaS one): the canary probes it
 * every minute, and the composite health alarm notifies one SNS topic, which reaches e-mail, a
 * Slack channel and a Microsoft Teams channel through AWS Chatbot.
 */
export class McpWatchExampleStack extends Stack {
  /** The monitoring: canary, alarms, health alarm and topic. */
  public readonly monitoring: McpServiceMonitoring;

  /** The Slack channel configuration, when `slack` is given. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;

  /** The Teams channel configuration, when `teams` is given. */
  public readonly teamsChannel?: chatbot.CfnMicrosoftTeamsChannelConfiguration;

  constructor(scope: Construct, id: string, props: McpWatchExampleStackProps = {}) {
    super(scope, id, props);
    this.monitoring = new McpServiceMonitoring(this, 'Watch', {
      url: props.url ?? 'https://mcp.example.com/mcp',
      serviceName: 'partner-mcp',
      alarmEmails: props.alarmEmails,
    });
    McpNagAcknowledgements.acknowledgeMonitoring(this.monitoring);
    const guardrail = iam.ManagedPolicy.fromAwsManagedPolicyName(CHAT_GUARDRAIL_POLICY);
    if (props.slack) {
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `${this.stackName}-partner-mcp`,
        slackWorkspaceId: props.slack.workspaceId,
        slackChannelId: props.slack.channelId,
        notificationTopics: [this.monitoring.alarmTopic],
        guardrailPolicies: [guardrail],
      });
    }
    if (props.teams) {
      this.teamsChannel = new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, 'Teams', {
        configurationName: `${this.stackName}-partner-mcp`,
        teamId: props.teams.teamId,
        teamsTenantId: props.teams.tenantId,
        teamsChannelId: props.teams.channelId,
        // A role with no permissions: the channel receives notifications and can run nothing.
        iamRoleArn: new iam.Role(this, 'TeamsRole', { assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com') }).roleArn,
        snsTopicArns: [this.monitoring.alarmTopic.topicArn],
        guardrailPolicies: [guardrail.managedPolicyArn],
      });
    }
  }

  /** The topic the health alarm notifies, which every channel of this stack is subscribed to. */
  public get alarmTopic(): sns.ITopic {
    return this.monitoring.alarmTopic;
  }
}
