/**
 * AWS Signature Version 4a (`AWS4-ECDSA-P256-SHA256`) for the probe's HTTP requests: multi-Region
 * Lambda Web Function endpoints with `IamAuth` take it for the Region set `*`. `node:crypto` only.
 * Pure: no clock, no environment; the caller passes the date and the credentials.
 *
 * Follows awslabs/aws-c-auth (source/key_derivation.c, source/aws_signing.c) and
 * smithy-typescript packages/signature-v4a, and is tested against aws-c-auth's published
 * v4a test suite (test/probe/fixtures/sigv4a/).
 */
import { createECDH, createHmac, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { canonicalForm, sha256Hex, type AwsCredentials, type SignableRequest } from './sigv4';

/** The SigV4a algorithm name: the `Authorization` prefix, and the KDF label. */
export const SIGV4A_ALGORITHM = 'AWS4-ECDSA-P256-SHA256';

/** One request to sign with SigV4a. */
export interface SigV4aRequest extends SignableRequest {
  /**
   * The Regions the signature is valid in, sent as the signed `X-Amz-Region-Set` header
   * (comma-joined). `['*']` for every Region.
   */
  readonly regionSet: readonly string[];
}

/** The signing key of a pair of credentials. */
export interface SigV4aKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public point's X coordinate, 32 bytes big-endian. */
  readonly x: Buffer;
  /** The public point's Y coordinate, 32 bytes big-endian. */
  readonly y: Buffer;
}

/** The order of the P-256 group, minus 2: a candidate above it is rejected (aws-c-auth `s_n_minus_2`). */
const N_MINUS_2 = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254f');

/** Candidates tried before giving up (aws-c-auth `MAX_KEY_DERIVATION_COUNTER_VALUE`). */
const MAX_COUNTER = 254;

/**
 * Derives the ECDSA P-256 key of a pair of AWS credentials, as AWS does to verify SigV4a: NIST SP
 * 800-108 HMAC-SHA256 in counter mode, key `"AWS4A" || secret`, input
 * `0x00000001 || "AWS4-ECDSA-P256-SHA256" || 0x00 || accessKeyId || counter || 0x00000100`; the
 * first candidate not above n-2 (counter 1, 2, ...) plus one is the private scalar.
 *
 * @param credentials the access key id and secret access key
 */
export function deriveSigV4aKeyPair(credentials: Pick<AwsCredentials, 'accessKeyId' | 'secretAccessKey'>): SigV4aKeyPair {
  const secret = Buffer.from(`AWS4A${credentials.secretAccessKey}`, 'utf8');
  for (let counter = 1; counter <= MAX_COUNTER; counter++) {
    const fixedInput = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      Buffer.from(SIGV4A_ALGORITHM, 'utf8'),
      Buffer.from([0]),
      Buffer.from(credentials.accessKeyId, 'utf8'),
      Buffer.from([counter]),
      Buffer.from([0, 0, 1, 0]),
    ]);
    const candidate = BigInt(`0x${createHmac('sha256', secret).update(fixedInput).digest('hex')}`);
    if (candidate > N_MINUS_2) continue;
    const d = Buffer.from((candidate + 1n).toString(16).padStart(64, '0'), 'hex');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // 0x04 || X || Y
    const x = point.subarray(1, 33);
    const y = point.subarray(33, 65);
    const jwk = { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') };
    return {
      privateKey: createPrivateKey({ key: { ...jwk, d: d.toString('base64url') }, format: 'jwk' }),
      publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
      x: Buffer.from(x),
      y: Buffer.from(y),
    };
  }
  // Probability about 2^(-32 * 254): never in practice.
  throw new Error('SigV4a: no valid P-256 key derives from these credentials');
}

/** What SigV4a signs, step by step (for the signer and for verifiers in tests). */
export interface SigV4aSigningInput {
  /** Every header to send except `authorization`, lower-case names. */
  readonly headers: Record<string, string>;
  readonly signedHeaders: string;
  readonly canonicalRequest: string;
  /** `<YYYYMMDD>/<service>/aws4_request`: SigV4a's credential scope has no Region. */
  readonly scope: string;
  readonly stringToSign: string;
}

/**
 * The canonical request (SigV4's, with `x-amz-region-set` signed) and the string to sign
 * (`AWS4-ECDSA-P256-SHA256`, the date, the Region-less scope, the canonical request's SHA-256).
 *
 * @param request what to sign
 */
export function sigV4aSigningInput(request: SigV4aRequest): SigV4aSigningInput {
  const { headers, signedHeaders, canonicalRequest, date, day } = canonicalForm(request, { 'x-amz-region-set': request.regionSet.join(',') });
  const scope = `${day}/${request.service}/aws4_request`;
  const stringToSign = [SIGV4A_ALGORITHM, date, scope, sha256Hex(canonicalRequest)].join('\n');
  return { headers, signedHeaders, canonicalRequest, scope, stringToSign };
}

/**
 * Signs a request with SigV4a and returns the headers to send with it: the signed headers given,
 * plus `host`, `x-amz-date`, `x-amz-region-set`, `x-amz-content-sha256` (unless disabled),
 * `x-amz-security-token` (with temporary credentials) and `authorization`. The signature is the
 * hex DER ECDSA P-256 signature over the SHA-256 of the string to sign (randomized: two
 * signatures of one request differ, both valid).
 *
 * @param request what to sign
 * @param keyPair the key derived from `request.credentials` (derived here when not given)
 * @returns all headers to send, lower-case names
 */
export function signRequestV4a(request: SigV4aRequest, keyPair: SigV4aKeyPair = deriveSigV4aKeyPair(request.credentials)): Record<string, string> {
  const input = sigV4aSigningInput(request);
  const signature = sign('sha256', Buffer.from(input.stringToSign, 'utf8'), { key: keyPair.privateKey, dsaEncoding: 'der' }).toString('hex');
  return {
    ...input.headers,
    authorization: `${SIGV4A_ALGORITHM} Credential=${request.credentials.accessKeyId}/${input.scope}, ` +
      `SignedHeaders=${input.signedHeaders}, Signature=${signature}`,
  };
}
