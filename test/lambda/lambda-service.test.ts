import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LambdaWebAdapter, McpFunctionUrlAuth, McpLambdaService, McpLambdaServiceProps, McpServerCode } from '../../src';

const SERVER_DIR = path.join(__dirname, '..', 'fixtures', 'lambda-server');
const ENTRY = path.join(__dirname, '..', 'fixtures', 'entry-server', 'server.ts');
const IMAGE_DIR = path.join(__dirname, '..', 'fixtures', 'image-server');

function synth(props: Partial<McpLambdaServiceProps> = {}, env?: { region?: string; account?: string }) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const stack = new Stack(app, 'Stack', { env });
  const service = new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), ...props });
  return { app, stack, service, template: Template.fromStack(stack) };
}

function serverFunction(template: Template): { [key: string]: any } {
  const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^MCP server') } });
  const entries = Object.values(functions);
  expect(entries).toHaveLength(1);
  return (entries[0] as any).Properties;
}

describe('McpLambdaService defaults', () => {
  test('runs the server on arm64 Node.js 24 with 1024 MB, a 5 minute timeout and the start script as handler', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      MemorySize: 1024,
      Timeout: 300,
      Handler: 'run.sh',
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', SystemLogLevel: 'INFO' }),
    });
  });

  test('wires the Web Adapter: wrapper, port, a real readiness path, and the invoke mode of the URL', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          AWS_LAMBDA_EXEC_WRAPPER: '/opt/bootstrap',
          PORT: '8080',
          AWS_LWA_PORT: '8080',
          AWS_LWA_READINESS_CHECK_PATH: '/healthz',
          AWS_LWA_READINESS_CHECK_PROTOCOL: 'http',
          AWS_LWA_INVOKE_MODE: 'response_stream',
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Url', { InvokeMode: 'RESPONSE_STREAM' });
  });

  test('serves the Function URL from the live alias, never $LATEST', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::Lambda::Version', 1);
    const aliases = template.findResources('AWS::Lambda::Alias');
    expect(Object.keys(aliases)).toHaveLength(1);
    const [aliasId, alias] = Object.entries(aliases)[0] as [string, any];
    expect(alias.Properties.Name).toBe('live');
    expect(alias.Properties.FunctionVersion).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^McpFunctionCurrentVersion/), 'Version'] });
    template.hasResource('AWS::Lambda::Url', {
      Properties: { Qualifier: 'live', AuthType: 'AWS_IAM' },
      DependsOn: Match.arrayWith([aliasId]),
    });
  });

  test('keeps the IAM URL private: no public invoke permission', () => {
    const { template } = synth();
    expect(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: '*' } })).toEqual({});
  });

  test('uses its own role with log writes scoped to its log group, no AWS managed policy', () => {
    const { template } = synth();
    const roles = template.findResources('AWS::IAM::Role');
    for (const role of Object.values(roles) as any[]) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^McpLogGroup'), 'Arn'] },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('exposes the MCP endpoint URL as the Function URL plus the MCP path', () => {
    const { stack, service } = synth();
    expect(stack.resolve(service.url)).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^McpLiveAliasFunctionUrl/), 'FunctionUrl'] }, 'mcp']],
    });
  });
});

