import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ValidationErrors } from './validation';

/** The props of a service that passes Secrets Manager secrets by ARN. */
export interface SecretArnProps {
  readonly secretArns?: { [name: string]: secretsmanager.ISecret };
}

/** The secrets a function-based service passes as `<NAME>_SECRET_ARN` (`secretArns`). */
export function secretArnsOf(props: SecretArnProps): { [name: string]: secretsmanager.ISecret } {
  return { ...props.secretArns };
}

/** Problems with `secretArns`: keys {@link checkSecretNames} refuses. */
export function checkSecretArnProps(
  errors: ValidationErrors,
  props: SecretArnProps,
  environment: { readonly [name: string]: string } | undefined,
): void {
  checkSecretNames(errors, secretArnsOf(props), environment);
}

/**
 * Problems with `secrets` keys of a service that passes each secret as `<NAME>_SECRET_ARN`: a
 * key must make a valid environment variable name and must not collide with `environment`.
 * Shared by the service kinds that take Secrets Manager secrets by ARN.
 */
export function checkSecretNames(
  errors: ValidationErrors,
  secrets: { readonly [name: string]: unknown } | undefined,
  environment: { readonly [name: string]: string } | undefined,
): void {
  for (const name of Object.keys(secrets ?? {})) {
    errors.check(
      'cdk-mcp:secretArnsKeyFormat',
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
      `secretArns key "${name}" is not a valid environment variable name (it becomes ${name}_SECRET_ARN): use letters, digits and underscores, not starting with a digit.`,
    );
    errors.check(
      'cdk-mcp:secretArnInEnvironment',
      !(environment ?? {})[`${name}_SECRET_ARN`],
      `environment sets ${name}_SECRET_ARN, which secretArns key "${name}" also sets. Remove one of them.`,
    );
  }
}

/**
 * A container service's `secrets` inject values into variables: a name must not also be in
 * `environment` (rule `cdk-mcp:secretAlsoInEnvironment`).
 */
export function checkSecretsNotInEnvironment(
  errors: ValidationErrors,
  secrets: { readonly [name: string]: unknown } | undefined,
  environment: { readonly [name: string]: string } | undefined,
): void {
  const both = Object.keys(secrets ?? {}).filter((name) => (environment ?? {})[name] !== undefined);
  errors.check(
    'cdk-mcp:secretAlsoInEnvironment',
    both.length === 0,
    `${both.join(', ')} ${both.length === 1 ? 'is' : 'are'} set in both environment and secrets: remove ${both.length === 1 ? 'it' : 'them'} from environment `
      + 'and keep the secret only (a plain variable would put the value in the template).',
  );
}
