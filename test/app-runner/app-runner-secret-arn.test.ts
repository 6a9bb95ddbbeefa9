import { Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpAppRunnerSecret } from '../../src';
import { testStack } from '../support/kit';

/**
 * App Runner takes the full ARN of a Secrets Manager secret (with its random suffix); a JSON key
 * is addressed as `<full ARN>:<key>::`. A partial ARN followed by a key cannot be resolved.
 * https://docs.aws.amazon.com/apprunner/latest/api/API_ImageConfiguration.html (RuntimeEnvironmentSecrets)
 */
describe('McpAppRunnerSecret.fromSecretsManager with a JSON key', () => {
  test('a secret imported by name (a partial ARN) with a key fails, naming the key and the fix', () => {
    const stack = testStack();
    const byName = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'orders/api');
    expect(() => McpAppRunnerSecret.fromSecretsManager(byName, 'token'))
      .toThrow(/field "token"[\s\S]*partial ARN[\s\S]*Secret\.fromSecretCompleteArn/);
  });

  test('a secret imported by partial ARN with a key fails too', () => {
    const stack = testStack();
    const partial = secretsmanager.Secret.fromSecretPartialArn(stack, 'S', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:orders/api');
    expect(() => McpAppRunnerSecret.fromSecretsManager(partial, 'token')).toThrow(/fromSecretCompleteArn/);
  });

  test('a complete ARN, or a secret of the stack, with a key builds <full ARN>:<key>::', () => {
    const stack = testStack();
    const complete = secretsmanager.Secret.fromSecretCompleteArn(stack, 'C', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:orders/api-AbCdEf');
    expect(McpAppRunnerSecret.fromSecretsManager(complete, 'token').arn).toBe('arn:aws:secretsmanager:us-east-1:111111111111:secret:orders/api-AbCdEf:token::');
    const own = new secretsmanager.Secret(stack, 'Own');
    expect(Stack.of(own).resolve(McpAppRunnerSecret.fromSecretsManager(own, 'token').arn)).toEqual({
      'Fn::Join': ['', [{ Ref: expect.stringMatching(/^Own/) }, ':token::']],
    });
  });

  test('a secret imported by name without a key is still accepted (the whole value)', () => {
    const stack = testStack();
    const byName = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'orders/api');
    expect(() => McpAppRunnerSecret.fromSecretsManager(byName)).not.toThrow();
  });
});
