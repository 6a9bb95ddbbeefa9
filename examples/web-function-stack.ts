import { Annotations, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { EXAMPLE_SERVER_ENTRY } from './lambda-stack';
import { McpWebFunctionAuth, McpWebFunctionCode, McpWebFunctionService } from '../src';

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
    // cloudwatch:PutMetricData (the gate's maintenance window) has no resource-level permissions;
    // the statement is narrowed by the cloudwatch:namespace condition instead.
    Validations.of(this.service.monitoring.deployGate!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData supports no resource-level permissions; a cloudwatch:namespace condition limits it to the probe namespace.',
    });
    suppressCodeStagingFindings(this);
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
    // cloudwatch:PutMetricData (the gate's maintenance window) has no resource-level permissions;
    // the statement is narrowed by the cloudwatch:namespace condition instead.
    Validations.of(this.service.monitoring.deployGate!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData supports no resource-level permissions; a cloudwatch:namespace condition limits it to the probe namespace.',
    });
    // The example server is public on purpose: it exposes only echo, get_time and a health check.
    Annotations.of(this.service).acknowledgeWarning('cdk-mcp:unauthenticatedWebFunctionEndpoint', 'public on purpose: echo, get_time and health only');
    suppressCodeStagingFindings(this);
  }
}

/**
 * Findings on what aws-cdk-lib's `WebFunctionCode.fromAssetToManagedBucket` creates to stage code
 * (Web Functions read zips only from a versioned bucket that the Lambda service may read, so the
 * bootstrap bucket cannot be used): the per-stack code bucket and its copy custom resource.
 */
function suppressCodeStagingFindings(stack: Stack): void {
  const staging = stack.node.children.filter((c: IConstruct) =>
    c.node.id === 'AWSCDKWebFunctionAssetBucket' || c.node.id.startsWith('Custom::S3ObjectCopy'));
  const s3Reason = 'The aws-cdk-lib copy provider reads staged assets and writes under web-function/ of the code bucket (object keys are content hashes).';
  const findings: Array<[string, string]> = [
    ['AwsSolutions-S1', 'The code bucket holds only deployment packages written by CloudFormation; CloudTrail audits its access.'],
    ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'The aws-cdk-lib copy provider writes its own logs.'],
    ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]', s3Reason],
    ['AwsSolutions-IAM5[Action::s3:Abort*]', s3Reason],
    ['AwsSolutions-IAM5[Resource::<AWSCDKWebFunctionAssetBucket5B596593.Arn>/web-function/*]', s3Reason],
    ['AwsSolutions-IAM5[Action::s3:DeleteObject*]', s3Reason],
  ];
  for (const construct of staging) {
    for (const [id, reason] of findings) Validations.of(construct).acknowledge({ id, reason });
  }
}
