import * as path from 'path';
import { Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { checkSecretsNotInEnvironment } from './secret-names';
import { ValidationErrors } from './validation';
import { START_ENV } from '../contract/server-start';

/** The Lambda start layer (start.sh and its resolvers), assembled at library build time. */
const LAMBDA_START_LAYER_ASSET = path.join(__dirname, '..', '..', 'assets', 'lambda', 'start', 'layer');

/**
 * The `CDK_MCP_SECRETS` value the start code resolves: `{ NAME: valueFrom }`, each `valueFrom` the
 * secret's ARN with the JSON key, version stage and version id as ECS writes them
 * (`ecs.Secret.fromSecretsManager(secret, field)`). ARNs only: no value is in the template.
 */
export function startSecretsValue(scope: Construct, secrets: { readonly [name: string]: ecs.Secret }): string {
  const references: { [name: string]: string } = {};
  for (const [name, secret] of Object.entries(secrets)) {
    references[name] = secret.arn;
  }
  return Stack.of(scope).toJsonString(references);
}

/** Grant `grantee` read access to each secret. */
export function grantSecretsRead(secrets: { readonly [name: string]: ecs.Secret }, grantee: iam.IGrantable): void {
  for (const secret of Object.values(secrets)) {
    secret.grantRead(grantee);
  }
}

/**
 * The layer with the Lambda start wrapper (`/opt/cdk-mcp/start.sh`) that resolves `secrets`
 * before the Web Adapter starts the server. Lambda extracts layers to `/opt`
 * (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html); the runtime runs the
 * wrapper named by `AWS_LAMBDA_EXEC_WRAPPER` with its own command as arguments
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html#runtime-wrapper).
 */
export function lambdaStartLayer(scope: Construct, id: string, architecture: lambda.Architecture): lambda.ILayerVersion {
  return new lambda.LayerVersion(scope, id, {
    code: lambda.Code.fromAsset(LAMBDA_START_LAYER_ASSET),
    compatibleArchitectures: [architecture],
    description: 'cdk-mcp start wrapper: resolves the MCP server\'s secrets into environment variables at start',
  });
}

/**
 * Problems with the value form of `secrets` on a kind whose start code resolves them (Lambda, Web
 * Functions): Secrets Manager only (the start code reads no Parameter Store), a valid variable
 * name, not also a plain variable, and code the construct can put its start code in front of.
 * Also refuses an `ISecret` where an `ecs.Secret` is expected (from JavaScript: the former
 * meaning of `secrets` on these kinds, now `secretArns`).
 *
 * @param noStartCode why the code cannot have the start code, or undefined when it can
 */
export function checkSecretValues(
  errors: ValidationErrors,
  scope: Construct,
  secrets: { readonly [name: string]: ecs.Secret } | undefined,
  environment: { readonly [name: string]: string } | undefined,
  noStartCode: string | undefined,
): void {
  const names = Object.keys(secrets ?? {});
  for (const [name, secret] of Object.entries(secrets ?? {})) {
    if (typeof (secret as Partial<ecs.Secret>).arn !== 'string') {
      errors.check('cdk-mcp:secretsValueForm', false,
        `secrets.${name} is not an ecs.Secret: secrets now hands the server the value (as on the container kinds). ` +
          `Pass ecs.Secret.fromSecretsManager(secret) (or (secret, 'jsonKey')), or move it to secretArns to get ${name}_SECRET_ARN as before.`);
      continue;
    }
    const resolved = JSON.stringify(Stack.of(scope).resolve(secret.arn));
    errors.check('cdk-mcp:secretsSecretsManagerOnly',
      !resolved.includes(':ssm:') && (Token.isUnresolved(secret.arn) || secret.arn.includes(':secretsmanager:')),
      `secrets.${name} is not a Secrets Manager secret (got ${Token.isUnresolved(secret.arn) ? 'a Parameter Store parameter' : secret.arn}): ` +
        'the start code resolves Secrets Manager secrets only. Use ecs.Secret.fromSecretsManager(secret), or read the parameter in the server.');
    errors.check('cdk-mcp:secretsKeyFormat', /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
      `secrets key "${name}" is not a valid environment variable name: use letters, digits and underscores, not starting with a digit.`);
  }
  checkSecretsNotInEnvironment(errors, secrets, environment);
  errors.check('cdk-mcp:secretsNeedStartCode', names.length === 0 || noStartCode === undefined,
    `secrets (${names.join(', ')}) cannot be resolved: ${noStartCode}`);
  for (const reserved of [START_ENV.SECRETS, START_ENV.SERVER_ENTRY]) {
    errors.check('cdk-mcp:startVariableInEnvironment', (environment ?? {})[reserved] === undefined,
      `environment must not set ${reserved}: the construct writes it for the start code. Rename the variable.`);
  }
}

/**
 * An `environment.PORT` must be the port the construct sets `PORT` to from `portProp` (else the
 * server would listen where nothing forwards).
 */
export function checkPortEnvironment(
  errors: ValidationErrors,
  environment: { readonly [name: string]: string } | undefined,
  portProp: string,
  port: number,
): void {
  const given = (environment ?? {}).PORT;
  errors.check('cdk-mcp:portContradictsEnvironment',
    given === undefined || Token.isUnresolved(given) || Token.isUnresolved(port) || given === String(port),
    `environment.PORT is "${given}" but ${portProp} is ${port}: the construct sets PORT from ${portProp}, where traffic is forwarded. ` +
      `Remove PORT from environment, or set ${portProp}: ${Number(given) || given}.`);
}
