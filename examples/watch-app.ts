#!/usr/bin/env node
// Watch an MCP server you do not deploy; offline synth needs no context:
//   npx cdk synth --app 'npx ts-node --prefer-ts-exts examples/watch-app.ts'
// To deploy, name the endpoint and where alerts go (Slack and Teams need the workspace or team
// authorized once in the AWS Chatbot console first):
//   -c url=https://mcp.partner.example.com/mcp -c email=oncall@example.com
//   -c slackWorkspaceId=T0123ABCD -c slackChannelId=C0123ABCD
//   -c teamsTeamId=... -c teamsTenantId=... -c teamsChannelId=...
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpWatchExampleStack } from './watch-stack';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const context = (name: string): string | undefined => app.node.tryGetContext(name);
const slackWorkspaceId = context('slackWorkspaceId');
const slackChannelId = context('slackChannelId');
const teamsTeamId = context('teamsTeamId');
const teamsTenantId = context('teamsTenantId');
const teamsChannelId = context('teamsChannelId');
new McpWatchExampleStack(app, 'McpWatchExample', {
  url: context('url'),
  alarmEmails: context('email') ? [context('email')!] : undefined,
  slack: slackWorkspaceId && slackChannelId ? { workspaceId: slackWorkspaceId, channelId: slackChannelId } : undefined,
  teams: teamsTeamId && teamsTenantId && teamsChannelId ? { teamId: teamsTeamId, tenantId: teamsTenantId, channelId: teamsChannelId } : undefined,
});
app.synth();
