import { Annotations, Stack } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ValidationErrors } from '../../private/validation';

/** The Docker platform whose images run on tasks of `architecture`. */
function platformOf(architecture: ecs.CpuArchitecture): ecrAssets.Platform {
  // By value: CpuArchitecture.of('ARM64') is another instance than CpuArchitecture.ARM64.
  const arm = architecture._cpuArchitecture === ecs.CpuArchitecture.ARM64._cpuArchitecture;
  return arm ? ecrAssets.Platform.LINUX_ARM64 : ecrAssets.Platform.LINUX_AMD64;
}

/** The name of the `Platform` member for a platform of {@link platformOf}. */
function platformMember(platform: ecrAssets.Platform): string {
  return platform.platform === ecrAssets.Platform.LINUX_ARM64.platform ? 'LINUX_ARM64' : 'LINUX_AMD64';
}

/** What `ecs.ContainerImage.fromAsset(directory, props)` keeps (its fields are private in the typings). */
interface AssetImageFields {
  readonly directory?: unknown;
  readonly props?: ecs.AssetImageProps;
}

/**
 * The image to run on tasks of `architecture`. An image built by the construct's deployment
 * (`ecs.ContainerImage.fromAsset`) without a `platform` would be built for the deploying
 * machine's CPU, and a task of the other architecture exits at start with `exec format error`:
 * it is built for the tasks' platform instead, as the Lambda image assets follow `architecture`.
 * A `platform` that contradicts `architecture` is a synth error. Other images pass unchanged.
 */
export function imageForArchitecture(scope: Construct, image: ecs.ContainerImage, architecture: ecs.CpuArchitecture): ecs.ContainerImage {
  if (!(image instanceof ecs.AssetImage)) {
    return image;
  }
  const expected = platformOf(architecture);
  const { directory, props = {} } = image as unknown as AssetImageFields;
  if (typeof directory !== 'string') {
    // An aws-cdk-lib whose AssetImage keeps its options elsewhere: say so instead of guessing.
    warnUnchecked(scope, 'ecs.ContainerImage.fromAsset(...)', architecture, expected);
    return image;
  }
  if (props.platform === undefined) {
    return ecs.ContainerImage.fromAsset(directory, { ...props, platform: expected });
  }
  if (props.platform.platform !== expected.platform) {
    const errors = new ValidationErrors('McpFargateService', scope);
    errors.check('cdk-mcp:imagePlatformMismatch', false, `cpuArchitecture is ${architecture._cpuArchitecture} but the image asset is built for platform ${props.platform.platform}: `
      + `the tasks would exit at start with "exec format error". Build the image for ${expected.platform} (platform: Platform.${platformMember(expected)}), `
      + 'or leave platform out and the service builds it for cpuArchitecture, or change cpuArchitecture.');
    errors.throwIfAny();
  }
  return image;
}

/**
 * Warns when the container's image is a `DockerImageAsset` made outside the service
 * (`ecs.ContainerImage.fromDockerImageAsset`): the asset does not expose the platform it is built
 * for, so the construct cannot check it against `architecture`.
 */
export function warnOnForeignImageAsset(service: Construct, imageName: string, architecture: ecs.CpuArchitecture): void {
  const asset = Stack.of(service).node.findAll().find((c): c is ecrAssets.DockerImageAsset => c instanceof ecrAssets.DockerImageAsset
    && c.imageUri === imageName && !c.node.path.startsWith(`${service.node.path}/`));
  if (asset) {
    warnUnchecked(service, `the DockerImageAsset ${asset.node.path}`, architecture, platformOf(architecture));
  }
}

function warnUnchecked(scope: Construct, what: string, architecture: ecs.CpuArchitecture, expected: ecrAssets.Platform): void {
  Annotations.of(scope).addWarningV2('cdk-mcp:imageAssetPlatformUnchecked',
    `The image is ${what}, whose platform the service cannot read. Built without \`platform\`, it is built for the deploying machine's CPU, `
    + `and the tasks (cpuArchitecture ${architecture._cpuArchitecture}) exit at start with "exec format error" where the two differ. `
    + `Give the asset platform: Platform.${platformMember(expected)} (${expected.platform}) and acknowledge this warning, `
    + 'or pass ecs.ContainerImage.fromAsset(directory), which the service builds for cpuArchitecture.');
}
