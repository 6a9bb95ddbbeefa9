import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpLambdaAlarmOptions } from './lambda-alarms';
import { McpServerCode } from './server-code';
import { McpFrontDoorOptions } from '../front-door/front-door-options';
import { McpMonitoringOptions } from '../monitoring/options';
import { McpServiceBaseProps } from '../service';

/** Who may call the Function URL. */
export enum McpFunctionUrlAuth {
  /**
   * Callers sign requests with AWS SigV4 (service `lambda`) and need `lambda:InvokeFunctionUrl`
   * and `lambda:InvokeFunction` (granted by `grantInvokeUrl`).
   */
  AWS_IAM = 'AWS_IAM',

  /**
   * Anyone on the internet can call the URL. Choose it only for servers that authenticate requests
   * themselves (e.g. OAuth bearer tokens checked by the server) or that are public on purpose.
   */
  NONE = 'NONE',
}

/** Properties of the Lambda function that runs the MCP server. */
export interface McpLambdaFunctionOptions {
  /**
   * The instruction set of the function. The Web Adapter layer (default version) exists for both
   * wherever it is published, China included (see `LambdaWebAdapter.layerArn`).
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * The Lambda runtime for zip code (`fromDirectory`, `fromEntry`); not allowed with a container
   * image, which brings its own.
   *
   * The Web Adapter starts the server through the runtime's wrapper-script hook
   * (`AWS_LAMBDA_EXEC_WRAPPER`), so any managed runtime works whose interpreter the start script
   * execs:
   * - `fromEntry` needs a Node.js runtime: its generated `run.sh` execs `node`.
   * - `fromDirectory` takes any managed runtime: a Python server uses a Python runtime
   *   (`lambda.Runtime.PYTHON_3_13`) and a `run.sh` that execs `python3`, with its dependencies
   *   vendored into the directory for the function's architecture (see docs/python.md).
   * - OS-only runtimes (`provided.al2023`, `provided.al2`) are rejected: they run no wrapper
   *   scripts, so the adapter would never start. Use a container image instead.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html#runtime-wrapper
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Memory in MiB, from 128 to 10240. CPU scales with it; 1024 MiB keeps cold starts of a Node.js
   * MCP server short.
   *
   * @default 1024
   */
  readonly memorySize?: number;

  /**
   * The function timeout: the longest a single MCP request (or SSE stream) may run.
   * A whole number of seconds, at most 15 minutes. A streamed response is not stopped when the
   * client disconnects: the function keeps running, and is billed, until it returns or reaches
   * this timeout ("the streamed response is not interrupted or stopped when the invoking client
   * connection is broken. Customers will be billed for the full function duration",
   * https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html). Keep it
   * close to the longest tool call.
   *
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Plain, non-secret configuration for the server. Never put secrets here: use `secrets`.
   *
   * @default - no extra variables
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets Manager secrets the server reads itself. Each entry grants the function read access
   * and sets `<NAME>_SECRET_ARN` to the secret's ARN (never the value); the server reads the value
   * at run time (AWS SDK `GetSecretValue`, or the Parameters and Secrets Lambda Extension). To
   * have the value in a variable instead, use `secrets`.
   *
   * @default - no secret ARNs
   */
  readonly secretArns?: { [name: string]: secretsmanager.ISecret };

  /**
   * Secrets the server reads from its environment, as on every service kind:
   * `{ API_KEY: ecs.Secret.fromSecretsManager(secret) }`, or `(secret, 'jsonKey')` for one key of
   * a JSON secret. Resolved when the function starts, by a start wrapper the construct adds as a
   * layer (`AWS_LAMBDA_EXEC_WRAPPER`, before the Web Adapter's): the template and the function's
   * configuration hold only the ARNs (`CDK_MCP_SECRETS`), never a value. The function gets read
   * access to each. The wrapper runs on Node.js and Python runtimes (zip code); a secret that
   * cannot be read fails the start with a log line naming the variable and the ARN. Secrets Manager
   * only (no Parameter Store); not with a container image, which cannot take the layer: use
   * `secretArns` there.
   *
   * Until this release `secrets` here was the deprecated name of `secretArns` (the ARN, not the
   * value): move such entries to `secretArns`.
   *
   * @default - no secrets
   */
  readonly secrets?: { [name: string]: ecs.Secret };

