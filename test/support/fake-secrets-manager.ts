/**
 * A stand-in for `@aws-sdk/client-secrets-manager` (which the Lambda runtime provides) for
 * canary handler tests: it records each `GetSecretValue` call and answers `secretString`.
 *
 * ```ts
 * jest.mock('@aws-sdk/client-secrets-manager', () => jest.requireActual('../support/fake-secrets-manager').module, { virtual: true });
 * ```
 */
export const fakeSecrets = { calls: [] as string[], secretString: '' };

export const module = {
  SecretsManagerClient: class {
    async send(command: { input: { SecretId: string } }) {
      fakeSecrets.calls.push(command.input.SecretId);
      return { SecretString: fakeSecrets.secretString };
    }
  },
  GetSecretValueCommand: class {
    constructor(readonly input: { SecretId: string }) {}
  },
};
