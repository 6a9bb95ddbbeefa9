#!/usr/bin/env node
// cdk synth/deploy: npx cdk synth --app 'npx ts-node --prefer-ts-exts examples/lambda-app.ts'
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McpLambdaCustomDomainExampleStack, McpLambdaExampleStack, McpLambdaPublicExampleStack, McpLambdaPythonExampleStack } from './lambda-stack';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new McpLambdaExampleStack(app, 'McpLambdaExample');
new McpLambdaPublicExampleStack(app, 'McpLambdaPublicExample');
new McpLambdaPythonExampleStack(app, 'McpLambdaPythonExample');
new McpLambdaCustomDomainExampleStack(app, 'McpLambdaCustomDomainExample');
app.synth();