  /**
   * AWS X-Ray tracing.
   *
   * @default lambda.Tracing.DISABLED
   */
  readonly tracing?: lambda.Tracing;

  /**
   * How long the server's logs are kept. Also how long the canary's and the deploy gate's logs
   * are kept, unless `canaryLogRetention` says otherwise, so one compliance setting covers every
   * log group of the service.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A KMS key to encrypt the server's log group with. The construct adds the key policy statement
   * CloudWatch Logs needs (principal `logs.<region>.amazonaws.com`); for an imported key it warns
   * (`cdk-mcp:logKeyPolicyNotModified`) with the statement to add. The canary's log group takes
   * `canaryLogEncryptionKey`.
   *
   * @default - encrypted with CloudWatch Logs' own key
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * VPC to place the function in, for servers that reach private resources.
   *
   * Lambda creates and deletes the function's network interfaces with its execution role, so the
   * role gets `ec2:CreateNetworkInterface`, `ec2:DescribeNetworkInterfaces`,
   * `ec2:DescribeSubnets`, `ec2:DeleteNetworkInterface`, `ec2:AssignPrivateIpAddresses` and
   * `ec2:UnassignPrivateIpAddresses` on `*` (what AWS's `AWSLambdaVPCAccessExecutionRole` grants;
   * these actions support no resource-level permissions). cdk-nag reports it as
   * `AwsSolutions-IAM5[Resource::*]` on the role's policy;
   * `McpNagAcknowledgements.acknowledgeLambdaService(service)` acknowledges exactly that finding
   * on the role, with its reason.
   *
   * @default - not in a VPC
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in the VPC to place the function.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups for the function in the VPC.
   *
   * @default - a new security group that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * A description of the function.
   *
   * @default - 'MCP server <construct path>'
   */
  readonly description?: string;
}

/**
 * Properties for `McpLambdaService`.
 *
 * The front door (`McpFrontDoorOptions`): with `domainName` or `webAcl` the service puts a
 * REGIONAL API Gateway REST API in front of the `live` alias (a streaming Lambda proxy
 * integration, the domain at its root, the web ACL on its stage), and `url` becomes
 * `https://<domainName>/<mcpPath>` (or the execute-api URL without a domain). The Function URL
 * stays, IAM-authenticated, as the origin the canary probes with SigV4 to tell which side broke.
 * See docs/lambda.md, "Custom domain and WAF".
 */
