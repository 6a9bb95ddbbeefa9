/**
 * AWS Signature Version 4 for the probe's HTTP requests (IAM-protected Lambda Function URLs).
 * Pure: no clock, no environment; the caller passes the date and the credentials.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac } from 'node:crypto';

/** AWS credentials, as a Lambda function receives them in its environment. */
export interface AwsCredentials {
  /** `AWS_ACCESS_KEY_ID` */
  readonly accessKeyId: string;
  /** `AWS_SECRET_ACCESS_KEY` */
  readonly secretAccessKey: string;
  /** `AWS_SESSION_TOKEN`, for temporary credentials. */
  readonly sessionToken?: string;
}

/** One request to sign, whatever the algorithm (SigV4 here, SigV4a in ./sigv4a). */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Headers to sign (names in any case). `host` is added from the URL when absent. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly service: string;
  readonly credentials: AwsCredentials;
  readonly date: Date;
  /** Adds `x-amz-content-sha256` (signed). @default true */
  readonly signPayloadHeader?: boolean;
}

/** One request to sign with SigV4. */
export interface SigV4Request extends SignableRequest {
  readonly region: string;
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 encoding as SigV4 wants it (`A-Za-z0-9-_.~` unreserved). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(pathname: string): string {
  // Lambda URLs are signed with each segment encoded once (non-S3 services encode twice, but
  // URL.pathname is already percent-encoded once, so encoding the decoded segments once more
  // gives the double-encoded form AWS expects).
  const segments = pathname.split('/').map((s) => uriEncode(safeDecode(s)));
  const joined = segments.join('/');
  return uriEncode(joined).replace(/%2F/g, '/') || '/';
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function canonicalQuery(url: URL): string {
  const pairs: Array<[string, string]> = [];
  url.searchParams.forEach((value, key) => pairs.push([uriEncode(key), uriEncode(value)]));
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The headers to send (before `authorization`) and the canonical request over them. */
export interface CanonicalForm {
  /** Every header to send, lower-case names, all of them signed. */
  readonly headers: Record<string, string>;
  /** The signed header names, sorted, `;`-separated. */
  readonly signedHeaders: string;
  /** The canonical request, as SigV4 and SigV4a hash it. */
  readonly canonicalRequest: string;
  /** `x-amz-date` (`YYYYMMDDTHHMMSSZ`). */
  readonly date: string;
  /** The date of the credential scope (`YYYYMMDD`). */
  readonly day: string;
}

/**
 * The canonical request of SigV4 (and of SigV4a, which signs `extraHeaders` = `x-amz-region-set`
 * too): the given headers plus `host`, `x-amz-date`, `x-amz-content-sha256` (unless disabled) and
 * `x-amz-security-token` (with temporary credentials), all signed.
 *
 * @param request what to sign
 * @param extraHeaders more headers to send and sign (lower-case names)
 */
export function canonicalForm(request: SignableRequest, extraHeaders: Readonly<Record<string, string>> = {}): CanonicalForm {
  const date = amzDate(request.date);
  const day = date.slice(0, 8);
  const payloadHash = sha256Hex(request.body);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = value;
  }
  headers.host ??= request.url.host;
  headers['x-amz-date'] = date;
  if (request.signPayloadHeader ?? true) headers['x-amz-content-sha256'] = payloadHash;
  if (request.credentials.sessionToken) headers['x-amz-security-token'] = request.credentials.sessionToken;
  Object.assign(headers, extraHeaders);

  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.url.pathname),
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  return { headers, signedHeaders, canonicalRequest, date, day };
}

/**
 * Signs a request with SigV4 and returns the headers to send with it: the signed headers given,
 * plus `host`, `x-amz-date`, `x-amz-content-sha256` (unless disabled), `x-amz-security-token`
 * (with temporary credentials) and `authorization`.
 *
 * @param request what to sign
 * @returns all headers to send, lower-case names
 */
export function signRequest(request: SigV4Request): Record<string, string> {
  const { headers, signedHeaders, canonicalRequest, date, day } = canonicalForm(request);
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${request.credentials.secretAccessKey}`, day);
  const kRegion = hmac(kDate, request.region);
  const kService = hmac(kRegion, request.service);
  const kSigning = hmac(kService, 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${request.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/**
 * Reads AWS credentials from the standard environment variables, as a Lambda function has them.
 *
 * @returns the credentials, or undefined when `AWS_ACCESS_KEY_ID` or `AWS_SECRET_ACCESS_KEY` is unset
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}
