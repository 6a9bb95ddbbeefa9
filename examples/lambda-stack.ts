import * as path from 'path';
import { Annotations, Stack, StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { McpFunctionUrlAuth, McpLambdaService, McpNagAcknowledgements, McpServerCode, McpWebAcl } from '../src';

/** The example MCP server's entry file, bundled with esbuild at synth. */
export const EXAMPLE_SERVER_ENTRY = path.join(__dirname, 'server', 'src', 'main.ts');

/**
 * The Python example MCP server's Docker build context (its Dockerfile installs the pinned
 * requirements and copies the Lambda Web Adapter). Synth only stages the folder; the image is
 * built and pushed at deploy time, so synthesizing needs neither pip nor Docker.
 */
export const PYTHON_SERVER_CONTEXT = path.join(__dirname, 'python-server');

/**
 * The example MCP server on Lambda behind an IAM-authenticated Function URL (the default): only
 * SigV4-signed callers you grant (`grantInvokeUrl`) reach it.
 */
export class McpLambdaExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpLambdaService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpLambdaService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      code: McpServerCode.fromEntry(EXAMPLE_SERVER_ENTRY),
      environment: { LOG_LEVEL: 'info' },
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeLambdaService(this.service);
  }
}

/**
 * The example MCP server as a public endpoint with provisioned concurrency: for servers that
 * authenticate requests themselves, or that are public on purpose.
 */
export class McpLambdaPublicExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpLambdaService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpLambdaService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      code: McpServerCode.fromEntry(EXAMPLE_SERVER_ENTRY),
      auth: McpFunctionUrlAuth.NONE,
      provisionedConcurrency: 1,
      reservedConcurrency: 10,
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeLambdaService(this.service);
    // The example server is public on purpose: it exposes only echo, get_time and a health check.
    Annotations.of(this.service).acknowledgeWarning('cdk-mcp:unauthenticatedUrl', 'public on purpose: echo, get_time and health only');
  }
}

/**
 * The Python example MCP server (official MCP Python SDK) on Lambda as a container image, behind
 * an IAM-authenticated Function URL. The image is built for the function's architecture (arm64 by
 * default), and the canary expects the same three tools as the TypeScript example and calls the
 * read-only `health` sentinel.
 */
export class McpLambdaPythonExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpLambdaService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpLambdaService(this, 'Mcp', {
      code: McpServerCode.fromImageAsset(PYTHON_SERVER_CONTEXT),
      // Importing the SDK (pydantic, starlette, uvicorn) takes about 2 s of CPU: more memory is more CPU.
      memorySize: 2048,
      environment: { LOG_LEVEL: 'info' },
      canaryExpectedTools: ['echo', 'get_time', 'health'],
      canarySentinelTool: 'health',
    });
  }
}

/**
 * The example MCP server behind its own domain and a web ACL: an API Gateway REST API (streaming
 * Lambda proxy integration to the `live` alias) answers `https://mcp.example.com/mcp`, the
 * `McpWebAcl` (rate limit, AWS managed rules, MCP clients' user agents let through) guards its
 * stage, and the execute-api endpoint is closed. The Function URL stays, IAM-authenticated, as the
 * origin the canary probes with SigV4 when the domain fails. The hosted zone is read without a
 * lookup, so synth needs no account; replace its id and name with yours.
 */
export class McpLambdaCustomDomainExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpLambdaService;

  /** The web ACL on the API Gateway stage. */
  public readonly webAcl: McpWebAcl;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' });
    this.webAcl = new McpWebAcl(this, 'WebAcl', { serviceName: 'lambda-mcp-example' });
    this.service = new McpLambdaService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      code: McpServerCode.fromEntry(EXAMPLE_SERVER_ENTRY),
      environment: { LOG_LEVEL: 'info' },
      domainName: 'mcp.example.com',
      domainZone: zone,
      webAcl: this.webAcl,
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeLambdaService(this.service);
  }
}
