import { Annotations, Stack, StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { EXAMPLE_SERVER_ENTRY } from './lambda-stack';
import { McpNagAcknowledgements, McpWebAcl, McpWebAclScope, McpWebFunctionAuth, McpWebFunctionCode, McpWebFunctionService } from '../src';

/** The example's hosted zone: replace with yours (read without a lookup, so synth needs no account). */
export const EXAMPLE_ZONE = { hostedZoneId: 'Z0123456789EXAMPLE0AB', zoneName: 'example.com' } as const;

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

/**
 * The example MCP server on a Web Function behind a CloudFront front door: a custom domain with a
 * certificate created in the zone, A and AAAA alias records, and a web ACL. The endpoint stays
 * IAM-only and only the distribution may call it. In us-east-1, where CloudFront takes
 * certificates and web ACLs from: a stack elsewhere passes both in from a us-east-1 stack.
 */
export class McpWebFunctionDomainExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpWebFunctionService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, env: props?.env ?? { region: 'us-east-1' } });
    this.service = new McpWebFunctionService(this, 'Mcp', {
      deployGate: true,
      code: McpWebFunctionCode.fromEntry(EXAMPLE_SERVER_ENTRY),
      domainName: `mcp.${EXAMPLE_ZONE.zoneName}`,
      domainZone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', EXAMPLE_ZONE),
      webAcl: new McpWebAcl(this, 'WebAcl', { scope: McpWebAclScope.CLOUDFRONT }),
    });
    McpNagAcknowledgements.acknowledgeWebFunctionService(this.service);
  }
}