describe('McpLambdaService options', () => {
  test('buffered invoke mode keeps the adapter in step', () => {
    const { template } = synth({ invokeMode: lambda.InvokeMode.BUFFERED });
    template.hasResourceProperties('AWS::Lambda::Url', { InvokeMode: 'BUFFERED' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AWS_LWA_INVOKE_MODE: 'buffered' }) },
    });
  });

  test('an unauthenticated URL gets both the InvokeFunctionUrl and the InvokeFunction-via-URL permission, on the alias, and a warning', () => {
    const { template, stack } = synth({ auth: McpFunctionUrlAuth.NONE });
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    const aliasRef = { Ref: Match.stringLikeRegexp('^McpLiveAlias') };
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      Principal: '*',
      FunctionUrlAuthType: 'NONE',
      FunctionName: aliasRef,
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: '*',
      InvokedViaFunctionUrl: true,
      FunctionName: aliasRef,
    });
    expect(Object.keys(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: '*' } }))).toHaveLength(2);
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('auth NONE: anyone on the internet'));
  });

  test('provisioned concurrency sits on the alias the URL serves', () => {
    const { template } = synth({ provisionedConcurrency: 2, reservedConcurrency: 5 });
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
  });

  test.each(['secretArns'])('%s are granted and passed by ARN, never by value', (prop) => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const secret = new secretsmanager.Secret(stack, 'ApiKey');
    new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), [prop]: { UPSTREAM_API_KEY: secret } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ UPSTREAM_API_KEY_SECRET_ARN: { Ref: Match.stringLikeRegexp('^ApiKey') } }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('^ApiKey') } }),
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/resolve:secretsmanager/);
  });

  test('CORS, when asked for, allows the MCP headers and exposes the session id', () => {
    const { template } = synth({ corsAllowedOrigins: ['https://app.example.com'] });
    template.hasResourceProperties('AWS::Lambda::Url', {
      Cors: {
        AllowOrigins: ['https://app.example.com'],
        AllowHeaders: ['Content-Type', 'Accept', 'Authorization', 'Mcp-Session-Id', 'MCP-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Last-Event-ID'],
        ExposeHeaders: Match.arrayWith(['Mcp-Session-Id']),
        AllowMethods: ['GET', 'POST', 'DELETE'],
      },
    });
  });

  test('no CORS configuration unless asked for', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::Url', { Cors: Match.absent() });
  });

  test('custom port, paths and VPC placement: in a VPC the URL buffers, as Function URLs do not stream there', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    new McpLambdaService(stack, 'Mcp', {
      code: McpServerCode.fromDirectory(SERVER_DIR),
      port: 3000,
      readinessCheckPath: '/ready',
      mcpPath: '/v1/mcp',
      vpc,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PORT: '3000', AWS_LWA_PORT: '3000', AWS_LWA_READINESS_CHECK_PATH: '/ready' }) },
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::Lambda::Url', { InvokeMode: 'BUFFERED' });
    expect(serverFunction(template).Environment.Variables.AWS_LWA_INVOKE_MODE).toBe('buffered');
    Annotations.fromStack(stack).hasNoWarning('/Stack/Mcp', Match.stringLikeRegexp('streamingInVpc'));
  });

  test('RESPONSE_STREAM with a vpc is a synth error quoting AWS', () => {
    const stack = new Stack(new App(), 'Stack');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    expect(() => new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), vpc, invokeMode: lambda.InvokeMode.RESPONSE_STREAM }))
      .toThrow(/invokeMode is RESPONSE_STREAM with a vpc: AWS says "Lambda function URLs do not support response streaming within a VPC environment".*Remove invokeMode/);
  });

  test('warns when a plain environment variable looks like a secret', () => {
    const { stack } = synth({ environment: { GITHUB_TOKEN: 'ghp_x', LOG_LEVEL: 'info' } });
    Annotations.fromStack(stack).hasWarning('/Stack/Mcp', Match.stringLikeRegexp('GITHUB_TOKEN, which look like secrets'));
  });

  test('grantInvokeUrl grants both URL actions on the alias', () => {
    const stack = new Stack(new App(), 'Stack');
    const service = new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR) });
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    service.grantInvokeUrl(role);
    const template = Template.fromStack(stack);
    const aliasRef = { Ref: Match.stringLikeRegexp('^McpLiveAlias') };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'lambda:InvokeFunctionUrl', Resource: aliasRef }),
          Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: aliasRef, Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': true } } }),
        ]),
      },
    });
  });
});

