/**
 * The contract between `McpAppRunnerService` (synth time) and the App Runner custom-domain
 * handler (lambda/app-runner-domain, run time): the custom resource's properties and attributes,
 * the record TTL, the waits, and the IAM actions the handler needs.
 *
 * App Runner custom domains exist only through its API, not in CloudFormation:
 * `AssociateCustomDomain` returns the service's DNS target and, shortly after, the certificate
 * validation records; the domain's status goes `PENDING_CERTIFICATE_DNS_VALIDATION` →
 * `BINDING_CERTIFICATE` → `ACTIVE` (https://docs.aws.amazon.com/apprunner/latest/api/API_CustomDomain.html).
 * The handler is the `onEvent` and `isComplete` pair of a CDK custom-resource Provider framework.
 *
 * Internal: not exported from the package's public API. No aws-cdk-lib imports (bundled into the
 * handler).
 */

/** Properties of the `Custom::McpAppRunnerCustomDomain` resource. */
export const APP_RUNNER_DOMAIN_PROPERTIES = {
  /** The App Runner service's ARN. */
  SERVICE_ARN: 'ServiceArn',
  /** The custom domain, e.g. `mcp.example.com`. */
  DOMAIN_NAME: 'DomainName',
  /** The Route 53 hosted zone id the records go into. */
  HOSTED_ZONE_ID: 'HostedZoneId',
} as const;

/** Attributes of the resource (`getAttString`), set when it answers CloudFormation. */
export const APP_RUNNER_DOMAIN_ATTRIBUTES = {
  /**
   * The domain's App Runner status when the resource answered, upper case: `ACTIVE`, or, when certificate
   * binding outlasted {@link APP_RUNNER_DOMAIN_WAIT.activeWaitMs}, `PENDING_CERTIFICATE_DNS_VALIDATION`
   * or `BINDING_CERTIFICATE` (App Runner goes on; the records are in place).
   */
  STATUS: 'Status',
  /** The service's DNS target the domain's CNAME points at, e.g. `abc.us-east-1.awsapprunner.com`. */
  DNS_TARGET: 'DnsTarget',
} as const;

/**
 * The waits. The Provider framework calls `isComplete` every `queryIntervalSeconds`, at most
 * `totalTimeoutMinutes / queryIntervalSeconds` times (aws-cdk-lib `ProviderProps.totalTimeout`,
 * at most one hour), so at least 55 minutes; the handler answers before that on its own clock:
 * once the domain is `ACTIVE`, or once `activeWaitMs` have passed since the association with the
 * records written (success, the status still pending), or fails at that point when App Runner
 * listed no validation records.
 */
export const APP_RUNNER_DOMAIN_WAIT = {
  queryIntervalSeconds: 30,
  totalTimeoutMinutes: 55,
  /** How long the handler waits for `ACTIVE` after associating the domain: 45 minutes, within the hour the Provider allows. */
  activeWaitMs: 45 * 60_000,
  /** How long one `isComplete` run waits for Route 53 to report its change `INSYNC`. */
  inSyncWaitMs: 90_000,
  /** Pause between two `GetChange` calls. */
  inSyncPollMs: 5_000,
  /** The handler functions' timeout: one `isComplete` run, the `INSYNC` wait included. */
  handlerTimeoutSeconds: 180,
} as const;

/** TTL of the records the handler writes. */
export const APP_RUNNER_DOMAIN_RECORD_TTL_SECONDS = 300;

/**
 * The field of the `onEvent` answer that carries the time the wait began (epoch ms) to
 * `isComplete`: the Provider framework passes "all fields returned from onEvent" to `isComplete`
 * (aws-cdk-lib custom-resources README, "Asynchronous Providers: isComplete"), and returns only
 * `Data` to CloudFormation, so it is not an attribute.
 */
export const APP_RUNNER_DOMAIN_WAIT_STARTED_FIELD = 'McpWaitStartedAt';

/** The physical id: one per domain, so a new service for the same domain is an in-place update. */
export function appRunnerDomainPhysicalId(domainName: string): string {
  return `mcp-app-runner-domain:${domainName.toLowerCase().replace(/\.$/, '')}`;
}

/**
 * IAM actions of the handler's role.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsapprunner.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
 */
export const APP_RUNNER_DOMAIN_IAM_ACTIONS = {
  /** On the service's ARN. */
  APP_RUNNER: ['apprunner:AssociateCustomDomain', 'apprunner:DescribeCustomDomains', 'apprunner:DisassociateCustomDomain'],
  /** On the hosted zone, limited by the record-set conditions. */
  CHANGE_RECORDS: 'route53:ChangeResourceRecordSets',
  /** On the hosted zone: a delete first reads what a record holds now, and removes it only when it is still the handler's. */
  LIST_RECORDS: 'route53:ListResourceRecordSets',
  /** On `change/*` (change ids are known only at run time). */
  GET_CHANGE: 'route53:GetChange',
} as const;
