import { Stack, StackProps } from 'aws-cdk-lib';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { EXAMPLE_SERVER_CONTEXT } from './fargate-stack';
import { PYTHON_SERVER_CONTEXT } from './lambda-stack';
import { EXAMPLE_ZONE } from './web-function-stack';
import { McpExpressService, McpNagAcknowledgements, McpWebAcl, McpWebAclScope } from '../src';

/**
 * The example MCP server as a stateless service on ECS Express Mode: two to six tasks scaling on
 * requests per task, behind the HTTPS endpoint Express Mode creates, probed every minute by the
 * canary. The image is built for x86_64 (Express Mode's task architecture) even on an arm64
 * machine.
 */
export class McpExpressExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpExpressService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpExpressService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      image: ecs.ContainerImage.fromAsset(EXAMPLE_SERVER_CONTEXT, { platform: ecr_assets.Platform.LINUX_AMD64 }),
      minTaskCount: 2,
      maxTaskCount: 6,
      canaryExpectedTools: ['echo', 'get_time', 'health'],
      canarySentinelTool: 'health',
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeExpressService(this.service);
  }
}

/**
 * The Python example MCP server (official MCP Python SDK) on ECS Express Mode, from the same
 * Dockerfile as its Lambda image: one to three tasks, x86_64. The image sets `PORT=8080`, which
 * is Express Mode's default container port, and answers `GET /healthz`.
 */
export class McpExpressPythonExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpExpressService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpExpressService(this, 'Mcp', {
      image: ecs.ContainerImage.fromAsset(PYTHON_SERVER_CONTEXT, { platform: ecr_assets.Platform.LINUX_AMD64 }),
      minTaskCount: 1,
      maxTaskCount: 3,
      canaryExpectedTools: ['echo', 'get_time', 'health'],
      canarySentinelTool: 'health',
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeExpressService(this.service);
  }
}

/**
 * The example MCP server on ECS Express Mode behind a CloudFront front door: a custom domain with
 * a certificate created in the zone, A and AAAA alias records, and a web ACL. The Express URL
 * stays reachable directly, past the web ACL (docs/express.md, "Custom domain and WAF"). In
 * us-east-1, where CloudFront takes certificates and web ACLs from.
 */
export class McpExpressDomainExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpExpressService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, env: props?.env ?? { region: 'us-east-1' } });
    this.service = new McpExpressService(this, 'Mcp', {
      deployGate: true,
      image: ecs.ContainerImage.fromAsset(EXAMPLE_SERVER_CONTEXT, { platform: ecr_assets.Platform.LINUX_AMD64 }),
      canaryExpectedTools: ['echo', 'get_time', 'health'],
      canarySentinelTool: 'health',
      domainName: `mcp-express.${EXAMPLE_ZONE.zoneName}`,
      domainZone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', EXAMPLE_ZONE),
      webAcl: new McpWebAcl(this, 'WebAcl', { scope: McpWebAclScope.CLOUDFRONT }),
    });
    McpNagAcknowledgements.acknowledgeExpressService(this.service);
  }
}
