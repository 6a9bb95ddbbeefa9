#!/usr/bin/env node
// cdk synth/deploy: npx cdk synth --app 'npx ts-node --prefer-ts-exts examples/app-runner-app.ts'
// Only for accounts that already use App Runner (closed to new customers since 2026-04-30).
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpAppRunnerCustomDomainExampleStack, McpAppRunnerExampleStack, McpAppRunnerStatefulExampleStack } from './app-runner-stack';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new McpAppRunnerExampleStack(app, 'McpAppRunnerExample');
new McpAppRunnerStatefulExampleStack(app, 'McpAppRunnerStatefulExample');
// Needs a Route 53 zone of yours: -c hostedZoneId=Z... -c zoneName=example.org
new McpAppRunnerCustomDomainExampleStack(app, 'McpAppRunnerCustomDomainExample');
app.synth();