describe('Web Adapter layer resolution', () => {
  test.each([
    ['us-east-1', lambda.Architecture.ARM_64, 'arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerArm64:30'],
    ['eu-west-1', lambda.Architecture.X86_64, 'arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:30'],
    ['cn-north-1', lambda.Architecture.X86_64, 'arn:aws-cn:lambda:cn-north-1:041581134020:layer:LambdaAdapterLayerX86:30'],
  ])('in %s for %s the layer is a literal ARN', (region, architecture, arn) => {
    const { template } = synth({ architecture }, { region });
    template.hasResourceProperties('AWS::Lambda::Function', { Layers: [arn] });
  });

  test('in cn-northwest-1 (no Function URLs, so no McpLambdaService) LambdaWebAdapter.layerArn still resolves the layer', () => {
    const stack = new Stack(new App(), 'Zhy', { env: { region: 'cn-northwest-1' } });
    expect(LambdaWebAdapter.layerArn(stack, lambda.Architecture.X86_64)).toBe('arn:aws-cn:lambda:cn-northwest-1:069767869989:layer:LambdaAdapterLayerX86:30');
  });

  test('the layer version can be overridden', () => {
    const { template } = synth({ webAdapterLayerVersion: 25 }, { region: 'us-west-2' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Layers: ['arn:aws:lambda:us-west-2:753240598075:layer:LambdaAdapterLayerArm64:25'],
    });
  });

  test('an environment-agnostic stack resolves the layer at deploy time, China publishers included for x86_64', () => {
    const { template } = synth({ architecture: lambda.Architecture.X86_64 });
    const fn = serverFunction(template);
    const [sub, vars] = fn.Layers[0]['Fn::Sub'];
    expect(sub).toBe('arn:${AWS::Partition}:lambda:${AWS::Region}:${Publisher}:layer:LambdaAdapterLayerX86:30');
    expect(JSON.stringify(vars.Publisher)).toContain('041581134020');
    expect(JSON.stringify(vars.Publisher)).toContain('069767869989');
    expect(JSON.stringify(vars.Publisher)).toContain('753240598075');
    const conditions = template.findConditions('*', { 'Fn::Equals': [{ Ref: 'AWS::Region' }, Match.anyValue()] });
    expect(Object.keys(conditions).sort()).toEqual([expect.stringMatching(/^McpWebAdapterInCnNorth1/), expect.stringMatching(/^McpWebAdapterInCnNorthwest1/)]);
  });

  test('an environment-agnostic stack on a version with no China layer (28) uses the commercial publisher', () => {
    const { template } = synth({ webAdapterLayerVersion: 28 });
    expect(serverFunction(template).Layers[0]).toEqual({
      'Fn::Sub': ['arn:${AWS::Partition}:lambda:${AWS::Region}:${Publisher}:layer:LambdaAdapterLayerArm64:28', { Publisher: '753240598075' }],
    });
  });

  test.each([
    ['me-south-1', lambda.Architecture.ARM_64, /Lambda Web Adapter 1\.1\.0 \(layer version 30\) is not published in me-south-1.*No known layer version reaches it/],
  ])('in %s for %s synth fails with a fix', (region, architecture, message) => {
    expect(() => synth({ architecture }, { region })).toThrow(message);
  });

  test('the default is the current release, 1.1.0 (layer 30), and readiness counts only 2xx', () => {
    expect(LambdaWebAdapter.DEFAULT_LAYER_VERSION).toBe(30);
    const { template } = synth({}, { region: 'us-east-1' });
    expect(serverFunction(template).Layers).toEqual(['arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerArm64:30']);
    expect(serverFunction(template).Environment.Variables.AWS_LWA_READINESS_CHECK_HEALTHY_STATUS).toBe('200-299');
  });

  test('the arm64 default works in China (the pipeline publishes arm64 there since PR #621)', () => {
    const { template } = synth({}, { region: 'cn-north-1' });
    expect(serverFunction(template).Layers).toEqual(['arn:aws-cn:lambda:cn-north-1:041581134020:layer:LambdaAdapterLayerArm64:30']);
  });

  test.each<[string, number, RegExp]>([
    ['cn-north-1', 28, /Lambda Web Adapter 1\.0\.1 \(layer version 28\) is not published in cn-north-1.*Set webAdapterLayerVersion to one that is: 27 \(1\.0\.0\), 30 \(1\.1\.0\)/],
  ])('in %s layer version %d fails naming the versions that reach it', (region, version, message) => {
    expect(() => synth({ webAdapterLayerVersion: version }, { region })).toThrow(message);
  });

  test('per-version regions: me-central-1 has 1.0.0 only (layerArn alone, as McpLambdaService needs a Function URL there)', () => {
    const stack = new Stack(new App(), 'Uae', { env: { region: 'me-central-1' } });
    expect(LambdaWebAdapter.layerArn(stack, lambda.Architecture.ARM_64, 27)).toBe('arn:aws:lambda:me-central-1:753240598075:layer:LambdaAdapterLayerArm64:27');
    expect(() => LambdaWebAdapter.layerArn(stack, lambda.Architecture.ARM_64, 28)).toThrow(/1\.0\.1 \(layer version 28\) is not published in me-central-1.*27 \(1\.0\.0\)/);
    expect(() => LambdaWebAdapter.layerArn(stack, lambda.Architecture.ARM_64)).toThrow(/1\.1\.0 \(layer version 30\) is not published in me-central-1/);
  });

  test('an environment-agnostic arm64 stack picks the China publishers at deploy time too', () => {
    const { template } = synth();
    expect(JSON.stringify(serverFunction(template).Layers[0])).toContain('041581134020');
  });

  test('AWS_LWA_READINESS_CHECK_HEALTHY_STATUS is owned by the construct', () => {
    expect(() => synth({ environment: { AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: '100-499' } })).toThrow(/must not set AWS_LWA_READINESS_CHECK_HEALTHY_STATUS/);
  });

  test('a container image gets no layer and no wrapper; the adapter is in the image', () => {
    const { template } = synth({ code: McpServerCode.fromImageAsset(IMAGE_DIR) });
    const fn = serverFunction(template);
    expect(fn.PackageType).toBe('Image');
    expect(fn.Layers).toBeUndefined();
    expect(fn.Runtime).toBeUndefined();
    expect(fn.Environment.Variables.AWS_LAMBDA_EXEC_WRAPPER).toBeUndefined();
    expect(fn.Environment.Variables.AWS_LWA_INVOKE_MODE).toBe('response_stream');
  });
});

