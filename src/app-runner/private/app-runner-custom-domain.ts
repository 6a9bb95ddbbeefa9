import * as path from 'path';
import { CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  APP_RUNNER_DOMAIN_IAM_ACTIONS, APP_RUNNER_DOMAIN_PROPERTIES, APP_RUNNER_DOMAIN_WAIT,
} from '../../contract/app-runner-domain';
import { lambdaRoleWritingLogs } from '../../private/lambda-role';

/** Properties of an {@link AppRunnerCustomDomain}. */
export interface AppRunnerCustomDomainProps {
  /** The App Runner service's ARN. */
  readonly serviceArn: string;
  /** The domain, e.g. `mcp.example.com`. */
  readonly domainName: string;
  /** The Route 53 zone the records go into. */
  readonly zone: route53.IHostedZone;
}

/**
 * An App Runner custom domain (App Runner has it in its API only, not in CloudFormation): a
 * custom resource whose handler (lambda/app-runner-domain, bundled into assets/) associates the
 * domain with the service, writes App Runner's certificate-validation records and the domain's
 * CNAME into the zone, and waits for the domain to be ACTIVE (at most
 * `APP_RUNNER_DOMAIN_WAIT.activeWaitMs`, then it answers with the records in place). On delete it
 * removes its records and the association. See src/contract/app-runner-domain.ts.
 */
export class AppRunnerCustomDomain extends Construct {
  /** The custom resource; `getAttString('Status')` is the domain's status when it answered. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AppRunnerCustomDomainProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    const role = lambdaRoleWritingLogs(this, 'ServiceRole', 'Execution role of an MCP App Runner custom domain: associates the domain, writes its DNS records', logGroup);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [...APP_RUNNER_DOMAIN_IAM_ACTIONS.APP_RUNNER],
      resources: [props.serviceArn],
    }));
    // Only CNAME records, only UPSERT and DELETE, only the domain and the names under it (App
    // Runner's validation records are `_<token>.<domain>`), by Route 53's record-set conditions:
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
    const domain = Token.isUnresolved(props.domainName) ? props.domainName : props.domainName.toLowerCase().replace(/\.$/, '');
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [APP_RUNNER_DOMAIN_IAM_ACTIONS.CHANGE_RECORDS],
      resources: [props.zone.hostedZoneArn],
      conditions: {
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domain, `*.${domain}`] },
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
        },
      },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [APP_RUNNER_DOMAIN_IAM_ACTIONS.LIST_RECORDS],
      resources: [props.zone.hostedZoneArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [APP_RUNNER_DOMAIN_IAM_ACTIONS.GET_CHANGE],
      resources: [Stack.of(this).formatArn({ service: 'route53', region: '', account: '', resource: 'change', resourceName: '*' })],
    }));

    const code = lambda.Code.fromAsset(path.join(__dirname, '..', '..', '..', 'assets', 'lambda', 'app-runner-domain', 'handler'));
    const handler = (handlerId: string, entry: string, what: string) => {
      const fn = new lambda.Function(this, handlerId, {
        description: `MCP App Runner custom domain: ${what}`,
        code,
        handler: `index.${entry}`,
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: Duration.seconds(APP_RUNNER_DOMAIN_WAIT.handlerTimeoutSeconds),
        role,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
      });
      fn.node.addDependency(role);
      return fn;
    };
    const onEvent = handler('OnEventFunction', 'onEvent', 'associates, replaces or removes the domain');
    const isComplete = handler('IsCompleteFunction', 'isComplete', 'writes the DNS records and waits for the domain to be active');

    // The framework's functions, with least-privilege roles of ours instead of the default
    // (AWSLambdaBasicExecutionRole, and lambda:InvokeFunction on every version of the handlers):
    // each writes its log group and invokes the handlers; the framework's onEvent function also
    // starts the waiter state machine. Immutable for the Provider, so it adds none of its grants.
    const providerLogGroup = new logs.LogGroup(this, 'ProviderLogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    const frameworkRole = (roleId: string, description: string) => {
      const r = lambdaRoleWritingLogs(this, roleId, description, providerLogGroup);
      r.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction', 'lambda:GetFunction'],
        resources: [onEvent.functionArn, isComplete.functionArn],
      }));
      return r;
    };
    const onEventRole = frameworkRole('ProviderRole', 'Execution role of the MCP App Runner custom domain\'s custom-resource framework: invokes the handler, starts the waiter');
    const waiterRole = frameworkRole('ProviderWaiterRole', 'Execution role of the MCP App Runner custom domain\'s waiter functions: invoke the isComplete handler');
    const onEventRoleAsGiven = onEventRole.withoutPolicyUpdates();
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: Duration.seconds(APP_RUNNER_DOMAIN_WAIT.queryIntervalSeconds),
      totalTimeout: Duration.minutes(APP_RUNNER_DOMAIN_WAIT.totalTimeoutMinutes),
      logGroup: providerLogGroup,
      frameworkOnEventRole: onEventRoleAsGiven,
      frameworkCompleteAndTimeoutRole: waiterRole.withoutPolicyUpdates(),
    });
    const waiter = provider.node.children.find((c): c is cr.WaiterStateMachine => c instanceof cr.WaiterStateMachine)!;
    onEventRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [waiter.stateMachineArn] }));
    // Each framework function waits for its role's policy (the Provider sees immutable roles).
    for (const child of provider.node.children) {
      if (child instanceof lambda.Function) child.node.addDependency(child.role === onEventRoleAsGiven ? onEventRole : waiterRole);
    }
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::McpAppRunnerCustomDomain',
      properties: {
        [APP_RUNNER_DOMAIN_PROPERTIES.SERVICE_ARN]: props.serviceArn,
        [APP_RUNNER_DOMAIN_PROPERTIES.DOMAIN_NAME]: props.domainName,
        [APP_RUNNER_DOMAIN_PROPERTIES.HOSTED_ZONE_ID]: props.zone.hostedZoneId,
      },
    });
  }
}
