/**
 * The App Runner custom-domain handler (lambda/app-runner-domain) with the real SDK clients
 * against a loopback App Runner and Route 53 (./support/fake-app-runner-domains.ts), driven the way
 * the Provider framework drives it: `onEvent`, then `isComplete` every 30 seconds (a fake clock)
 * with `onEvent`'s answer merged into the event.
 */
import { FakeAppRunnerDomains, startFakeAppRunnerDomains, TEST_REGION, USUAL_LIFE } from './support/fake-app-runner-domains';
import { createDomainHandlers, DomainEvent, IsCompleteResponse, OnEventResponse } from '../../lambda/app-runner-domain/handler';
import {
  APP_RUNNER_DOMAIN_RECORD_TTL_SECONDS, APP_RUNNER_DOMAIN_WAIT, APP_RUNNER_DOMAIN_WAIT_STARTED_FIELD, appRunnerDomainPhysicalId,
} from '../../src/contract/app-runner-domain';

const SERVICE = 'arn:aws:apprunner:us-east-1:123456789012:service/mcp/0123456789abcdef';
const OTHER_SERVICE = 'arn:aws:apprunner:us-east-1:123456789012:service/mcp2/fedcba9876543210';
const TARGET = 'abc123.us-east-1.awsapprunner.com';
const OTHER_TARGET = 'def456.us-east-1.awsapprunner.com';
const ZONE = 'Z0123456789ABC';
const OTHER_ZONE = 'Z9876543210XYZ';
const DOMAIN = 'mcp.example.com';

const ENV = {
  AWS_REGION: TEST_REGION,
  AWS_ACCESS_KEY_ID: 'AKIDDOMAINTEST',
  AWS_SECRET_ACCESS_KEY: 'domain-test-secret',
  AWS_SESSION_TOKEN: 'domain-test-token',
};

let fake: FakeAppRunnerDomains;
const saved: Record<string, string | undefined> = {};

beforeEach(async () => {
  fake = await startFakeAppRunnerDomains();
  fake.addService(SERVICE, TARGET);
  fake.addService(OTHER_SERVICE, OTHER_TARGET);
  const env = { ...ENV, AWS_ENDPOINT_URL_APPRUNNER: fake.endpoint, AWS_ENDPOINT_URL_ROUTE_53: fake.endpoint };
  for (const [name, value] of Object.entries(env)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});

afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await fake.close();
});

/** A fake clock the handler's waits move on. */
function clock() {
  let t = Date.UTC(2026, 11, 8, 0, 0, 0);
  return { now: () => t, sleep: async (ms: number) => { t += ms; }, advance: (ms: number) => { t += ms; } };
}

function props(domainName = DOMAIN, serviceArn = SERVICE, hostedZoneId = ZONE) {
  return { ServiceArn: serviceArn, DomainName: domainName, HostedZoneId: hostedZoneId };
}

/** The Provider framework: onEvent, then isComplete every 30 s until complete or `maxPolls`. */
interface ProviderRun {
  readonly onEvent: OnEventResponse;
  readonly done: IsCompleteResponse;
  readonly polls: number;
}

async function runProvider(event: DomainEvent, c = clock(), maxPolls = 200): Promise<ProviderRun> {
  const handlers = createDomainHandlers({ now: c.now, sleep: c.sleep, log: () => undefined });
  const onEvent = await handlers.onEvent(event);
  const waiting = { ...event, ...onEvent };
  for (let polls = 1; polls <= maxPolls; polls++) {
    const done = await handlers.isComplete(waiting, { getRemainingTimeInMillis: () => 170_000 });
    if (done.IsComplete) return { onEvent, done, polls };
    c.advance(APP_RUNNER_DOMAIN_WAIT.queryIntervalSeconds * 1000);
  }
  throw new Error(`not complete after ${maxPolls} polls`);
}

const cname = (value: string) => ({ name: DOMAIN, type: 'CNAME', ttl: APP_RUNNER_DOMAIN_RECORD_TTL_SECONDS, values: [value] });