describe('McpServerCode', () => {
  test('fromEntry bundles the entry with esbuild and writes an executable run.sh', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mcp-entry-'));
    try {
      const app = new App({ outdir });
      const stack = new Stack(app, 'Stack');
      new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromEntry(ENTRY, { minify: false }) });
      const assembly = app.synth();
      const fn = serverFunction(Template.fromStack(stack));
      expect(fn.Handler).toBe('run.sh');
      const assetDir = path.join(assembly.directory, `asset.${fn.Code.S3Key.replace(/\.zip$/, '')}`);
      const runSh = path.join(assetDir, 'run.sh');
      expect(fs.readFileSync(runSh, 'utf8')).toMatch(/^#!\/bin\/sh\n[\s\S]*exec node --enable-source-maps "\$\(dirname "\$0"\)\/index.js"\n$/);
      // eslint-disable-next-line no-bitwise
      expect(fs.statSync(runSh).mode & 0o755).toBe(0o755);
      const bundle = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
      expect(bundle).toContain('createServer');
      expect(fs.existsSync(path.join(assetDir, 'index.js.map'))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('fromEntry rejects a missing or non-JavaScript entry', () => {
    expect(() => synth({ code: McpServerCode.fromEntry(path.join(__dirname, 'nope.ts')) })).toThrow(/entry file .*nope.ts does not exist/);
    expect(() => synth({ code: McpServerCode.fromEntry(path.join(SERVER_DIR, 'run.sh')) })).toThrow(/is not a JavaScript or TypeScript file/);
  });

  describe('fromDirectory checks the start script', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-mcp-dir-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('missing script', () => {
      expect(() => synth({ code: McpServerCode.fromDirectory(dir) })).toThrow(/no start script run.sh in .*set startScript/);
    });

    test('CRLF line endings, no shebang, not executable', () => {
      fs.writeFileSync(path.join(dir, 'start.sh'), 'exec node server.js\r\n', { mode: 0o644 });
      expect(() => synth({ code: McpServerCode.fromDirectory(dir, { startScript: 'start.sh' }) })).toThrow(
        /McpServerCode.fromDirectory has 3 problems:\n- start script .* cannot run on Lambda: it has CRLF line endings.*\[cdk-mcp:startScriptLineEndings\]\n- .*it has no shebang line.*\n- .*it is not executable \(run chmod 755 .*\[cdk-mcp:startScriptNotExecutable\]/,
      );
    });

    test('a good script becomes the handler', () => {
      fs.writeFileSync(path.join(dir, 'start.sh'), '#!/bin/sh\nexec node server.js\n', { mode: 0o755 });
      const { template } = synth({ code: McpServerCode.fromDirectory(dir, { startScript: 'start.sh' }) });
      template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'start.sh' });
    });

    test('a path that is not a directory', () => {
      expect(() => synth({ code: McpServerCode.fromDirectory(path.join(dir, 'missing')) })).toThrow(/is not a directory/);
    });
  });
});

