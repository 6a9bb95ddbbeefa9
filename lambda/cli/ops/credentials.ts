/**
 * The AWS credentials `--sigv4` and `--sigv4a` sign with: the default credential chain of the AWS
 * SDK for JavaScript v3 (environment variables, the shared config and credentials files with
 * SSO, process and web-identity profiles, then the container and instance metadata), the
 * profile named by `--profile` or `AWS_PROFILE`, as the operator commands use.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 * @see https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-credential-provider-node/
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { oneLine } from '../../probe';

/** Credentials to sign with. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** No credentials could be resolved; the message says where the chain looked and what to do. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

/**
 * Resolves credentials from the default chain.
 *
 * @param profile the profile to use @default - AWS_PROFILE, then the default profile and the rest of the chain
 * @param source where the profile's name came from, for the message @default '--profile'
 * @throws CredentialsError when the chain yields none
 */
export async function signingCredentials(profile?: string, source = '--profile'): Promise<SigningCredentials> {
  // The SDK warns about Node 20 on stderr at first use; the CLI's stderr is for its own messages.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    const found = await defaultProvider(profile !== undefined ? { profile } : {})();
    const { accessKeyId, secretAccessKey, sessionToken } = found;
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  } catch (error) {
    const detail = oneLine(error instanceof Error ? error.message : String(error), [], 240);
    const where = profile !== undefined ? `the profile ${JSON.stringify(profile)} (${source})` : 'the default AWS credential chain';
    throw new CredentialsError(`no AWS credentials to sign with from ${where} (${detail}): `
      + 'run aws sso login or aws configure for that profile, give another with --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
}
