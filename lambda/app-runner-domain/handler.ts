/**
 * The App Runner custom-domain handler: the `onEvent` and `isComplete` pair of a CDK
 * custom-resource Provider framework (src/contract/app-runner-domain.ts).
 *
 * - `onEvent` Create associates the domain with the service (`EnableWWWSubdomain: false`: the
 *   construct serves exactly `domainName`; a www name would need its own validation record and
 *   CNAME in the zone for a name nobody configured). Update replaces what changed. Delete removes
 *   the records it wrote (only while they still hold its values) and disassociates the domain.
 * - `isComplete` waits until App Runner lists the certificate-validation records, writes them and
 *   the domain's CNAME to the service's DNS target into the hosted zone (UPSERT), and answers once
 *   the domain is ACTIVE, or after APP_RUNNER_DOMAIN_WAIT.activeWaitMs with the records in place
 *   (App Runner then finishes validation and binding on its own; the `Status` attribute says where
 *   it stood).
 *
 * Errors are thrown with what failed, the domain, the service and what to do: the framework
 * answers CloudFormation FAILED with the message. The SDK clients take their endpoints from the
 * environment when `AWS_ENDPOINT_URL_APPRUNNER` / `AWS_ENDPOINT_URL_ROUTE_53` are set (the SDK's
 * service-specific endpoints, https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html):
 * the tests point them at loopback servers; nothing sets them in Lambda.
 */
import {
  AppRunnerClient, AssociateCustomDomainCommand, DescribeCustomDomainsCommand, DisassociateCustomDomainCommand, type CustomDomain,
} from '@aws-sdk/client-apprunner';
import {
  ChangeResourceRecordSetsCommand, GetChangeCommand, ListResourceRecordSetsCommand, Route53Client, type Change,
} from '@aws-sdk/client-route-53';
import {
  APP_RUNNER_DOMAIN_ATTRIBUTES, APP_RUNNER_DOMAIN_PROPERTIES, APP_RUNNER_DOMAIN_RECORD_TTL_SECONDS, APP_RUNNER_DOMAIN_WAIT,
  APP_RUNNER_DOMAIN_WAIT_STARTED_FIELD, appRunnerDomainPhysicalId,
} from '../../src/contract/app-runner-domain';

/** The fields of a Provider framework event the handler reads. */
export interface DomainEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties?: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
  /** Set by `onEvent` for `isComplete`: when the wait began (epoch ms). */
  readonly [APP_RUNNER_DOMAIN_WAIT_STARTED_FIELD]?: number;
}

/** The `onEvent` answer. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly [APP_RUNNER_DOMAIN_WAIT_STARTED_FIELD]?: number;
}

/** The `isComplete` answer. */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/** The part of the Lambda context the handler uses. */
export interface DomainContext {
  getRemainingTimeInMillis?(): number;
}

/** What the handler talks to; tests replace the clock and the pauses. */
export interface DomainDeps {
  readonly appRunner?: () => AppRunnerClient;
  readonly route53?: () => Route53Client;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (record: Record<string, unknown>) => void;
}

/** The resource's properties. */
export interface DomainProps {
  readonly serviceArn: string;
  readonly domainName: string;
  readonly hostedZoneId: string;
}

/** One DNS record the handler writes: a CNAME. */
export interface DnsRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

/**
 * Reads the resource's properties.
 *
 * @throws naming the missing property
 */
export function parseProps(raw: Record<string, unknown> | undefined): DomainProps {
  const read = (name: string): string => {
    const value = raw?.[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`Invalid App Runner custom domain resource: property ${name} is ${JSON.stringify(value)}; it must be a non-empty string (set by McpAppRunnerService).`);
    }
    return value.trim();
  };
  return {
    serviceArn: read(APP_RUNNER_DOMAIN_PROPERTIES.SERVICE_ARN),
    domainName: normalizeName(read(APP_RUNNER_DOMAIN_PROPERTIES.DOMAIN_NAME)),
    hostedZoneId: read(APP_RUNNER_DOMAIN_PROPERTIES.HOSTED_ZONE_ID).replace(/^\/?hostedzone\//, ''),
  };
}

