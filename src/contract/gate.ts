/**
 * The contract between the constructs (synth time) and the operator tools (run time): the deploy
 * gate custom resource (lambda/gate/handler.ts) and the `mcp-probe status | maintenance | canary`
 * commands (lambda/cli/ops). Environment variable names, resource properties, response data and
 * the IAM actions each side needs.
 *
 * Internal: not exported from the package's public API. No aws-cdk-lib imports (bundled into the
 * gate handler and the CLI).
 */

/**
 * The gate is the `onEvent` handler of a CDK custom-resource Provider framework
 * (`aws-cdk-lib/custom-resources` `Provider`): it throws on failure, and the framework answers
 * CloudFormation FAILED with the error message as the reason, which fails the resource and rolls
 * the deployment back. Not a bare Lambda-backed custom resource (a crash there leaves
 * CloudFormation waiting for an hour). No `isComplete` handler: one `onEvent` run is bounded by
 * {@link GATE_ENV.MAX_WAIT_MS}, which must fit the gate function's timeout.
 *
 * The gate function's environment: every variable of the canary ({@link CANARY_ENV} in
 * ./canary-env, same names and meanings: URL, service name, namespace, deadline, transport,
 * expectations, headers and auth), plus the variables below.
 */
export const GATE_ENV = {
  /** Total time the gate keeps probing before it fails the deployment, in whole ms. Optional, default {@link GATE_DEFAULT_MAX_WAIT_MS}. */
  MAX_WAIT_MS: 'MCP_GATE_MAX_WAIT_MS',
  /** First pause between failed probes, in whole ms; doubles after each failure up to {@link GATE_MAX_RETRY_DELAY_MS}. Optional, default {@link GATE_DEFAULT_RETRY_BASE_MS}. */
  RETRY_BASE_MS: 'MCP_GATE_RETRY_BASE_MS',
  /** `false` to probe without opening a maintenance window. Optional, default `true`. */
  MAINTENANCE: 'MCP_GATE_MAINTENANCE',
} as const;

/** Default of {@link GATE_ENV.MAX_WAIT_MS}: five minutes. */
export const GATE_DEFAULT_MAX_WAIT_MS = 300_000;

/** Default of {@link GATE_ENV.RETRY_BASE_MS}. */
export const GATE_DEFAULT_RETRY_BASE_MS = 2_000;

/** The longest pause between two probes of the gate. */
export const GATE_MAX_RETRY_DELAY_MS = 30_000;

/**
 * Time the gate keeps back from its Lambda timeout to close the maintenance window and answer.
 * The gate function's timeout should be at least MAX_WAIT_MS + the canary deadline + this.
 */
export const GATE_TIMEOUT_MARGIN_MS = 15_000;

/**
 * Properties of the custom resource. The gate reads its configuration from the environment, so
 * the construct must put something that changes with every deployment of the service into
 * {@link GATE_PROPERTIES.TRIGGER} (the image digest, the code asset hash, the task definition
 * ARN), or CloudFormation sends no Update and the gate does not run.
 */
export const GATE_PROPERTIES = {
  /** Any string that changes whenever the service changes. */
  TRIGGER: 'Trigger',
} as const;

/** The physical id the gate returns: stable per service, so an Update never replaces the resource. */
export function gatePhysicalResourceId(serviceName: string): string {
  return `mcp-deploy-gate:${serviceName}`;
}

/** Keys of the `Data` the gate returns (readable with `getAttString`). */
export const GATE_RESPONSE_DATA = {
  /** Probes run, as a decimal string. */
  ATTEMPTS: 'Attempts',
  /** The last probe's one-line message (redacted). */
  MESSAGE: 'Message',
  /** The tools hash of the passing probe. */
  TOOLS_HASH: 'ToolsHash',
} as const;

/**
 * IAM actions of the gate function, besides the canary's own (Secrets Manager for
 * `bearer-secret`). `cloudwatch:PutMetricData` does not support resource-level permissions:
 * grant it on `*` with the condition `cloudwatch:namespace` = the probe namespace.
 * `cloudformation:DescribeStacks` on the stack's ARN lets the gate recognise a rollback (it then
 * succeeds without probing, so a broken service cannot block its own rollback); without it the
 * gate probes during rollbacks too.
 */
export const GATE_IAM_ACTIONS = {
  PUT_METRIC_DATA: 'cloudwatch:PutMetricData',
  DESCRIBE_STACKS: 'cloudformation:DescribeStacks',
} as const;

/**
 * IAM actions the operator commands call (for a read-only operator role, or a pipeline role).
 * None supports narrowing by resource except `lambda:InvokeFunction` (the canary function's ARN).
 */
export const CLI_IAM_ACTIONS = {
  /** `mcp-probe status <service>`. */
  status: ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
  /** `mcp-probe maintenance start|stop|status <service>`. */
  maintenance: ['cloudwatch:PutMetricData', 'cloudwatch:GetMetricData'],
  /** `mcp-probe canary <service>`. */
  canary: ['lambda:ListFunctions', 'lambda:InvokeFunction'],
} as const;

/**
 * What the commands expect of deployed resources:
 * - the health alarm is a composite alarm whose description starts with
 *   `MCP service <name> is unhealthy` (HEALTH_ALARM_DESCRIPTION_PREFIX in ./operations) and whose
 *   rule names each child as `ALARM("<alarm ARN>")` (or by name);
 * - the canary function's environment holds `MCP_CANARY_SERVICE_NAME` = the service name, and an
 *   invocation with an empty JSON object returns the EMF record whose `probe` field holds the
 *   probe result (lambda/canary/emf.ts);
 * - the maintenance metrics are written without a Unit (statistic Maximum, period 60 s).
 */
export const HEALTH_ALARM_SUFFIX = ' is unhealthy';
