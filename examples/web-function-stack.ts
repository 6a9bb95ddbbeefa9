import { Annotations, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EXAMPLE_SERVER_ENTRY } from './lambda-stack';
import { McpNagAcknowledgements, McpWebFunctionAuth, McpWebFunctionCode, McpWebFunctionService } from '../src';

/**
 * The example MCP server on a Lambda Web Function with an IAM endpoint (the default): only
 * SigV4-signed callers you grant (`grantInvoke`) reach it; the canary signs its probes.
 */
export class McpWebFunctionExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpWebFunctionService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpWebFunctionService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      code: McpWebFunctionCode.fromEntry(EXAMPLE_SERVER_ENTRY),
      environment: { LOG_LEVEL: 'info' },
      maxConcurrencyPerEnvironment: 32,
      maxEnvironments: 4,
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeWebFunctionService(this.service);
  }
}

/**
 * The example MCP server on a public (application-managed) Web Function endpoint, capped at 100
 * requests per second: for servers that authenticate requests themselves, or public on purpose.
 */
export class McpWebFunctionPublicExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpWebFunctionService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpWebFunctionService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      code: McpWebFunctionCode.fromEntry(EXAMPLE_SERVER_ENTRY),
      auth: McpWebFunctionAuth.APPLICATION_MANAGED,
      rateLimit: 100,
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeWebFunctionService(this.service);
    // The example server is public on purpose: it exposes only echo, get_time and a health check.
    Annotations.of(this.service).acknowledgeWarning('cdk-mcp:unauthenticatedWebFunctionEndpoint', 'public on purpose: echo, get_time and health only');
  }
}