describe('create', () => {
  test('associates the domain without www, writes the validation record and the CNAME to the DNS target, and answers ACTIVE', async () => {
    // GIVEN a service / WHEN the resource is created
    const { onEvent, done } = await runProvider({ RequestType: 'Create', ResourceProperties: props() });

    // THEN the domain is associated with EnableWWWSubdomain false
    const associate = fake.calls.find((c) => c.action === 'AssociateCustomDomain');
    expect(associate?.input).toEqual({ ServiceArn: SERVICE, DomainName: DOMAIN, EnableWWWSubdomain: false });
    expect(onEvent.PhysicalResourceId).toBe(appRunnerDomainPhysicalId(DOMAIN));
    // AND the zone holds the CNAME and the validation record, nothing else
    const validation = fake.validationRecordOf(DOMAIN);
    expect([...fake.zone(ZONE).values()]).toEqual(expect.arrayContaining([
      cname(TARGET),
      { name: validation.name, type: 'CNAME', ttl: APP_RUNNER_DOMAIN_RECORD_TTL_SECONDS, values: [validation.value] },
    ]));
    expect(fake.zone(ZONE).size).toBe(2);
    // AND the answer carries the status and the DNS target
    expect(done.Data).toEqual({ Status: 'ACTIVE', DnsTarget: TARGET });
  });

  test('waits while the records are not listed, writes them once listed, and completes only at ACTIVE after Route 53 is INSYNC', async () => {
    // GIVEN the usual life (creating, pending twice, binding, active) and a change that is PENDING twice
    fake.setPendingPolls(2);
    const c = clock();
    const handlers = createDomainHandlers({ now: c.now, sleep: c.sleep, log: () => undefined });
    const event: DomainEvent = { RequestType: 'Create', ResourceProperties: props() };
    const waiting = { ...event, ...(await handlers.onEvent(event)) };

    // WHEN isComplete runs step by step / THEN it answers false until ACTIVE
    const answers: boolean[] = [];
    const zoneSizes: number[] = [];
    for (let i = 0; i < USUAL_LIFE.length; i++) {
      answers.push((await handlers.isComplete(waiting, { getRemainingTimeInMillis: () => 170_000 })).IsComplete);
      zoneSizes.push(fake.zone(ZONE).size);
      c.advance(30_000);
    }
    expect(answers).toEqual([false, false, false, false, true]);
    // No record before App Runner lists them; both from the first listing on.
    expect(zoneSizes).toEqual([0, 2, 2, 2, 2]);
    // The last run polled GetChange until INSYNC (PENDING twice, then INSYNC).
    expect(fake.calls.filter((call) => call.action === 'GetChange').length).toBe(3);
  });

  test('answers before ACTIVE, with the records written, once the wait is over (the status says where App Runner stood)', async () => {
    // GIVEN a domain that stays in certificate validation
    fake.setLife([{ status: 'PENDING_CERTIFICATE_DNS_VALIDATION', records: true }]);
    // WHEN the provider runs
    const { done, polls } = await runProvider({ RequestType: 'Create', ResourceProperties: props() });
    // THEN it completes at the end of the wait, not before, with the pending status
    expect(done).toEqual({ IsComplete: true, Data: { Status: 'PENDING_CERTIFICATE_DNS_VALIDATION', DnsTarget: TARGET } });
    expect(polls).toBe(APP_RUNNER_DOMAIN_WAIT.activeWaitMs / 30_000 + 1);
    expect(fake.zone(ZONE).get(`${DOMAIN}|CNAME`)).toEqual(cname(TARGET));
  });

  test('fails at the end of the wait when App Runner never listed the validation records, naming the domain', async () => {
    // GIVEN a domain whose records are never listed
    fake.setLife([{ status: 'CREATING', records: false }]);
    // WHEN the provider runs / THEN isComplete throws after the wait, and nothing was written
    await expect(runProvider({ RequestType: 'Create', ResourceProperties: props() }))
      .rejects.toThrow(/App Runner listed no certificate validation records for mcp\.example\.com on arn:aws:apprunner:.* within 45 minutes \(status CREATING\)/);
    expect(fake.zone(ZONE).size).toBe(0);
  });

  test('a failed association fails the create with the domain, the service, App Runner\'s error and the fix', async () => {
    // GIVEN App Runner refuses the association
    fake.failNextAssociation('InvalidRequestException', 'Domain mcp.example.com is already associated with another service');
    // WHEN the resource is created / THEN onEvent throws
    await expect(runProvider({ RequestType: 'Create', ResourceProperties: props() })).rejects.toThrow(
      /App Runner did not associate mcp\.example\.com with arn:aws:apprunner:.*: InvalidRequestException: Domain mcp\.example\.com is already associated .*disassociate-custom-domain/,
    );
    expect(fake.zone(ZONE).size).toBe(0);
  });

  test('a domain App Runner marks CREATE_FAILED fails the create with the status', async () => {
    fake.setLife([{ status: 'CREATE_FAILED', records: true }]);
    await expect(runProvider({ RequestType: 'Create', ResourceProperties: props() })).rejects.toThrow(/mcp\.example\.com on .* is CREATE_FAILED/);
  });

  test('a validation record App Runner marks FAILED fails the create, naming the record', async () => {
    fake.setLife([{ status: 'PENDING_CERTIFICATE_DNS_VALIDATION', records: true, recordStatus: 'FAILED' }]);
    await expect(runProvider({ RequestType: 'Create', ResourceProperties: props() })).rejects.toThrow(/Certificate validation of mcp\.example\.com .* FAILED on record _0123abcd\.mcp\.example\.com/);
  });
});

