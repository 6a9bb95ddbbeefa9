import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ValidationErrors } from '../private/validation';

/** The start script name `McpServerCode.fromEntry` writes, and the default for directories. */
const DEFAULT_START_SCRIPT = 'run.sh';

/** Options for `McpServerCode.fromDirectory`. */
export interface McpServerDirectoryOptions {
  /**
   * The executable start script inside the directory that execs the HTTP server. It becomes the
   * function handler; the Lambda Web Adapter's wrapper (`/opt/bootstrap`) runs it.
   *
   * It must be a shell script with LF line endings and mode 755.
   *
   * @default 'run.sh'
   */
  readonly startScript?: string;

  /**
   * Glob patterns of files in the directory to leave out of the asset.
   *
   * @default - everything in the directory is uploaded
   */
  readonly exclude?: string[];
}

/**
 * Options for `McpServerCode.fromEcrImage`, as `lambda.EcrImageCodeProps` for
 * `lambda.Code.fromEcrImage`.
 */
export interface McpServerEcrImageOptions {
  /**
   * The image tag or digest to run. A digest (`sha256:...`) pins the exact image; a tag is
   * resolved when the function is deployed, so pushing a new image under the same tag changes
   * nothing until the next deployment that updates the function.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/images-create.html
   * @default 'latest'
   */
  readonly tagOrDigest?: string;
}

/** Options for `McpServerCode.fromEntry`. */
export interface McpServerEntryOptions {
  /**
   * Minify the bundle.
   *
   * @default true
   */
  readonly minify?: boolean;

  /**
   * Emit a source map next to the bundle and start Node.js with `--enable-source-maps`, so
   * stack traces in the logs point at your TypeScript.
   *
   * @default true
   */
  readonly sourceMap?: boolean;

  /**
   * Modules to leave out of the bundle because the Lambda runtime provides them.
   *
   * @default ['@aws-sdk/*']
   */
  readonly externalModules?: string[];

  /**
   * The esbuild target.
   *
   * @default 'node22'
   */
  readonly target?: string;
}

/** What a `McpServerCode` resolves to for a function. */
export interface McpServerCodeConfig {
  /** The Lambda code. */
  readonly code: lambda.Code;

  /**
   * The function handler: the start script for zip code, `FROM_IMAGE` for container images.
   */
  readonly handler: string;

  /**
   * Whether the code is a container image (no layer: the image must contain the adapter).
   */
  readonly isContainerImage: boolean;

  /**
   * The runtime family the code's start script needs: `NODEJS` for `fromEntry`, whose generated
   * `run.sh` execs `node`. `McpLambdaService` rejects a `runtime` of another family.
   *
   * @default - any runtime that runs wrapper scripts: the start script brings its own command
   */
  readonly runtimeFamily?: lambda.RuntimeFamily;
}

/**
 * The MCP server's code, in one of three forms: a directory that already contains a start
 * script, a JavaScript/TypeScript entry file bundled with esbuild at synth (as `NodejsFunction`
 * does for user code), or a container image that includes the Lambda Web Adapter extension.
 */
export abstract class McpServerCode {
  /**
   * A directory with a built server and an executable start script (e.g. `run.sh` with
   * `exec node server.js`).
   *
   * @param directory path to the directory
   */
  public static fromDirectory(directory: string, options: McpServerDirectoryOptions = {}): McpServerCode {
    return new DirectoryServerCode(directory, options);
  }

  /**
   * A JavaScript or TypeScript entry file that starts an HTTP server. It is bundled with esbuild
   * (install it in your project: `npm install --save-dev esbuild`) into `index.js`, and a
   * `run.sh` start script that execs it is written next to it.
   *
   * @param entry path to the entry file
   */
  public static fromEntry(entry: string, options: McpServerEntryOptions = {}): McpServerCode {
    return new EntryServerCode(entry, options);
  }

