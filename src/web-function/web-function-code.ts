import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, DockerImage, IgnoreStrategy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { WEB_FUNCTION_START_FILE } from '../contract/server-start';
import { ValidationErrors } from '../private/validation';

/** The bundled Web Functions start file (lambda/start/web-function-start.ts). */
const START_FILE_ASSET = path.join(__dirname, '..', '..', 'assets', 'lambda', 'start', 'web-function-start', 'index.js');

/** Options for `McpWebFunctionCode.fromEntry`. */
export interface McpWebFunctionEntryOptions {
  /**
   * Minify the bundle.
   *
   * @default true
   */
  readonly minify?: boolean;

  /**
   * Emit an inline source map and turn source maps on at start (`process.setSourceMapsEnabled`),
   * so stack traces in the logs point at your TypeScript. Web Functions take no Node.js flags.
   *
   * @default true
   */
  readonly sourceMap?: boolean;

  /**
   * Modules to leave out of the bundle. Whether the Web Functions runtime ships the AWS SDK is
   * not documented, so nothing is left out by default: a missing module would fail every start
   * (`platform.initReport` status failure), which the init-failure alarm reports.
   *
   * @default - none: everything is bundled
   */
  readonly externalModules?: string[];
}

/** Options for `McpWebFunctionCode.fromDirectory`. */
export interface McpWebFunctionDirectoryOptions {
  /**
   * The server's JavaScript file (CommonJS or ES module), relative to the directory. The
   * construct's start file (`cdk-mcp-start.js`, added to the package) loads it once `PORT`, `HOST`
   * and the `secrets` are set.
   *
   * @default 'index.js'
   */
  readonly entryPoint?: string;

  /**
   * Glob patterns of files in the directory to leave out of the package.
   *
   * @default - everything in the directory is packaged
   */
  readonly exclude?: string[];
}

/** What an `McpWebFunctionCode` resolves to. */
export interface McpWebFunctionCodeConfig {
  /** The Web Function code. */
  readonly code: lambda.WebFunctionCode;

  /**
   * The file the runtime starts (`AWS_LAMBDA_NODEJS_ENTRYPOINT`), when it is not the runtime's
   * default `index.js`: `cdk-mcp-start.js` for `fromEntry` and `fromDirectory`.
   *
   * @default - index.js
   */
  readonly entryPoint?: string;

  /**
   * The server's module that the start file (`entryPoint`) loads, relative to it. Set when the
   * package has the construct's start file, which sets `PORT` and `HOST` from
   * `AWS_LAMBDA_HTTP_ENDPOINT` and resolves the service's `secrets` before the server loads.
   *
   * @default - the package has no start file (`fromBucket`): the server is the entry point itself
   */
  readonly serverEntry?: string;
}

/**
 * The MCP server's code for a Web Function: a plain Node.js HTTP server. Web Functions give the
 * server `AWS_LAMBDA_HTTP_ENDPOINT` (`host:port`) and no `PORT`; `fromEntry` and `fromDirectory`
 * add a start file (`cdk-mcp-start.js`, the package's entry point) that sets `PORT` and `HOST`
 * from it and resolves the service's `secrets` into variables before it loads the server, so a
 * server that listens on `$PORT` runs unchanged. Web Functions run zip packages from a versioned S3
 * bucket only (no container images), so local code is staged into a bucket the construct creates
 * (`WebFunctionCode.fromAssetToManagedBucket`).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/web-functions-runtimes.html
 */
export abstract class McpWebFunctionCode {
  /**
   * A JavaScript or TypeScript entry file bundled with esbuild at synth (install it in your
   * project: `npm install --save-dev esbuild`) into `index.js`, which the runtime starts by default.
   *
   * @param entry path to the entry file
   */
  public static fromEntry(entry: string, options: McpWebFunctionEntryOptions = {}): McpWebFunctionCode {
    return new EntryWebFunctionCode(entry, options);
  }

  /**
   * A directory with a built server (its `node_modules` included), started from `index.js` or
   * `options.entryPoint`.
   *
   * @param directory path to the directory
   */
  public static fromDirectory(directory: string, options: McpWebFunctionDirectoryOptions = {}): McpWebFunctionCode {
    return new DirectoryWebFunctionCode(directory, options);
  }

  /**
   * A zip package already in a versioned S3 bucket that grants `lambda.amazonaws.com` read access
   * (see the aws-cdk-lib `WebFunctionCode.fromBucket` requirements). The construct cannot add its
   * start file to it: the server must listen on `AWS_LAMBDA_HTTP_ENDPOINT` itself, and the
   * service's `secrets` (values) are refused (use `secretArns`).
   *
   * @param bucket the versioned bucket
   * @param key the object key of the zip
   * @param objectVersion the object version @default - the latest version when the revision is created
   * @param entryPoint the entry file in the zip @default 'index.js'
   */
  public static fromBucket(bucket: s3.IBucket, key: string, objectVersion?: string, entryPoint?: string): McpWebFunctionCode {
    return new ResolvedWebFunctionCode({ code: lambda.WebFunctionCode.fromBucket(bucket, key, objectVersion), entryPoint });
  }