describe('update', () => {
  test('a new domain is associated as a new resource (new physical id); the old one stays until CloudFormation deletes it', async () => {
    // GIVEN a created domain
    await runProvider({ RequestType: 'Create', ResourceProperties: props() });
    // WHEN the domain changes
    const { onEvent } = await runProvider({
      RequestType: 'Update',
      PhysicalResourceId: appRunnerDomainPhysicalId(DOMAIN),
      ResourceProperties: props('api.example.com'),
      OldResourceProperties: props(),
    });
    // THEN the new domain is associated beside the old one, under a new physical id
    expect(onEvent.PhysicalResourceId).toBe(appRunnerDomainPhysicalId('api.example.com'));
    expect(fake.domainsOf(SERVICE).sort()).toEqual(['api.example.com', DOMAIN]);
    expect(fake.zone(ZONE).get('api.example.com|CNAME')?.values).toEqual([TARGET]);

    // WHEN CloudFormation deletes the old resource / THEN only the old domain and its records go
    await runProvider({ RequestType: 'Delete', PhysicalResourceId: appRunnerDomainPhysicalId(DOMAIN), ResourceProperties: props() });
    expect(fake.domainsOf(SERVICE)).toEqual(['api.example.com']);
    expect([...fake.zone(ZONE).keys()].filter((k) => k.endsWith(`${DOMAIN}|CNAME`))).toEqual([]);
    expect(fake.zone(ZONE).size).toBe(2);
  });

  test('a new service for the same domain moves the association and repoints the CNAME, keeping the physical id', async () => {
    await runProvider({ RequestType: 'Create', ResourceProperties: props() });
    const { onEvent } = await runProvider({
      RequestType: 'Update',
      PhysicalResourceId: appRunnerDomainPhysicalId(DOMAIN),
      ResourceProperties: props(DOMAIN, OTHER_SERVICE),
      OldResourceProperties: props(),
    });
    expect(onEvent.PhysicalResourceId).toBe(appRunnerDomainPhysicalId(DOMAIN));
    expect(fake.domainsOf(SERVICE)).toEqual([]);
    expect(fake.domainsOf(OTHER_SERVICE)).toEqual([DOMAIN]);
    expect(fake.zone(ZONE).get(`${DOMAIN}|CNAME`)).toEqual(cname(OTHER_TARGET));
  });

  test('a new hosted zone gets the records and the old zone loses them, without a new association', async () => {
    await runProvider({ RequestType: 'Create', ResourceProperties: props() });
    await runProvider({
      RequestType: 'Update',
      PhysicalResourceId: appRunnerDomainPhysicalId(DOMAIN),
      ResourceProperties: props(DOMAIN, SERVICE, OTHER_ZONE),
      OldResourceProperties: props(),
    });
    expect(fake.zone(ZONE).size).toBe(0);
    expect(fake.zone(OTHER_ZONE).size).toBe(2);
    expect(fake.calls.filter((c) => c.action === 'AssociateCustomDomain').length).toBe(1);
  });
});