  /**
   * A container image built from a directory with a Dockerfile at deploy time. The image must copy
   * the Lambda Web Adapter extension into `/opt/extensions/lambda-adapter` (see the example
   * server's Dockerfile).
   *
   * The image is built for the function's architecture (`linux/arm64` for the default arm64,
   * `linux/amd64` for x86_64) unless `options.platform` is set: Lambda runs an image only on the
   * instruction set it was built for.
   *
   * @param directory the Docker build context
   */
  public static fromImageAsset(directory: string, options: ecrAssets.DockerImageAssetOptions = {}): McpServerCode {
    return new ImageAssetServerCode(directory, options);
  }

  /**
   * A container image in an ECR repository. The image must contain the Lambda Web Adapter
   * extension in `/opt/extensions/lambda-adapter`.
   *
   * ```ts
   * McpServerCode.fromEcrImage(repository, { tagOrDigest: 'v1.2.3' });
   * ```
   *
   * @param repository the repository
   * @param options the tag or digest to run (`'latest'` unless given)
   */
  public static fromEcrImage(repository: ecr.IRepository, options: McpServerEcrImageOptions = {}): McpServerCode {
    return new ImageServerCode(lambda.Code.fromEcrImage(repository, { tagOrDigest: options.tagOrDigest }));
  }

  /**
   * Resolve the code for a function in `scope`.
   *
   * @param architecture the function's architecture (an image asset is built for it) @default lambda.Architecture.ARM_64
   */
  public abstract bind(scope: Construct, architecture?: lambda.Architecture): McpServerCodeConfig;
}

class DirectoryServerCode extends McpServerCode {
  constructor(private readonly directory: string, private readonly options: McpServerDirectoryOptions) {
    super();
  }

  public bind(_scope: Construct, _architecture?: lambda.Architecture): McpServerCodeConfig {
    const startScript = this.options.startScript ?? DEFAULT_START_SCRIPT;
    if (!fs.existsSync(this.directory) || !fs.statSync(this.directory).isDirectory()) {
      ValidationErrors.fail('cdk-mcp:serverDirectoryMissing', 'McpServerCode.fromDirectory',
        `${this.directory} is not a directory. Pass the folder that holds the built server and its start script.`);
    }
    const scriptPath = path.join(this.directory, startScript);
    if (!fs.existsSync(scriptPath)) {
      ValidationErrors.fail('cdk-mcp:startScriptMissing', 'McpServerCode.fromDirectory',
        `no start script ${startScript} in ${this.directory}. ` +
          'Add an executable script that execs your server (e.g. "#!/bin/sh\\nexec node server.js"), or set startScript.',
      );
    }
    checkStartScript(scriptPath);
    return {
      code: lambda.Code.fromAsset(this.directory, { exclude: this.options.exclude }),
      handler: startScript,
      isContainerImage: false,
    };
  }
}

class EntryServerCode extends McpServerCode {
  constructor(private readonly entry: string, private readonly options: McpServerEntryOptions) {
    super();
  }

  public bind(_scope: Construct, _architecture?: lambda.Architecture): McpServerCodeConfig {
    const entry = path.resolve(this.entry);
    if (!/\.(c|m)?(j|t)sx?$/.test(entry)) {
      ValidationErrors.fail('cdk-mcp:serverEntryExtension', 'McpServerCode.fromEntry',
        `${this.entry} is not a JavaScript or TypeScript file: pass a .js, .mjs, .cjs, .ts, .mts or .cts file.`);
    }
    if (!fs.existsSync(entry)) {
      ValidationErrors.fail('cdk-mcp:serverEntryMissing', 'McpServerCode.fromEntry',
        `entry file ${this.entry} does not exist (resolved to ${entry}): pass the path of the server's entry file, relative to the working directory or absolute.`);
    }
    const sourceMap = this.options.sourceMap ?? true;
    const buildOptions = {
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: this.options.target ?? 'node22',
      minify: this.options.minify ?? true,
      sourcemap: sourceMap,
      external: this.options.externalModules ?? ['@aws-sdk/*'],
      logLevel: 'warning',
    };
    const projectRoot = findProjectRoot(path.dirname(entry));
    const code = lambda.Code.fromAsset(path.dirname(entry), {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Bundling happens locally; the image is only a required placeholder and never runs,
        // because tryBundle either bundles or throws a clear error.
        image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
        // Part of the synth-time asset cache key, so two entries in one folder never share a bundle.
        environment: { CDK_MCP_BUNDLE: JSON.stringify(buildOptions) },
        local: {
          tryBundle(outputDir: string): boolean {
            const esbuild = loadEsbuild(projectRoot);
            esbuild.buildSync({ ...buildOptions, outfile: path.join(outputDir, 'index.js') });
            writeStartScript(path.join(outputDir, DEFAULT_START_SCRIPT), sourceMap);
            return true;
          },
        },
      },
    });
    return { code, handler: DEFAULT_START_SCRIPT, isContainerImage: false, runtimeFamily: lambda.RuntimeFamily.NODEJS };
  }
}