describe('McpLambdaService validation', () => {
  test.each<[string, Partial<McpLambdaServiceProps>, RegExp]>([
    ['memory too small', { memorySize: 64 }, /memorySize must be a whole number between 128 and 10240 MiB \(got 64\)\. \[cdk-mcp:memorySizeRange\]/],
    ['memory not whole', { memorySize: 1000.5 }, /memorySize must be a whole number/],
    ['timeout too long', { timeout: Duration.minutes(16) }, /timeout must be a whole number of seconds from 1 to 900 \(got 16 minutes\)\. \[cdk-mcp:timeoutRange\]/],
    ['timeout in milliseconds', { timeout: Duration.millis(1500) }, /McpLambdaService '[^']*': timeout must be a whole number of seconds from 1 to 900 \(got 1 second 500 millis\)/],
    ['timeout not a Duration', { timeout: 30 as unknown as Duration }, /timeout must be a Duration, e.g. Duration.seconds\(30\) \(got 30\)/],
    ['memory as a string', { memorySize: '1024' as unknown as number }, /memorySize must be a number \(a whole number between 128 and 10240 MiB\), got a string: "1024"/],
    ['readiness path without slash', { readinessCheckPath: 'healthz' }, /readinessCheckPath must be a URL path that starts with "\/" .*got "healthz"/],
    ['readiness path is the MCP path', { readinessCheckPath: '/mcp' }, /readinessCheckPath must not be the MCP path \(got "\/mcp"\).*never counts as ready.*\/healthz.*\[cdk-mcp:healthPathIsMcpPath\]/],
    ['provisioned above reserved', { provisionedConcurrency: 5, reservedConcurrency: 2 }, /provisionedConcurrency \(5\) must not exceed reservedConcurrency \(2\): Lambda rejects it at deploy\. Raise reservedConcurrency to at least 5, or lower provisionedConcurrency\. \[cdk-mcp:provisionedConcurrencyAboveReservedConcurrency\]/],
    ['reserved zero', { reservedConcurrency: 0 }, /reservedConcurrency must be a whole number at least 1 \(got 0\)/],
    ['port out of range', { port: 70000 }, /port must be a whole number between 1 and 65535 \(got 70000\)/],
    ['port of the runtime API', { port: 9001 }, /port must not be 9001/],
    ['reserved environment variable', { environment: { AWS_LWA_INVOKE_MODE: 'buffered' } }, /environment must not set AWS_LWA_INVOKE_MODE: use the invokeMode prop.*\[cdk-mcp:reservedEnvironmentName\]/],
    ['bad secret name', { secretArns: { 'my-key': secretsmanager.Secret.fromSecretNameV2(new Stack(), 'S', 'x') } }, /secretArns key "my-key" is not a valid environment variable name/],
    ['both secret props', {
      secrets: { B: secretsmanager.Secret.fromSecretNameV2(new Stack(), 'T', 'y') as any },
    }, /secrets.B is not an ecs.Secret: secrets now hands the server the value .* or move it to secretArns to get B_SECRET_ARN as before/],
    ['origin with a path', { corsAllowedOrigins: ['https://app.example.com/x'] }, /corsAllowedOrigins entry "https:\/\/app.example.com\/x" is not an origin/],
    ['runtime with an image', { code: McpServerCode.fromImageAsset(IMAGE_DIR), runtime: lambda.Runtime.NODEJS_22_X }, /runtime applies to zip code only/],
    ['bad layer version', { webAdapterLayerVersion: 0 }, /webAdapterLayerVersion must be a positive integer \(got 0\)/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('reports every problem at once', () => {
    expect(() => synth({ memorySize: 1, port: 0, mcpPath: 'mcp' })).toThrow(/McpLambdaService '[^']*' has 3 problems:\n- memorySize.*\n- port.*\n- mcpPath/);
  });

  test('skips unresolved tokens', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const memory = new CfnParameter(stack, 'Memory', { type: 'Number' }).valueAsNumber;
    expect(() => new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), memorySize: memory, reservedConcurrency: memory })).not.toThrow();
  });
});

