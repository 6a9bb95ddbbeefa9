/**
 * Authentication on the wire: extra headers, bearer tokens and SigV4 reach the server on every
 * request, and none of them appears in the result.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScripted, startServer } from './fixtures/http-server';
import { signatureCheckingServer, verifiesSigV4 } from './fixtures/signing';
import { probe } from '../../lambda/probe';
import { sigV4aSigningInput } from '../../lambda/probe/sigv4a';

/** SigV4a test credentials; their public key is aws-c-auth's published one (fixtures/sigv4a/get-vanilla). */
const SIGV4A_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN' };

/**
 * Verifies a received request's SigV4a signature as AWS does: the canonical request re-computed
 * from what arrived (its signed headers, body and date) for `regionSet`, the signature checked
 * with the published public key, so the verdict does not rest on our own key derivation.
 */
function verifiesSigV4a(request: { method: string; url: string; headers: Record<string, string>; body: string }, regionSet: string[]): boolean {
  const { headers } = request;
  const auth = /^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE\/(\d{8})\/lambda\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(headers.authorization ?? '');
  if (!auth) return false;
  const d = headers['x-amz-date'] ?? '';
  const signed = auth[2].split(';');
  const own = ['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'x-amz-region-set'];
  const input = sigV4aSigningInput({
    method: request.method,
    url: new URL(request.url, `http://${headers.host}`),
    headers: { ...Object.fromEntries(signed.filter((h) => !own.includes(h)).map((h) => [h, headers[h]])), host: headers.host },
    body: request.body,
    regionSet,
    service: 'lambda',
    credentials: SIGV4A_CREDENTIALS,
    date: new Date(Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15))),
  });
  const { X, Y } = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sigv4a', 'get-vanilla', 'public-key.json'), 'utf8'));
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(X, 'hex').toString('base64url'), y: Buffer.from(Y, 'hex').toString('base64url') }, format: 'jwk' });
  return auth[1] === d.slice(0, 8)
    && auth[2] === input.signedHeaders
    && ['x-amz-region-set', 'x-amz-content-sha256'].every((h) => signed.includes(h))
    && verify('sha256', Buffer.from(input.stringToSign), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(auth[3], 'hex'));
}