/** A DNS name as Route 53 and App Runner compare it: lower case, no trailing dot. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The records a domain needs in its zone: a CNAME from the domain to the service's DNS target,
 * and each certificate-validation record App Runner lists (empty until it lists them).
 */
export function recordsOf(domain: CustomDomain, dnsTarget: string | undefined): { cname?: DnsRecord; validation: DnsRecord[] } {
  const validation = (domain.CertificateValidationRecords ?? [])
    .filter((r) => r.Name && r.Value)
    .map((r) => ({ name: normalizeName(r.Name!), type: (r.Type ?? 'CNAME').toUpperCase(), value: normalizeName(r.Value!) }));
  const cname = dnsTarget ? { name: normalizeName(domain.DomainName ?? ''), type: 'CNAME', value: normalizeName(dnsTarget) } : undefined;
  return { cname, validation };
}

/** App Runner's status names, upper case (the API documents them in either case). */
const STATUS = {
  ACTIVE: 'ACTIVE',
  FAILED: ['CREATE_FAILED', 'DELETE_FAILED', 'DELETING'],
  RECORD_FAILED: 'FAILED',
} as const;

/** The domain's entry in a service's custom domains, and the service's DNS target. */
interface Described {
  readonly domain?: CustomDomain;
  readonly dnsTarget?: string;
  /** False when the service does not exist (any more). */
  readonly serviceExists: boolean;
}