class ImageServerCode extends McpServerCode {
  constructor(private readonly code: lambda.Code) {
    super();
  }

  public bind(_scope: Construct, _architecture?: lambda.Architecture): McpServerCodeConfig {
    return { code: this.code, handler: lambda.Handler.FROM_IMAGE, isContainerImage: true };
  }
}

class ImageAssetServerCode extends McpServerCode {
  constructor(private readonly directory: string, private readonly options: ecrAssets.DockerImageAssetOptions) {
    super();
  }

  public bind(_scope: Construct, architecture: lambda.Architecture = lambda.Architecture.ARM_64): McpServerCodeConfig {
    const platform = this.options.platform
      ?? (architecture.name === lambda.Architecture.ARM_64.name ? ecrAssets.Platform.LINUX_ARM64 : ecrAssets.Platform.LINUX_AMD64);
    const code = lambda.Code.fromAssetImage(this.directory, { ...this.options, platform });
    return { code, handler: lambda.Handler.FROM_IMAGE, isContainerImage: true };
  }
}

/** A start script must be executable and must not have CRLF line endings (`/bin/sh^M: not found`). */
function checkStartScript(scriptPath: string): void {
  const errors = new ValidationErrors('McpServerCode.fromDirectory');
  const content = fs.readFileSync(scriptPath, 'utf8');
  const cannotRun = `start script ${scriptPath} cannot run on Lambda`;
  errors.check('cdk-mcp:startScriptLineEndings', !content.includes('\r\n'),
    `${cannotRun}: it has CRLF line endings (convert it to LF, e.g. with dos2unix, or set "* text eol=lf" in .gitattributes).`);
  errors.check('cdk-mcp:startScriptShebang', content.startsWith('#!'), `${cannotRun}: it has no shebang line (start it with #!/bin/sh).`);
  // eslint-disable-next-line no-bitwise
  errors.check('cdk-mcp:startScriptNotExecutable', process.platform === 'win32' || (fs.statSync(scriptPath).mode & 0o111) !== 0,
    `${cannotRun}: it is not executable (run chmod 755 ${scriptPath}).`);
  errors.throwIfAny();
}

function writeStartScript(file: string, sourceMap: boolean): void {
  const flags = sourceMap ? ' --enable-source-maps' : '';
  fs.writeFileSync(file, `#!/bin/sh\n# Written by cdk-mcp: the Lambda Web Adapter runs this script, which starts the MCP server.\nexec node${flags} "$(dirname "$0")/index.js"\n`, {
    mode: 0o755,
  });
}

/** The nearest folder at or above `dir` with a lock file or package.json (where esbuild is installed). */
function findProjectRoot(dir: string): string {
  let current = dir;
  for (;;) {
    if (['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'package.json'].some((f) => fs.existsSync(path.join(current, f)))) {
      return current;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return dir;
    }
    current = parent;
  }
}

interface Esbuild {
  buildSync(options: object): unknown;
}

function loadEsbuild(projectRoot: string): Esbuild {
  let resolved: string;
  try {
    resolved = require.resolve('esbuild', { paths: [projectRoot, process.cwd()] });
  } catch {
    ValidationErrors.fail('cdk-mcp:esbuildNotFound', 'McpServerCode.fromEntry',
      `bundles with esbuild, which was not found from ${projectRoot}. ` +
        'Install it in your CDK project (npm install --save-dev esbuild), or use McpServerCode.fromDirectory with a prebuilt server.',
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved) as Esbuild;
}
