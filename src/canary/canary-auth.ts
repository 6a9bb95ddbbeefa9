import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CANARY_ENV, CanaryAuthMode } from '../contract/canary-env';
import { checkHeaderName, PROBE_HEADERS } from './private/canary-headers';
import { DEFAULT_SIGNING_SERVICE, REGION_NAME } from '../contract/signing';
import { ValidationErrors } from '../private/validation';

/** Options of {@link McpCanaryAuth.bearerTokenFromSecret}. */
export interface McpCanaryBearerTokenOptions {
  /**
   * The field of a JSON secret that holds the token.
   *
   * @default - the whole secret string is the token
   */
  readonly jsonField?: string;
}

/** Options of {@link McpCanaryAuth.sigV4ForWebFunction}. */
export interface McpCanaryWebFunctionSigV4Options {
  /**
   * The Region to sign for: the replica Region whose Regional URL the canary probes, for a
   * `perRegion` endpoint (each Region has its own domain, `<id>.<shard>.lambda-web.<region>.on.aws`).
   * Only a `perRegion` endpoint takes a Region other than its own.
   *
   * @default - the endpoint's own Region (the home Region)
   */
  readonly region?: string;
}

/** What an {@link McpCanaryAuth} contributes to the canary function. */
interface McpCanaryAuthBinding {
  readonly environment: { [key: string]: string };
}

/**
 * How the canary authenticates to the MCP endpoint. No credential ever lands in the template or
 * in an environment variable: secrets are read at run time, SigV4 and SigV4a use the function's
 * own role.
 */
export class McpCanaryAuth {
  /** No authentication (a public endpoint, or one protected by network placement). */
  public static none(): McpCanaryAuth {
    return new McpCanaryAuth('none', () => ({ environment: {} }));
  }

  /**
   * Send `Authorization: Bearer <token>`, the token read at run time from a Secrets Manager secret
   * (cached for five minutes across invocations). Grants the canary read access to the secret
   * (`secretsmanager:GetSecretValue`, plus `kms:Decrypt` when the secret has a key).
   *
   * @param secret the secret holding the token (a plain string, or JSON with `options.jsonField`)
   */
  public static bearerTokenFromSecret(secret: secretsmanager.ISecret, options: McpCanaryBearerTokenOptions = {}): McpCanaryAuth {
    const errors = new ValidationErrors('McpCanaryAuth.bearerTokenFromSecret');
    checkJsonField(errors, options.jsonField, 'token');
    errors.throwIfAny();
    return new McpCanaryAuth('bearer-secret', (grantee) => {
      secret.grantRead(grantee);
      return {
        environment: {
          [CANARY_ENV.AUTH_SECRET_ARN]: secret.secretArn,
          ...(options.jsonField !== undefined ? { [CANARY_ENV.AUTH_SECRET_JSON_FIELD]: options.jsonField } : {}),
        },
      };
    });
  }

  /**
   * Send the request header `headerName` (e.g. `X-Api-Key`) with its value read at run time from a
   * Secrets Manager secret, cached for five minutes like `bearerTokenFromSecret`. For servers that
   * take an API key in a header of their own; the value must be one word (no spaces). Grants the
   * canary read access to the secret.
   *
   * @param headerName the header to send: an HTTP header name (an RFC 9110 token: letters, digits and ! # $ % & ' * + - . ^ _ ` | ~), not one the probe sets itself
   * @param secret the secret holding the value (a plain string, or JSON with `options.jsonField`)
   */
  public static headerFromSecret(headerName: string, secret: secretsmanager.ISecret, options: McpCanaryBearerTokenOptions = {}): McpCanaryAuth {
    const errors = new ValidationErrors('McpCanaryAuth.headerFromSecret');
    checkHeaderName(errors, 'headerName', headerName, PROBE_HEADERS);
    checkJsonField(errors, options.jsonField, 'value');
    errors.throwIfAny();
    return new McpCanaryAuth('header-secret', (grantee) => {
      secret.grantRead(grantee);
      return {
        environment: {
          [CANARY_ENV.AUTH_HEADER_NAME]: headerName,
          [CANARY_ENV.AUTH_SECRET_ARN]: secret.secretArn,
          ...(options.jsonField !== undefined ? { [CANARY_ENV.AUTH_SECRET_JSON_FIELD]: options.jsonField } : {}),
        },
      };
    });
  }

