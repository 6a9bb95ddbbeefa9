import { Annotations, Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { McpLambdaAlarms, McpLambdaAlarmOptions } from './lambda-alarms';
import { McpFunctionUrlAuth, McpLambdaServiceProps } from './lambda-service-props';
import { ApiGatewayFrontDoor, buildApiGatewayFrontDoor } from './private/api-gateway-front-door';
import { checkRuntime } from './private/lambda-runtime';
import { hasFrontDoor, validateLambdaServiceProps } from './private/lambda-validation';
import { LambdaWebAdapter } from './web-adapter';
import { McpCanaryAuth } from '../canary/canary-auth';
import { LAMBDA_START_WRAPPER, START_ENV } from '../contract/server-start';
import { canaryTargets } from '../front-door/private/canary-targets';
import { McpMonitoringOptions } from '../monitoring/options';
import { MONITORING_OPTION_KEYS } from '../monitoring/private/monitoring-option-keys';
import { createFunctionLogs } from '../private/function-logs';
import { grantVpcNetworkInterfaces } from '../private/lambda-vpc';
import { checkEnvironmentSize, describePath } from '../private/limits';
import { fitSecurityGroupDescriptions } from '../private/path-texts';
import { pickOptions } from '../private/pick-options';
import { warnOnSecretLikeEnvironment } from '../private/secret-environment';
import { secretArnsOf } from '../private/secret-names';
import { checkSecretValues, grantSecretsRead, lambdaStartLayer, startSecretsValue } from '../private/server-start';
import { ValidationErrors } from '../private/validation';
import { McpServiceBase } from '../service';
import { LAMBDA_ALARM_OPTION_KEYS } from './private/lambda-alarm-option-keys';

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


/**
 * An MCP server on AWS Lambda behind a Function URL, through the Lambda Web Adapter.
 *
 * The server is an ordinary HTTP server (any MCP SDK). The construct attaches the Web Adapter,
 * publishes a version on every change and serves the URL from the `live` alias (so provisioned
 * concurrency really serves URL traffic), streams responses by default, checks readiness on a
 * real health path, and keeps secrets out of the environment.
 *
 * With `domainName` or `webAcl`, a REGIONAL API Gateway REST API stands in front of the alias
 * (streaming Lambda proxy integration, the custom domain at its root, the web ACL on its stage);
 * the IAM-authenticated Function URL stays as the origin the canary can probe.
 */
export class McpLambdaService extends McpServiceBase {
  /** The function that runs the server. */
  public readonly serverFunction: lambda.IFunction;

  /** The `live` alias the Function URL serves; carries provisioned concurrency. */
  public readonly alias: lambda.IAlias;

  /** The Function URL on the alias. */
  public readonly functionUrl: lambda.IFunctionUrl;

  /**
   * The MCP endpoint URL clients use: `https://<domainName>/<mcpPath>` with a domain, the API
   * Gateway stage's URL plus `mcpPath` with a web ACL and no domain, else the Function URL plus
   * `mcpPath`.
   */
  public readonly url: string;

  /** The Function URL plus `mcpPath`: `url` without a front door, the origin behind one. */
  public readonly functionUrlEndpoint: string;

  /**
   * The API Gateway REST API in front of the alias, when there is a front door (`domainName` or
   * `webAcl`).
   */
  public readonly restApi?: apigateway.RestApi;

  /** The log group of the API Gateway stage's access logs, when there is a front door. */
  public readonly apiAccessLogGroup?: logs.ILogGroup;

  /** The certificate of `domainName` (given, or created with `domainZone`), when there is a domain. */
  public readonly certificate?: acm.ICertificate;

  /** The server's log group. */
  public readonly logGroup: logs.ILogGroup;

  /** The Function URL's auth type. */
  public readonly auth: McpFunctionUrlAuth;

  /** The function's execution role: `bucket.grantRead(service)` lets the server read the bucket. */
  public readonly grantPrincipal: iam.IPrincipal;


  /** The Lambda platform alarms and log metric filters (throttles, errors, duration, memory, ...). */
  public readonly platformAlarms: McpLambdaAlarms;


  constructor(scope: Construct, id: string, props: McpLambdaServiceProps) {
    super(scope, id, props);

    const auth = props.auth ?? McpFunctionUrlAuth.AWS_IAM;
    // AWS: "Lambda function URLs do not support response streaming within a VPC environment"
    // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html#config-rs-vpc-compatibility):
    // in a VPC the default is BUFFERED, and RESPONSE_STREAM is a validation error.
    const invokeMode = props.invokeMode ?? (props.vpc ? lambda.InvokeMode.BUFFERED : lambda.InvokeMode.RESPONSE_STREAM);
    const architecture = props.architecture ?? lambda.Architecture.ARM_64;
    const port = props.port ?? 8080;
    const mcpPath = props.mcpPath ?? '/mcp';
    const readinessCheckPath = props.readinessCheckPath ?? '/healthz';
    const memorySize = props.memorySize ?? 1024;
    const timeout = props.timeout ?? Duration.minutes(5);
    validateLambdaServiceProps(this, props, { port, mcpPath, readinessCheckPath });
    this.auth = auth;

    const code = props.code.bind(this, architecture);
    const codeErrors = new ValidationErrors('McpLambdaService', this);
    checkRuntime(codeErrors, code, props.runtime);
    checkSecretValues(codeErrors, this, props.secrets, props.environment, code.isContainerImage
      ? 'a container image cannot take the start layer that resolves them. Use secretArns and read them in the server, or run the image on ' +
        'McpFargateService or McpExpressService, which inject secret values natively.'
      : undefined);
    codeErrors.throwIfAny();
    const secrets = props.secrets ?? {};
    const hasSecrets = Object.keys(secrets).length > 0;

    const { logGroup, role } = createFunctionLogs(this, {
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
      roleDescription: describePath('Execution role of the MCP server ', this.node.path, 1000),
    });
    this.logGroup = logGroup;
    this.grantPrincipal = role;

    const environment: { [name: string]: string } = {
      ...props.environment,
      PORT: String(port),
      AWS_LWA_PORT: String(port),
      AWS_LWA_READINESS_CHECK_PATH: readinessCheckPath,
      AWS_LWA_READINESS_CHECK_PROTOCOL: 'http',
      // Ready only on a 2xx: the adapter's default (100-499) counts a 404 or a 401 from a server
      // that is not up yet as ready. Read by adapter 1.1.0 and later
      // (https://awslabs.github.io/aws-lambda-web-adapter/configuration/readiness-check.html).
      AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: '200-299',
      AWS_LWA_INVOKE_MODE: invokeMode === lambda.InvokeMode.RESPONSE_STREAM ? 'response_stream' : 'buffered',
    };
    for (const [name, secret] of Object.entries(secretArnsOf(props))) {
      environment[`${name}_SECRET_ARN`] = secret.secretArn;
    }
    if (hasSecrets) {
      environment[START_ENV.SECRETS] = startSecretsValue(this, secrets);
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
          ...(hasSecrets ? [lambdaStartLayer(this, 'StartLayer', architecture)] : []),
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
      // Lambda allows 256 characters: a deep construct path keeps its end.
      description: props.description ?? describePath('MCP server ', this.node.path, 256),
    });
    if (!code.isContainerImage) {
      // The adapter's wrapper starts the start script (the handler) and proxies events to it. With
      // secrets, the start layer's wrapper runs first: it resolves them, then execs the adapter's.
      const wrapper = hasSecrets ? LAMBDA_START_WRAPPER : LambdaWebAdapter.EXEC_WRAPPER;
      fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', wrapper);
      environment.AWS_LAMBDA_EXEC_WRAPPER = wrapper;
    }
    const environmentErrors = new ValidationErrors('McpLambdaService', this);
    checkEnvironmentSize(environmentErrors, 'the server function\'s environment (environment, the secret ARNs and the Web Adapter settings)', environment,
      'Move large configuration into the code or a file it reads, or into secrets (each costs only its ARN).');
    environmentErrors.throwIfAny();
    for (const secret of Object.values(secretArnsOf(props))) {
      secret.grantRead(fn);
    }
    grantSecretsRead(secrets, fn);
    if (props.vpc) {
      // Lambda names the group it creates after the path: cut under a deep path.
      fitSecurityGroupDescriptions(fn);
      // The construct passes its own role, so lambda.Function adds no VPC access policy itself.
      grantVpcNetworkInterfaces(role);
      fn.node.addDependency(role);
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
    this.functionUrlEndpoint = `${functionUrl.url}${mcpPath.replace(/^\//, '')}`;
    // An IAM-authenticated URL answers 403 to unsigned requests: the canary signs with SigV4.
    const functionUrlCanaryAuth = auth === McpFunctionUrlAuth.AWS_IAM ? McpCanaryAuth.sigV4(functionUrl) : undefined;

    let frontDoor: ApiGatewayFrontDoor | undefined;
    if (hasFrontDoor(props)) {
      frontDoor = buildApiGatewayFrontDoor(this, {
        alias,
        mcpPath,
        streaming: invokeMode === lambda.InvokeMode.RESPONSE_STREAM,
        functionTimeout: timeout,
        tracing: (props.tracing ?? lambda.Tracing.DISABLED) === lambda.Tracing.ACTIVE,
        domainName: props.domainName,
        domainZone: props.domainZone,
        certificate: props.certificate,
        webAcl: props.webAcl,
        logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        logEncryptionKey: props.logEncryptionKey,
      });
      this.restApi = frontDoor.restApi;
      this.apiAccessLogGroup = frontDoor.accessLogGroup;
      this.certificate = frontDoor.certificate;
    }
    this.url = frontDoor?.url ?? this.functionUrlEndpoint;

    const targetErrors = new ValidationErrors('McpLambdaService', this);
    const targets = canaryTargets(targetErrors, props, {
      url: this.url,
      // The Function URL is the origin behind the front door built here, or behind one of the
      // user's own (canaryUrl).
      origin: frontDoor || props.canaryUrl !== undefined ? { url: this.functionUrlEndpoint, auth: functionUrlCanaryAuth } : undefined,
    });
    targetErrors.throwIfAny();
    // The user's monitoring options, by name; then what this service derived, which wins.
    this.attachMonitoring({
      ...pickOptions<McpMonitoringOptions>(props, MONITORING_OPTION_KEYS),
      serviceName: props.serviceName ?? fn.functionName,
      url: targets.url,
      originUrl: targets.originUrl,
      originAuth: targets.originAuth,
      serverLogGroup: this.logGroup,
      canaryLogRetention: props.canaryLogRetention ?? props.logRetention,
      // The front door has no authorizer (Authorization reaches the server): the canary signs only
      // for the Function URL it probes directly.
      canaryAuth: props.canaryAuth ?? (targets.url === this.functionUrlEndpoint ? functionUrlCanaryAuth : undefined),
      // Every change publishes a new version; the gate probes once the alias serves it, and a
      // failure rolls the alias back to the previous version.
      deployGateTrigger: fn.currentVersion.version,
      deployGateDependencies: [alias, functionUrl, ...(frontDoor?.dependencies ?? [])],
    });
    this.platformAlarms = new McpLambdaAlarms(this, 'Alarms', {
      ...pickOptions<McpLambdaAlarmOptions>(props, LAMBDA_ALARM_OPTION_KEYS),
      monitoring: this.monitoring,
      serverFunction: fn,
      serverAlias: alias,
      timeout,
      memorySizeMiB: memorySize,
      reservedConcurrentExecutions: props.reservedConcurrency,
      provisionedConcurrentExecutions: props.provisionedConcurrency,
      functionUrl,
      restApiStage: frontDoor?.restApi.deploymentStage,
      serverLogGroup: this.logGroup,
    });

    warnOnSecretLikeEnvironment(this, props.environment, 'the secrets prop (ecs.Secret.fromSecretsManager, resolved at start)');
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
