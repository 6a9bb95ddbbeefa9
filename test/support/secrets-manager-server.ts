/**
 * A loopback Secrets Manager for the start-code tests: speaks the AWS JSON 1.1 wire protocol of
 * `GetSecretValue` (`X-Amz-Target: secretsmanager.GetSecretValue`), checks the SigV4 signature
 * against the test credentials (recomputed with the probe's signer), and answers from a map of
 * secret ARNs; an ARN in `denied` gets the `AccessDeniedException` Secrets Manager sends.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { signRequest } from '../../lambda/probe/sigv4';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDSTARTTEST', secretAccessKey: 'start-test-secret-key', sessionToken: 'start-test-token' };
export const TEST_REGION = 'us-east-1';

/** The environment a function has (credentials, Region) pointing at `endpoint`. */
export function functionEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
  };
}

export interface FakeSecretsManager {
  readonly endpoint: string;
  /** Every request's `SecretId` (and `VersionStage`), in order. */
  readonly calls: Array<{ SecretId: string; VersionStage?: string }>;
  close(): Promise<void>;
}

export async function startSecretsManager(secrets: Record<string, string>, denied: string[] = []): Promise<FakeSecretsManager> {
  const calls: Array<{ SecretId: string; VersionStage?: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const send = (status: number, answer: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
      };
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue'
        || req.headers['content-type'] !== 'application/x-amz-json-1.1') {
        send(400, { __type: 'UnknownOperationException' });
        return;
      }
      const amzDate = String(req.headers['x-amz-date'] ?? '');
      const date = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      const expected = Number.isNaN(date.getTime()) ? {} as Record<string, string> : signRequest({
        method: 'POST',
        url: new URL(`http://${req.headers.host}${req.url}`),
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
        body,
        service: 'secretsmanager',
        region: TEST_REGION,
        credentials: TEST_CREDENTIALS,
        date,
      });
      if (!req.headers.authorization || req.headers.authorization !== expected.authorization) {
        send(403, { __type: 'InvalidSignatureException', message: 'The request signature we calculated does not match the signature you provided.' });
        return;
      }
      const input = JSON.parse(body) as { SecretId: string; VersionStage?: string };
      calls.push(input);
      if (denied.includes(input.SecretId)) {
        send(400, {
          __type: 'AccessDeniedException',
          Message: `User: arn:aws:sts::123456789012:assumed-role/ServiceRole/fn is not authorized to perform: secretsmanager:GetSecretValue on resource: ${input.SecretId}`,
        });
        return;
      }
      const value = secrets[input.SecretId];
      if (value === undefined) {
        send(400, { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." });
        return;
      }
      send(200, { ARN: input.SecretId, Name: 'test', SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
