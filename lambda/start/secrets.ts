/**
 * Resolves the server's `secrets` (Secrets Manager) into environment variable values at start, for
 * the kinds whose platform does not inject them (Lambda, Web Functions). The values are returned,
 * never logged; a secret that cannot be read fails the start with one line naming the variable
 * and the secret's ARN.
 *
 * Wire protocol: Secrets Manager `GetSecretValue`, AWS JSON 1.1 over HTTPS, SigV4 with the
 * function's credentials (the `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`
 * Lambda sets).
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { START_ENV, START_LOG_PREFIX } from '../../src/contract/server-start';
import { credentialsFromEnv, signRequest } from '../probe/sigv4';

/** One secret to resolve into an environment variable. */
export interface SecretSpec {
  /** The environment variable. */
  readonly name: string;
  /** The reference as the construct wrote it (ARN plus optional key, stage, version id). */
  readonly reference: string;
  /** The secret's ARN (the `SecretId`). */
  readonly secretId: string;
  /** A JSON key of the secret string whose value to take. */
  readonly jsonKey?: string;
  readonly versionStage?: string;
  readonly versionId?: string;
}

/** A failure to resolve one secret: the message names the variable and the ARN, never a value. */
export class SecretStartError extends Error {}

/**
 * Parses `CDK_MCP_SECRETS`: `{ NAME: "arn:...:secret:id[:json-key:version-stage:version-id]" }`,
 * the `valueFrom` form of ECS container secrets
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
 */
export function parseSecretSpecs(json: string | undefined): SecretSpec[] {
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new SecretStartError(`${START_ENV.SECRETS} is not JSON: redeploy the service (the construct writes it).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretStartError(`${START_ENV.SECRETS} must be a JSON object of variable names to secret ARNs.`);
  }
  return Object.entries(parsed as Record<string, unknown>).map(([name, reference]) => {
    if (typeof reference !== 'string' || !/^arn:[^:]+:secretsmanager:/.test(reference)) {
      throw new SecretStartError(`secret for ${name}: ${JSON.stringify(reference)} is not a Secrets Manager ARN.`);
    }
    // arn:partition:secretsmanager:region:account:secret:name(-suffix) then key:stage:id.
    const parts = reference.split(':');
    const [jsonKey, versionStage, versionId] = parts.slice(7).map((p) => (p === '' ? undefined : p));
    return { name, reference, secretId: parts.slice(0, 7).join(':'), jsonKey, versionStage, versionId };
  });
}

/** The variable's value from a `GetSecretValue` answer. */
export function valueOf(spec: SecretSpec, answer: { SecretString?: unknown; SecretBinary?: unknown }): string {
  if (typeof answer.SecretString !== 'string') {
    throw new SecretStartError(`${failurePrefix(spec)}: the secret has no string value (a binary secret cannot be an environment variable).`);
  }
  if (spec.jsonKey === undefined) return answer.SecretString;
  let object: unknown;
  try {
    object = JSON.parse(answer.SecretString);
  } catch {
    throw new SecretStartError(`${failurePrefix(spec)}: the secret is not a JSON object, so it has no key "${spec.jsonKey}".`);
  }
  const value = typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[spec.jsonKey] : undefined;
  if (value === undefined || value === null) {
    throw new SecretStartError(`${failurePrefix(spec)}: the secret's JSON has no key "${spec.jsonKey}".`);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function failurePrefix(spec: SecretSpec): string {
  return `${START_LOG_PREFIX} cannot set ${spec.name} from secret ${spec.reference}`;
}

/** The Secrets Manager endpoint: the override the AWS SDKs read, else the Regional one. */
export function secretsManagerEndpoint(env: NodeJS.ProcessEnv): URL {
  const override = env[START_ENV.SECRETS_MANAGER_ENDPOINT];
  if (override) return new URL(override);
  const region = env.AWS_REGION ?? '';
  // https://docs.aws.amazon.com/general/latest/gr/asm.html (China: amazonaws.com.cn).
  return new URL(`https://secretsmanager.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`);
}

/** One `GetSecretValue` call; resolves the JSON answer or rejects with a message naming the variable. */
export async function getSecretValue(spec: SecretSpec, env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<Record<string, unknown>> {
  const credentials = credentialsFromEnv(env);
  const region = env.AWS_REGION;
  if (!credentials || !region) {
    throw new SecretStartError(`${failurePrefix(spec)}: no AWS credentials or AWS_REGION in the environment.`);
  }
  const url = secretsManagerEndpoint(env);
  const body = JSON.stringify({
    SecretId: spec.secretId,
    ...(spec.versionStage ? { VersionStage: spec.versionStage } : {}),
    ...(spec.versionId ? { VersionId: spec.versionId } : {}),
  });
  const headers = signRequest({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    body,
    service: 'secretsmanager',
    region,
    credentials,
    date: new Date(),
  });
  const { status, text } = await post(url, headers, body, timeoutMs).catch((e: Error) => {
    throw new SecretStartError(`${failurePrefix(spec)}: ${e.message}`);
  });
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: reported below by status.
  }
  if (status !== 200) {
    const type = String(answer.__type ?? `HTTP ${status}`).replace(/^.*#/, '');
    const message = typeof answer.message === 'string' ? answer.message : typeof answer.Message === 'string' ? answer.Message : '';
    throw new SecretStartError(`${failurePrefix(spec)}: ${type}${message ? `: ${message}` : ''}`);
  }
  return answer;
}

function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'http:' ? http : https).request(url, { method: 'POST', headers, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Resolves every secret in `CDK_MCP_SECRETS`: the variables to set, in the order given. Rejects
 * with a {@link SecretStartError} at the first secret that cannot be read.
 */
export async function resolveSecrets(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const specs = parseSecretSpecs(env[START_ENV.SECRETS]);
  const answers = await Promise.all(specs.map((spec) => getSecretValue(spec, env)));
  const values: Record<string, string> = {};
  specs.forEach((spec, i) => {
    values[spec.name] = valueOf(spec, answers[i]);
  });
  return values;
}

/** `export NAME='value'` lines for a POSIX shell's `eval` (single quotes, `'` as `'\''`). */
export function shellExports(values: Record<string, string>): string {
  return Object.entries(values).map(([name, value]) => `export ${name}='${value.replace(/'/g, '\'\\\'\'')}'\n`).join('');
}

/**
 * `PORT` and `HOST` from a Web Function's `AWS_LAMBDA_HTTP_ENDPOINT` (`host:port`, e.g.
 * `127.0.0.1:8080`; an IPv6 host in brackets), so a server that reads `PORT` listens where the
 * runtime expects it (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-runtimes.html).
 */
export function portFromEndpoint(endpoint: string | undefined): { PORT: string; HOST: string } | undefined {
  const match = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(endpoint ?? '');
  return match ? { HOST: match[1], PORT: match[2] } : undefined;
}
