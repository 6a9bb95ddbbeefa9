import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ValidationErrors } from './validation';

/** The props of a service that passes Secrets Manager secrets by ARN. */
export interface SecretArnProps {
  readonly secretArns?: { [name: string]: secretsmanager.ISecret };
  readonly secrets?: { [name: string]: secretsmanager.ISecret };
}

/**
 * The secrets a function-based service passes as `<NAME>_SECRET_ARN`: `secretArns`, or the
 * deprecated `secrets` it replaces (the container services' `secrets` inject values; the new name
 * says the difference). Setting both is reported by {@link checkSecretArnProps}.
 */
export function secretArnsOf(props: SecretArnProps): { [name: string]: secretsmanager.ISecret } {
  return { ...props.secrets, ...props.secretArns };
}

/** Problems with `secretArns` / `secrets`: both set, or keys {@link checkSecretNames} refuses. */
export function checkSecretArnProps(
  errors: ValidationErrors,
  props: SecretArnProps,
  environment: { readonly [name: string]: string } | undefined,
): void {
  errors.check(
    props.secrets === undefined || props.secretArns === undefined,
    'secrets and secretArns are both set: secrets is the deprecated name of secretArns. Move every entry to secretArns.',
  );
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
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
      `secretArns key "${name}" is not a valid environment variable name (letters, digits, underscores, not starting with a digit); it becomes ${name}_SECRET_ARN.`,
    );
    errors.check(
      !(environment ?? {})[`${name}_SECRET_ARN`],
      `environment sets ${name}_SECRET_ARN, which secretArns key "${name}" also sets. Remove one of them.`,
    );
  }
}
