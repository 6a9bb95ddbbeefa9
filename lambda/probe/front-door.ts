/**
 * Recognises the AWS front door that answered, from response evidence: many false alarms are a
 * 504 from API Gateway mistaken for the server, or a 200 HTML page mistaken for health.
 */
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Every front door the probe names, in the order docs/probe.md documents them. `lambda-web` is a
 * Lambda Web Functions endpoint; `ecs-express` is the AWS-managed Application Load Balancer of an
 * ECS Express Mode service, told apart from any other ALB by its host name only.
 */
export const FRONT_DOORS = ['apigateway', 'lambda-url', 'lambda-web', 'alb', 'ecs-express', 'cloudfront', 'apprunner'] as const;

/** The AWS service that answered the HTTP request, when recognisable. */
export type FrontDoor = (typeof FRONT_DOORS)[number];

/**
 * Lambda Web Functions endpoint domains. Regional (HomeRegion, PerRegion):
 * `domain-id.shard-id.lambda-web.region.on.aws`, e.g. `bcdfghjklmnpqrst.b7t.lambda-web.us-east-1.on.aws`
 * (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-endpoints.html, read in its zh_tw edition,
 * https://docs.aws.amazon.com/lambda/latest/dg/web-functions-http.html); global (MultiRegion):
 * `*.lambda-web.global.on.aws`
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda-web.html).
 * One pattern covers both: `global` stands where the Region does.
 */
const LAMBDA_WEB_HOST = /\.lambda-web\.[a-z0-9-]+\.on\.aws$/;

/**
 * Headers Lambda Web Functions adds to its responses: `lambda-web-request-id` always,
 * `lambda-web-logstream` (the log stream that served the request) and `lambda-web-error-type`
 * (platform errors) when they apply
 * (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-troubleshooting.html). node:http
 * gives header names in lower case, whatever case the server sent (`Lambda-Web-Error-Type`).
 */
const LAMBDA_WEB_HEADERS = ['lambda-web-request-id', 'lambda-web-logstream', 'lambda-web-error-type'];

/**
 * ECS Express Mode service endpoints: `<name>.ecs.<region>.on.aws`. AWS's documentation says
 * Express Mode creates an Application Load Balancer with an HTTPS listener, and an ACM certificate
 * "associated with the HTTPS domain created for the Express service"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedCertificate.html), but the
 * pages read did not spell the domain out. The pattern is from terraform-aws-modules/ecs ("a
 * public *.ecs.{region}.on.aws URL",
 * https://www.mintlify.com/terraform-aws-modules/terraform-aws-ecs/examples/express-service) and
 * from deployed endpoints in public repositories, all `<2 characters>-<32 hex>.ecs.<region>.on.aws`;
 * only the suffix is matched. The load balancer's answers carry no Express-specific header
 * (its own pages say `Server: awselb/2.0`, like any ALB), so the host is the only evidence.
 */
const ECS_EXPRESS_HOST = /\.ecs\.[a-z0-9-]+\.on\.aws$/;

/**
 * Whether the response has a header API Gateway renamed: it renames reserved headers of the
 * backend's answer (`WWW-Authenticate`, `Server`, ...) to `x-amzn-Remapped-<name>`
 * (anthropics/claude-ai-mcp#748 [report]; modelix/modelix.core#1658).
 *
 * @param headers response headers (lower-case names, as node:http gives them)
 */
export function hasRemappedHeader(headers: IncomingHttpHeaders): boolean {
  return Object.keys(headers).some((name) => name.startsWith('x-amzn-remapped-'));
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/**
 * Names the front door from the response headers and, as a tie-breaker, the host name.
 * The outermost hop wins: CloudFront in front of API Gateway is reported as `cloudfront`.
 *
 * @param headers response headers (lower-case names, as node:http gives them)
 * @param hostname the host name of the URL probed
 * @returns the front door, or null when nothing identifies one
 */
export function detectFrontDoor(headers: IncomingHttpHeaders, hostname = ''): FrontDoor | null {
  const server = header(headers, 'server').toLowerCase();
  const via = header(headers, 'via').toLowerCase();
  const xCache = header(headers, 'x-cache').toLowerCase();
  // A fully qualified name may end in a dot.
  const host = hostname.toLowerCase().replace(/\.$/, '');
  // CloudFront: `X-Amz-Cf-Id`, `X-Amz-Cf-Pop`, `Via: 1.1 <id>.cloudfront.net (CloudFront)`,
  // `X-Cache: ... from cloudfront`, `Server: CloudFront` on its own pages (recorded in aws/chalice#12,
  // stackoverflow.com/questions/20664018; not listed in AWS's documentation, unconfirmed there).
  if (headers['x-amz-cf-id'] !== undefined || headers['x-amz-cf-pop'] !== undefined || via.includes('cloudfront') || xCache.includes('cloudfront') || server === 'cloudfront') {
    return 'cloudfront';
  }
  // Before the ALB check: the Express load balancer shows the same ALB evidence as any other.
  if (ECS_EXPRESS_HOST.test(host)) {
    return 'ecs-express';
  }
  if (server.startsWith('awselb') || /\bAWSALB(CORS|TG)?=/.test(header(headers, 'set-cookie'))) {
    return 'alb';
  }
  if (headers['x-amz-apigw-id'] !== undefined || headers['apigw-requestid'] !== undefined || hasRemappedHeader(headers) || /\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(host)) {
    return 'apigateway';
  }
  // After API Gateway: an HTTP API proxying to a Web Function passes its headers through.
  if (LAMBDA_WEB_HEADERS.some((name) => headers[name] !== undefined) || LAMBDA_WEB_HOST.test(host)) {
    return 'lambda-web';
  }
  if (/\.lambda-url\.[a-z0-9-]+\.on\.aws$/.test(host)) {
    return 'lambda-url';
  }
  if (/\.awsapprunner\.com$/.test(host) || (server === 'envoy' && headers['x-envoy-upstream-service-time'] !== undefined)) {
    return 'apprunner';
  }
  // A Function URL answers with x-amzn-RequestId (and x-amzn-ErrorType on its own errors) but no
  // API Gateway id; a custom domain in front of one shows the same evidence.
  if (headers['x-amzn-requestid'] !== undefined && (headers['x-amzn-trace-id'] !== undefined || headers['x-amzn-errortype'] !== undefined)) {
    return 'lambda-url';
  }
  return null;
}
