import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IMcpWebAcl } from './web-acl';

/**
 * The front door every MCP service kind takes alike: a custom domain with its certificate and
 * DNS record, a web ACL, and what the canary probes. Each kind's props extend it; what each
 * kind builds to honour it (an HTTPS listener, a CloudFront distribution, an API Gateway REST
 * API, an App Runner custom-domain association) is on that kind's page in `docs/`.
 *
 * With `domainName` the service's `url` is `https://<domainName>/<path>`, the URL clients
 * configure and, by default, the one the canary and the deploy gate probe.
 */
export interface McpFrontDoorOptions {
  /**
   * A custom domain for the service; `url` uses it. Needs `domainZone` (the DNS records, and
   * unless `certificate` is given a DNS-validated certificate, are created) or `certificate`
   * (you manage DNS and point the name at the front door yourself). What each kind builds for
   * it: Lambda, an API Gateway REST API (streaming); Web Functions and Express, a CloudFront
   * distribution; Fargate, an HTTPS listener; App Runner, a custom-domain association, which
   * needs `domainZone` and a subdomain (App Runner writes a CNAME, not allowed at a zone apex).
   *
   * @default - the host AWS gives the service
   */
  readonly domainName?: string;

  /**
   * The Route 53 hosted zone of `domainName`, where the alias (or CNAME) record and the
   * certificate's validation records are written. `HostedZone.fromHostedZoneAttributes` reads an
   * existing zone without a lookup.
   *
   * @default - no DNS record is written
   */
  readonly domainZone?: route53.IHostedZone;

  /**
   * The certificate of `domainName`. On Fargate it goes on the load balancer's HTTPS listener
   * (HTTP then redirects), and needs `domainName`: the load balancer's own DNS name never matches
   * a certificate. A front door on CloudFront needs one in us-east-1
   * (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html): from a stack in another
   * Region, create it in a us-east-1 stack and pass it here (`crossRegionReferences: true` on
   * both stacks, or `Certificate.fromCertificateArn`). App Runner issues and renews its own
   * certificate, so there `certificate` is an error.
   *
   * @default - a new DNS-validated certificate when `domainName` and `domainZone` are given
   */
  readonly certificate?: acm.ICertificate;

  /**
   * A web ACL in front of the service: an {@link McpWebAcl} or `McpWebAcl.fromWebAclArn`. It
   * must have the scope of the resource it protects: `REGIONAL` for a load balancer, an API
   * Gateway REST API or an App Runner service, `CLOUDFRONT` (in us-east-1) for a distribution.
   *
   * @default - no web ACL
   */
  readonly webAcl?: IMcpWebAcl;

  /**
   * The URL the canary and the deploy gate probe instead of `url`: a front door you built in
   * front of the service (your own CloudFront distribution or proxy), the URL your clients use.
   *
   * @default - `url`
   */
  readonly canaryUrl?: string;

  /**
   * Whether the canary also probes the origin (the service behind its front door) when the
   * front-door probe fails, so that the result, the `OriginProbeSuccess` metric and
   * `mcp-probe status` say which side broke: the front door (the origin answers) or the server
   * (the origin fails too). Only meaningful with a front door (`domainName`, `webAcl` on a kind
   * that adds one, or `canaryUrl`).
   *
   * @default true when there is a front door, else false
   */
  readonly canaryProbesOrigin?: boolean;
}
