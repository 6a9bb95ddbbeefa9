import { Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ValidationErrors } from '../private/validation';

/** Where App Runner pulls an image from. */
export enum McpAppRunnerImageRepositoryType {
  /** A private Amazon ECR repository, pulled with the service's access role. */
  ECR = 'ECR',

  /** An Amazon ECR Public repository: no access role. */
  ECR_PUBLIC = 'ECR_PUBLIC',
}

/** What a `McpAppRunnerImage` resolves to for a service. */
export interface McpAppRunnerImageConfig {
  /** The image URI App Runner pulls. */
  readonly imageIdentifier: string;

  /** The kind of repository the image is in. */
  readonly repositoryType: McpAppRunnerImageRepositoryType;

  /**
   * The private ECR repository to grant the access role pull rights on.
   *
   * @default - none (public image)
   */
  readonly repository?: ecr.IRepository;

  /**
   * Whether App Runner deploys on its own when a new image is pushed to the same tag.
   *
   * @default false
   */
  readonly autoDeployments?: boolean;
}

/** Options for `McpAppRunnerImage.fromEcrRepository`. */
export interface McpAppRunnerEcrImageOptions {
  /**
   * An image tag or digest (`sha256:...`).
   *
   * @default 'latest'
   */
  readonly tagOrDigest?: string;

  /**
   * Let App Runner deploy on its own whenever a new image is pushed to the tag. Off by default:
   * deployments then happen only through CloudFormation, so the template stays the truth.
   *
   * @default false
   * @see https://docs.aws.amazon.com/apprunner/latest/dg/manage-deploy.html
   */
  readonly autoDeployments?: boolean;
}

/**
 * The MCP server's container image: built from a directory at deploy time, or pulled from ECR or
 * ECR Public. App Runner runs `linux/amd64` images only.
 */
export abstract class McpAppRunnerImage {
  /**
   * An image built from a directory with a Dockerfile at deploy time (synth only stages the
   * directory; no Docker engine is needed to synthesize). Built for `linux/amd64`, the only
   * platform App Runner runs.
   *
   * @param directory the Docker build context
   */
  public static fromAsset(directory: string, options: ecrAssets.DockerImageAssetOptions = {}): McpAppRunnerImage {
    return new AssetImage(directory, options);
  }

  /**
   * An image in a private ECR repository of this account. The service gets an access role that
   * may pull from it.
   *
   * @param repository the repository
   */
  public static fromEcrRepository(repository: ecr.IRepository, options: McpAppRunnerEcrImageOptions = {}): McpAppRunnerImage {
    return new EcrImage(repository, options);
  }

  /**
   * An image in Amazon ECR Public, e.g. `public.ecr.aws/my-org/mcp-server:1.0.0`.
   *
   * @param imageUri the full image URI
   */
  public static fromEcrPublic(imageUri: string): McpAppRunnerImage {
    return new EcrPublicImage(imageUri);
  }

  /** Resolve the image for a service in `scope`. */
  public abstract bind(scope: Construct): McpAppRunnerImageConfig;
}

class AssetImage extends McpAppRunnerImage {
  constructor(private readonly directory: string, private readonly options: ecrAssets.DockerImageAssetOptions) {
    super();
  }

  public bind(scope: Construct): McpAppRunnerImageConfig {
    const platform = this.options.platform;
    if (platform && platform.platform !== ecrAssets.Platform.LINUX_AMD64.platform) {
      ValidationErrors.fail('cdk-mcp:appRunnerImagePlatform', 'McpAppRunnerImage.fromAsset',
        `platform ${platform.platform} is not supported; App Runner runs linux/amd64 images only. Remove the platform option.`);
    }
    const asset = new ecrAssets.DockerImageAsset(scope, 'ImageAsset', {
      ...this.options,
      directory: this.directory,
      platform: ecrAssets.Platform.LINUX_AMD64,
    });
    return {
      imageIdentifier: asset.imageUri,
      repositoryType: McpAppRunnerImageRepositoryType.ECR,
      repository: asset.repository,
      autoDeployments: false,
    };
  }
}

class EcrImage extends McpAppRunnerImage {
  constructor(private readonly repository: ecr.IRepository, private readonly options: McpAppRunnerEcrImageOptions) {
    super();
  }

  public bind(_scope: Construct): McpAppRunnerImageConfig {
    return {
      imageIdentifier: this.repository.repositoryUriForTagOrDigest(this.options.tagOrDigest ?? 'latest'),
      repositoryType: McpAppRunnerImageRepositoryType.ECR,
      repository: this.repository,
      autoDeployments: this.options.autoDeployments ?? false,
    };
  }
}