describe('McpLambdaService monitoring', () => {
  test('a canary probes the MCP endpoint every minute, signing with SigV4 because the URL is IAM-authenticated', () => {
    const { template, service, stack } = synth({}, { region: 'eu-west-1' });
    expect(service.canary).toBeDefined();
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    const canaryEnv = stack.resolve((service.canary!.function.node.defaultChild as lambda.CfnFunction).environment);
    expect(JSON.stringify(canaryEnv)).toContain('eu-west-1');
    expect(JSON.stringify(canaryEnv)).toContain('FunctionUrl');
    const aliasRef = { Ref: Match.stringLikeRegexp('^McpLiveAlias') };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^McpMonitoringCanary') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunctionUrl', Resource: aliasRef })]) },
    });
  });

  test('an unauthenticated URL is probed without signing', () => {
    const { template, service, stack } = synth({ auth: McpFunctionUrlAuth.NONE });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('lambda:InvokeFunctionUrl');
    const canaryEnv = JSON.stringify(stack.resolve((service.canary!.function.node.defaultChild as lambda.CfnFunction).environment));
    expect(canaryEnv).not.toContain('SIGV4');
  });

  test('the health alarm watches the probe and the Lambda platform alarms, and only it notifies', () => {
    const { template, service } = synth({ provisionedConcurrency: 1, reservedConcurrency: 4 });
    const names = service.alarms.map((a) => a.node.id);
    expect(names).toEqual(expect.arrayContaining(['ProbeFailing', 'Throttles', 'Errors', 'ProvisionedConcurrencySpillover']));
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^McpMonitoringAlarmTopic') }] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Throttles',
      Namespace: 'AWS/Lambda',
      // Measured on the alias the URL serves.
      Dimensions: Match.arrayWith([Match.objectLike({ Name: 'Resource' })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ProbeSuccess', TreatMissingData: 'breaching', DatapointsToAlarm: 3, EvaluationPeriods: 3 });
  });

  test('the memory metric filter (opt-in: it publishes every invocation) reads the platform report of the server log group', () => {
    expect(synth().template.findResources('AWS::Logs::MetricFilter', { Properties: { FilterPattern: Match.stringLikeRegexp('maxMemoryUsedMB') } })).toEqual({});
    const { template } = synth({ memoryAlarm: { enabled: true } });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('^McpLogGroup') },
      FilterPattern: Match.stringLikeRegexp('platform.report'),
    });
  });

  test('canary: false removes the canary and warns', () => {
    const { template, service, stack } = synth({ canary: false });
    expect(service.canary).toBeUndefined();
    template.resourceCountIs('AWS::Events::Rule', 0);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('canary .* is disabled'));
  });

  test('an alarm topic and e-mail subscriptions can be given', () => {
    const { template } = synth({ alarmEmails: ['oncall@example.com'] });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });
});

