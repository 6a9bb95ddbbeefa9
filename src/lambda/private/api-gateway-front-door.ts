import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct, IDependable } from 'constructs';
import { IMcpWebAcl } from '../../front-door/web-acl';

/**
 * API Gateway REST limits the front door relies on, with their sources.
 */
export const API_GATEWAY = {
  /**
   * The longest a streamed response may run: "up to 15 minutes" with `responseTransferMode:
   * STREAM` (https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html).
   * Whether an integration timeout above 29 seconds needs a quota raise for streaming integrations
   * is not stated there (unconfirmed).
   */
  maxStreamingTimeout: Duration.minutes(15),
  /**
   * The default (and, without a quota raise, the highest) integration timeout of a buffered
   * integration: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html.
   */
  bufferedTimeout: Duration.seconds(29),
  /**
   * Stage throttling the construct sets: API Gateway's account defaults per Region are 10,000
   * requests per second with a burst of 5,000
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html);
   * one service takes a tenth of them, so a runaway client cannot starve the account's other APIs.
   */
  throttlingRateLimit: 1000,
  throttlingBurstLimit: 500,
  /** The stage the REST API deploys to (part of the execute-api URL, not of a custom domain's). */
  stageName: 'live',
} as const;

/** What the API Gateway front door is built from. */
export interface ApiGatewayFrontDoorProps {
  /** The alias API Gateway invokes (it carries provisioned concurrency). */
  readonly alias: lambda.IAlias;
  /** The path of the MCP endpoint, with its leading slash. */
  readonly mcpPath: string;
  /** Stream responses (the Web Adapter is in RESPONSE_STREAM mode) or buffer them. */
  readonly streaming: boolean;
  /** The function timeout: a streamed response never outlives it. */
  readonly functionTimeout: Duration;
  /** The custom domain, if any. */
  readonly domainName?: string;
  /** Its hosted zone, if any. */
  readonly domainZone?: route53.IHostedZone;
  /** Its certificate, if given. */
  readonly certificate?: acm.ICertificate;
  /** The REGIONAL web ACL to associate with the stage, if any. */
  readonly webAcl?: IMcpWebAcl;
  /** X-Ray tracing on the stage (follows the function's `tracing`). */
  readonly tracing: boolean;
  /** The access log group's retention. */
  readonly logRetention: logs.RetentionDays;
  /** The access log group's key, if any. */
  readonly logEncryptionKey?: kms.IKey;
}

/** The API Gateway front door, built. */
export interface ApiGatewayFrontDoor {
  readonly restApi: apigateway.RestApi;
  readonly accessLogGroup: logs.ILogGroup;
  readonly certificate?: acm.ICertificate;
  /** `https://<domainName>/<mcpPath>`, or the execute-api URL of the stage plus the path. */
  readonly url: string;
  /** What the deploy gate waits for before it probes `url`. */
  readonly dependencies: IDependable[];
}

/**
 * A REGIONAL API Gateway REST API in front of the alias: `ANY /` and `ANY /{proxy+}` as one
 * Lambda proxy integration (streaming when the adapter streams), the custom domain at the root
 * with an A alias record, the execute-api endpoint closed when there is a domain, access and
 * error logging, stage throttling, and the web ACL on the stage.
 *
 * The gateway's own answers (403 from WAF, 429, 502, 504) are left as they are: the probe
 * recognizes them. No authorizer: `Authorization` passes through to the server.
 */
export function buildApiGatewayFrontDoor(scope: Construct, props: ApiGatewayFrontDoorProps): ApiGatewayFrontDoor {
  const certificate = props.domainName === undefined
    ? undefined
    : props.certificate ?? new acm.Certificate(scope, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(props.domainZone),
    });

  const accessLogGroup = new logs.LogGroup(scope, 'ApiAccessLogs', {
    retention: props.logRetention,
    encryptionKey: props.logEncryptionKey,
  });
  const streamingTimeout = props.functionTimeout.isUnresolved() || props.functionTimeout.toSeconds() > API_GATEWAY.maxStreamingTimeout.toSeconds()
    ? API_GATEWAY.maxStreamingTimeout
    : props.functionTimeout;

  const restApi = new apigateway.LambdaRestApi(scope, 'RestApi', {
    handler: props.alias,
    proxy: true,
    // A label in the console (REST API names need not be unique): the service's path.
    restApiName: Names.uniqueResourceName(scope, { maxLength: 255, separator: '-' }),
    description: 'Front door of the MCP server: custom domain, web ACL, Lambda proxy integration',
    endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
    integrationOptions: {
      responseTransferMode: props.streaming ? apigateway.ResponseTransferMode.STREAM : apigateway.ResponseTransferMode.BUFFERED,
      // A streamed response may run as long as the function does (at most 15 minutes); a buffered
      // one keeps API Gateway's 29-second default.
      timeout: props.streaming ? streamingTimeout : undefined,
      // One invoke permission for the whole API, not one per method and test stage.
      scopePermissionToMethod: false,
    },
    domainName: props.domainName !== undefined
      ? {
        domainName: props.domainName,
        certificate: certificate!,
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      }
      : undefined,
    // With a domain, the execute-api host is closed: no client or scanner goes around the domain.
    disableExecuteApiEndpoint: props.domainName !== undefined,
    // Access and execution logs need API Gateway's account-level CloudWatch Logs role in the
    // Region; the role is retained when the stack goes, so other APIs keep logging.
    cloudWatchRole: true,
    cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
    deployOptions: {
      stageName: API_GATEWAY.stageName,
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogGroup),
      accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      // Execution logs of errors only, never request or response bodies (tokens, tool results).
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      tracingEnabled: props.tracing,
      throttlingRateLimit: API_GATEWAY.throttlingRateLimit,
      throttlingBurstLimit: API_GATEWAY.throttlingBurstLimit,
    },
  });

  // aws-cdk-lib adds an `Endpoint` output of the execute-api URL: closed with a domain, and the
  // service writes its own URL output (`stackOutputs`).
  restApi.node.tryRemoveChild('Endpoint');

  // The invoke permission names the API in SourceArn; SourceAccount also pins the account (the
  // Control Tower rule CT.LAMBDA.PR.2 reads only a literal or a reference in SourceArn).
  for (const permission of restApi.node.findAll().filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
    permission.sourceAccount = Stack.of(scope).account;
  }

  const dependencies: IDependable[] = [restApi.deploymentStage];
  if (props.domainName !== undefined && props.domainZone !== undefined) {
    dependencies.push(new route53.ARecord(scope, 'AliasRecord', {
      zone: props.domainZone,
      recordName: props.domainName,
      target: route53.RecordTarget.fromAlias(new route53targets.ApiGateway(restApi)),
    }));
  }
  if (restApi.domainName) {
    dependencies.push(restApi.domainName);
  }
  if (props.webAcl) {
    const association = props.webAcl.associate(restApi.deploymentStage.stageArn);
    // The stage's ARN is built from the API's id and the stage's name, not a reference to the
    // stage: without this the association may be created before the stage exists.
    association.node.addDependency(restApi.deploymentStage);
    dependencies.push(association);
  }

  const path = props.mcpPath.replace(/^\//, '');
  const url = props.domainName !== undefined ? `https://${props.domainName}/${path}` : `${restApi.url}${path}`;
  return { restApi, accessLogGroup, certificate, url, dependencies };
}
