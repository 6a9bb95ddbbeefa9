import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpFargateService } from '../../src';
import { warningsOf } from '../support/kit';

/** A build context with only a Dockerfile: synth stages it, no Docker engine is needed. */
const CONTEXT = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-image-'));
fs.writeFileSync(path.join(CONTEXT, 'Dockerfile'), 'FROM public.ecr.aws/docker/library/node:22-slim\n');

/** The platforms of the Docker images a stack's assets are built for (`undefined`: the deploying machine's). */
function assetPlatforms(app: App, stack: Stack): Array<string | undefined> {
  const assembly = app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'));
  return Object.values<any>(manifest.dockerImages ?? {}).map((image) => image.source.platform);
}

function stackOf(app: App): Stack {
  return new Stack(app, 'Stack');
}

describe('McpFargateService builds its asset image for cpuArchitecture', () => {
  test('ARM64 and ContainerImage.fromAsset without platform: the image is built for linux/arm64, not the deploying machine', () => {
    // GIVEN a user on any laptop, with an arm64 task and an asset image without platform
    const app = new App();
    const stack = stackOf(app);
    new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(CONTEXT), cpuArchitecture: ecs.CpuArchitecture.ARM64 });
    // THEN the image is built for the tasks' architecture
    expect(assetPlatforms(app, stack)).toEqual(['linux/arm64']);
  });

  test('the default X86_64 and fromAsset without platform: built for linux/amd64 (an arm64 laptop would build arm64)', () => {
    const app = new App();
    const stack = stackOf(app);
    new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(CONTEXT, { buildArgs: { A: '1' } }) });
    expect(assetPlatforms(app, stack)).toEqual(['linux/amd64']);
  });

  test('the asset\'s own options are kept', () => {
    const app = new App();
    const stack = stackOf(app);
    new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(CONTEXT, { buildArgs: { A: '1' } }), cpuArchitecture: ecs.CpuArchitecture.ARM64 });
    const manifest = JSON.parse(fs.readFileSync(path.join(app.synth().directory, `${stack.artifactId}.assets.json`), 'utf8'));
    expect(Object.values<any>(manifest.dockerImages)[0].source).toMatchObject({ platform: 'linux/arm64', dockerBuildArgs: { A: '1' } });
  });

  test('a platform that matches is used as given', () => {
    const app = new App();
    const stack = stackOf(app);
    new McpFargateService(stack, 'Mcp', {
      image: ecs.ContainerImage.fromAsset(CONTEXT, { platform: ecr_assets.Platform.LINUX_ARM64 }),
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
    });
    expect(assetPlatforms(app, stack)).toEqual(['linux/arm64']);
  });

  test('a platform that contradicts cpuArchitecture fails synth, naming both', () => {
    const stack = stackOf(new App());
    expect(() => new McpFargateService(stack, 'Mcp', {
      image: ecs.ContainerImage.fromAsset(CONTEXT, { platform: ecr_assets.Platform.LINUX_AMD64 }),
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
    })).toThrow(/cpuArchitecture is ARM64[\s\S]*platform linux\/amd64[\s\S]*exec format error/);
  });

  test('a DockerImageAsset the construct cannot read the platform of raises cdk-mcp:imageAssetPlatformUnchecked', () => {
    const stack = stackOf(new App());
    const asset = new ecr_assets.DockerImageAsset(stack, 'Image', { directory: CONTEXT });
    new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromDockerImageAsset(asset), cpuArchitecture: ecs.CpuArchitecture.ARM64 });
    expect(warningsOf(stack, true)).toEqual(expect.arrayContaining([
      expect.stringMatching(/Stack\/Image[\s\S]*ARM64[\s\S]*Platform\.LINUX_ARM64[\s\S]*cdk-mcp:imageAssetPlatformUnchecked/),
    ]));
  });

  test('a registry image raises no platform warning', () => {
    const stack = stackOf(new App());
    new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1'), cpuArchitecture: ecs.CpuArchitecture.ARM64 });
    expect(warningsOf(stack, true).filter((w) => /imageAssetPlatform/.test(w))).toEqual([]);
  });
});

test('cpuArchitecture given as CpuArchitecture.of(\'ARM64\') is followed too', () => {
  const app = new App();
  const stack = stackOf(app);
  new McpFargateService(stack, 'Mcp', { image: ecs.ContainerImage.fromAsset(CONTEXT), cpuArchitecture: ecs.CpuArchitecture.of('ARM64') });
  expect(assetPlatforms(app, stack)).toEqual(['linux/arm64']);
});
