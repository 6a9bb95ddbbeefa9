import * as path from 'path';
import { Annotations, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { McpFunctionUrlAuth, McpLambdaService, McpNagAcknowledgements, McpServerCode } from '../src';

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
