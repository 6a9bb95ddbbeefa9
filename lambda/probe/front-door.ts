/**
 * Recognises the AWS front door that answered, from response evidence: many false alarms are a
 * 504 from API Gateway mistaken for the server, or a 200 HTML page mistaken for health.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The AWS service that answered the HTTP request, when recognisable. */
export type FrontDoor = 'apigateway' | 'lambda-url' | 'alb' | 'cloudfront' | 'apprunner';

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
  const host = hostname.toLowerCase();
  if (headers['x-amz-cf-id'] !== undefined || via.includes('cloudfront') || xCache.includes('cloudfront') || server === 'cloudfront') {
    return 'cloudfront';
  }
  if (server.startsWith('awselb') || /\bAWSALB(CORS|TG)?=/.test(header(headers, 'set-cookie'))) {
    return 'alb';
  }
  if (headers['x-amz-apigw-id'] !== undefined || headers['apigw-requestid'] !== undefined || /\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(host)) {
    return 'apigateway';
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