  /**
   * Sign every request with AWS Signature Version 4 (service `lambda`) using the canary's own
   * credentials, for a Function URL with `AuthType: AWS_IAM`. Grants the canary
   * `lambda:InvokeFunctionUrl` on that function.
   *
   * @param functionUrl the IAM-protected Function URL the canary probes
   */
  public static sigV4(functionUrl: lambda.IFunctionUrl): McpCanaryAuth {
    return new McpCanaryAuth('sigv4', (grantee) => {
      functionUrl.grantInvokeUrl(grantee);
      return {
        environment: {
          [CANARY_ENV.SIGV4_REGION]: functionUrl.env.region,
          [CANARY_ENV.SIGV4_SERVICE]: DEFAULT_SIGNING_SERVICE,
        },
      };
    });
  }

  /**
   * Sign every request with AWS Signature Version 4 for a Lambda Web Function endpoint with
   * `AuthType: IamAuth`, using the canary's own credentials. Grants the canary
   * `lambda:InvokeWebFunctionEndpoint` on that endpoint only.
   *
   * The signing service name is `lambda`: the Web Function control plane signs as `lambda`
   * (Lambda Web API model, botocore 1.43.107 `lambda-web/2025-03-07` metadata `signingName`), and
   * CloudFront signs Web Function origins through a Lambda-type origin access control. That the
   * data plane uses the same name is UNCONFIRMED: a wrong name fails every probe with 403 (failure
   * class FORBIDDEN). The probe adds the signed `X-Amz-Content-SHA256` header to every request, which
   * the endpoint requires even without a body (aws-cdk-lib README, WebFunction "Authentication").
   *
   * For a `perRegion` endpoint, `options.region` names the replica Region whose Regional URL the
   * canary probes (one `McpCanary` per Region). Whether a replica authorizes the request against
   * the endpoint's (home-Region) ARN that the grant names is UNCONFIRMED; a denial fails the probe
   * with FORBIDDEN.
   *
   * @param endpoint the IAM-protected endpoint the canary probes (home-Region or per-Region;
   * for a multi-Region endpoint use `sigV4aForWebFunction`)
   */
  public static sigV4ForWebFunction(endpoint: lambda.IWebFunctionEndpoint, options: McpCanaryWebFunctionSigV4Options = {}): McpCanaryAuth {
    const errors = new ValidationErrors('McpCanaryAuth.sigV4ForWebFunction');
    checkIamEndpoint(errors, endpoint);
    errors.check('cdk-mcp:sigV4ForMultiRegionEndpoint', endpoint.endpointType !== lambda.WebFunctionEndpointType.MULTI_REGION,
      `endpoint ${endpoint.node.path} is MultiRegion, whose requests are signed with SigV4a for the Region set *. Use McpCanaryAuth.sigV4aForWebFunction(endpoint).`);
    const region = options.region;
    if (region !== undefined && !Token.isUnresolved(region)) {
      errors.check('cdk-mcp:signingRegionFormat', REGION_NAME.test(region),
        `options.region is ${JSON.stringify(region)}, which is not a Region name: use one such as "eu-west-1".`);
      errors.check('cdk-mcp:signingRegionNotServed', !REGION_NAME.test(region) || endpoint.endpointType === lambda.WebFunctionEndpointType.PER_REGION
        || Token.isUnresolved(endpoint.env.region) || region === endpoint.env.region,
      `options.region is "${region}", but endpoint ${endpoint.node.path} is ${endpoint.endpointType} and serves from ${endpoint.env.region} only. Omit options.region (it is for perRegion replicas).`);
    }
    errors.throwIfAny();
    return new McpCanaryAuth('sigv4', (grantee) => {
      endpoint.grants.invoke(grantee);
      return {
        environment: {
          [CANARY_ENV.SIGV4_REGION]: region ?? endpoint.env.region,
          [CANARY_ENV.SIGV4_SERVICE]: DEFAULT_SIGNING_SERVICE,
        },
      };
    });
  }

