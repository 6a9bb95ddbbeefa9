import * as path from 'path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IDependable } from 'constructs';
import { McpCanary } from '../canary/canary';
import { CANARY_ENV } from '../contract/canary-env';
import { GATE_ENV, GATE_IAM_ACTIONS, GATE_PROPERTIES, GATE_TIMEOUT_MARGIN_MS } from '../contract/gate';
import { createFunctionLogs } from '../private/function-logs';
import { grantVpcNetworkInterfaces } from '../private/lambda-vpc';
import { fitSecurityGroupDescriptions } from '../private/path-texts';
import { ValidationErrors } from '../private/validation';

/** Properties of an {@link McpDeployGate}. */
export interface McpDeployGateProps {
  /** The canary whose configuration (URL, expectations, auth, VPC placement) the gate probes with. */
  readonly canary: McpCanary;

  /**
   * A value that changes with every deployment of the server (a function version, a task
   * definition ARN, an image digest), so CloudFormation runs the gate on every change.
   */
  readonly trigger: string;

  /**
   * What must be live before the gate probes (the alias, the ECS service, ...).
   *
   * @default - nothing beyond the canary
   */
  readonly dependencies?: IDependable[];

  /**
   * How long the gate keeps probing before it fails the deployment. 30 seconds to 13 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * How long the gate function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A deploy gate: a custom resource that, on every deployment of the service, probes the MCP
 * endpoint with the canary's configuration until it passes or `timeout` elapses, and fails the
 * deployment otherwise, so CloudFormation rolls back to the previous working version. It opens
 * the service's maintenance window while it runs (the health alarm stays quiet during the
 * deploy) and closes it when it answers. On delete it does nothing.
 */
export class McpDeployGate extends Construct {
  /** The gate function (the probe with retries, bundled in the package). */
  public readonly function: lambda.IFunction;

  /** The custom resource whose creation and update run the gate. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: McpDeployGateProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(5);
    const errors = new ValidationErrors('McpDeployGate', this);
    errors.durationInRange('deployGateTimeout', timeout, Duration.seconds(30), Duration.minutes(13));
    errors.throwIfAny();

    const canary = props.canary;
    const { logGroup, role } = createFunctionLogs(this, {
      retention: props.logRetention,
      roleDescription: 'Execution role of an MCP deploy gate: probes the endpoint, writes the maintenance-window metric',
    });
    // PutMetricData has no resource-level permissions; the namespace condition narrows it.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [GATE_IAM_ACTIONS.PUT_METRIC_DATA],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': canary.metricNamespace } },
    }));
    // Lets the gate recognise a rollback and step aside, so a broken service cannot block its own rollback.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [GATE_IAM_ACTIONS.DESCRIBE_STACKS],
      resources: [Stack.of(this).stackId],
    }));
    const placement = canary._vpcPlacement;
    if (placement.vpc) {
      grantVpcNetworkInterfaces(role);
    }
    const environment = canary._probeEnvironment(role);

    const deadlineMs = canary.deadline.toMilliseconds();
    const maxWaitMs = timeout.toMilliseconds();
    const fn = new lambda.Function(this, 'Function', {
      description: 'MCP deploy gate: probes the endpoint during a deployment and fails it when the probe does not pass',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'lambda', 'gate', 'handler')),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.millis(maxWaitMs + deadlineMs + GATE_TIMEOUT_MARGIN_MS),
      role,
      environment: {
        ...environment,
        [GATE_ENV.MAX_WAIT_MS]: String(maxWaitMs),
      },
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Where the canary runs (a private endpoint), so does the gate.
      vpc: placement.vpc,
      vpcSubnets: placement.vpcSubnets,
      securityGroups: placement.securityGroups,
    });
    fn.node.addDependency(role);
    // In a VPC, Lambda names the group it creates after the path: cut under a deep path.
    fitSecurityGroupDescriptions(fn);
    this.function = fn;

    // The Provider framework's own function, with a least-privilege role of ours instead of the
    // default (AWSLambdaBasicExecutionRole and lambda:InvokeFunction on every version): it writes
    // its log group, invokes the gate and, while the gate is not yet active, reads its state.
    const { logGroup: providerLogGroup, role: frameworkRole } = createFunctionLogs(this, {
      retention: props.logRetention,
      roleDescription: 'Execution role of the MCP deploy gate\'s custom-resource framework: invokes the gate function',
      logGroupId: 'ProviderLogGroup',
      roleId: 'ProviderRole',
    });
    frameworkRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:InvokeFunction', 'lambda:GetFunction'],
      resources: [fn.functionArn],
    }));
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: fn,
      logGroup: providerLogGroup,
      // Immutable: the framework's own grants (every version of the function) are not added.
      frameworkOnEventRole: frameworkRole.withoutPolicyUpdates(),
    });
    provider.node.addDependency(frameworkRole);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::McpDeployGate',
      properties: {
        [GATE_PROPERTIES.TRIGGER]: props.trigger,
        ServiceName: canary.serviceName,
        // A new URL or expectation is a new deployment to check, too.
        Url: environment[CANARY_ENV.URL],
      },
    });
    for (const dependency of props.dependencies ?? []) {
      this.resource.node.addDependency(dependency);
    }
  }
}