describe('McpLambdaService in a VPC', () => {
  test('the server role may manage the function\'s network interfaces (Lambda rejects a VPC function without them), and the function waits for the policy', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), vpc });
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^McpServiceRole') }] } });
    const actions = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement).flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface']));
    const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^MCP server') } }))[0] as any;
    expect(fn.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^McpServiceRoleDefaultPolicy/)]));
  });

  test('without a VPC the server role gets no EC2 permission', () => {
    const { template } = synth();
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toMatch(/ec2:CreateNetworkInterface/);
  });
});

describe('Regions without Function URLs', () => {
  test.each([
    'eu-central-2', 'me-central-1', 'il-central-1', 'ap-south-2', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ap-east-2', 'eu-south-2', 'ca-west-1', 'mx-central-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1',
  ])('in %s synth fails naming the region and McpFargateService', (region) => {
    expect(() => synth({ architecture: lambda.Architecture.X86_64 }, { region })).toThrow(
      new RegExp(`McpLambdaService 'Stack/Mcp': the stack's region ${region} has no Lambda Function URLs.*use McpFargateService`),
    );
  });

  test('GovCloud with a container image points to McpFargateService, not to another Function URL form', () => {
    let message = '';
    try {
      synth({ code: McpServerCode.fromImageAsset(IMAGE_DIR) }, { region: 'us-gov-west-1' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/McpFargateService/);
    expect(message).not.toMatch(/fromImageAsset/);
  });

  test('LambdaWebAdapter.layerArn alone in GovCloud names the container image way and McpFargateService', () => {
    const stack = new Stack(new App(), 'Gov', { env: { region: 'us-gov-west-1' } });
    expect(() => LambdaWebAdapter.layerArn(stack, lambda.Architecture.X86_64)).toThrow(
      /No Lambda Web Adapter layer is published in the aws-us-gov partition.*\/opt\/extensions\/lambda-adapter.*McpFargateService.*\[cdk-mcp:webAdapterPartition\]/,
    );
  });

  test('a region with Function URLs still synthesizes', () => {
    expect(() => synth({}, { region: 'eu-central-1' })).not.toThrow();
  });
});

describe('Container image platform', () => {
  function imagePlatform(props: Partial<McpLambdaServiceProps>): string | undefined {
    const { app } = synth({ code: McpServerCode.fromImageAsset(IMAGE_DIR), ...props });
    const assembly = app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Stack.assets.json'), 'utf8'));
    const images = Object.values(manifest.dockerImages) as Array<{ source: { platform?: string } }>;
    expect(images).toHaveLength(1);
    return images[0].source.platform;
  }

  test('the image asset is built for arm64 by default', () => {
    expect(imagePlatform({})).toBe('linux/arm64');
  });

  test('and for amd64 on x86_64', () => {
    expect(imagePlatform({ architecture: lambda.Architecture.X86_64 })).toBe('linux/amd64');
  });
});

describe('Defaults that fit AWS limits', () => {
  test('a deep construct path gives a description of at most 256 characters that keeps the end of the path', () => {
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
    const stack = new Stack(app, 'Stack');
    let scope: Construct = stack;
    for (let i = 0; i < 12; i++) scope = new Construct(scope, `AVeryLongConstructIdForNestingLevel${i}`);
    new McpLambdaService(scope, 'OrdersMcpServer', { code: McpServerCode.fromDirectory(SERVER_DIR) });
    const description = serverFunction(Template.fromStack(stack)).Description as string;
    expect(description.length).toBeLessThanOrEqual(256);
    expect(description).toMatch(/^MCP server \.\.\..*\/OrdersMcpServer$/);
  });

  test('a server environment over Lambda\'s 4 KB fails at synth, naming the size and the fix', () => {
    expect(() => synth({ environment: { BIG: 'x'.repeat(5 * 1024) } })).toThrow(
      /McpLambdaService 'Stack\/Mcp': the server function's environment .* takes \d+ bytes .*Lambda allows 4096 bytes.*into secrets/,
    );
  });

  test('an environment under 4 KB passes', () => {
    expect(() => synth({ environment: { SMALL: 'x'.repeat(3 * 1024) } })).not.toThrow();
  });
});

describe('Token-valued props never drop alarms', () => {
  test('reserved and provisioned concurrency from CfnParameters still get their alarms', () => {
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
    const stack = new Stack(app, 'Stack');
    const reserved = new CfnParameter(stack, 'Reserved', { type: 'Number' }).valueAsNumber;
    const provisioned = new CfnParameter(stack, 'Provisioned', { type: 'Number' }).valueAsNumber;
    new McpLambdaService(stack, 'Mcp', { code: McpServerCode.fromDirectory(SERVER_DIR), reservedConcurrency: reserved, provisionedConcurrency: provisioned });
    const template = Template.fromStack(stack);
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((id) => id.includes('ConcurrencyNearLimit'))).toHaveLength(1);
    expect(alarms.filter((id) => id.includes('ProvisionedConcurrencySpillover'))).toHaveLength(1);
    const concurrency = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).find(([id]) => id.includes('ConcurrencyNearLimit'))![1] as any;
    expect(concurrency.Properties.Threshold).toBe(80);
    expect(JSON.stringify(concurrency.Properties.Metrics)).toContain('"Ref":"Reserved"');
  });
});