export interface McpLambdaServiceProps
  extends McpLambdaFunctionOptions, McpServiceBaseProps, McpMonitoringOptions, McpLambdaAlarmOptions, McpFrontDoorOptions {
  /**
   * The MCP server: a directory with a start script, an entry file to bundle, or a container
   * image with the Lambda Web Adapter extension.
   */
  readonly code: McpServerCode;

  /**
   * Who may call the Function URL. `NONE` makes the endpoint public: the server must then
   * authenticate requests itself, and synth raises the acknowledgeable warning
   * `cdk-mcp:unauthenticatedUrl`. Behind a front door (`domainName` or `webAcl`) the Function URL
   * is the origin and must stay `AWS_IAM`: a public one would let clients go around the domain
   * and the web ACL. The front door itself passes `Authorization` through to the server.
   *
   * @default McpFunctionUrlAuth.AWS_IAM
   * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
   */
  readonly auth?: McpFunctionUrlAuth;

  /**
   * How the Function URL returns responses. `RESPONSE_STREAM` is needed for SSE responses and
   * lifts the 6 MB buffered cap. The Web Adapter's `AWS_LWA_INVOKE_MODE` always follows it.
   * Function URLs do not stream from a function in a VPC (AWS: "Lambda function URLs do not
   * support response streaming within a VPC environment",
   * https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html#config-rs-vpc-compatibility):
   * with `vpc` the default is `BUFFERED` and `RESPONSE_STREAM` is a synth error.
   * Behind a front door the API Gateway integration follows it too: `RESPONSE_STREAM` streams
   * (`ResponseTransferMode.STREAM`, up to 15 minutes), `BUFFERED` buffers (at most 29 seconds).
   *
   * @default - lambda.InvokeMode.RESPONSE_STREAM; lambda.InvokeMode.BUFFERED with `vpc`
   */
  readonly invokeMode?: lambda.InvokeMode;

  /**
   * The port the server listens on inside the function; the construct sets `PORT` and
   * `AWS_LWA_PORT` to it (a contradicting `environment.PORT` is a synth error). A server with a
   * fixed port: set this to it.
   *
   * @default 8080
   */
  readonly port?: number;

  /**
   * The path of the MCP endpoint on the server; `url` points at it.
   *
   * @default '/mcp'
   */
  readonly mcpPath?: string;

  /**
   * A path that answers 200 once the server is ready. The Web Adapter polls it before the first
   * request. It must not be the MCP path: a GET there answers 405 or 406, which the adapter
   * never counts as ready: only a 2xx answer does
   * (`AWS_LWA_READINESS_CHECK_HEALTHY_STATUS=200-299`). The construct sets no
   * `AWS_LWA_ASYNC_INIT`: since adapter 1.1.0 it is ignored under provisioned concurrency, where
   * init waits for the readiness check, unbounded unless you set
   * `AWS_LWA_READINESS_CHECK_TIMEOUT_SECONDS` in `environment`
   * (aws/aws-lambda-web-adapter release v1.1.0 notes, PR #837).
   *
   * @default '/healthz'
   */
  readonly readinessCheckPath?: string;

  /**
   * Provisioned concurrency on the `live` alias, which the Function URL serves, so warm
   * environments really take URL traffic.
   *
   * @default - none (on-demand only)
   */
  readonly provisionedConcurrency?: number;

  /**
   * Reserved concurrency: the most environments the server can use at once, and a guarantee of
   * that many.
   *
   * @default - the account's unreserved pool
   */
  readonly reservedConcurrency?: number;

  /**
   * Browser origins allowed to call the URL. When set, CORS allows the MCP request headers
   * (`Mcp-Session-Id`, `MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`, `Authorization`,
   * `Last-Event-ID`) and exposes `Mcp-Session-Id`. CORS only affects browsers; it rejects
   * nothing for other clients. It configures the Function URL, so it is not available behind a
   * front door (`domainName` or `webAcl`): there the server answers CORS itself.
   *
   * @default - no CORS configuration
   */
  readonly corsAllowedOrigins?: string[];

  /**
   * The Lambda Web Adapter layer version (zip code only).
   *
   * @default LambdaWebAdapter.DEFAULT_LAYER_VERSION
   */
  readonly webAdapterLayerVersion?: number;

  /**
   * The service's name in the probe metrics (`ServiceName` dimension) and in the namespace of its
   * log metrics. 1 to 255 letters, digits, spaces or `. _ - # :`, no leading or trailing space, never a URL. It does not name the function.
   * Unique in the account and Region per `metricNamespace`: two services or canaries with one
   * name write the same probe metrics and fire each other's alarms. Synth fails on such a pair in
   * one app and environment, and warns (`cdk-mcp:serviceNameNotUnique`) for two
   * environment-agnostic stacks of one stage; stacks of other apps are out of its sight.
   *
   * @default - the function's generated name
   */
  readonly serviceName?: string;
}

