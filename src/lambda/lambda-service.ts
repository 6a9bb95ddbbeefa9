import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { McpCanary, McpCanaryAuth } from './canary';
import { McpLambdaAlarms } from './monitoring/lambda-alarms';
import { McpLambdaAlarmOptions, McpMonitoringOptions } from './monitoring/options';
import { McpServiceMonitoring } from './monitoring/service-monitoring';
import { warnOnSecretLikeEnvironment } from './private/secret-environment';
import { ValidationErrors } from './private/validation';
import { McpServerCode } from './server-code';
import { LambdaWebAdapter } from './web-adapter';

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

/** The MCP request headers a browser client sends, allowed when CORS is configured. */
const MCP_CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'Accept',
  'Authorization',
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
];

/** Environment variables the construct owns; setting them in `environment` is an error. */
const RESERVED_ENVIRONMENT: { [name: string]: string } = {
  AWS_LAMBDA_EXEC_WRAPPER: 'it is set to the Lambda Web Adapter wrapper',
  AWS_LWA_PORT: 'use the port prop',
  PORT: 'use the port prop',
  AWS_LWA_READINESS_CHECK_PATH: 'use the readinessCheckPath prop',
  AWS_LWA_READINESS_CHECK_PROTOCOL: 'the readiness check is always an HTTP GET of readinessCheckPath',
  AWS_LWA_INVOKE_MODE: 'use the invokeMode prop; it is kept in step with the Function URL',
};

/** Properties of the Lambda function that runs the MCP server. */
export interface McpLambdaFunctionOptions {
  /**
   * The instruction set of the function. The Web Adapter layer exists for both in the commercial
   * regions; in China only x86_64.
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * The Node.js runtime for zip code (`fromDirectory`, `fromEntry`). Ignored for container images.
   *
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
   * At most 15 minutes.
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
   * Secrets Manager secrets the server needs. Each entry grants the function read access and sets
   * `<NAME>_SECRET_ARN` to the secret's ARN (never the value); the server reads the value at run
   * time (AWS SDK `GetSecretValue`, or the Parameters and Secrets Lambda Extension).
   *
   * @default - no secrets
   */
  readonly secrets?: { [name: string]: secretsmanager.ISecret };

  /**
   * AWS X-Ray tracing.
   *
   * @default lambda.Tracing.DISABLED
   */
  readonly tracing?: lambda.Tracing;

  /**
   * How long the server's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * VPC to place the function in, for servers that reach private resources.
   *
   * @default - not in a VPC
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

/** Properties for `McpLambdaService`. */
export interface McpLambdaServiceProps extends McpLambdaFunctionOptions, McpMonitoringOptions, McpLambdaAlarmOptions {
  /**
   * The MCP server: a directory with a start script, an entry file to bundle, or a container
   * image with the Lambda Web Adapter extension.
   */
  readonly code: McpServerCode;

  /**
   * Who may call the Function URL. `NONE` makes the endpoint public: the server must then
   * authenticate requests itself, and synth raises the acknowledgeable warning
   * `cdk-mcp:unauthenticatedUrl`.
   *
   * @default McpFunctionUrlAuth.AWS_IAM
   * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
   */
  readonly auth?: McpFunctionUrlAuth;

  /**
   * How the Function URL returns responses. `RESPONSE_STREAM` is needed for SSE responses and
   * lifts the 6 MB buffered cap. The Web Adapter's `AWS_LWA_INVOKE_MODE` always follows it.
   *
   * @default lambda.InvokeMode.RESPONSE_STREAM
   */
  readonly invokeMode?: lambda.InvokeMode;

  /**
   * The port the server listens on inside the function (`PORT` and `AWS_LWA_PORT`).
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
   * would count as ready.
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
   * nothing for other clients.
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
   * log metrics. Letters, digits, hyphens and underscores. It does not name the function.
   *
   * @default - the function's generated name
   */
  readonly serviceName?: string;
}

/**
 * An MCP server on AWS Lambda behind a Function URL, through the Lambda Web Adapter.
 *
 * The server is an ordinary HTTP server (any MCP SDK). The construct attaches the Web Adapter,
 * publishes a version on every change and serves the URL from the `live` alias (so provisioned
 * concurrency really serves URL traffic), streams responses by default, checks readiness on a
 * real health path, and keeps secrets out of the environment.
 */
export class McpLambdaService extends Construct {
  /** The function that runs the server. */
  public readonly serverFunction: lambda.IFunction;

