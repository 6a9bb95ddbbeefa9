import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Environment variable names that suggest a secret value. */
const SECRET_LIKE_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** The names in `environment` that look like secrets. */
export function secretLikeNames(environment: { [name: string]: string } = {}): string[] {
  return Object.keys(environment).filter((name) => SECRET_LIKE_NAME.test(name));
}

/**
 * Warn (acknowledgeable as `cdk-mcp:secretInEnvironment`) when plain environment variables look like
 * secrets: they are visible in the console and the template.
 *
 * @param secretsHow how this service takes secrets instead, e.g. 'the secrets prop (Secrets Manager, by ARN)'
 */
export function warnOnSecretLikeEnvironment(scope: Construct, environment: { [name: string]: string } | undefined, secretsHow: string): void {
  const names = secretLikeNames(environment);
  if (names.length > 0) {
    Annotations.of(scope).addWarningV2(
      'cdk-mcp:secretInEnvironment',
      `environment has ${names.join(', ')}, which look like secrets. Environment variables are visible in the console and the template: ` +
        `pass secrets through ${secretsHow}.`,
    );
  }
}
