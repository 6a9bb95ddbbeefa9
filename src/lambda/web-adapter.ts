import { CfnCondition, Fn, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';

/** AWS account that publishes the Lambda Web Adapter layers in the commercial partition. */
const COMMERCIAL_PUBLISHER = '753240598075';
/** Publisher accounts in the China partition, per region (x86_64 layers only). */
const CHINA_PUBLISHERS: { [region: string]: string } = {
  'cn-north-1': '041581134020',
  'cn-northwest-1': '069767869989',
};
/** Commercial regions where the adapter is no longer published. */
const UNPUBLISHED_COMMERCIAL_REGIONS = ['me-south-1'];

/**
 * The Lambda Web Adapter (aws/aws-lambda-web-adapter), which runs an ordinary HTTP server inside a
 * Lambda function and translates Function URL events (buffered or streamed) into HTTP requests.
 *
 * `McpLambdaService` attaches it for you; use this class to resolve the layer for a function of
 * your own.
 *
 * @see https://github.com/aws/aws-lambda-web-adapter
 */
export class LambdaWebAdapter {
  /** The adapter layer version used by default (Lambda Web Adapter 1.0.0). */
  public static readonly DEFAULT_LAYER_VERSION = 27;

  /** The path of the adapter's wrapper script in the layer (`AWS_LAMBDA_EXEC_WRAPPER`). */
  public static readonly EXEC_WRAPPER = '/opt/bootstrap';

  /**
   * The ARN of the adapter layer for the stack's partition, region and the given architecture.
   *
   * With a concrete stack region, the ARN is a literal and unsupported places fail at synth:
   * GovCloud and the other isolated partitions (no layer is published there), arm64 in China
   * (x86_64 only), and regions where the layer is no longer published. For an
   * environment-agnostic stack the ARN is resolved at deploy time from `AWS::Partition` and
   * `AWS::Region`; deploying such a stack where no layer exists fails with "layer not found":
   * give the stack an `env`, or use a container image (`McpServerCode.fromImageAsset`) with
   * the adapter copied into `/opt/extensions`.
   *
   * @param scope a construct in the stack that will use the layer
   * @param architecture the function's architecture
   * @param version the layer version @default LambdaWebAdapter.DEFAULT_LAYER_VERSION
   */
  public static layerArn(scope: Construct, architecture: lambda.Architecture, version?: number): string {
    const layerVersion = version ?? LambdaWebAdapter.DEFAULT_LAYER_VERSION;
    if (!Token.isUnresolved(layerVersion) && (!Number.isInteger(layerVersion) || layerVersion < 1)) {
      throw new Error(
        `webAdapterLayerVersion must be a positive integer (got ${layerVersion}). ` +
          `Use the version listed in the Lambda Web Adapter release notes, e.g. ${LambdaWebAdapter.DEFAULT_LAYER_VERSION}.`,
      );
    }
    const layerName = LambdaWebAdapter.layerName(architecture);
    const region = Stack.of(scope).region;

    if (Token.isUnresolved(region)) {
      return LambdaWebAdapter.deployTimeArn(scope, architecture, layerName, layerVersion);
    }

    const partition = RegionInfo.get(region).partition ?? 'aws';
    if (partition === 'aws') {
      if (UNPUBLISHED_COMMERCIAL_REGIONS.includes(region)) {
        throw new Error(
          `The Lambda Web Adapter layer is not published in ${region}. ` +
            'Deploy the MCP server as a container image (McpServerCode.fromImageAsset) with the adapter extension copied into /opt/extensions.',
        );
      }
      return `arn:aws:lambda:${region}:${COMMERCIAL_PUBLISHER}:layer:${layerName}:${layerVersion}`;
    }
    if (partition === 'aws-cn') {
      const publisher = CHINA_PUBLISHERS[region];
      if (architecture.name === lambda.Architecture.ARM_64.name) {
        throw new Error(
          `The Lambda Web Adapter layer is published for x86_64 only in the China regions (stack region ${region}). ` +
            'Set architecture: lambda.Architecture.X86_64, or use a container image (McpServerCode.fromImageAsset).',
        );
      }
      if (!publisher) {
        throw new Error(`No Lambda Web Adapter layer is known for region ${region}. Use a container image (McpServerCode.fromImageAsset).`);
      }
      return `arn:aws-cn:lambda:${region}:${publisher}:layer:${layerName}:${layerVersion}`;
    }
    // No prod pipeline targets these partitions (aws/aws-lambda-web-adapter .github/workflows/prod.json, cn-prod.json).
    throw new Error(
      `No Lambda Web Adapter layer is published in the ${partition} partition (stack region ${region}). ` +
        'For a function of your own, build a container image whose Dockerfile copies the adapter into /opt/extensions/lambda-adapter. ' +
        'For an MCP server, use McpFargateService: McpLambdaService also needs a Lambda Function URL, which this region does not offer.',
    );
  }

  private static layerName(architecture: lambda.Architecture): string {
    return architecture.name === lambda.Architecture.ARM_64.name ? 'LambdaAdapterLayerArm64' : 'LambdaAdapterLayerX86';
  }

  /** Environment-agnostic stack: pick the publisher account at deploy time. */
  private static deployTimeArn(scope: Construct, architecture: lambda.Architecture, layerName: string, layerVersion: number): string {
    const template = `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${Publisher}:layer:${layerName}:${layerVersion}`;
    if (architecture.name === lambda.Architecture.ARM_64.name) {
      // arm64 layers exist in the commercial partition only.
      return Fn.sub(template, { Publisher: COMMERCIAL_PUBLISHER });
    }
    let publisher: string = COMMERCIAL_PUBLISHER;
    for (const [region, account] of Object.entries(CHINA_PUBLISHERS).reverse()) {
      const id = `WebAdapterIn${region.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('')}`;
      const condition =
        (scope.node.tryFindChild(id) as CfnCondition | undefined) ??
        new CfnCondition(scope, id, { expression: Fn.conditionEquals(Stack.of(scope).region, region) });
      publisher = Fn.conditionIf(condition.logicalId, account, publisher).toString();
    }
    return Fn.sub(template, { Publisher: publisher });
  }

  private constructor() {}
}