  /** The `live` alias the Function URL serves; carries provisioned concurrency. */
  public readonly alias: lambda.IAlias;

  /** The Function URL on the alias. */
  public readonly functionUrl: lambda.IFunctionUrl;

  /** The MCP endpoint URL (the Function URL plus `mcpPath`). */
  public readonly url: string;

  /** The server's log group. */
  public readonly logGroup: logs.ILogGroup;

  /** The Function URL's auth type. */
  public readonly auth: McpFunctionUrlAuth;

  /** The outside-in monitoring: canary, canary and log alarms, the composite health alarm, topic, dashboard. */
  public readonly monitoring: McpServiceMonitoring;

  /** The Lambda platform alarms and log metric filters (throttles, errors, duration, memory, ...). */
  public readonly platformAlarms: McpLambdaAlarms;

  /** The canary that probes the endpoint over MCP every minute, unless `canary: false`. */
  public readonly canary?: McpCanary;

  /** Every alarm the health alarm watches: the canary's, the log alarms, the platform alarms. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** The composite alarm that is in ALARM when any alarm in `alarms` is; it notifies `alarmTopic`. */
  public readonly healthAlarm: cloudwatch.CompositeAlarm;

  /** The topic the health alarm notifies (given, or created with a TLS-only publish policy). */
  public readonly alarmTopic: sns.ITopic;