describe('delete', () => {
  test('removes exactly the records it wrote (not a record changed since, not others in the zone) and disassociates', async () => {
    // GIVEN a created domain, an unrelated record, and the validation record changed by someone else
    await runProvider({ RequestType: 'Create', ResourceProperties: props() });
    const zone = fake.zone(ZONE);
    zone.set('www.example.com|A', { name: 'www.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'] });
    const validation = fake.validationRecordOf(DOMAIN);
    zone.set(`${validation.name}|CNAME`, { name: validation.name, type: 'CNAME', ttl: 300, values: ['someone-else.example.net'] });

    // WHEN the resource is deleted
    const { onEvent } = await runProvider({ RequestType: 'Delete', PhysicalResourceId: appRunnerDomainPhysicalId(DOMAIN), ResourceProperties: props() });

    // THEN the CNAME is gone, the changed and the unrelated records stay, and the domain is disassociated
    expect(onEvent.PhysicalResourceId).toBe(appRunnerDomainPhysicalId(DOMAIN));
    expect([...zone.keys()].sort()).toEqual([`${validation.name}|CNAME`, 'www.example.com|A']);
    expect(fake.domainsOf(SERVICE)).toEqual([]);
  });

  test('after a create that failed before associating, touches nothing (the domain may be someone else\'s)', async () => {
    // GIVEN the domain is associated, but not by this resource (the create failed: another physical id)
    fake.failNextAssociation('InvalidRequestException', 'already associated');
    await expect(runProvider({ RequestType: 'Create', ResourceProperties: props() })).rejects.toThrow();
    await runProvider({ RequestType: 'Create', ResourceProperties: props(DOMAIN, SERVICE) });
    const callsBefore = fake.calls.length;
    // WHEN CloudFormation deletes the failed resource
    await runProvider({ RequestType: 'Delete', PhysicalResourceId: 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED', ResourceProperties: props() });
    // THEN no call was made and the association stays
    expect(fake.calls.length).toBe(callsBefore);
    expect(fake.domainsOf(SERVICE)).toEqual([DOMAIN]);
  });

  test('succeeds when the service is already gone', async () => {
    await runProvider({ RequestType: 'Create', ResourceProperties: props() });
    fake.removeService(SERVICE);
    await expect(runProvider({ RequestType: 'Delete', PhysicalResourceId: appRunnerDomainPhysicalId(DOMAIN), ResourceProperties: props() }))
      .resolves.toMatchObject({ done: { IsComplete: true } });
  });
});

test('a missing property fails with its name', async () => {
  const handlers = createDomainHandlers({ log: () => undefined });
  await expect(handlers.onEvent({ RequestType: 'Create', ResourceProperties: { ServiceArn: SERVICE, DomainName: DOMAIN } }))
    .rejects.toThrow(/property HostedZoneId is undefined/);
});

test('the wait-started field is what onEvent hands isComplete', async () => {
  const c = clock();
  const handlers = createDomainHandlers({ now: c.now, log: () => undefined });
  const out = await handlers.onEvent({ RequestType: 'Create', ResourceProperties: props() });
  expect(out[APP_RUNNER_DOMAIN_WAIT_STARTED_FIELD]).toBe(c.now());
});
