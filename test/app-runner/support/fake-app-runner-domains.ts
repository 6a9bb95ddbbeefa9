/**
 * A loopback App Runner and Route 53 for the custom-domain handler tests, one HTTP server for
 * both, reached by the real SDK clients through `AWS_ENDPOINT_URL_APPRUNNER` and
 * `AWS_ENDPOINT_URL_ROUTE_53`:
 *
 * - App Runner's JSON 1.0 protocol (`X-Amz-Target: AppRunner.<Action>`,
 *   `application/x-amz-json-1.0`): AssociateCustomDomain, DescribeCustomDomains,
 *   DisassociateCustomDomain (https://docs.aws.amazon.com/apprunner/latest/api/API_Operations.html).
 * - Route 53's REST-XML protocol: `POST /2013-04-01/hostedzone/<id>/rrset` (ChangeResourceRecordSets),
 *   `GET /2013-04-01/hostedzone/<id>/rrset` (ListResourceRecordSets), `GET /2013-04-01/change/<id>`
 *   (GetChange) (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html).
 *
 * Each request must be SigV4-signed for its service (the credential scope names `apprunner` or
 * `route53`). A domain's life is a script: each DescribeCustomDomains call moves it one step on.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export const TEST_REGION = 'us-east-1';

/** One step of a domain's life as DescribeCustomDomains shows it. */
export interface DomainStep {
  readonly status: string;
  /** Whether the certificate-validation records are listed yet. */
  readonly records: boolean;
  /** The validation records' status (default PENDING_VALIDATION). */
  readonly recordStatus?: string;
}

/** The usual life: listed after one call, then pending, binding, active. */
export const USUAL_LIFE: DomainStep[] = [
  { status: 'CREATING', records: false },
  { status: 'PENDING_CERTIFICATE_DNS_VALIDATION', records: true },
  { status: 'PENDING_CERTIFICATE_DNS_VALIDATION', records: true },
  { status: 'BINDING_CERTIFICATE', records: true, recordStatus: 'SUCCESS' },
  { status: 'ACTIVE', records: true, recordStatus: 'SUCCESS' },
];

interface Domain {
  name: string;
  enableWww: boolean;
  life: DomainStep[];
  step: number;
}

interface Service {
  dnsTarget: string;
  domains: Map<string, Domain>;
}

/** A record set in a fake zone. */
export interface FakeRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly values: string[];
}

/** One call the fake received. */
export interface FakeCall {
  readonly service: 'apprunner' | 'route53';
  readonly action: string;
  readonly input: any;
}

export interface FakeAppRunnerDomains {
  readonly endpoint: string;
  readonly calls: FakeCall[];
  /** Adds a service with its DNS target. */
  addService(serviceArn: string, dnsTarget: string): void;
  /** Removes a service (DescribeCustomDomains then answers ResourceNotFoundException). */
  removeService(serviceArn: string): void;
  /** The life the next associated domains follow. */
  setLife(life: DomainStep[]): void;
  /** The next AssociateCustomDomain fails with this error. */
  failNextAssociation(type: string, message: string): void;
  /** GetChange answers PENDING this many times per change before INSYNC. */
  setPendingPolls(count: number): void;
  /** The domains associated with a service. */
  domainsOf(serviceArn: string): string[];
  /** The records of a zone, by `name|type` (names without the trailing dot). */
  zone(zoneId: string): Map<string, FakeRecord>;
  /** The validation record App Runner lists for a domain. */
  validationRecordOf(domain: string): { name: string; value: string };
  close(): Promise<void>;
}

const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';

function xmlText(xml: string, tag: string): string | undefined {
  return xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1];
}

function recordXml(r: FakeRecord): string {
  const values = r.values.map((v) => `<ResourceRecord><Value>${v}.</Value></ResourceRecord>`).join('');
  return `<ResourceRecordSet><Name>${r.name}.</Name><Type>${r.type}</Type><TTL>${r.ttl}</TTL><ResourceRecords>${values}</ResourceRecords></ResourceRecordSet>`;
}

const strip = (name: string) => name.toLowerCase().replace(/\.$/, '');

