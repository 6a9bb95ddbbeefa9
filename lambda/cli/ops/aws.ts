/**
 * AWS plumbing of the operator commands: the clients (standard region, profile and credential
 * chain; an endpoint override for tests and local emulators), and AWS errors turned into one
 * readable line that names the call.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { oneLine } from '../../probe';

/** Where and as whom the commands call AWS. Unset fields fall back to the SDK's defaults. */
export interface AwsSettings {
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
}

/** The clients the commands use. */
export interface AwsClients {
  readonly cloudformation: CloudFormationClient;
  readonly cloudwatch: CloudWatchClient;
  readonly lambda: LambdaClient;
}

/** Makes the clients: region and profile as given, else AWS_REGION / AWS_PROFILE / the config files. */
export function makeClients(settings: AwsSettings): AwsClients {
  // The SDK warns about Node 20 on stderr at the first client; the CLI's stderr is for its own messages.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  };
  return { cloudformation: new CloudFormationClient(config), cloudwatch: new CloudWatchClient(config), lambda: new LambdaClient(config) };
}

/** An AWS call that failed, with a message a person can act on. */
export class AwsCallError extends Error {
  constructor(readonly call: string, readonly code: string, message: string) {
    super(message);
    this.name = 'AwsCallError';
  }
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * Runs one AWS call; a failure becomes an {@link AwsCallError} naming the call and the fix.
 * The SDK has already retried throttling and transient errors by then.
 *
 * @param call the IAM action of the call, e.g. `cloudwatch:DescribeAlarms`
 */
export async function awsCall<T>(call: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toAwsCallError(call, e);
  }
}

/** The readable form of an SDK error. */
export function toAwsCallError(call: string, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkErrorShape;
  const code = e.name && e.name !== 'Error' ? e.name : e.code ?? 'Error';
  const detail = oneLine(e.message ?? '', [], 240);
  const attempts = e.$metadata?.attempts;
  let hint: string | undefined;
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized|Forbidden/i.test(code)) {
    hint = `the credentials lack permission ${call}: grant it to the role or user you run as`;
  } else if (/ExpiredToken|RequestExpired|TokenRefreshRequired|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/i.test(code)) {
    hint = 'the AWS credentials are expired or invalid: refresh them (aws sso login, a new session) and retry';
  } else if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(code)) {
    hint = `AWS throttled the call${attempts ? ` ${attempts} times` : ''}: retry in a minute`;
  } else if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(detail)) {
    hint = 'no AWS credentials found: set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  } else if (/Region is missing/i.test(detail)) {
    hint = 'no AWS region: pass --region or set AWS_REGION';
  } else if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|TimeoutError/i.test(`${code} ${detail}`)) {
    hint = 'the AWS endpoint could not be reached: check the network, --region and --endpoint-url';
  } else if (e.$fault === 'server') {
    hint = 'an error on the AWS side, after the SDK\'s retries: retry later';
  }
  return new AwsCallError(call, code, `${call} failed: ${code}${detail && detail !== code ? `: ${detail}` : ''}${hint ? ` (${hint})` : ''}`);
}

/** Follows `NextToken`-style pagination: calls `page` until it returns no token. */
export async function allPages<P>(page: (token: string | undefined) => Promise<{ page: P; next?: string }>, maxPages = 100): Promise<P[]> {
  const pages: P[] = [];
  let token: string | undefined;
  do {
    const { page: p, next } = await page(token);
    pages.push(p);
    token = next;
  } while (token && pages.length < maxPages);
  return pages;
}
