#!/usr/bin/env node
// cdk synth/deploy: npx cdk synth --app 'npx ts-node --prefer-ts-exts examples/fargate-app.ts'
// Build the server bundle first (the Dockerfile copies it): npx projen bundle:example-server
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpFargateCustomDomainExampleStack, McpFargateExampleStack, McpFargateStatefulExampleStack } from './fargate-stack';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new McpFargateExampleStack(app, 'McpFargateExample');
new McpFargateStatefulExampleStack(app, 'McpFargateStatefulExample');
// Needs a Route 53 zone of yours: -c hostedZoneId=Z... -c zoneName=example.org
new McpFargateCustomDomainExampleStack(app, 'McpFargateCustomDomainExample');
app.synth();
