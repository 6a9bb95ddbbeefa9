import { Annotations, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WEB_FUNCTION_ALARM_OPTION_KEYS } from './private/web-function-alarm-option-keys';
import { validateWebFunctionServiceProps } from './private/web-function-validation';
import { McpWebFunctionAlarms, McpWebFunctionAlarmOptions } from './web-function-alarms';
import { McpWebFunctionAuth, McpWebFunctionServiceProps } from './web-function-service-props';
import { McpCanaryAuth } from '../canary/canary-auth';
import { START_ENV } from '../contract/server-start';
import { canaryTargets } from '../front-door/private/canary-targets';
import { CloudFrontFrontDoor, wantsCloudFrontFrontDoor } from '../front-door/private/cloudfront-front-door';
import { McpMonitoringOptions } from '../monitoring/options';
import { MONITORING_OPTION_KEYS } from '../monitoring/private/monitoring-option-keys';
import { createFunctionLogs } from '../private/function-logs';
import { describePath, ROLE_DESCRIPTION_MAX } from '../private/limits';
import { pickOptions } from '../private/pick-options';
import { warnOnSecretLikeEnvironment } from '../private/secret-environment';
import { secretArnsOf } from '../private/secret-names';
import { checkSecretValues, grantSecretsRead, startSecretsValue } from '../private/server-start';
import { ValidationErrors } from '../private/validation';
import { McpServiceBase } from '../service';

/**
 * An MCP server on an AWS Lambda Web Function: a plain Node.js HTTP server (any MCP SDK, no
 * adapter) on an HTTPS endpoint Lambda manages, with up to 128 concurrent requests per execution
 * environment and native response streaming.
 *
 * The construct bundles the server, runs it on `nodejs24.x` arm64 (the only runtime and
 * architecture, https://docs.aws.amazon.com/lambda/latest/dg/web-functions-runtimes.html), makes
 * the endpoint auth an explicit choice (IAM by default), keeps secrets out of the environment,
 * and monitors it from outside (a canary, SigV4-signed for IAM endpoints) and inside (endpoint 5xx
 * and log alarms on the system log schema, failed starts first: a revision whose server never
 * starts still takes all traffic).
 *
 * Where the canary looks: for a home-Region endpoint, the one Regional domain. For a
 * `multiRegion` endpoint it probes the global domain, signed with SigV4a for the Region set `*`;
 * that domain routes by latency to the nearest serving Region, so the canary (in the stack's
 * Region, which the endpoint also serves) normally reaches the stack's Region only and does not
 * watch the other replicas. For a `perRegion` endpoint it probes `url`, built from the
 * endpoint's `DomainName` attribute and signed for the stack's Region (that this attribute is the
 * stack's Regional domain is UNCONFIRMED); watch each replica with an `McpCanary` of your own on
 * that Region's URL and `McpCanaryAuth.sigV4ForWebFunction(service.endpoint, { region })`.
 */
export class McpWebFunctionService extends McpServiceBase {
  /** The Web Function that runs the server. */
  public readonly webFunction: lambda.WebFunction;

  /**
   * The Web Function's default endpoint: the one clients call, or with a front door
   * (`domainName` or `webAcl`) the distribution's origin, which only the distribution may call.
   */
  public readonly endpoint: lambda.IWebFunctionEndpoint;

  /**
   * The MCP endpoint URL clients use: `https://` + `domainName` (or the distribution's domain with
   * `webAcl` only) + `mcpPath` behind a front door, else the endpoint's domain + `mcpPath`.
   */
  public readonly url: string;

  /** The endpoint's own MCP URL (`https://` + the endpoint's domain + `mcpPath`): `url` without a front door, its origin with one. */
  public readonly endpointUrl: string;

  /** The CloudFront distribution in front of the endpoint, when `domainName` or `webAcl` is given. */
  public readonly distribution?: cloudfront.IDistribution;

  /** The distribution's certificate: `certificate`, or the one created for `domainName` in `domainZone`. */
  public readonly certificate?: acm.ICertificate;

  /** The server's log group (system records and application lines, JSON). */
  public readonly logGroup: logs.ILogGroup;

  /** The endpoint's auth. */
  public readonly auth: McpWebFunctionAuth;

  /** The Web Function's execution role: `bucket.grantRead(service)` lets the server read the bucket. */
  public readonly grantPrincipal: iam.IPrincipal;

  /** The Web Function platform alarms and log metric filters. */
  public readonly platformAlarms: McpWebFunctionAlarms;