  /** Resolve the code. */
  public abstract bind(): McpWebFunctionCodeConfig;
}

class ResolvedWebFunctionCode extends McpWebFunctionCode {
  constructor(private readonly config: McpWebFunctionCodeConfig) {
    super();
  }

  public bind(): McpWebFunctionCodeConfig {
    return this.config;
  }
}

class DirectoryWebFunctionCode extends McpWebFunctionCode {
  constructor(private readonly directory: string, private readonly options: McpWebFunctionDirectoryOptions) {
    super();
  }

  public bind(): McpWebFunctionCodeConfig {
    const entryPoint = this.options.entryPoint ?? 'index.js';
    if (!fs.existsSync(this.directory) || !fs.statSync(this.directory).isDirectory()) {
      ValidationErrors.fail('cdk-mcp:webFunctionDirectoryMissing', 'McpWebFunctionCode.fromDirectory',
        `${this.directory} is not a directory. Pass the folder that holds the built server.`);
    }
    if (!fs.existsSync(path.join(this.directory, entryPoint))) {
      ValidationErrors.fail('cdk-mcp:webFunctionEntryPointMissing', 'McpWebFunctionCode.fromDirectory',
        `no ${entryPoint} in ${this.directory}. The start file loads the server from index.js unless entryPoint names another file.`,
      );
    }
    const directory = path.resolve(this.directory);
    const exclude = this.options.exclude ?? [];
    const ignore = IgnoreStrategy.glob(directory, exclude);
    const code = lambda.WebFunctionCode.fromAssetToManagedBucket(directory, {
      exclude,
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Only a required placeholder: the local copy below always succeeds or throws.
        image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
        local: {
          tryBundle(outputDir: string): boolean {
            const keep = (file: string) => file === directory || !ignore.ignores(file);
            fs.cpSync(directory, outputDir, { recursive: true, verbatimSymlinks: true, filter: keep });
            addStartFile(outputDir);
            return true;
          },
        },
      },
    });
    return { code, entryPoint: WEB_FUNCTION_START_FILE, serverEntry: entryPoint };
  }
}

class EntryWebFunctionCode extends McpWebFunctionCode {
  constructor(private readonly entry: string, private readonly options: McpWebFunctionEntryOptions) {
    super();
  }

  public bind(): McpWebFunctionCodeConfig {
    const entry = path.resolve(this.entry);
    if (!/\.(c|m)?(j|t)sx?$/.test(entry) || !fs.existsSync(entry)) {
      ValidationErrors.fail('cdk-mcp:webFunctionEntryMissing', 'McpWebFunctionCode.fromEntry',
        `${this.entry} is not an existing JavaScript or TypeScript file (resolved to ${entry}): pass the server's entry file, e.g. "src/server.ts".`);
    }
    const sourceMap = this.options.sourceMap ?? true;
    const buildOptions = {
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      // The only Web Functions runtime is nodejs24.x. https://docs.aws.amazon.com/lambda/latest/dg/web-functions-runtimes.html
      target: 'node24',
      minify: this.options.minify ?? true,
      sourcemap: sourceMap ? 'inline' : false,
      banner: sourceMap ? { js: 'process.setSourceMapsEnabled(true);' } : undefined,
      external: this.options.externalModules ?? [],
      logLevel: 'warning',
    };
    const code = lambda.WebFunctionCode.fromAssetToManagedBucket(path.dirname(entry), {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Only a required placeholder: local bundling either succeeds or throws.
        image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
        environment: { CDK_MCP_WEB_BUNDLE: JSON.stringify(buildOptions) },
        local: {
          tryBundle(outputDir: string): boolean {
            requireEsbuild(path.dirname(entry)).buildSync({ ...buildOptions, outfile: path.join(outputDir, 'index.js') });
            addStartFile(outputDir);
            return true;
          },
        },
      },
    });
    return { code, entryPoint: WEB_FUNCTION_START_FILE, serverEntry: 'index.js' };
  }
}

/** Puts the construct's start file into a package being staged. */
function addStartFile(outputDir: string): void {
  if (fs.existsSync(path.join(outputDir, WEB_FUNCTION_START_FILE))) {
    throw new Error(`McpWebFunctionCode: the package already has a ${WEB_FUNCTION_START_FILE}, the name of the start file the construct adds. Rename yours.`);
  }
  fs.copyFileSync(START_FILE_ASSET, path.join(outputDir, WEB_FUNCTION_START_FILE));
}

interface EsbuildApi {
  buildSync(options: object): unknown;
}

/** esbuild as installed in the project of `fromDir` (node resolution walks up its node_modules). */
function requireEsbuild(fromDir: string): EsbuildApi {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve('esbuild', { paths: [fromDir, process.cwd()] })) as EsbuildApi;
  } catch {
    ValidationErrors.fail('cdk-mcp:esbuildMissing', 'McpWebFunctionCode.fromEntry',
      `esbuild is needed to bundle the entry, and was not found from ${fromDir}: npm install --save-dev esbuild, or use fromDirectory with a built server.`);
  }
}
