/**
 * SigV4a against published test vectors (awslabs/aws-c-auth, see fixtures/sigv4a/README.md):
 * key derivation, canonical request and string to sign byte for byte, and ECDSA signatures that
 * verify with the published public keys.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deriveSigV4aKeyPair, sigV4aSigningInput, signRequestV4a, type SigV4aRequest } from '../../lambda/probe/sigv4a';

const VECTORS = path.join(__dirname, 'fixtures', 'sigv4a');
const CASES = ['get-vanilla', 'post-vanilla', 'get-vanilla-query-order-key-case', 'get-header-value-trim', 'get-vanilla-with-session-token', 'post-x-www-form-urlencoded'];

function read(name: string, file: string): string {
  return fs.readFileSync(path.join(VECTORS, name, file), 'utf8');
}

/** A published case as a request to sign: request.txt parsed, context.json applied. */
function requestOf(name: string): SigV4aRequest {
  const context = JSON.parse(read(name, 'context.json'));
  const text = read(name, 'request.txt');
  const blank = text.indexOf('\n\n');
  const head = (blank < 0 ? text : text.slice(0, blank)).split('\n').filter((l) => l !== '');
  const body = blank < 0 ? '' : text.slice(blank + 2);
  const [method, target] = head[0].split(' ');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return {
    method,
    url: new URL(target, `https://${headers.Host}`),
    headers,
    body,
    service: context.service,
    regionSet: [context.region],
    credentials: {
      accessKeyId: context.credentials.access_key_id,
      secretAccessKey: context.credentials.secret_access_key,
      ...(context.credentials.token ? { sessionToken: context.credentials.token } : {}),
    },
    date: new Date(context.timestamp),
    signPayloadHeader: context.sign_body,
  };
}

function publishedKey(name: string): KeyObject {
  const { X, Y } = JSON.parse(read(name, 'public-key.json'));
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(X, 'hex').toString('base64url'), y: Buffer.from(Y, 'hex').toString('base64url') }, format: 'jwk' });
}

function verifies(key: KeyObject, stringToSign: string, signatureHex: string): boolean {
  return verify('sha256', Buffer.from(stringToSign, 'utf8'), { key, dsaEncoding: 'der' }, Buffer.from(signatureHex.trim(), 'hex'));
}

describe('SigV4a key derivation', () => {
  test('derives the private key and public point aws-c-auth publishes (credentials_derive_ecc_key_fixed)', () => {
    const vector = JSON.parse(fs.readFileSync(path.join(VECTORS, 'key-derivation.json'), 'utf8'));
    const pair = deriveSigV4aKeyPair({ accessKeyId: vector.access_key_id, secretAccessKey: vector.secret_access_key });
    expect(pair.x.toString('hex')).toBe(vector.X);
    expect(pair.y.toString('hex')).toBe(vector.Y);
    const d = Buffer.from(pair.privateKey.export({ format: 'jwk' }).d!, 'base64url').toString('hex');
    expect(d).toBe(vector.private_key);
  });

  test('derives the public key of the signing test suite (AKIDEXAMPLE)', () => {
    const { X, Y } = JSON.parse(read('get-vanilla', 'public-key.json'));
    const pair = deriveSigV4aKeyPair(requestOf('get-vanilla').credentials);
    expect(pair.x.toString('hex')).toBe(X);
    expect(pair.y.toString('hex')).toBe(Y);
  });
});

describe.each(CASES)('SigV4a published case %s', (name) => {
  test('the canonical request and the string to sign equal the published ones byte for byte', () => {
    const input = sigV4aSigningInput(requestOf(name));
    expect(input.canonicalRequest).toBe(read(name, 'header-canonical-request.txt'));
    expect(input.stringToSign).toBe(read(name, 'header-string-to-sign.txt'));
  });

  test('our signature verifies with the published public key; the published signatures verify against our string to sign', () => {
    const request = requestOf(name);
    const headers = signRequestV4a(request);
    const { stringToSign, scope, signedHeaders } = sigV4aSigningInput(request);
    const match = /^AWS4-ECDSA-P256-SHA256 Credential=([^/]+)\/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(headers.authorization);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(request.credentials.accessKeyId);
    expect(match![2]).toBe(scope);
    expect(match![3]).toBe(signedHeaders);
    const key = publishedKey(name);
    expect(verifies(key, stringToSign, match![4])).toBe(true);

    expect(verifies(key, stringToSign, read(name, 'header-signature.txt'))).toBe(true);
    const published = /Signature=([0-9a-f]+)/.exec(read(name, 'header-signed-request.txt'))![1];
    expect(verifies(key, stringToSign, published)).toBe(true);
  });

  test('negative control: a one-byte change in the string to sign fails verification', () => {
    const request = requestOf(name);
    const { stringToSign } = sigV4aSigningInput(request);
    const signature = /Signature=([0-9a-f]+)/.exec(signRequestV4a(request).authorization)![1];
    const last = stringToSign.length - 1;
    const changed = stringToSign.slice(0, last) + (stringToSign[last] === '0' ? '1' : '0');
    expect(verifies(publishedKey(name), changed, signature)).toBe(false);
    expect(verifies(publishedKey(name), changed, read(name, 'header-signature.txt'))).toBe(false);
  });
});

describe('SigV4a headers', () => {
  test('the Region set * is sent and signed; X-Amz-Content-SHA256 is signed by default', () => {
    const headers = signRequestV4a({
      method: 'POST',
      url: new URL('https://abc.lambda-web.global.on.aws/mcp'),
      headers: { 'content-type': 'application/json' },
      body: '{}',
      service: 'lambda',
      regionSet: ['*'],
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      date: new Date('2026-01-02T03:04:05Z'),
    });
    expect(headers['x-amz-region-set']).toBe('*');
    expect(headers['x-amz-content-sha256']).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(headers.authorization).toMatch(/^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE\/20260102\/lambda\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature=30[0-9a-f]+$/);
  });
});
