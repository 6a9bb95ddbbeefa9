import { CfnCondition, Fn, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { ValidationErrors } from '../private/validation';

/** AWS account that publishes the Lambda Web Adapter layers in the commercial partition. */
const COMMERCIAL_PUBLISHER = '753240598075';
/** Publisher accounts in the China partition, per region (x86_64 layers only). */
const CHINA_PUBLISHERS: { [region: string]: string } = {
  'cn-north-1': '041581134020',
  'cn-northwest-1': '069767869989',
};
/**
 * The commercial regions of the release pipeline for Lambda Web Adapter 1.0.0: the 33 entries of
 * aws/aws-lambda-web-adapter .github/workflows/prod.json at tag v1.0.0 (me-south-1 was removed by
 * PR #691 just before), each with arm64_supported: true.
 */
const REGIONS_1_0_0: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'il-central-1', 'me-central-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

/** From 1.0.1 on, me-central-1 is out of prod.json (PR #744): 32 regions (PR #871: "all 32 deploy-prod regions"). */
const REGIONS_1_0_1: readonly string[] = REGIONS_1_0_0.filter((r) => r !== 'me-central-1');

/** What one adapter release (one layer version) reaches. */
interface LayerRelease {
  /** The adapter release, e.g. '1.1.0'. */
  readonly release: string;
  /** Commercial regions with the layer (both architectures). */
  readonly regions: readonly string[];
  /** China regions with the layer (both architectures). */
  readonly chinaRegions: readonly string[];
}

/**
 * Every known layer version, from the adapter's release pipeline (aws/aws-lambda-web-adapter
 * .github/workflows/prod.json and cn-prod.json, run by release.yaml, which deploys arm64 where
 * arm64_supported is true). China publishes arm64 since PR #621 (cn-prod.json arm64_supported:
 * true for both regions), although the user guide still lists x86_64 only there; the pipeline is
 * what publishes, so both architectures are allowed.
 */
const LAYER_RELEASES: { readonly [layerVersion: number]: LayerRelease } = {
  // 1.0.0: release.yaml at v1.0.0 runs deploy-prod and deploy-china-prod.
  27: { release: '1.0.0', regions: REGIONS_1_0_0, chinaRegions: ['cn-north-1', 'cn-northwest-1'] },
  // 1.0.1 (PR #746, security fixes): "China prod layers are not deployed by the current release
  // pipeline (the deploy-china-prod job is disabled)".
  28: { release: '1.0.1', regions: REGIONS_1_0_1, chinaRegions: [] },
  // 1.1.0 (PR #871): 29 was cut by a reverted release and skipped; "all 32 deploy-prod regions and
  // both deploy-china-prod regions" succeeded. The China layer version is kept in lockstep with
  // commercial by the docs' convention (PR #746); the China console is the final word.
  30: { release: '1.1.0', regions: REGIONS_1_0_1, chinaRegions: ['cn-north-1', 'cn-northwest-1'] },
};

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
  /**
   * The adapter layer version used by default: 30, Lambda Web Adapter 1.1.0, the current release
   * (aws/aws-lambda-web-adapter PR #871; 28 is 1.0.1 with security fixes, PR #746; 27 is 1.0.0).
   */
  public static readonly DEFAULT_LAYER_VERSION = 30;

  /**
   * The Lambda Web Adapter release of `DEFAULT_LAYER_VERSION`: '1.1.0'. A container image should
   * copy the adapter of the same release
   * (`COPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:1.1.0 /lambda-adapter /opt/extensions/lambda-adapter`),
   * since earlier releases ignore the 2xx readiness range the construct sets.
   *
   * @see https://github.com/aws/aws-lambda-web-adapter/releases
   */
  public static readonly DEFAULT_RELEASE: string = LAYER_RELEASES[LambdaWebAdapter.DEFAULT_LAYER_VERSION].release;

  /** The path of the adapter's wrapper script in the layer (`AWS_LAMBDA_EXEC_WRAPPER`). */
  public static readonly EXEC_WRAPPER = '/opt/bootstrap';

  /**
   * The ARN of the adapter layer for the stack's partition, region and the given architecture.
   *
   * With a concrete stack region, the ARN is a literal and unsupported places fail at synth:
   * GovCloud and the other isolated partitions (no layer is published there), and, for the
   * versions the library knows (27, 28, 30), every region the release pipeline did not publish
   * that version to (e.g. me-central-1 from 28 on, China for 28). Other versions are checked
   * against the partition only. For an
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
      ValidationErrors.fail('cdk-mcp:webAdapterLayerVersion', 'LambdaWebAdapter.layerArn',
        `webAdapterLayerVersion must be a positive integer (got ${layerVersion}). ` +
          `Use the version listed in the Lambda Web Adapter release notes, e.g. ${LambdaWebAdapter.DEFAULT_LAYER_VERSION}.`, scope);
    }
    const layerName = LambdaWebAdapter.layerName(architecture);
    const region = Stack.of(scope).region;

    if (Token.isUnresolved(region)) {
      return LambdaWebAdapter.deployTimeArn(scope, architecture, layerName, layerVersion);
    }

    const partition = RegionInfo.get(region).partition ?? 'aws';
    const release = LAYER_RELEASES[layerVersion];
    if (partition === 'aws') {
      if (release && !release.regions.includes(region)) {
        ValidationErrors.fail('cdk-mcp:webAdapterLayerNotInRegion', 'LambdaWebAdapter.layerArn', unpublishedMessage(region, layerVersion, release), scope);
      }
      return `arn:aws:lambda:${region}:${COMMERCIAL_PUBLISHER}:layer:${layerName}:${layerVersion}`;
    }
    if (partition === 'aws-cn') {
      const publisher = CHINA_PUBLISHERS[region];
      if (!publisher) {
        ValidationErrors.fail('cdk-mcp:webAdapterNoChinaPublisher', 'LambdaWebAdapter.layerArn',
          `No Lambda Web Adapter layer is known for region ${region}. Use a container image (McpServerCode.fromImageAsset).`, scope);
      }
      if (release && !release.chinaRegions.includes(region)) {
        ValidationErrors.fail('cdk-mcp:webAdapterLayerNotInChinaRegion', 'LambdaWebAdapter.layerArn', unpublishedMessage(region, layerVersion, release), scope);
      }
      if (!release && architecture.name === lambda.Architecture.ARM_64.name) {
        ValidationErrors.fail('cdk-mcp:webAdapterUnknownChinaArm64', 'LambdaWebAdapter.layerArn',
          `Layer version ${layerVersion} is not one the library knows; the China regions had x86_64 layers only before Lambda Web Adapter 1.0.0 ` +
            `(stack region ${region}). Use the default webAdapterLayerVersion (${LambdaWebAdapter.DEFAULT_LAYER_VERSION}), or set architecture: lambda.Architecture.X86_64.`, scope);
      }
      return `arn:aws-cn:lambda:${region}:${publisher}:layer:${layerName}:${layerVersion}`;
    }
    // No prod pipeline targets these partitions (aws/aws-lambda-web-adapter .github/workflows/prod.json, cn-prod.json).
    ValidationErrors.fail('cdk-mcp:webAdapterPartition', 'LambdaWebAdapter.layerArn',
      `No Lambda Web Adapter layer is published in the ${partition} partition (stack region ${region}). ` +
        'For a function of your own, build a container image whose Dockerfile copies the adapter into /opt/extensions/lambda-adapter. ' +
        'For an MCP server, use McpFargateService: McpLambdaService also needs a Lambda Function URL, which this region does not offer.', scope);
  }

  private static layerName(architecture: lambda.Architecture): string {
    return architecture.name === lambda.Architecture.ARM_64.name ? 'LambdaAdapterLayerArm64' : 'LambdaAdapterLayerX86';
  }

  /** Environment-agnostic stack: pick the publisher account at deploy time. */
  private static deployTimeArn(scope: Construct, architecture: lambda.Architecture, layerName: string, layerVersion: number): string {
    const template = `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${Publisher}:layer:${layerName}:${layerVersion}`;
    const release = LAYER_RELEASES[layerVersion];
    if (release ? release.chinaRegions.length === 0 : architecture.name === lambda.Architecture.ARM_64.name) {
      // No China layer of this version (or, for an unknown version, arm64: x86_64 only before 1.0.0).
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

/** The error for a region the release pipeline did not publish a known layer version to. */
function unpublishedMessage(region: string, layerVersion: number, release: LayerRelease): string {
  const reaching = Object.entries(LAYER_RELEASES)
    .filter(([, r]) => r.regions.includes(region) || r.chinaRegions.includes(region))
    .map(([v, r]) => `${v} (${r.release})`);
  return `Lambda Web Adapter ${release.release} (layer version ${layerVersion}) is not published in ${region} ` +
    '(aws/aws-lambda-web-adapter release pipeline, .github/workflows/prod.json and cn-prod.json). ' +
    (reaching.length > 0 ? `Set webAdapterLayerVersion to one that is: ${reaching.join(', ')}; ` : 'No known layer version reaches it; ') +
    'or use a container image (McpServerCode.fromImageAsset) with the adapter copied into /opt/extensions.';
}
