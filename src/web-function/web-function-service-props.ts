import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpWebFunctionAlarmOptions } from './web-function-alarms';
import { McpWebFunctionCode } from './web-function-code';
import { McpFrontDoorOptions } from '../front-door/front-door-options';
import { McpMonitoringOptions } from '../monitoring/options';
import { McpServiceBaseProps } from '../service';

/**
 * Who may call the Web Function endpoint.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/web-functions-endpoint-access-control.html
 */
export enum McpWebFunctionAuth {
  /**
   * Lambda checks a SigV4 signature (SigV4a for a multi-Region endpoint) and the caller's
   * `lambda:InvokeWebFunctionEndpoint` permission (granted by `grantInvoke`), then strips
   * `Authorization`. Requests must carry `X-Amz-Content-SHA256`, even without a body.
   */
  IAM = 'IAM',

  /**
   * Lambda authenticates nothing: the endpoint is public and `Authorization` reaches the server,
   * which must check it (e.g. OAuth bearer tokens).
   */
  APPLICATION_MANAGED = 'APPLICATION_MANAGED',
}

/** Properties of the Web Function that runs the MCP server. */
export interface McpWebFunctionOptions {
  /**
   * The longest one request may run, 3 to 900 whole seconds. For a streamed (SSE) response it
   * bounds the whole stream, which is then cut with the status already sent and no error marker;
   * a non-streamed overrun is a 504. The service default (30 s) would silently cut MCP tool calls
   * streaming progress, so the construct uses 5 minutes, like `McpLambdaService`.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/web-functions-revisions-timeout.html
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * The most requests one execution environment serves at once, 1 to 128 (an upper bound of a
   * limit Lambda adjusts). All of them share the environment's memory and file descriptors.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/web-functions-scaling.html
   * @default - the service default, 64
   */
  readonly maxConcurrencyPerEnvironment?: number;

  /**
   * The most execution environments of the endpoint, per Region, 2 to 10,000. A cap, not a
   * reservation: there is no minimum or provisioned capacity.
   *
   * @default - limited by the account's vCPU quota only
   */
  readonly maxEnvironments?: number;

  /**
   * The endpoint's request-rate cap per second: 0 (rejects every request, a kill switch), 100 to
   * 1,000 in steps of 100, or 2,000 to 10,000 in steps of 1,000. Regions may accept fewer values;
   * the deploy then fails naming those it accepts.
   *
   * @default - limited by the account's rate quota only
   */
  readonly rateLimit?: number;

  /**
   * Where the endpoint serves: the home Region (default), or `multiRegion` / `perRegion` replica
   * Regions. Changing it replaces the endpoint and so its domain (the MCP URL). With
   * `McpWebFunctionAuth.IAM`, the canary signs a multi-Region endpoint's global domain with SigV4a
   * for the Region set `*` (`McpCanaryAuth.sigV4aForWebFunction`); latency routing takes it to the
   * stack's Region, so it watches that replica only. A per-Region endpoint's replicas each have a
   * Regional URL of their own: give each an `McpCanary` with
   * `McpCanaryAuth.sigV4ForWebFunction(endpoint, { region })`.
   *
   * @default lambda.WebFunctionEndpointLocation.homeRegion()
   */
  readonly endpointLocation?: lambda.WebFunctionEndpointLocation;

  /**
   * A network connector (created for `NetworkConnectorComputeType.WEB_FUNCTION`) for egress into a
   * VPC. Home-Region endpoints only. Egress then leaves through the VPC, so reaching the internet
   * (or AWS APIs without VPC endpoints) needs a NAT gateway.
   *
   * @default - egress from a Lambda-managed address, no VPC access
   */
  readonly egressNetworkConnector?: lambda.INetworkConnector;

  /**
   * Plain, non-secret configuration for the server. Names starting with `AWS_LAMBDA_` are reserved
   * by Web Functions; `PORT` and `HOST` are set by the construct's start file from
   * `AWS_LAMBDA_HTTP_ENDPOINT` (not with `McpWebFunctionCode.fromBucket`, whose server reads
   * `AWS_LAMBDA_HTTP_ENDPOINT` itself). Never put secrets here: use `secrets`.
   *
   * @default - no extra variables
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets Manager secrets the server reads itself. Each entry grants the function read access
   * and sets `<NAME>_SECRET_ARN` to the secret's ARN (never the value); the server reads the value
   * at run time with the AWS SDK. To have the value in a variable instead, use `secrets`.
   *
   * @default - no secret ARNs
   */
  readonly secretArns?: { [name: string]: secretsmanager.ISecret };

