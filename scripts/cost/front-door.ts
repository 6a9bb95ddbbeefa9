/**
 * The monthly bill of each front door a service kind may stand behind (a web ACL, CloudFront, API
 * Gateway REST, a Route 53 zone, an ACM certificate), as a function of the client requests a
 * month, with the canary's own requests shown apart. Prices: ./prices.ts.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CostLine } from './cost';
import { PRICES, PROBES_PER_MONTH, REQUESTS_PER_PROBE } from './prices';
import { McpWebAcl } from '../../src';

/** The canary's requests a month through a front door: one probe a minute. */
export const CANARY_REQUESTS_PER_MONTH = PROBES_PER_MONTH * REQUESTS_PER_PROBE;

/**
 * Bytes a response carries back through CloudFront, on average: an assumption (a `tools/list`
 * answer of a few tools is 1-4 KB, most JSON-RPC results and SSE events less).
 */
export const RESPONSE_BYTES = 4096;

/**
 * Bytes of one API Gateway access log event (the JSON standard fields with typical values, plus
 * CloudWatch Logs' 26 bytes of event overhead): an assumption.
 */
export const ACCESS_LOG_EVENT_BYTES = 400;

/** Client request volumes `npm run cost` prices each front door at. */
export const CLIENT_REQUEST_VOLUMES = [0, 1_000_000, 10_000_000];

/** The bill of one front door at one request volume. */
export interface FrontDoorCost {
  readonly name: string;
  readonly clientRequests: number;
  readonly lines: CostLine[];
}

/** The rules of an `McpWebAcl` at its defaults, counted in its synthesized template. */
export function defaultWebAclRules(): number {
  const stack = new Stack(new App(), 'WebAclCost');
  new McpWebAcl(stack, 'WebAcl');
  const acls = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL')) as Array<{ Properties: { Rules: unknown[] } }>;
  return acls.reduce((n, acl) => n + acl.Properties.Rules.length, 0);
}

const count = (n: number) => n.toLocaleString('en-US');

/** Two lines for a price per request: the clients' requests and the canary's. */
function requestLines(what: string, pricePerRequest: number, clientRequests: number): CostLine[] {
  return [
    { item: `${what}: ${count(clientRequests)} client requests`, monthly: clientRequests * pricePerRequest },
    {
      item: `${what}: the canary's ${count(CANARY_REQUESTS_PER_MONTH)} requests (${count(PROBES_PER_MONTH)} probes x ${REQUESTS_PER_PROBE})`,
      monthly: CANARY_REQUESTS_PER_MONTH * pricePerRequest,
    },
  ];
}

/** Every front door's bill at `clientRequests` client requests a month. */
export function frontDoorCosts(clientRequests: number, webAclRules = defaultWebAclRules()): FrontDoorCost[] {
  const cloudFrontPerRequest = PRICES.cloudFrontHttpsRequestsTenThousand / 1e4 + (RESPONSE_BYTES / 1e9) * PRICES.cloudFrontDataOutGb;
  return [
    {
      name: 'web ACL (`McpWebAcl` at defaults)',
      clientRequests,
      lines: [
        { item: 'web ACL', monthly: PRICES.wafWebAclMonth },
        { item: `${webAclRules} rules and AWS managed rule groups (no subscription fee)`, monthly: webAclRules * PRICES.wafRuleMonth },
        ...requestLines('requests inspected', PRICES.wafRequestMillion / 1e6, clientRequests),
      ],
    },
    {
      name: 'CloudFront distribution',
      clientRequests,
      lines: requestLines(`HTTPS requests and ${RESPONSE_BYTES} B out each`, cloudFrontPerRequest, clientRequests),
    },
    {
      name: 'API Gateway REST API',
      clientRequests,
      lines: requestLines('requests', PRICES.apiGatewayRestRequestMillion / 1e6, clientRequests),
    },
    {
      name: 'API Gateway access logs and 5xx alarm (`McpLambdaService` front door)',
      clientRequests,
      lines: [
        { item: 'the stage\'s 5xx alarm', monthly: PRICES.alarmMetricMonth },
        ...requestLines(`access log events of ${ACCESS_LOG_EVENT_BYTES} B ingested`, (ACCESS_LOG_EVENT_BYTES / 1e9) * PRICES.logIngestGb, clientRequests),
      ],
    },
    {
      name: 'Route 53 hosted zone with alias records',
      clientRequests,
      lines: [
        { item: 'hosted zone (shared by every record in it)', monthly: PRICES.route53HostedZoneMonth },
        { item: 'queries to alias records for CloudFront, API Gateway or a load balancer (free)', monthly: 0 },
      ],
    },
    {
      // App Runner's pricing (https://aws.amazon.com/apprunner/pricing/) lists no charge for a
      // custom domain or its certificate (inference from its absence); the custom resource that
      // associates it runs once per deployment that changes it (Lambda and Step Functions, cents).
      name: 'App Runner custom domain (CNAME in a Route 53 zone)',
      clientRequests,
      lines: [
        { item: 'hosted zone (shared by every record in it)', monthly: PRICES.route53HostedZoneMonth },
        { item: 'App Runner custom domain and its certificate (no charge listed)', monthly: 0 },
        ...requestLines('CNAME queries, at most one a request (resolvers cache it for its 300 s TTL)', PRICES.route53QueryMillion / 1e6, clientRequests),
      ],
    },
    {
      name: 'ACM public certificate',
      clientRequests,
      lines: [{ item: 'public certificate, not exportable (free)', monthly: PRICES.acmPublicCertificateMonth }],
    },
  ];
}