  constructor(scope: Construct, id: string, props: McpWebFunctionServiceProps) {
    super(scope, id, props);

    const auth = props.auth ?? McpWebFunctionAuth.IAM;
    const mcpPath = props.mcpPath ?? '/mcp';
    const location = props.endpointLocation ?? lambda.WebFunctionEndpointLocation.homeRegion();
    validateWebFunctionServiceProps(this, props, { mcpPath, auth, endpointType: location.endpointType });
    this.auth = auth;
    const code = props.code.bind();
    const secrets = props.secrets ?? {};
    const startProblems = new ValidationErrors('McpWebFunctionService', this);
    checkSecretValues(startProblems, this, props.secrets, props.environment,
      code.serverEntry === undefined ? 'McpWebFunctionCode.fromBucket has no start file to resolve them. Use fromEntry or fromDirectory, or secretArns.' : undefined);
    for (const name of ['PORT', 'HOST']) {
      startProblems.check('cdk-mcp:webFunctionListenVariable', (props.environment ?? {})[name] === undefined || code.serverEntry === undefined,
        `environment must not set ${name}: the start file sets it from AWS_LAMBDA_HTTP_ENDPOINT, where Web Functions send requests. Remove it.`);
    }
    startProblems.throwIfAny();

    const { logGroup, role } = createFunctionLogs(this, {
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
      roleDescription: describePath('Execution role of the MCP server ', this.node.path, ROLE_DESCRIPTION_MAX),
    });
    this.logGroup = logGroup;
    this.grantPrincipal = role;
    if (location.endpointType !== lambda.WebFunctionEndpointType.HOME_REGION) {
      // Each serving Region writes to `<log group>.local` there (AWS skill references/observability.md@5afd317,
      // UNCONFIRMED in the docs). Without this grant replica logs would be missing; with it nothing breaks if unneeded.
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [Stack.of(this).formatArn({
          service: 'logs', region: '*', resource: 'log-group', resourceName: `${logGroup.logGroupName}.local:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })],
      }));
    }

    const environment: { [name: string]: string } = { ...props.environment };
    for (const [name, secret] of Object.entries(secretArnsOf(props))) {
      environment[`${name}_SECRET_ARN`] = secret.secretArn;
    }
    if (code.serverEntry !== undefined && code.serverEntry !== 'index.js') {
      environment[START_ENV.SERVER_ENTRY] = code.serverEntry;
    }
    if (Object.keys(secrets).length > 0) {
      environment[START_ENV.SECRETS] = startSecretsValue(this, secrets);
    }

    const fn = new lambda.WebFunction(this, 'WebFunction', {
      code: code.code,
      entryPoint: code.entryPoint,
      runtime: lambda.WebFunctionRuntime.NODEJS_24_X,
      role,
      webFunctionName: props.webFunctionName,
      revisionDescription: props.description ?? describePath('MCP server ', this.node.path, 256),
      environment,
      kmsKey: props.environmentEncryptionKey,
      logGroup,
      applicationLogLevel: props.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
      // INFO keeps platform.initReport (a failed start is WARN, a healthy one INFO). Logs are JSON:
      // the revision has no log-format setting (CfnWebFunctionRevision LoggingConfig).
      systemLogLevel: lambda.SystemLogLevel.INFO,
      timeout: props.timeout ?? Duration.minutes(5),
      maxConcurrencyPerEnvironment: props.maxConcurrencyPerEnvironment,
      egressNetworkConnector: props.egressNetworkConnector,
      defaultEndpointAuth: auth === McpWebFunctionAuth.APPLICATION_MANAGED
        ? lambda.WebFunctionAuthType.APPLICATION_MANAGED
        : lambda.WebFunctionAuthType.IAM_AUTH,
      defaultEndpoint: {
        endpointLocation: location,
        maxEnvironments: props.maxEnvironments,
        rateLimit: props.rateLimit,
      },
    });
    for (const secret of Object.values(secretArnsOf(props))) {
      secret.grantRead(role);
    }
    grantSecretsRead(secrets, role);
    this.webFunction = fn;
    this.endpoint = fn.endpoint;
    this.endpointUrl = `https://${fn.endpoint.domainName}${mcpPath}`;
    const multiRegion = location.endpointType === lambda.WebFunctionEndpointType.MULTI_REGION;
    // An IAM endpoint answers 403 to unsigned requests: the canary signs with SigV4, or with
    // SigV4a for the Region set * on a multi-Region endpoint's global domain.
    const endpointAuth = auth === McpWebFunctionAuth.IAM
      ? (multiRegion ? McpCanaryAuth.sigV4aForWebFunction(fn.endpoint) : McpCanaryAuth.sigV4ForWebFunction(fn.endpoint))
      : undefined;

    let frontDoor: CloudFrontFrontDoor | undefined;
    let cloudFrontGrant: iam.Grant | undefined;
    if (wantsCloudFrontFrontDoor(props)) {
      // Origin access control for a Web Function endpoint: always-amz-auth, the only signing
      // behaviour Web Function origins take (it keeps the viewer's Authorization); SigV4a for a
      // global (multi-Region) endpoint. aws-cdk-lib 2.276.0 aws-cloudfront-origins/README.md,
      // "From a Lambda Web Function".
      frontDoor = new CloudFrontFrontDoor(this, 'FrontDoor', {
        options: props,
        originDomainName: fn.endpoint.domainName,
        mcpPath,
        originAccessControlSigning: multiRegion ? cloudfront.Signing.SIGV4A_ALWAYS_AMZ_AUTH : cloudfront.Signing.SIGV4_ALWAYS_AMZ_AUTH,
        comment: describePath('MCP server ', this.node.path, 128),
      });
      // Only this distribution may call the endpoint (the README's grant, scoped by aws:SourceArn).
      cloudFrontGrant = fn.endpoint.grants.invoke(new iam.ServicePrincipal('cloudfront.amazonaws.com', {
        conditions: { ArnLike: { 'aws:SourceArn': frontDoor.distribution.distributionArn } },
      }));
      this.distribution = frontDoor.distribution;
      this.certificate = frontDoor.certificate;
    }
    this.url = frontDoor?.url ?? this.endpointUrl;

    if (auth === McpWebFunctionAuth.APPLICATION_MANAGED) {
      // One warning, this library's, instead of two: the L2's says the same.
      Annotations.of(fn).acknowledgeWarning('@aws-cdk/aws-lambda:webFunctionPublicEndpoint', 'cdk-mcp raises cdk-mcp:unauthenticatedWebFunctionEndpoint');
      Annotations.of(this).addWarningV2(
        'cdk-mcp:unauthenticatedWebFunctionEndpoint',
        'The Web Function endpoint is APPLICATION_MANAGED: anyone on the internet can call this MCP server. ' +
          'Make sure the server authenticates requests itself (e.g. OAuth bearer tokens), or use auth: McpWebFunctionAuth.IAM.',
      );
    }

    // The canary probes the front door as clients do (unsigned unless canaryAuth says otherwise:
    // CloudFront signs to the origin) and, after a failure, the endpoint behind it, signed; so
    // too with canaryUrl (a front door of the user's own).
    const targetErrors = new ValidationErrors('McpWebFunctionService', this);
    const targets = canaryTargets(targetErrors, props, {
      url: this.url,
      origin: frontDoor !== undefined || props.canaryUrl !== undefined ? { url: this.endpointUrl, auth: endpointAuth } : undefined,
    });
    targetErrors.throwIfAny();
    // The user's monitoring options, by name; then what this service derived, which wins.
    this.attachMonitoring({
      ...pickOptions<McpMonitoringOptions>(props, MONITORING_OPTION_KEYS),
      serviceName: props.serviceName ?? fn.webFunctionName,
      url: targets.url,
      originUrl: targets.originUrl,
      originAuth: targets.originAuth,
      serverLogGroup: logGroup,
      canaryLogRetention: props.canaryLogRetention ?? props.logRetention,
      canaryAuth: props.canaryAuth ?? (frontDoor === undefined && props.canaryUrl === undefined && props.canary !== false ? endpointAuth : undefined),
      // The gate probes through the distribution, which needs its invoke permission in place.
      deployGateDependencies: frontDoor && cloudFrontGrant ? [...frontDoor.dependables, cloudFrontGrant] : undefined,
    });
    this.platformAlarms = new McpWebFunctionAlarms(this, 'Alarms', {
      ...pickOptions<McpWebFunctionAlarmOptions>(props, WEB_FUNCTION_ALARM_OPTION_KEYS),
      monitoring: this.monitoring,
      webFunctionName: fn.webFunctionName,
      endpointName: fn.endpoint.resource.endpointName,
      serverLogGroup: logGroup,
    });

    warnOnSecretLikeEnvironment(this, props.environment, 'the secrets prop (ecs.Secret.fromSecretsManager, resolved at start)');
  }

  /**
   * Allow a principal to call the endpoint (`lambda:InvokeWebFunctionEndpoint` on its ARN). Needed
   * with `McpWebFunctionAuth.IAM`; callers sign with SigV4 (SigV4a for the Region set `*` on a
   * multi-Region endpoint) and send `X-Amz-Content-SHA256`.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.endpoint.grants.invoke(grantee);
  }
}