class EcrPublicImage extends McpAppRunnerImage {
  constructor(private readonly imageUri: string) {
    super();
  }

  public bind(_scope: Construct): McpAppRunnerImageConfig {
    if (!Token.isUnresolved(this.imageUri) && !this.imageUri.startsWith('public.ecr.aws/')) {
      ValidationErrors.fail('cdk-mcp:appRunnerPublicImageUri', 'McpAppRunnerImage.fromEcrPublic',
        `"${this.imageUri}" is not an ECR Public image; App Runner pulls public images from public.ecr.aws only. ` +
          'Use a public.ecr.aws/... URI, or push the image to ECR and use fromEcrRepository.',
      );
    }
    return {
      imageIdentifier: this.imageUri,
      repositoryType: McpAppRunnerImageRepositoryType.ECR_PUBLIC,
      autoDeployments: false,
    };
  }
}

/**
 * A secret handed to the server as a runtime environment secret: App Runner resolves it when an
 * instance starts, so the value never appears in the template or the service configuration.
 */
export abstract class McpAppRunnerSecret {
  /**
   * A Secrets Manager secret, whole or one field of a JSON secret. Import secrets by their complete
   * ARN (`Secret.fromSecretCompleteArn`) so App Runner gets the full ARN: a `field` of a secret
   * known only by name or partial ARN (`Secret.fromSecretNameV2`, `fromSecretPartialArn`) is
   * rejected, since App Runner cannot resolve `<partial ARN>:<field>::`.
   *
   * @see https://docs.aws.amazon.com/apprunner/latest/api/API_ImageConfiguration.html
   *
   * @param secret the secret
   * @param field a top-level key of a JSON secret @default - the whole secret value
   */
  public static fromSecretsManager(secret: secretsmanager.ISecret, field?: string): McpAppRunnerSecret {
    return new SecretsManagerSecret(secret, field);
  }

  /**
   * A Systems Manager parameter (`String` or `SecureString`) in this account.
   *
   * @param parameter the parameter
   */
  public static fromSsmParameter(parameter: ssm.IParameter): McpAppRunnerSecret {
    return new SsmParameterSecret(parameter);
  }

  /** The ARN App Runner resolves (with `:<field>::` appended for a JSON field). */
  public abstract readonly arn: string;

  /** Allow a principal (the service's instance role) to read the value. */
  public abstract grantRead(grantee: iam.IGrantable): iam.Grant;
}

class SecretsManagerSecret extends McpAppRunnerSecret {
  public readonly arn: string;

  constructor(private readonly secret: secretsmanager.ISecret, field?: string) {
    super();
    if (field !== undefined && !Token.isUnresolved(field) && (field === '' || field.includes(':'))) {
      ValidationErrors.fail('cdk-mcp:appRunnerSecretField', 'McpAppRunnerSecret.fromSecretsManager',
        `field "${field}" must be a non-empty JSON key without ":": name the key of the JSON secret that holds the value, or omit field for the whole secret.`);
    }
    // App Runner takes the full ARN (with the random suffix): a partial ARN followed by
    // `:<field>::` cannot be resolved (the field reads as part of the name).
    // https://docs.aws.amazon.com/apprunner/latest/api/API_ImageConfiguration.html (RuntimeEnvironmentSecrets:
    // "the full Amazon Resource Name (ARN) of the Secrets Manager secret")
    const errors = new ValidationErrors('McpAppRunnerSecret.fromSecretsManager');
    errors.check('cdk-mcp:appRunnerSecretFieldNeedsFullArn', field === undefined || secret.secretFullArn !== undefined,
      `field "${field}" of a secret known only by name or partial ARN (${secret.node.path}): `
      + 'App Runner addresses a JSON key as <full ARN>:<key>:: and needs the full ARN, with its random suffix, for it. '
      + 'Import the secret with Secret.fromSecretCompleteArn, or use a secret created in this app.');
    errors.throwIfAny();
    const arn = secret.secretFullArn ?? secret.secretArn;
    this.arn = field === undefined ? arn : `${arn}:${field}::`;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.secret.grantRead(grantee);
  }
}

class SsmParameterSecret extends McpAppRunnerSecret {
  public readonly arn: string;

  constructor(private readonly parameter: ssm.IParameter) {
    super();
    this.arn = parameter.parameterArn;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.parameter.grantRead(grantee);
  }
}
