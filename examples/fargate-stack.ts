import * as path from 'path';
import { Annotations, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { exampleDomain } from './example-domain';
import { McpFargateService, McpNagAcknowledgements, McpSessionMode, McpWebAcl } from '../src';

/**
 * The example MCP server's Docker build context. `npx projen bundle:example-server` writes the
 * `dist/` bundle the Dockerfile copies; the image is built and pushed at deploy time (synth only
 * stages the folder, so no Docker is needed to synthesize).
 */
export const EXAMPLE_SERVER_CONTEXT = path.join(__dirname, 'server');

/**
 * The example server image, built for x86_64 (the tasks' default architecture) even on an arm64
 * machine.
 */
function exampleServerImage(): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(EXAMPLE_SERVER_CONTEXT, { platform: ecr_assets.Platform.LINUX_AMD64 });
}

/**
 * The unprivileged user of the example image (its Dockerfile's `USER`), named in the task
 * definition as well so that the task definition itself says the container does not run as root.
 */
export const EXAMPLE_SERVER_USER = 'node';

/** The warning both example stacks acknowledge, with its reason. */
function acknowledgePlainHttp(service: McpFargateService): void {
  Annotations.of(service).acknowledgeWarning(
    'cdk-mcp:plainHttp',
    'The example has no domain. Deploy it with domainName and domainZone (or certificate) for HTTPS before real clients send tokens.',
  );
}

/**
 * The example MCP server as a stateless service on Fargate: two tasks behind a public load
 * balancer, scaling to six on request count, access logs in a bucket.
 *
 * Access logs need a concrete region: the stack uses `props.env`, else the CLI's default region,
 * else us-east-1.
 */
export class McpFargateExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpFargateService;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { ...props, env: props.env ?? { region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' } });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the load balancer\'s access logs; logging access to the log bucket itself would need yet another bucket.',
    });

    this.service = new McpFargateService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      image: exampleServerImage(),
      user: EXAMPLE_SERVER_USER,
      desiredCount: 2,
      minTaskCount: 2,
      maxTaskCount: 6,
      accessLogBucket: accessLogs,
      accessLogPrefix: 'mcp-alb',
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeFargateService(this.service);
    acknowledgePlainHttp(this.service);
  }
}

/**
 * The example MCP server with legacy in-memory sessions (`MCP_SESSION_MODE=stateful`) on two
 * tasks: the target group pins each client to a task with the `AWSALB` cookie for an hour.
 */
export class McpFargateStatefulExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpFargateService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new McpFargateService(this, 'Mcp', {
      // Probe every deployment before it counts; a failing one rolls back (docs/monitoring.md, "Deploy gate").
      deployGate: true,
      image: exampleServerImage(),
      user: EXAMPLE_SERVER_USER,
      desiredCount: 2,
      sessionMode: McpSessionMode.STATEFUL,
      stickinessDuration: Duration.hours(1),
      environment: { MCP_SESSION_MODE: 'stateful', MCP_SESSION_TTL_SECONDS: '3600' },
    });
    // The cdk-nag findings the service causes by design, each on its construct, with its reason.
    McpNagAcknowledgements.acknowledgeFargateService(this.service);
    acknowledgePlainHttp(this.service);
    Annotations.of(this.service).acknowledgeWarning(
      'cdk-mcp:statefulNeedsCookies',
      'The example demonstrates stickiness for clients that keep cookies; cookie-less clients should use the stateless example.',
    );
  }
}

/**
 * The stateless example behind a custom domain and a web ACL: HTTPS on the load balancer with a
 * DNS-validated certificate for `mcp.<zone>` (HTTP redirects), an alias record in the Route 53
 * zone, and AWS WAF on the load balancer. The zone is read without a lookup from the context
 * values `hostedZoneId` and `zoneName` (placeholders by default: pass yours with
 * `-c hostedZoneId=Z... -c zoneName=example.org` to deploy).
 */
export class McpFargateCustomDomainExampleStack extends Stack {
  /** The service, for tests and outputs. */
  public readonly service: McpFargateService;

  /** The web ACL in front of the load balancer. */
  public readonly webAcl: McpWebAcl;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const { domainName, domainZone } = exampleDomain(this);
    this.webAcl = new McpWebAcl(this, 'WebAcl');
    this.service = new McpFargateService(this, 'Mcp', {
      deployGate: true,
      image: exampleServerImage(),
      user: EXAMPLE_SERVER_USER,
      domainName,
      domainZone,
      webAcl: this.webAcl,
    });
    McpNagAcknowledgements.acknowledgeFargateService(this.service);
  }
}