describe('probe authentication', () => {
  test('extra headers and the bearer token are sent on every request', async () => {
    const server = await startScripted();
    try {
      const res = await probe({ url: server.url, bearerToken: 'tok-7a1b2c3d4e5f', headers: { 'X-Tenant': 'blue' } });
      expect(res.ok).toBe(true);
      expect(server.requests.length).toBeGreaterThanOrEqual(4);
      for (const r of server.requests) {
        expect(r.headers.authorization).toBe('Bearer tok-7a1b2c3d4e5f');
        expect(r.headers['x-tenant']).toBe('blue');
        expect(r.headers.origin).toBeUndefined();
      }
    } finally {
      await server.close();
    }
  });

  test('a server echoing the bearer token and an API key back never gets them into the message', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`denied for ${req.headers.authorization} with key ${String(req.headers['x-api-key'])}`);
    });
    try {
      const res = await probe({ url: server.url, bearerToken: 'tok-SECRET-99887766', headers: { 'X-Api-Key': 'key-SECRET-11223344' } });
      expect(res.failureClass).toBe('FORBIDDEN');
      expect(res.message).not.toContain('tok-SECRET-99887766');
      expect(res.message).not.toContain('key-SECRET-11223344');
      expect(res.message).toMatch(/denied for Bearer \[REDACTED\]/);
    } finally {
      await server.close();
    }
  });

  test('SigV4 signs every request so that a verifier re-computing the signature accepts it', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN' };
    const verdicts: boolean[] = [];
    // Re-sign what arrived (its signed headers, body and date) and compare, as AWS does.
    const server = await signatureCheckingServer(verifiesSigV4(credentials, 'eu-west-1'), verdicts);
    try {
      const res = await probe({ url: server.url, sigv4: { region: 'eu-west-1', credentials } });
      expect(res.ok).toBe(true);
      // discover, initialize, notifications/initialized, tools/list: all signed and verified.
      expect(verdicts).toEqual([true, true, true, true]);
      expect(res.message).not.toContain(credentials.secretAccessKey);
    } finally {
      await server.close();
    }
  });

  test('SigV4a signs every request for the Region set * so that a verifier holding the published public key accepts it', async () => {
    const verdicts: boolean[] = [];
    const server = await signatureCheckingServer((req, headers, body) => verifiesSigV4a({ method: req.method!, url: req.url!, headers, body }, ['*'])
      && headers['x-amz-region-set'] === '*'
      && headers['x-amz-security-token'] === SIGV4A_CREDENTIALS.sessionToken
      && headers['x-amz-content-sha256'] === createHash('sha256').update(body).digest('hex'), verdicts);
    try {
      const res = await probe({ url: server.url, sigv4: { algorithm: 'sigv4a', credentials: SIGV4A_CREDENTIALS } });
      expect(res.ok).toBe(true);
      // discover, initialize, notifications/initialized, tools/list: all signed and verified.
      expect(verdicts).toEqual([true, true, true, true]);
      expect(res.message).not.toContain(SIGV4A_CREDENTIALS.secretAccessKey);
    } finally {
      await server.close();
    }
  });

  test('SigV4a signs the Region set given; the signature does not verify for another set (negative control)', async () => {
    const server = await startScripted();
    try {
      const res = await probe({ url: server.url, sigv4: { algorithm: 'sigv4a', regionSet: ['us-east-1', 'eu-west-1'], credentials: SIGV4A_CREDENTIALS } });
      expect(res.ok).toBe(true);
      const first = server.requests[0];
      expect(first.headers['x-amz-region-set']).toBe('us-east-1,eu-west-1');
      const recorded = { ...first, headers: first.headers as Record<string, string> };
      expect(verifiesSigV4a(recorded, ['us-east-1', 'eu-west-1'])).toBe(true);
      expect(verifiesSigV4a(recorded, ['*'])).toBe(false);
      expect(verifiesSigV4a({ ...recorded, body: `${recorded.body} ` }, ['us-east-1', 'eu-west-1'])).toBe(false);
    } finally {
      await server.close();
    }
  });

  test('SigV4a options are checked: an unknown algorithm and a bad Region set name the option', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    const bad = await probe({ url: 'http://127.0.0.1:9/mcp', sigv4: { algorithm: 'sigv5' as 'sigv4a', credentials } });
    expect(bad.message).toMatch(/sigv4.algorithm "sigv5" is unknown: use sigv4 .* or sigv4a/);
    const set = await probe({ url: 'http://127.0.0.1:9/mcp', sigv4: { algorithm: 'sigv4a', regionSet: ['Mars'], credentials } });
    expect(set.message).toMatch(/sigv4.regionSet \["Mars"\] must be a non-empty list of AWS region names .* \['\*'\]/);
    const empty = await probe({ url: 'http://127.0.0.1:9/mcp', sigv4: { algorithm: 'sigv4a', regionSet: [], credentials } });
    expect(empty.message).toMatch(/sigv4.regionSet \[\] must be a non-empty list/);
  });

  test('SigV4 reads the standard AWS credential environment variables', async () => {
    const server = await startScripted();
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'ASIAENVEXAMPLE000000', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_SESSION_TOKEN: 'envtoken' });
    try {
      const res = await probe({ url: server.url, sigv4: { region: 'us-east-1' } });
      expect(res.ok).toBe(true);
      expect(server.requests[0].headers.authorization).toMatch(/Credential=ASIAENVEXAMPLE000000\/\d{8}\/us-east-1\/lambda\/aws4_request/);
      expect(server.requests[0].headers['x-amz-security-token']).toBe('envtoken');
    } finally {
      process.env = saved;
      await server.close();
    }
  });

  test('SigV4 without credentials anywhere is reported as invalid options naming the variables', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const res = await probe({ url: 'http://127.0.0.1:9/mcp', sigv4: { region: 'us-east-1' } });
      expect(res).toMatchObject({ ok: false, failureClass: 'HTTP_ERROR' });
      expect(res.message).toMatch(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    } finally {
      if (saved.id !== undefined) process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret !== undefined) process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });
});
