/**
 * The one server contract, per kind: a server that listens on `$PORT` (and answers `GET /healthz`
 * with a 2xx) gets `PORT` on every kind, and `secrets` hand it values as environment variables on
 * every kind, never in the template. What the constructs synthesize; the start code itself runs
 * in start-code.test.ts.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  McpAppRunnerImage, McpAppRunnerService, McpExpressService, McpFargateService, McpLambdaService, McpServerCode,
  McpWebFunctionCode, McpWebFunctionService,
} from '../../src';
import { onlyResource } from '../support/kit';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const LAMBDA_DIR = path.join(FIXTURES, 'lambda-server');
const IMAGE_DIR = path.join(FIXTURES, 'image-server');
const WEB_DIR = path.join(FIXTURES, 'web-function-server');
/** A server that reads only PORT (no AWS_LAMBDA_HTTP_ENDPOINT) and answers every path with 200. */
const PORT_ONLY_ENTRY = path.join(FIXTURES, 'entry-server', 'server.ts');

function stack(): Stack {
  return new Stack(new App(), 'Stack');
}

function lambdaVariables(template: Template): Record<string, unknown> {
  return onlyResource(template, 'AWS::Lambda::Function', 'McpFunction').Environment.Variables;
}

function revisionVariables(template: Template): Record<string, unknown> {
  return onlyResource(template, 'AWS::Lambda::WebFunctionRevision').ServiceConfig.EnvironmentVariables;
}

describe('PORT on every kind', () => {
  test('McpLambdaService sets PORT from port', () => {
    const s = stack();
    new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(LAMBDA_DIR), port: 3000 });
    expect(lambdaVariables(Template.fromStack(s))).toMatchObject({ PORT: '3000', AWS_LWA_PORT: '3000' });
  });

  test('McpFargateService sets PORT from containerPort', () => {
    const s = stack();
    new McpFargateService(s, 'Mcp', { image: ecs.ContainerImage.fromRegistry('example/mcp'), containerPort: 3000 });
    const container = onlyResource(Template.fromStack(s), 'AWS::ECS::TaskDefinition').ContainerDefinitions[0];
    expect(container.Environment).toEqual([{ Name: 'PORT', Value: '3000' }]);
  });

  test('McpExpressService sets PORT from containerPort', () => {
    const s = stack();
    new McpExpressService(s, 'Mcp', { image: ecs.ContainerImage.fromRegistry('example/mcp'), containerPort: 3000 });
    expect(onlyResource(Template.fromStack(s), 'AWS::ECS::ExpressGatewayService').PrimaryContainer.Environment)
      .toEqual([{ Name: 'PORT', Value: '3000' }]);
  });

  test('McpAppRunnerService sets PORT from port', () => {
    const s = stack();
    new McpAppRunnerService(s, 'Mcp', { image: McpAppRunnerImage.fromAsset(IMAGE_DIR), port: 3000 });
    Template.fromStack(s).hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: { ImageRepository: { ImageConfiguration: { RuntimeEnvironmentVariables: [{ Name: 'PORT', Value: '3000' }] } } },
    });
  });

  test.each([
    ['McpLambdaService', (s: Stack) => new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(LAMBDA_DIR), port: 3000, environment: { PORT: '8080' } }), 'port'],
    ['McpFargateService', (s: Stack) => new McpFargateService(s, 'Mcp', { image: ecs.ContainerImage.fromRegistry('x'), containerPort: 3000, environment: { PORT: '8080' } }), 'containerPort'],
    ['McpExpressService', (s: Stack) => new McpExpressService(s, 'Mcp', { image: ecs.ContainerImage.fromRegistry('x'), containerPort: 3000, environment: { PORT: '8080' } }), 'containerPort'],
  ])('%s refuses an environment.PORT that contradicts its port prop, naming both', (_kind, make, prop) => {
    expect(() => make(stack())).toThrow(new RegExp(`environment.PORT is "8080" but ${prop} is 3000: .*Remove PORT from environment, or set ${prop}: 8080`));
  });

  test('McpWebFunctionService refuses PORT and HOST in environment: the start file sets them', () => {
    expect(() => new McpWebFunctionService(stack(), 'Mcp', { code: McpWebFunctionCode.fromDirectory(WEB_DIR), environment: { PORT: '8080', HOST: '0.0.0.0' } }))
      .toThrow(/environment must not set PORT: the start file sets it from AWS_LAMBDA_HTTP_ENDPOINT[\s\S]*environment must not set HOST/);
  });

  test('McpWebFunctionService: the packaged start file gives a server that reads only PORT the Web Functions endpoint', async () => {
    // GIVEN the package fromEntry stages, with a server that reads only PORT
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mcp-wf-')) });
    const s = new Stack(app, 'Stack');
    new McpWebFunctionService(s, 'Mcp', { code: McpWebFunctionCode.fromEntry(PORT_ONLY_ENTRY) });
    const assembly = app.synth();
    const entryPoint = revisionVariables(Template.fromStack(s)).AWS_LAMBDA_NODEJS_ENTRYPOINT as string;
    const staged = fs.readdirSync(assembly.directory).map((d) => path.join(assembly.directory, d))
      .find((d) => fs.existsSync(path.join(d, entryPoint)) && fs.existsSync(path.join(d, 'index.js')));
    expect(staged).toBeDefined();
    // WHEN the runtime starts it with only AWS_LAMBDA_HTTP_ENDPOINT
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(p));
      });
    });
    const child = spawn(process.execPath, [path.join(staged!, entryPoint)], {
      env: { PATH: process.env.PATH, AWS_LAMBDA_HTTP_ENDPOINT: `127.0.0.1:${port}` }, stdio: 'ignore',
    });
    try {
      // THEN the server answers on that endpoint
      const until = Date.now() + 10_000;
      let status = 0;
      while (status === 0 && Date.now() < until) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status, () => 0);
        if (status === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(200);
    } finally {
      child.kill();
    }
  });
});

