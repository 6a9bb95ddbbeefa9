#!/usr/bin/env node
// cdk synth/deploy: npx cdk synth --app 'npx ts-node --prefer-ts-exts examples/express-app.ts'
// Build the server bundle first (the Dockerfile copies it): npx projen bundle:example-server
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpExpressDomainExampleStack, McpExpressExampleStack, McpExpressPythonExampleStack } from './express-stack';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new McpExpressExampleStack(app, 'McpExpressExample');
new McpExpressPythonExampleStack(app, 'McpExpressPythonExample');
new McpExpressDomainExampleStack(app, 'McpExpressDomainExample');
app.synth();
