import { ValidationErrors } from './validation';

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
      `secrets key "${name}" is not a valid environment variable name (letters, digits, underscores, not starting with a digit); it becomes ${name}_SECRET_ARN.`,
    );
    errors.check(
      !(environment ?? {})[`${name}_SECRET_ARN`],
      `environment sets ${name}_SECRET_ARN, which secrets key "${name}" also sets. Remove one of them.`,
    );
  }
}
