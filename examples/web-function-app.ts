#!/usr/bin/env node
// cdk synth/deploy: npx cdk synth --app 'npx ts-node --prefer-ts-exts examples/web-function-app.ts'
// Needs aws-cdk-lib >= 2.276.0 (the WebFunction L2) and a Region where Lambda Web Functions are available.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpWebFunctionDomainExampleStack, McpWebFunctionExampleStack, McpWebFunctionPublicExampleStack } from './web-function-stack';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new McpWebFunctionExampleStack(app, 'McpWebFunctionExample');
new McpWebFunctionPublicExampleStack(app, 'McpWebFunctionPublicExample');
new McpWebFunctionDomainExampleStack(app, 'McpWebFunctionDomainExample');
app.synth();
