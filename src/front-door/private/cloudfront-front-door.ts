import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct, IConstruct, IDependable } from 'constructs';
import { ValidationErrors } from '../../private/validation';
import { McpFrontDoorOptions } from '../front-door-options';
import { McpWebAcl } from '../web-acl';
import { McpWebAclScope } from '../web-acl-props';
import { checkDomainOptions } from './domain-checks';

/**
 * The CloudFront facts this front door relies on, with their sources.
 */
export const CLOUDFRONT_FRONT_DOOR = {
  /**
   * The origin response (read) timeout: how long CloudFront waits for the first byte of a response
   * and then between two packets of it. 120 s is the most the default quota allows (1 to 120 s;
   * more only after a quota increase, else the deploy fails): aws-cdk-lib 2.276.0
   * `HttpOriginProps.readTimeout` and https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_VpcOriginConfig.html.
   * CloudFront's default, 30 s, would cut an SSE stream (a tool call streaming progress, the GET
   * stream) that is silent for 30 s, and answer 504 to a JSON-mode tool call slower than that.
   * With no `ResponseCompletionTimeout` a stream that sends something at least every 120 s has no
   * total time limit at CloudFront (the Web Function's `timeout` still bounds it).
   */
  originReadTimeout: Duration.seconds(120),
  /**
   * CloudFront rejects headers in the cache key of a policy whose TTLs are all 0 ("caching
   * disabled"), so the policy that forwards `Authorization` on GET allows 1 s at most; the default
   * TTL 0 caches nothing the origin does not explicitly mark cacheable.
   */
  maxTtl: Duration.seconds(1),
  /**
   * Headers in the cache key. CloudFront forwards a viewer's `Authorization` on GET and HEAD only
   * when it is in the cache policy (aws-cdk-lib 2.276.0 aws-cloudfront-origins/README.md, "From a
   * Lambda Web Function";
   * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda-web.html);
   * MCP clients send it on every request, the GET that opens the SSE stream included
   * (https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization). The MCP
   * headers make the key per session, so no two sessions share a response. At most 10.
   */
  cacheKeyHeaders: ['Authorization', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Last-Event-ID', 'Accept'],
  /** The id of the cache policy shared by every front door of a stack (a stack-level singleton). */
  cachePolicyId: 'CdkMcpFrontDoorCachePolicy',
} as const;

/** What a kind gives its CloudFront front door beyond the shared options. */
export interface CloudFrontFrontDoorProps {
  /** The custom domain, certificate, DNS zone and web ACL. */
  readonly options: McpFrontDoorOptions;
  /** The origin's host name (a token is fine), reached on 443 over TLS 1.2. */
  readonly originDomainName: string;
  /** The MCP path; `url` ends with it. */
  readonly mcpPath: string;
  /** Origin access control with this signing, for origins that take it (a Web Function's IAM endpoint). */
  readonly originAccessControlSigning?: cloudfront.Signing;
  /** The distribution's comment (at most 128 characters). */
  readonly comment: string;
}

/** Whether a kind that builds a CloudFront front door builds one: with a custom domain or a web ACL. */
export function wantsCloudFrontFrontDoor(options: McpFrontDoorOptions): boolean {
  return options.domainName !== undefined || options.webAcl !== undefined;
}

/**
 * The rules of the front-door props on a kind whose front door is CloudFront, into `errors` (the
 * kind throws once). Ids: the shared domain rules (`checkDomainOptions`), `cdk-mcp:cloudFrontCertificateRegion`,
 * `cdk-mcp:cloudFrontWebAclScope`. The warning `cdk-mcp:cloudFrontCertificateRegionUnknown` goes on `scope`.
 */
export function checkCloudFrontFrontDoor(errors: ValidationErrors, scope: IConstruct, options: McpFrontDoorOptions): void {
  const { domainName, domainZone, certificate, webAcl } = options;
  checkDomainOptions(errors, options, { defaultHost: 'https://<distribution>.cloudfront.net', dnsTarget: 'the distribution' });

  // CloudFront takes viewer certificates from us-east-1 only: https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
  const region = Stack.of(scope).region;
  const createsCertificate = domainName !== undefined && domainZone !== undefined && certificate === undefined;
  const certificateRegion = certificate?.env.region;
  const fix = 'Create an acm.Certificate in a stack with env.region us-east-1 and pass it as certificate (crossRegionReferences: true on both stacks), '
    + 'or pass an existing us-east-1 one with acm.Certificate.fromCertificateArn.';
  const wrongRegion = createsCertificate
    ? (!Token.isUnresolved(region) && region !== 'us-east-1' ? `certificate is not given and the stack's region is ${region}, so none can be created here for ${domainName}` : undefined)
    : (certificateRegion !== undefined && !Token.isUnresolved(certificateRegion) && certificateRegion !== 'us-east-1' ? `certificate is in ${certificateRegion}` : undefined);
  errors.check(
    'cdk-mcp:cloudFrontCertificateRegion',
    wrongRegion === undefined,
    `${wrongRegion}, but CloudFront only takes certificates from us-east-1. ${fix}`,
  );
  if (createsCertificate && Token.isUnresolved(region)) {
    Annotations.of(scope).addWarningV2(
      'cdk-mcp:cloudFrontCertificateRegionUnknown',
      `The certificate for ${domainName} is created in the stack's region, which is unknown at synth: CloudFront only takes certificates from us-east-1, `
        + 'so the deploy fails in any other region. Set env.region us-east-1 on the stack, or pass a us-east-1 certificate as certificate.',
    );
  }

  if (webAcl !== undefined) {
    const arn = webAcl.webAclArn;
    const aclScope = webAcl instanceof McpWebAcl
      ? webAcl.webAclScope
      : (Token.isUnresolved(arn) ? undefined : (arn.includes(':regional/webacl/') ? McpWebAclScope.REGIONAL : McpWebAclScope.CLOUDFRONT));
    errors.check(
      'cdk-mcp:cloudFrontWebAclScope',
      aclScope !== McpWebAclScope.REGIONAL,
      `webAcl has scope REGIONAL (${Token.isUnresolved(arn) ? webAcl.node.path : arn}), but the front door is a CloudFront distribution, which takes a CLOUDFRONT web ACL from us-east-1. `
        + 'Create it with new McpWebAcl(usEast1Stack, id, { scope: McpWebAclScope.CLOUDFRONT }) (crossRegionReferences: true when the service is in another region), '
        + 'or pass an existing global web ACL with McpWebAcl.fromWebAclArn.',
    );
  }
}

/**
 * A CloudFront distribution in front of one MCP origin: the custom domain, TLS, a web ACL, and
 * nothing cached. Checked by {@link checkCloudFrontFrontDoor} first.
 *
 * - Every method allowed; HTTPS only to the viewer (TLS 1.2 or later, `TLS_V1_2_2021`, with a
 *   custom domain) and to the origin (TLS 1.2); HTTP/2 and HTTP/3 to viewers.
 * - Origin request policy `ALL_VIEWER_EXCEPT_HOST_HEADER`: every viewer header, cookie and query
 *   string except `Host` reaches the origin (Web Function and Express endpoints route by their own
 *   host name), so `Mcp-Session-Id`, `Mcp-Protocol-Version`, `Accept` and `Last-Event-ID` do.
 *   `Authorization` reaches it on POST and DELETE (CloudFront always forwards it on those
 *   methods), and on GET only because the cache policy below has it in its key.
 * - A cache policy that caches nothing the origin does not mark cacheable (default TTL 0, at most
 *   1 s) and keys on `Authorization` and the MCP headers, shared by the stack's front doors.
 * - No compression: `compress: false`, and the cache policy accepts no encoding, so CloudFront
 *   never buffers a `text/event-stream` to compress it.
 * - The managed `SecurityHeadersPolicy` response headers (HSTS, `X-Content-Type-Options`, ...).
 * - Origin read timeout {@link CLOUDFRONT_FRONT_DOOR.originReadTimeout}.
 */
export class CloudFrontFrontDoor extends Construct {
  /** The distribution. */
  public readonly distribution: cloudfront.Distribution;

  /** The viewer certificate: the one given, the one created, or none (the `*.cloudfront.net` certificate). */
  public readonly certificate?: acm.ICertificate;

  /** The host clients use: `domainName`, else the distribution's domain. */
  public readonly host: string;

  /** `https://<host><mcpPath>`. */
  public readonly url: string;

  /** What must exist before the URL answers: the distribution and its DNS records. */
  public readonly dependables: IDependable[];

  constructor(scope: Construct, id: string, props: CloudFrontFrontDoorProps) {
    super(scope, id);
    const { domainName, domainZone, webAcl } = props.options;

    this.certificate = props.options.certificate ?? (domainName !== undefined && domainZone !== undefined
      ? new acm.Certificate(this, 'Certificate', { domainName, validation: acm.CertificateValidation.fromDns(domainZone) })
      : undefined);

    const originAccessControl = props.originAccessControlSigning === undefined ? undefined
      : new cloudfront.FunctionUrlOriginAccessControl(this, 'OriginAccessControl', { signing: props.originAccessControlSigning });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: props.comment.slice(0, 128),
      domainNames: domainName !== undefined ? [domainName] : undefined,
      certificate: this.certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      webAclId: webAcl?.webAclArn,
      defaultBehavior: {
        origin: new origins.HttpOrigin(props.originDomainName, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          readTimeout: CLOUDFRONT_FRONT_DOOR.originReadTimeout,
          originAccessControlId: originAccessControl?.originAccessControlId,
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: noCachePolicy(this),
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: false,
      },
    });

    this.dependables = [this.distribution];
    if (domainName !== undefined && domainZone !== undefined) {
      const target = route53.RecordTarget.fromAlias(new route53targets.CloudFrontTarget(this.distribution));
      this.dependables.push(
        new route53.ARecord(this, 'AliasRecord', { zone: domainZone, recordName: domainName, target }),
        new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone: domainZone, recordName: domainName, target }),
      );
    }
    this.host = domainName ?? this.distribution.distributionDomainName;
    this.url = `https://${this.host}${props.mcpPath}`;
  }
}

/** The stack's one cache policy for MCP front doors (the account holds 20 custom cache policies by default). */
function noCachePolicy(scope: IConstruct): cloudfront.ICachePolicy {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(CLOUDFRONT_FRONT_DOOR.cachePolicyId) as cloudfront.ICachePolicy | undefined;
  return existing ?? new cloudfront.CachePolicy(stack, CLOUDFRONT_FRONT_DOOR.cachePolicyId, {
    comment: 'cdk-mcp front doors: nothing cached unless the origin says so (1 s at most); Authorization forwarded on GET',
    defaultTtl: Duration.seconds(0),
    minTtl: Duration.seconds(0),
    maxTtl: CLOUDFRONT_FRONT_DOOR.maxTtl,
    headerBehavior: cloudfront.CacheHeaderBehavior.allowList(...CLOUDFRONT_FRONT_DOOR.cacheKeyHeaders),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
    cookieBehavior: cloudfront.CacheCookieBehavior.all(),
    enableAcceptEncodingGzip: false,
    enableAcceptEncodingBrotli: false,
  });
}
