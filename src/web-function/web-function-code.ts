import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ValidationErrors } from '../private/validation';

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
   * The JavaScript file the runtime starts, relative to the directory
   * (`AWS_LAMBDA_NODEJS_ENTRYPOINT`).
   *
   * @default 'index.js' (the runtime's default)
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
   * The entry file, when it is not the runtime's default `index.js`.
   *
   * @default - index.js
   */
  readonly entryPoint?: string;
}

/**
 * The MCP server's code for a Web Function: a plain Node.js HTTP server that listens on
 * `AWS_LAMBDA_HTTP_ENDPOINT` (no adapter, no start script). Web Functions run zip packages from a
 * versioned S3 bucket only (no container images), so local code is staged into a bucket the
 * construct creates (`WebFunctionCode.fromAssetToManagedBucket`).
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
   * (see the aws-cdk-lib `WebFunctionCode.fromBucket` requirements).
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
        `no ${entryPoint} in ${this.directory}. The runtime starts index.js unless entryPoint names another file ` +
          '(https://docs.aws.amazon.com/lambda/latest/dg/web-functions-runtimes.html).',
      );
    }
    return {
      code: lambda.WebFunctionCode.fromAssetToManagedBucket(this.directory, { exclude: this.options.exclude }),
      entryPoint: this.options.entryPoint,
    };
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
            // `index.js` at the package root is what the runtime starts without AWS_LAMBDA_NODEJS_ENTRYPOINT.
            requireEsbuild(path.dirname(entry)).buildSync({ ...buildOptions, outfile: path.join(outputDir, 'index.js') });
            return true;
          },
        },
      },
    });
    return { code };
  }
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
