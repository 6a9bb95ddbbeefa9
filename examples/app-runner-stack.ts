import * as path from 'path';
import { Annotations, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { exampleDomain } from './example-domain';
import { McpAppRunnerImage, McpAppRunnerService, McpNagAcknowledgements, McpSessionMode, McpWebAcl } from '../src';

/**
 * The example MCP server's Docker build context. `npx projen bundle:example-server` writes the
 * `dist/` bundle the Dockerfile copies; the image is built for linux/amd64 and pushed at deploy
 * time (synth only stages the folder, so no Docker is needed to synthesize).
 */
export const EXAMPLE_SERVER_CONTEXT = path.join(__dirname, 'server');

/** The tools the example server lists; the canary requires them and calls the read-only `health`. */
const EXAMPLE_TOOLS = ['echo', 'get_time', 'health'];

/** Acknowledgements both example stacks share, each with its reason. */
function acknowledgeExampleFindings(service: McpAppRunnerService): void {
  // The cdk-nag findings the service causes by design, each on its construct, with its reason.
  McpNagAcknowledgements.acknowledgeAppRunnerService(service);
  Annotations.of(service).acknowledgeWarning(
    'cdk-mcp:appRunnerClosedToNewCustomers',
    'This example is for accounts that already use App Runner; new accounts deploy examples/fargate-app.ts instead.',
  );
}

/**
 * The example MCP server as a stateless App Runner service: one to five instances, public HTTPS
 * URL from App Runner, probed every minute by the canary.
 */
export class McpAppRunnerExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpAppRunnerService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpAppRunnerService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      image: McpAppRunnerImage.fromAsset(EXAMPLE_SERVER_CONTEXT),
      environment: { MCP_SESSION_MODE: 'stateless', LOG_LEVEL: 'info' },
      cpu: 1024,
      memoryLimitMiB: 2048,
      maxInstances: 5,
      canaryExpectedTools: EXAMPLE_TOOLS,
      canarySentinelTool: 'health',
    });
    acknowledgeExampleFindings(this.service);
  }
}

/**
 * The example MCP server with legacy in-memory sessions (`MCP_SESSION_MODE=stateful`), which App
 * Runner can only serve from a single instance, with outbound traffic through a VPC connector
 * (to reach private resources) and X-Ray tracing.
 */
export class McpAppRunnerStatefulExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpAppRunnerService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { Rejected: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    this.service = new McpAppRunnerService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      image: McpAppRunnerImage.fromAsset(EXAMPLE_SERVER_CONTEXT),
      environment: { MCP_SESSION_MODE: 'stateful', MCP_SESSION_TTL_SECONDS: '900', LOG_LEVEL: 'info' },
      sessionMode: McpSessionMode.STATEFUL,
      maxInstances: 1,
      vpc,
      tracing: true,
      canaryExpectedTools: EXAMPLE_TOOLS,
      canarySentinelTool: 'health',
    });
    acknowledgeExampleFindings(this.service);
    Annotations.of(this.service).acknowledgeWarning(
      'cdk-mcp:appRunnerStatefulSessions',
      'The example shows the stateful variant on purpose: one instance, sessions lost on deploys, clients re-initialize.',
    );
  }
}

/**
 * The stateless example behind a custom domain and a web ACL: the service answers at
 * `https://mcp.<zone>/mcp` (App Runner validates and binds the domain's certificate; the stack
 * writes the records into the Route 53 zone), and AWS WAF filters every request. The zone is read
 * without a lookup from the context values `hostedZoneId` and `zoneName` (placeholders by
 * default: pass yours with `-c hostedZoneId=Z... -c zoneName=example.org` to deploy).
 */
export class McpAppRunnerCustomDomainExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpAppRunnerService;

  /** The web ACL in front of the service. */
  public readonly webAcl: McpWebAcl;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const { domainName, domainZone } = exampleDomain(this);
    this.webAcl = new McpWebAcl(this, 'WebAcl');
    this.service = new McpAppRunnerService(this, 'Mcp', {
      deployGate: true,
      image: McpAppRunnerImage.fromAsset(EXAMPLE_SERVER_CONTEXT),
      environment: { MCP_SESSION_MODE: 'stateless', LOG_LEVEL: 'info' },
      maxInstances: 5,
      domainName,
      domainZone,
      webAcl: this.webAcl,
      canaryExpectedTools: EXAMPLE_TOOLS,
      canarySentinelTool: 'health',
    });
    acknowledgeExampleFindings(this.service);
  }
}