describe('secrets as values on Lambda and Web Functions', () => {
  test('McpLambdaService resolves secrets at start: a start layer wraps the Web Adapter, the template holds the ARNs only', () => {
    const s = stack();
    const secret = new secretsmanager.Secret(s, 'Db', { generateSecretString: { generateStringKey: 'password', secretStringTemplate: '{"username":"app"}' } });
    new McpLambdaService(s, 'Mcp', {
      code: McpServerCode.fromDirectory(LAMBDA_DIR),
      secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password'), DB: ecs.Secret.fromSecretsManager(secret) },
    });
    const template = Template.fromStack(s);
    const variables = lambdaVariables(template);
    expect(variables.AWS_LAMBDA_EXEC_WRAPPER).toBe('/opt/cdk-mcp/start.sh');
    const references = JSON.stringify(variables.CDK_MCP_SECRETS);
    expect(references).toMatch(/\\"DB_PASSWORD\\":\\"",\{"Ref":"Db[0-9A-F]+"\},":password::\\"/);
    expect(references).toMatch(/\\"DB\\":\\"",\{"Ref":"Db[0-9A-F]+"\},"\\"/);
    expect(variables.DB_PASSWORD).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toMatch(/resolve:secretsmanager/);
    // The adapter's layer and the start layer.
    const fn = onlyResource(template, 'AWS::Lambda::Function', 'McpFunction');
    expect(fn.Layers).toHaveLength(2);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('^Db') } })]) },
    });
  });

  test('McpLambdaService without secrets keeps the Web Adapter\'s wrapper and no start layer', () => {
    const s = stack();
    new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(LAMBDA_DIR) });
    const template = Template.fromStack(s);
    expect(lambdaVariables(template).AWS_LAMBDA_EXEC_WRAPPER).toBe('/opt/bootstrap');
    template.resourceCountIs('AWS::Lambda::LayerVersion', 0);
  });

  test('the Lambda start layer holds the wrapper and both resolvers', () => {
    const layer = path.join(__dirname, '..', '..', 'assets', 'lambda', 'start', 'layer', 'cdk-mcp');
    expect(fs.readdirSync(layer).sort()).toEqual(['resolve-secrets.js', 'resolve_secrets.py', 'start.sh']);
    // eslint-disable-next-line no-bitwise
    expect(fs.statSync(path.join(layer, 'start.sh')).mode & 0o111).not.toBe(0);
  });

  test('McpLambdaService refuses secrets with a container image, which cannot take the layer', () => {
    const s = stack();
    const secret = new secretsmanager.Secret(s, 'Key');
    expect(() => new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromImageAsset(IMAGE_DIR), secrets: { KEY: ecs.Secret.fromSecretsManager(secret) } }))
      .toThrow(/secrets \(KEY\) cannot be resolved: a container image cannot take the start layer .* Use secretArns/);
  });

  test('McpLambdaService refuses a Parameter Store parameter in secrets', () => {
    const s = stack();
    const parameter = ssm.StringParameter.fromStringParameterName(s, 'P', '/x');
    expect(() => new McpLambdaService(s, 'Mcp', { code: McpServerCode.fromDirectory(LAMBDA_DIR), secrets: { P: ecs.Secret.fromSsmParameter(parameter) } }))
      .toThrow(/secrets.P is not a Secrets Manager secret .* the start code resolves Secrets Manager secrets only/);
  });

  test('McpWebFunctionService resolves secrets in the start file: CDK_MCP_SECRETS holds the ARNs, the role reads them', () => {
    const s = stack();
    const secret = new secretsmanager.Secret(s, 'Token');
    new McpWebFunctionService(s, 'Mcp', { code: McpWebFunctionCode.fromDirectory(WEB_DIR), secrets: { API_TOKEN: ecs.Secret.fromSecretsManager(secret) } });
    const template = Template.fromStack(s);
    const variables = revisionVariables(template);
    expect(variables.AWS_LAMBDA_NODEJS_ENTRYPOINT).toBe('cdk-mcp-start.js');
    expect(JSON.stringify(variables.CDK_MCP_SECRETS)).toMatch(/\\"API_TOKEN\\":\\"",\{"Ref":"Token[0-9A-F]+"\}/);
    expect(variables.API_TOKEN).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] })]) },
    });
  });

  test('McpWebFunctionService refuses secrets with fromBucket, whose package has no start file', () => {
    const s = stack();
    const bucket = s3.Bucket.fromBucketName(s, 'B', 'code');
    const secret = new secretsmanager.Secret(s, 'Token');
    expect(() => new McpWebFunctionService(s, 'Mcp', { code: McpWebFunctionCode.fromBucket(bucket, 'server.zip'), secrets: { T: ecs.Secret.fromSecretsManager(secret) } }))
      .toThrow(/secrets \(T\) cannot be resolved: McpWebFunctionCode.fromBucket has no start file/);
  });

  test('a name in both secrets and environment is refused', () => {
    const s = stack();
    const secret = new secretsmanager.Secret(s, 'Token');
    expect(() => new McpWebFunctionService(s, 'Mcp', {
      code: McpWebFunctionCode.fromDirectory(WEB_DIR), secrets: { T: ecs.Secret.fromSecretsManager(secret) }, environment: { T: 'x' },
    })).toThrow(/T is set in both environment and secrets/);
  });
});