  /**
   * Sign every request with AWS Signature Version 4a (`AWS4-ECDSA-P256-SHA256`) for the Region
   * set `*`, for a multi-Region Lambda Web Function endpoint with `AuthType: IamAuth`, using the
   * canary's own credentials. Grants the canary `lambda:InvokeWebFunctionEndpoint` on that
   * endpoint only, as `sigV4ForWebFunction` does.
   *
   * The probe derives the ECDSA P-256 key from the canary role's credentials as AWS does (no key
   * to store) and adds the signed `X-Amz-Region-Set: *` and `X-Amz-Content-SHA256` headers. The
   * signing service name is `lambda`, as for `sigV4ForWebFunction`, and is UNCONFIRMED for the
   * data plane in the same way: a wrong name fails every probe with 403 (failure class FORBIDDEN).
   *
   * The endpoint's global domain routes each request by latency to the nearest serving Region,
   * so the canary (which runs in its stack's Region, normally one the endpoint serves) reaches
   * that Region's replica; it does not watch the other Regions.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
   * @param endpoint the IAM-protected multi-Region endpoint the canary probes
   */
  public static sigV4aForWebFunction(endpoint: lambda.IWebFunctionEndpoint): McpCanaryAuth {
    const errors = new ValidationErrors('McpCanaryAuth.sigV4aForWebFunction');
    checkIamEndpoint(errors, endpoint);
    errors.check('cdk-mcp:sigV4aForRegionalEndpoint', endpoint.endpointType === lambda.WebFunctionEndpointType.MULTI_REGION,
      `endpoint ${endpoint.node.path} is ${endpoint.endpointType}, whose Regional domains take SigV4. Use McpCanaryAuth.sigV4ForWebFunction(endpoint).`);
    errors.throwIfAny();
    return new McpCanaryAuth('sigv4a', (grantee) => {
      endpoint.grants.invoke(grantee);
      return {
        environment: {
          [CANARY_ENV.SIGV4A_REGION_SET]: '*',
          [CANARY_ENV.SIGV4_SERVICE]: DEFAULT_SIGNING_SERVICE,
        },
      };
    });
  }

  private constructor(
    /** The auth mode name written to the canary's environment. */
    private readonly mode: CanaryAuthMode,
    private readonly binder: (grantee: iam.IGrantable) => McpCanaryAuthBinding,
  ) {}

  /**
   * Grants the canary what it needs and returns the environment variables for the handler.
   *
   * @internal
   */
  public _bind(grantee: iam.IGrantable): { [key: string]: string } {
    return { [CANARY_ENV.AUTH_MODE]: this.mode, ...this.binder(grantee).environment };
  }

  /** @internal */
  public get _mode(): string {
    return this.mode;
  }
}

/** Signing for a Web Function endpoint that checks no signature is a mistake (rule `cdk-mcp:signedButNotIamEndpoint`). */
function checkIamEndpoint(errors: ValidationErrors, endpoint: lambda.IWebFunctionEndpoint): void {
  errors.check('cdk-mcp:signedButNotIamEndpoint', endpoint.authType === lambda.WebFunctionAuthType.IAM_AUTH,
    `endpoint ${endpoint.node.path} has auth type ${endpoint.authType}; Lambda checks no signature there. Use McpCanaryAuth.none() or bearerTokenFromSecret.`);
}

/** `options.jsonField`, when given, names a field (rule `cdk-mcp:jsonFieldEmpty`). */
function checkJsonField(errors: ValidationErrors, jsonField: string | undefined, what: string): void {
  errors.check('cdk-mcp:jsonFieldEmpty', jsonField === undefined || Token.isUnresolved(jsonField) || jsonField.trim() !== '',
    `options.jsonField is an empty string (got ${JSON.stringify(jsonField)}). Omit it when the whole secret is the ${what}, or name the JSON field that holds it.`);
}