/** An AWS SDK error's name, or undefined for anything else. */
function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** The handler pair, with its dependencies. */
export function createDomainHandlers(deps: DomainDeps = {}): {
  onEvent: (event: DomainEvent) => Promise<OnEventResponse>;
  isComplete: (event: DomainEvent, context?: DomainContext) => Promise<IsCompleteResponse>;
} {
  let appRunnerClient: AppRunnerClient | undefined;
  let route53Client: Route53Client | undefined;
  const appRunner = () => (appRunnerClient ??= deps.appRunner?.() ?? new AppRunnerClient({}));
  const route53 = () => (route53Client ??= deps.route53?.() ?? new Route53Client({}));
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = deps.log ?? ((record: Record<string, unknown>) => console.log(JSON.stringify(record)));

  async function describe(props: DomainProps): Promise<Described> {
    let nextToken: string | undefined;
    let dnsTarget: string | undefined;
    try {
      do {
        const page = await appRunner().send(new DescribeCustomDomainsCommand({ ServiceArn: props.serviceArn, NextToken: nextToken }));
        dnsTarget ??= page.DNSTarget;
        const domain = (page.CustomDomains ?? []).find((d) => normalizeName(d.DomainName ?? '') === props.domainName);
        if (domain) return { domain, dnsTarget, serviceExists: true };
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return { serviceExists: false };
      throw error;
    }
    return { dnsTarget, serviceExists: true };
  }

  async function associate(props: DomainProps): Promise<void> {
    try {
      await appRunner().send(new AssociateCustomDomainCommand({
        ServiceArn: props.serviceArn,
        DomainName: props.domainName,
        EnableWWWSubdomain: false,
      }));
    } catch (error) {
      throw new Error(
        `App Runner did not associate ${props.domainName} with ${props.serviceArn}: ${errorName(error)}: ${(error as Error).message}. `
        + `If the domain is associated with another service, disassociate it there first (aws apprunner disassociate-custom-domain --service-arn <arn> --domain-name ${props.domainName}), `
        + 'or use another domainName.',
      );
    }
    log({ event: 'associated', domainName: props.domainName, serviceArn: props.serviceArn });
  }

  /** UPSERTs the records; returns the change id. */
  async function upsert(props: DomainProps, records: DnsRecord[]): Promise<string> {
    const changes: Change[] = records.map((r) => ({
      Action: 'UPSERT',
      ResourceRecordSet: { Name: r.name, Type: r.type as 'CNAME', TTL: APP_RUNNER_DOMAIN_RECORD_TTL_SECONDS, ResourceRecords: [{ Value: r.value }] },
    }));
    const out = await route53().send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: props.hostedZoneId,
      ChangeBatch: { Comment: `cdk-mcp: App Runner custom domain ${props.domainName}`, Changes: changes },
    }));
    return out.ChangeInfo?.Id ?? '';
  }

  /** Deletes each record that still holds the value the handler wrote; keeps (and logs) the others. */
  async function removeRecords(props: DomainProps, records: DnsRecord[]): Promise<void> {
    const changes: Change[] = [];
    for (const record of records) {
      const out = await route53().send(new ListResourceRecordSetsCommand({
        HostedZoneId: props.hostedZoneId, StartRecordName: record.name, StartRecordType: record.type as 'CNAME', MaxItems: 1,
      }));
      const current = (out.ResourceRecordSets ?? []).find((s) => normalizeName(s.Name ?? '') === record.name && s.Type === record.type);
      const values = (current?.ResourceRecords ?? []).map((v) => normalizeName(v.Value ?? ''));
      if (current && values.length === 1 && values[0] === record.value) {
        // A DELETE must name the record exactly as it is, TTL included.
        changes.push({ Action: 'DELETE', ResourceRecordSet: current });
      } else {
        log({ event: 'recordKept', domainName: props.domainName, record: record.name, reason: current ? `it now holds ${values.join(', ')}` : 'it does not exist' });
      }
    }
    if (changes.length > 0) {
      await route53().send(new ChangeResourceRecordSetsCommand({
        HostedZoneId: props.hostedZoneId,
        ChangeBatch: { Comment: `cdk-mcp: App Runner custom domain ${props.domainName} removed`, Changes: changes },
      }));
      log({ event: 'recordsRemoved', domainName: props.domainName, records: changes.map((c) => c.ResourceRecordSet?.Name) });
    }
  }

  /** Removes the domain's records from its zone and, with `disassociate`, the association. */
  async function cleanUp(props: DomainProps, disassociate: boolean): Promise<void> {
    const described = await describe(props);
    const records = described.domain
      ? recordsOf(described.domain, described.dnsTarget)
      : { cname: described.dnsTarget ? { name: props.domainName, type: 'CNAME', value: normalizeName(described.dnsTarget) } : undefined, validation: [] };
    await removeRecords(props, [...(records.cname ? [records.cname] : []), ...records.validation]);
    if (!disassociate || !described.domain) {
      return;
    }
    try {
      await appRunner().send(new DisassociateCustomDomainCommand({ ServiceArn: props.serviceArn, DomainName: props.domainName }));
      log({ event: 'disassociated', domainName: props.domainName, serviceArn: props.serviceArn });
    } catch (error) {
      // Gone meanwhile: nothing left to remove.
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
  }

  async function waitInSync(changeId: string, context?: DomainContext): Promise<boolean> {
    const remaining = context?.getRemainingTimeInMillis?.() ?? APP_RUNNER_DOMAIN_WAIT.inSyncWaitMs + 30_000;
    const until = now() + Math.min(APP_RUNNER_DOMAIN_WAIT.inSyncWaitMs, remaining - 30_000);
    for (;;) {
      const out = await route53().send(new GetChangeCommand({ Id: changeId }));
      if (out.ChangeInfo?.Status === 'INSYNC') return true;
      if (now() + APP_RUNNER_DOMAIN_WAIT.inSyncPollMs > until) return false;
      await sleep(APP_RUNNER_DOMAIN_WAIT.inSyncPollMs);
    }
  }

  async function onEvent(event: DomainEvent): Promise<OnEventResponse> {
    const props = parseProps(event.ResourceProperties);
    const physicalId = appRunnerDomainPhysicalId(props.domainName);
    const started = { [APP_RUNNER_DOMAIN_WAIT_STARTED_FIELD]: now() };
    switch (event.RequestType) {
      case 'Create':
        await associate(props);
        return { PhysicalResourceId: physicalId, ...started };
      case 'Update': {
        const old = parseProps(event.OldResourceProperties);
        if (old.domainName !== props.domainName) {
          // A new resource: CloudFormation deletes the old one (old domain) once the stack is updated.
          await associate(props);
          return { PhysicalResourceId: physicalId, ...started };
        }
        if (old.serviceArn !== props.serviceArn) {
          await cleanUp(old, true);
          await associate(props);
        } else if (old.hostedZoneId !== props.hostedZoneId) {
          await cleanUp(old, false);
        }
        return { PhysicalResourceId: physicalId, ...started };
      }
      case 'Delete':
        if (event.PhysicalResourceId !== physicalId) {
          // The create failed before the association: there is nothing of ours to remove.
          log({ event: 'deleteSkipped', physicalResourceId: event.PhysicalResourceId, domainName: props.domainName });
          return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
        }
        await cleanUp(props, true);
        return { PhysicalResourceId: physicalId };
      default:
        throw new Error(`Invalid App Runner custom domain event: RequestType ${JSON.stringify(event.RequestType)}.`);
    }
  }

  async function isComplete(event: DomainEvent, context?: DomainContext): Promise<IsCompleteResponse> {
    if (event.RequestType === 'Delete') return { IsComplete: true };
    const props = parseProps(event.ResourceProperties);
    const elapsed = now() - (event[APP_RUNNER_DOMAIN_WAIT_STARTED_FIELD] ?? now());
    const outOfTime = elapsed >= APP_RUNNER_DOMAIN_WAIT.activeWaitMs;
    const minutes = Math.round(APP_RUNNER_DOMAIN_WAIT.activeWaitMs / 60_000);
    const described = await describe(props);
    const domain = described.domain;
    const status = (domain?.Status ?? '').toUpperCase();
    const where = `${props.domainName} on ${props.serviceArn}`;
    if (domain && (STATUS.FAILED as readonly string[]).includes(status)) {
      throw new Error(`The App Runner custom domain ${where} is ${status}: see the domain in the App Runner console `
        + `(or aws apprunner describe-custom-domains --service-arn ${props.serviceArn}), fix the cause, then deploy again.`);
    }
    const failedRecord = (domain?.CertificateValidationRecords ?? []).find((r) => (r.Status ?? '').toUpperCase() === STATUS.RECORD_FAILED);
    if (failedRecord) {
      throw new Error(`Certificate validation of ${where} FAILED on record ${failedRecord.Name}: check that the zone ${props.hostedZoneId} holds it `
        + `(CNAME ${failedRecord.Value}) and that the zone is the one the domain's registrar delegates to, then deploy again.`);
    }
    const records = domain ? recordsOf(domain, described.dnsTarget) : { validation: [] };
    if (!domain || !records.cname || records.validation.length === 0) {
      if (outOfTime) {
        throw new Error(`App Runner listed no certificate validation records for ${where} within ${minutes} minutes `
          + `(status ${status || (described.serviceExists ? 'not associated' : 'service not found')}): check the domain in the App Runner console, then deploy again.`);
      }
      log({ event: 'waitingForRecords', domainName: props.domainName, status });
      return { IsComplete: false };
    }
    const changeId = await upsert(props, [records.cname, ...records.validation]);
    const active = status === STATUS.ACTIVE;
    if (!active && !outOfTime) {
      log({ event: 'waitingForActive', domainName: props.domainName, status, elapsedMs: elapsed });
      return { IsComplete: false };
    }
    const inSync = await waitInSync(changeId, context);
    if (!inSync && !outOfTime) {
      return { IsComplete: false };
    }
    log({
      event: active ? 'active' : 'answeredBeforeActive',
      domainName: props.domainName,
      status,
      recordsInSync: inSync,
      ...(active ? {} : { note: `App Runner validates and binds the certificate on its own; https://${props.domainName} answers once the status is ACTIVE.` }),
    });
    return {
      IsComplete: true,
      Data: { [APP_RUNNER_DOMAIN_ATTRIBUTES.STATUS]: status, [APP_RUNNER_DOMAIN_ATTRIBUTES.DNS_TARGET]: records.cname.value },
    };
  }

  return { onEvent, isComplete };
}

const handlers = createDomainHandlers();

/** The Provider framework's `onEvent` handler. */
export const onEvent = (event: DomainEvent): Promise<OnEventResponse> => handlers.onEvent(event);

/** The Provider framework's `isComplete` handler. */
export const isComplete = (event: DomainEvent, context?: DomainContext): Promise<IsCompleteResponse> => handlers.isComplete(event, context);