  /** The CloudWatch dashboard, when `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: McpLambdaServiceProps) {
    super(scope, id);

    const auth = props.auth ?? McpFunctionUrlAuth.AWS_IAM;
    const invokeMode = props.invokeMode ?? lambda.InvokeMode.RESPONSE_STREAM;
    const architecture = props.architecture ?? lambda.Architecture.ARM_64;
    const port = props.port ?? 8080;
    const mcpPath = props.mcpPath ?? '/mcp';
    const readinessCheckPath = props.readinessCheckPath ?? '/healthz';
    const memorySize = props.memorySize ?? 1024;
    const timeout = props.timeout ?? Duration.minutes(5);
    validateProps(props, { port, mcpPath, readinessCheckPath });
    this.auth = auth;

    const code = props.code.bind(this);
    if (code.isContainerImage && props.runtime) {
      throw new Error('runtime applies to zip code only: a container image brings its own runtime. Remove runtime, or use McpServerCode.fromDirectory/fromEntry.');
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    const role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the MCP server ${this.node.path}`,
    });
    // Least privilege instead of AWSLambdaBasicExecutionRole: write to this log group only.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const environment: { [name: string]: string } = {
      ...props.environment,
      PORT: String(port),
      AWS_LWA_PORT: String(port),
      AWS_LWA_READINESS_CHECK_PATH: readinessCheckPath,
      AWS_LWA_READINESS_CHECK_PROTOCOL: 'http',
      AWS_LWA_INVOKE_MODE: invokeMode === lambda.InvokeMode.RESPONSE_STREAM ? 'response_stream' : 'buffered',
    };
    for (const [name, secret] of Object.entries(props.secrets ?? {})) {
      environment[`${name}_SECRET_ARN`] = secret.secretArn;
    }

    const fn = new lambda.Function(this, 'Function', {
      code: code.code,
      handler: code.handler,
      runtime: code.isContainerImage ? lambda.Runtime.FROM_IMAGE : props.runtime ?? lambda.Runtime.NODEJS_24_X,
      architecture,
      memorySize,
      timeout,
      role,
      environment,
      layers: code.isContainerImage
        ? undefined
        : [
          lambda.LayerVersion.fromLayerVersionArn(
            this,
            'WebAdapterLayer',
            LambdaWebAdapter.layerArn(this, architecture, props.webAdapterLayerVersion),
          ),
        ],
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // INFO keeps the platform.report records that the memory metric filter reads.
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      tracing: props.tracing ?? lambda.Tracing.DISABLED,
      reservedConcurrentExecutions: props.reservedConcurrency,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      description: props.description ?? `MCP server ${this.node.path}`,
    });
    if (!code.isContainerImage) {
      // The adapter's wrapper starts the start script (the handler) and proxies events to it.
      fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', LambdaWebAdapter.EXEC_WRAPPER);
    }
    for (const secret of Object.values(props.secrets ?? {})) {
      secret.grantRead(fn);
    }
    this.serverFunction = fn;

    const alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: 'live',
      version: fn.currentVersion,
      provisionedConcurrentExecutions: props.provisionedConcurrency,
      description: 'The version the Function URL serves (published on every change)',
    });
    this.alias = alias;

    const functionUrl = alias.addFunctionUrl({
      authType: auth === McpFunctionUrlAuth.NONE ? lambda.FunctionUrlAuthType.NONE : lambda.FunctionUrlAuthType.AWS_IAM,
      invokeMode,
      cors: props.corsAllowedOrigins
        ? {
          allowedOrigins: props.corsAllowedOrigins,
          allowedMethods: [lambda.HttpMethod.GET, lambda.HttpMethod.POST, lambda.HttpMethod.DELETE],
          allowedHeaders: MCP_CORS_ALLOWED_HEADERS,
          exposedHeaders: ['Mcp-Session-Id', 'MCP-Protocol-Version'],
          maxAge: Duration.hours(1),
        }
        : undefined,
    });
    if (auth === McpFunctionUrlAuth.NONE) {
      ensurePublicInvokePermission(alias);
      Annotations.of(this).addWarningV2(
        'cdk-mcp:unauthenticatedUrl',
        'The Function URL has auth NONE: anyone on the internet can call this MCP server. ' +
          'Make sure the server authenticates requests itself (e.g. OAuth bearer tokens), or use auth: McpFunctionUrlAuth.AWS_IAM.',
      );
    }
    this.functionUrl = functionUrl;
    this.url = `${functionUrl.url}${mcpPath.replace(/^\//, '')}`;

    if (props.vpc && invokeMode === lambda.InvokeMode.RESPONSE_STREAM) {
      Annotations.of(this).addWarningV2(
        'cdk-mcp:streamingInVpc',
        'Response streaming from a function in a VPC is reported as unsupported in some set-ups. ' +
          'Test SSE responses after deploying, or set invokeMode: lambda.InvokeMode.BUFFERED.',
      );
    }
    this.monitoring = new McpServiceMonitoring(this, 'Monitoring', {
      ...props,
      serviceName: props.serviceName ?? fn.functionName,
      url: this.url,
      serverLogGroup: this.logGroup,
      // An IAM-authenticated URL answers 403 to unsigned requests: the canary signs with SigV4.
      canaryAuth: props.canaryAuth ?? (auth === McpFunctionUrlAuth.AWS_IAM ? McpCanaryAuth.sigV4(functionUrl) : undefined),
    });
    this.platformAlarms = new McpLambdaAlarms(this, 'Alarms', {
      ...props,
      monitoring: this.monitoring,
      serverFunction: fn,
      serverAlias: alias,
      timeout,
      memorySizeMiB: memorySize,
      reservedConcurrentExecutions: props.reservedConcurrency,
      provisionedConcurrentExecutions: props.provisionedConcurrency,
      functionUrl,
      serverLogGroup: this.logGroup,
    });
    this.canary = this.monitoring.canary;
    this.alarms = this.monitoring.alarms;
    this.healthAlarm = this.monitoring.healthAlarm;
    this.alarmTopic = this.monitoring.alarmTopic;
    this.dashboard = this.monitoring.dashboard;

    warnOnSecretLikeEnvironment(this, props.environment, 'the secrets prop (Secrets Manager, by ARN)');
  }

  /**
   * Allow a principal to call the Function URL (`lambda:InvokeFunctionUrl` and
   * `lambda:InvokeFunction` via the URL, on the `live` alias). Needed with `AWS_IAM` auth.
   */
  public grantInvokeUrl(grantee: iam.IGrantable): iam.Grant {
    return this.functionUrl.grantInvokeUrl(grantee);
  }
}

/**
 * Since October 2025 a public Function URL needs `lambda:InvokeFunction` (via the URL) besides
 * `lambda:InvokeFunctionUrl`. Recent aws-cdk-lib adds both; older versions only the first.
 */
function ensurePublicInvokePermission(alias: lambda.Alias): void {
  if (alias.node.tryFindChild('invoke-function')) {
    return;
  }
  alias.addPermission('invoke-function', {
    principal: new iam.AnyPrincipal(),
    action: 'lambda:InvokeFunction',
    invokedViaFunctionUrl: true,
  });
}

function validateProps(props: McpLambdaServiceProps, resolved: { port: number; mcpPath: string; readinessCheckPath: string }): void {
  const errors = new ValidationErrors('McpLambdaService');
  errors.integerInRange('memorySize', props.memorySize, 128, 10240, 'MiB');
  if (props.timeout && !props.timeout.isUnresolved()) {
    const seconds = props.timeout.toSeconds();
    errors.check(seconds >= 1 && seconds <= 900, `timeout must be between 1 second and 15 minutes (got ${props.timeout.toHumanString()}). Lambda cannot run longer than 15 minutes.`);
  }
  errors.integerInRange('port', resolved.port, 1, 65535);
  errors.check(
    Token.isUnresolved(resolved.port) || resolved.port !== 9001,
    'port must not be 9001 (got 9001): the Lambda Runtime API listens there. Use the default 8080.',
  );
  errors.path('mcpPath', resolved.mcpPath);
  errors.path('readinessCheckPath', resolved.readinessCheckPath);
  errors.check(
    Token.isUnresolved(resolved.readinessCheckPath) || Token.isUnresolved(resolved.mcpPath) || resolved.readinessCheckPath !== resolved.mcpPath,
    `readinessCheckPath must not be the MCP path (got ${resolved.readinessCheckPath}): a GET there answers 405 or 406, which the Web Adapter counts as ready. Point it at a health path such as /healthz.`,
  );
  errors.integerInRange('provisionedConcurrency', props.provisionedConcurrency, 1, Number.MAX_SAFE_INTEGER);
  errors.integerInRange('reservedConcurrency', props.reservedConcurrency, 1, Number.MAX_SAFE_INTEGER);
  const pc = props.provisionedConcurrency;
  const rc = props.reservedConcurrency;
  if (pc !== undefined && rc !== undefined && !Token.isUnresolved(pc) && !Token.isUnresolved(rc)) {
    errors.check(
      pc <= rc,
      `provisionedConcurrency (${pc}) must not exceed reservedConcurrency (${rc}): Lambda rejects it at deploy. Raise reservedConcurrency to at least ${pc}, or lower provisionedConcurrency.`,
    );
  }
  for (const name of Object.keys(props.environment ?? {})) {
    const reason = RESERVED_ENVIRONMENT[name];
    errors.check(!reason, `environment must not set ${name}: ${reason}.`);
  }
  for (const name of Object.keys(props.secrets ?? {})) {
    errors.check(
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
      `secrets key "${name}" is not a valid environment variable name (letters, digits, underscores, not starting with a digit); it becomes ${name}_SECRET_ARN.`,
    );
    errors.check(
      !(props.environment ?? {})[`${name}_SECRET_ARN`],
      `environment sets ${name}_SECRET_ARN, which secrets key "${name}" also sets. Remove one of them.`,
    );
  }
  for (const origin of props.corsAllowedOrigins ?? []) {
    errors.check(
      Token.isUnresolved(origin) || origin === '*' || /^https?:\/\/[^/]+$/.test(origin),
      `corsAllowedOrigins entry "${origin}" is not an origin: use scheme://host[:port] with no path (e.g. https://app.example.com), or '*'.`,
    );
  }
  errors.throwIfAny();
}