describe('Lambda alarms count what they say', () => {
  test('each timeout is counted once: one LambdaTimeouts filter, on the JSON platform report', () => {
    const { template } = synth({ timeoutsAlarm: { enabled: true } });
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter') as Record<string, { Properties: any }>)
      .filter((f) => f.Properties.MetricTransformations[0].MetricName === 'LambdaTimeouts');
    expect(filters.map((f) => f.Properties.FilterPattern)).toEqual(['{ $.type = "platform.report" && $.record.status = "timeout" }']);
  });

  test('the Errors alarm does not claim server 5xx answers (the adapter maps none to errors); the URL 5xx alarm counts them', () => {
    const { template } = synth();
    const fn = serverFunction(template);
    expect(fn.Environment.Variables.AWS_LWA_ERROR_STATUS_CODES).toBeUndefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Url5xxCount' });
  });
});

describe('McpLambdaService runtime', () => {
  const PYTHON_SERVER_DIR = path.join(__dirname, '..', '..', 'examples', 'python-server');

  test('a Python server from a directory runs on the Python runtime through its run.sh and the Web Adapter', () => {
    const { template } = synth({ code: McpServerCode.fromDirectory(PYTHON_SERVER_DIR, { exclude: ['Dockerfile'] }), runtime: lambda.Runtime.PYTHON_3_11 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.11',
      Handler: 'run.sh',
      Layers: [Match.anyValue()],
      Environment: { Variables: Match.objectLike({ AWS_LAMBDA_EXEC_WRAPPER: '/opt/bootstrap', PORT: '8080' }) },
    });
  });

  test('fromEntry code on a Python runtime fails at synth: its run.sh execs node', () => {
    expect(() => synth({ code: McpServerCode.fromEntry(ENTRY), runtime: lambda.Runtime.PYTHON_3_12 }))
      .toThrow(/runtime python3\.12 cannot start McpServerCode\.fromEntry code: its run\.sh execs node.*McpServerCode\.fromDirectory with a run\.sh that execs python3/);
  });

  test('fromEntry code on another Node.js runtime is fine', () => {
    const { template } = synth({ code: McpServerCode.fromEntry(ENTRY), runtime: lambda.Runtime.NODEJS_22_X });
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Handler: 'run.sh' });
  });

  test('an OS-only runtime fails at synth: it runs no wrapper script, so the adapter would never start', () => {
    expect(() => synth({ runtime: lambda.Runtime.PROVIDED_AL2023 }))
      .toThrow(/runtime provided\.al2023 is an OS-only runtime, which runs no wrapper script \(AWS_LAMBDA_EXEC_WRAPPER\).*container image/);
  });
});