  /**
   * Secrets the server reads from its environment, as on every service kind:
   * `{ API_KEY: ecs.Secret.fromSecretsManager(secret) }`, or `(secret, 'jsonKey')` for one key of
   * a JSON secret. Resolved by the construct's start file before the server module loads (Web
   * Functions have no extensions or layers): the template and the revision's configuration hold
   * only the ARNs (`CDK_MCP_SECRETS`), never a value. The function gets read access to each. A
   * secret that cannot be read fails the start with a log line naming the variable and the ARN
   * (the init-failure alarm sees it). Secrets Manager only; not with `McpWebFunctionCode.fromBucket`,
   * whose package the construct cannot add the start file to.
   *
   * Until this release `secrets` here was the deprecated name of `secretArns` (the ARN, not the
   * value): move such entries to `secretArns`.
   *
   * @default - no secrets
   */
  readonly secrets?: { [name: string]: ecs.Secret };

  /**
   * A KMS key for the environment variables of the revision.
   *
   * @default - an AWS managed key
   */
  readonly environmentEncryptionKey?: kms.IKey;

  /**
   * How long the server's logs are kept. Also how long the canary's and the deploy gate's logs
   * are kept, unless `canaryLogRetention` says otherwise, so one compliance setting covers every
   * log group of the service.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A KMS key to encrypt the log group with. The key policy gets a statement letting CloudWatch
   * Logs use it for this log group (for a key defined in the app).
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * The least level of application log lines kept.
   *
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;

  /**
   * The name of the Web Function (unique across all Regions of the account). Changing it
   * replaces the function and so its domain.
   *
   * @default - a name generated from the construct path
   */
  readonly webFunctionName?: string;

  /**
   * A description of the revision, at most 256 characters.
   *
   * @default - 'MCP server <construct path>'
   */
  readonly description?: string;
}

/**
 * Properties for `McpWebFunctionService`.
 *
 * With `domainName` or `webAcl` the service stands behind a CloudFront distribution (Web
 * Functions have no custom domain or web ACL of their own): the endpoint stays IAM-only and only
 * the distribution may call it (origin access control), `url` is the distribution's. See
 * docs/web-function.md, "Custom domain and WAF".
 */
export interface McpWebFunctionServiceProps
  extends McpWebFunctionOptions, McpServiceBaseProps, McpMonitoringOptions, McpWebFunctionAlarmOptions, McpFrontDoorOptions {
  /** The MCP server: an entry file bundled at synth, a built directory, or a zip in S3. */
  readonly code: McpWebFunctionCode;

  /**
   * Who may call the endpoint. `APPLICATION_MANAGED` makes it public: the server must then
   * authenticate requests itself, and synth raises the acknowledgeable warning
   * `cdk-mcp:unauthenticatedWebFunctionEndpoint`. Behind a front door (`domainName` or `webAcl`)
   * the endpoint is `IAM`, called by CloudFront only (`APPLICATION_MANAGED` is then an error: it
   * would let clients bypass the distribution and its web ACL). CloudFront signs in a header of
   * its own (`always-amz-auth`) and passes the viewer's `Authorization` on, so a server that checks
   * bearer tokens still gets them (aws-cdk-lib `SigningBehavior.ALWAYS_AMZ_AUTH`; that the
   * endpoint hands it to the server is UNCONFIRMED).
   *
   * @default McpWebFunctionAuth.IAM
   */
  readonly auth?: McpWebFunctionAuth;

  /**
   * The path of the MCP endpoint on the server; `url` points at it.
   *
   * @default '/mcp'
   */
  readonly mcpPath?: string;

  /**
   * The service's name in the probe metrics (`ServiceName` dimension) and in the namespace of its
   * log metrics: 1 to 255 letters, digits, spaces or `. _ - # :`, no leading or trailing space,
   * never a URL. It does not name the function.
   * Unique in the account and Region per `metricNamespace`: two services or canaries with one
   * name write the same probe metrics and fire each other's alarms. Synth fails on such a pair in
   * one app and environment, and warns (`cdk-mcp:serviceNameNotUnique`) for two
   * environment-agnostic stacks of one stage; stacks of other apps are out of its sight.
   *
   * @default - the Web Function's name
   */
  readonly serviceName?: string;
}
