/**
 * Reads the canary's bearer token from Secrets Manager at run time, cached across invocations of
 * a warm environment so a probe a minute costs one `GetSecretValue` every few minutes, and a
 * rotated secret is picked up within the cache lifetime.
 *
 * The AWS SDK v3 is part of the Lambda Node.js runtime and stays external to the bundle; it is
 * loaded only in this auth mode.
 */

/** How long a token is reused before the secret is read again. */
export const TOKEN_CACHE_MS = 5 * 60_000;

/** The one call the canary makes to Secrets Manager. */
export type GetSecretString = (secretArn: string) => Promise<string>;

interface CacheEntry {
  readonly key: string;
  readonly token: string;
  readonly expiresAt: number;
}

/** A cache of one token, keyed by secret and JSON field. */
export class BearerTokenCache {
  private entry: CacheEntry | undefined;

  constructor(
    private readonly getSecretString: GetSecretString,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The token: from the cache while fresh, else read from the secret.
   *
   * @throws when the secret cannot be read, or holds no usable token (a configuration error)
   */
  public async token(secretArn: string, jsonField?: string): Promise<string> {
    const key = `${secretArn}#${jsonField ?? ''}`;
    const cached = this.entry;
    if (cached && cached.key === key && cached.expiresAt > this.now()) {
      return cached.token;
    }
    const secret = await this.getSecretString(secretArn);
    const token = extractToken(secret, jsonField);
    this.entry = { key, token, expiresAt: this.now() + TOKEN_CACHE_MS };
    return token;
  }
}

/**
 * The token in a secret string: the whole string, or a field of a JSON secret.
 *
 * @throws naming the field, never echoing the secret
 */
export function extractToken(secret: string, jsonField?: string): string {
  let token: unknown = secret;
  if (jsonField !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(secret);
    } catch {
      throw new Error(`The auth secret is not JSON, but a JSON field ('${jsonField}') was configured; store {"${jsonField}":"<token>"} or drop jsonField.`);
    }
    token = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[jsonField] : undefined;
    if (typeof token !== 'string') {
      throw new Error(`The auth secret has no string field '${jsonField}'; store the token under that key.`);
    }
  }
  const trimmed = (token as string).trim();
  if (trimmed === '' || /\s/.test(trimmed)) {
    throw new Error('The auth secret holds an empty token or one with spaces; store the bare token (without "Bearer ").');
  }
  return trimmed;
}

/** The slice of `@aws-sdk/client-secrets-manager` the canary uses (the package is not a dependency). */
interface SecretsManagerModule {
  SecretsManagerClient: new (config: Record<string, unknown>) => {
    send(command: unknown): Promise<{ SecretString?: string; SecretBinary?: Uint8Array }>;
  };
  GetSecretValueCommand: new (input: { SecretId: string }) => unknown;
}

/**
 * `GetSecretValue` with the AWS SDK v3 of the Lambda runtime, one client per environment, with
 * bounded connection and request timeouts so a slow Secrets Manager cannot eat the probe's deadline.
 */
export function sdkGetSecretString(): GetSecretString {
  let client: InstanceType<SecretsManagerModule['SecretsManagerClient']> | undefined;
  let sdk: SecretsManagerModule | undefined;
  return async (secretArn) => {
    // Loaded lazily: only the bearer-secret mode needs it, and it is provided by the runtime.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sdk ??= require('@aws-sdk/client-secrets-manager') as SecretsManagerModule;
    client ??= new sdk.SecretsManagerClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 2_000, requestTimeout: 3_000 } });
    const out = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretArn }));
    if (typeof out.SecretString === 'string') {
      return out.SecretString;
    }
    if (out.SecretBinary) {
      return Buffer.from(out.SecretBinary).toString('utf8');
    }
    throw new Error('The auth secret has no value; set its SecretString to the token.');
  };
}