export async function startFakeAppRunnerDomains(): Promise<FakeAppRunnerDomains> {
  const calls: FakeCall[] = [];
  const services = new Map<string, Service>();
  const zones = new Map<string, Map<string, FakeRecord>>();
  const changes = new Map<string, number>();
  let life = USUAL_LIFE;
  let nextAssociationError: { type: string; message: string } | undefined;
  let pendingPolls = 1;
  let changeCounter = 0;

  const zoneOf = (id: string) => {
    if (!zones.has(id)) zones.set(id, new Map());
    return zones.get(id)!;
  };
  const validationRecordOf = (domain: string) => ({ name: `_0123abcd.${domain}`, value: `_4567ef.${domain.replace(/\./g, '-')}.acm-validations.aws` });

  const describeDomain = (d: Domain) => {
    const step = d.life[Math.min(d.step, d.life.length - 1)];
    const record = validationRecordOf(d.name);
    return {
      DomainName: d.name,
      EnableWWWSubdomain: d.enableWww,
      Status: step.status,
      CertificateValidationRecords: step.records
        ? [{ Name: `${record.name}.`, Type: 'CNAME', Value: `${record.value}.`, Status: step.recordStatus ?? 'PENDING_VALIDATION' }]
        : [],
    };
  };

  function appRunner(action: string, input: any): [number, object] {
    const error = (type: string, message: string): [number, object] => [400, { __type: `com.amazonaws.apprunner#${type}`, Message: message }];
    const service = services.get(input.ServiceArn);
    if (!service) return error('ResourceNotFoundException', `Service ${input.ServiceArn} not found`);
    switch (action) {
      case 'AssociateCustomDomain': {
        if (nextAssociationError) {
          const e = nextAssociationError;
          nextAssociationError = undefined;
          return error(e.type, e.message);
        }
        if (service.domains.has(input.DomainName)) return error('InvalidRequestException', `Domain ${input.DomainName} is already associated`);
        const domain: Domain = { name: input.DomainName, enableWww: input.EnableWWWSubdomain ?? true, life, step: 0 };
        service.domains.set(domain.name, domain);
        return [200, { DNSTarget: service.dnsTarget, ServiceArn: input.ServiceArn, CustomDomain: describeDomain(domain), VpcDNSTargets: [] }];
      }
      case 'DescribeCustomDomains': {
        const domains = [...service.domains.values()].map((d) => {
          const out = describeDomain(d);
          d.step++;
          return out;
        });
        // Two pages when there are several domains, to exercise NextToken.
        const page = input.NextToken === 'page2' ? domains.slice(1) : domains.slice(0, 1);
        return [200, {
          DNSTarget: service.dnsTarget,
          ServiceArn: input.ServiceArn,
          CustomDomains: page,
          VpcDNSTargets: [],
          NextToken: input.NextToken === undefined && domains.length > 1 ? 'page2' : undefined,
        }];
      }
      case 'DisassociateCustomDomain': {
        const domain = service.domains.get(input.DomainName);
        if (!domain) return error('ResourceNotFoundException', `Domain ${input.DomainName} not found`);
        service.domains.delete(input.DomainName);
        return [200, { DNSTarget: service.dnsTarget, ServiceArn: input.ServiceArn, CustomDomain: { ...describeDomain(domain), Status: 'DELETING' }, VpcDNSTargets: [] }];
      }
      default:
        return error('UnknownOperationException', action);
    }
  }

  function route53(method: string, url: URL, body: string): [number, string] {
    const invalid = (message: string): [number, string] =>
      [400, `<?xml version="1.0"?>\n<InvalidChangeBatch xmlns="${XMLNS}"><Messages><Message>${message}</Message></Messages><RequestId>r1</RequestId></InvalidChangeBatch>`];
    const rrset = url.pathname.match(/^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/);
    if (rrset && method === 'POST') {
      const zone = zoneOf(rrset[1]);
      const parsed = [...body.matchAll(/<Change>(.*?)<\/Change>/gs)].map((m) => ({
        action: xmlText(m[1], 'Action')!,
        record: {
          name: strip(xmlText(m[1], 'Name')!),
          type: xmlText(m[1], 'Type')!,
          ttl: Number(xmlText(m[1], 'TTL')),
          values: [...m[1].matchAll(/<Value>([^<]*)<\/Value>/g)].map((v) => strip(v[1])),
        },
      }));
      calls.push({ service: 'route53', action: 'ChangeResourceRecordSets', input: { zone: rrset[1], changes: parsed } });
      // All or nothing, as Route 53 applies a batch.
      for (const c of parsed) {
        const existing = zone.get(`${c.record.name}|${c.record.type}`);
        if (c.action === 'DELETE' && (!existing || JSON.stringify(existing) !== JSON.stringify(c.record))) {
          return invalid(`Tried to delete resource record set [name='${c.record.name}.', type='${c.record.type}'] but it was not found`);
        }
      }
      for (const c of parsed) {
        if (c.action === 'DELETE') zone.delete(`${c.record.name}|${c.record.type}`);
        else zone.set(`${c.record.name}|${c.record.type}`, c.record);
      }
      const id = `C${++changeCounter}`;
      changes.set(id, 0);
      return [200, `<?xml version="1.0"?>\n<ChangeResourceRecordSetsResponse xmlns="${XMLNS}"><ChangeInfo><Id>/change/${id}</Id><Status>PENDING</Status><SubmittedAt>2026-12-08T00:00:00.000Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`];
    }
    if (rrset && method === 'GET') {
      const name = strip(url.searchParams.get('name') ?? '');
      const type = url.searchParams.get('type') ?? '';
      calls.push({ service: 'route53', action: 'ListResourceRecordSets', input: { zone: rrset[1], name, type } });
      // Route 53 lists from the start name on, in its order; one item is asked for.
      const sorted = [...zoneOf(rrset[1]).values()].sort((a, b) => `${a.name}|${a.type}`.localeCompare(`${b.name}|${b.type}`));
      const first = sorted.find((r) => `${r.name}|${r.type}`.localeCompare(`${name}|${type}`) >= 0);
      return [200, `<?xml version="1.0"?>\n<ListResourceRecordSetsResponse xmlns="${XMLNS}"><ResourceRecordSets>${first ? recordXml(first) : ''}</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>`];
    }
    const change = url.pathname.match(/^\/2013-04-01\/change\/([^/]+)$/);
    if (change && method === 'GET') {
      calls.push({ service: 'route53', action: 'GetChange', input: { id: change[1] } });
      const polls = changes.get(change[1]);
      if (polls === undefined) {
        return [404, `<?xml version="1.0"?>\n<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>NoSuchChange</Code><Message>No change ${change[1]}</Message></Error><RequestId>r2</RequestId></ErrorResponse>`];
      }
      changes.set(change[1], polls + 1);
      const status = polls < pendingPolls ? 'PENDING' : 'INSYNC';
      return [200, `<?xml version="1.0"?>\n<GetChangeResponse xmlns="${XMLNS}"><ChangeInfo><Id>/change/${change[1]}</Id><Status>${status}</Status><SubmittedAt>2026-12-08T00:00:00.000Z</SubmittedAt></ChangeInfo></GetChangeResponse>`];
    }
    return [404, `<?xml version="1.0"?>\n<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>UnknownOperation</Code><Message>${method} ${url.pathname}</Message></Error><RequestId>r3</RequestId></ErrorResponse>`];
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(`http://${req.headers.host}${req.url}`);
      const target = String(req.headers['x-amz-target'] ?? '');
      const scope = String(req.headers.authorization ?? '').match(/Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/);
      if (target.startsWith('AppRunner.')) {
        if (scope?.[2] !== 'apprunner' || scope[1] !== TEST_REGION || req.headers['content-type'] !== 'application/x-amz-json-1.0') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'InvalidSignatureException', Message: `scope ${scope?.[0]}` }));
          return;
        }
        const action = target.slice('AppRunner.'.length);
        const input = JSON.parse(body || '{}');
        calls.push({ service: 'apprunner', action, input });
        const [status, answer] = appRunner(action, input);
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(answer));
        return;
      }
      if (scope?.[2] !== 'route53') {
        res.writeHead(403, { 'content-type': 'text/xml' }).end(`<ErrorResponse><Error><Code>InvalidSignature</Code><Message>scope ${scope?.[0]}</Message></Error></ErrorResponse>`);
        return;
      }
      const [status, answer] = route53(req.method ?? 'GET', url, body);
      res.writeHead(status, { 'content-type': 'text/xml' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    addService: (arn, dnsTarget) => services.set(arn, { dnsTarget, domains: new Map() }),
    removeService: (arn) => services.delete(arn),
    setLife: (l) => { life = l; },
    failNextAssociation: (type, message) => { nextAssociationError = { type, message }; },
    setPendingPolls: (n) => { pendingPolls = n; },
    domainsOf: (arn) => [...(services.get(arn)?.domains.keys() ?? [])],
    zone: zoneOf,
    validationRecordOf,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
