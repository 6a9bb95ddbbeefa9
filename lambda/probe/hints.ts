/**
 * What to check first for each failure class: the runbook line the CLI prints under a failed
 * verdict. One table, so the CLI and the documentation say the same thing.
 */
import type { FrontDoor } from './front-door';
import type { FailureClass } from '../../src/contract/failure-classes';

/**
 * Where to look after an AWS WAF block: the request in the web ACL's sampled requests (the last
 * three hours) or logs (`terminatingRuleId`), then the rules that block MCP traffic
 * (https://repost.aws/knowledge-center/waf-block-respond-403-forbidden-error; the rules and their
 * sources: WAF_HINT in ./front-door-answers).
 */
const WAF_STEPS = 'find the request in the web ACL\'s sampled requests (last 3 hours; Source IP and URI, then Rule inside rule group) or its logs (action BLOCK, terminatingRuleId). '
  + 'For MCP traffic suspect AWSManagedRulesCommonRuleSet SizeRestrictions_BODY (JSON-RPC bodies over 8 KB: set it to Count and add a size rule that fits the server), '
  + 'bot and user-agent rules (NoUserAgent_HEADER, Bot Control; AI clients such as Claude-User), and rate-based rules (raise the limit or scope it down). '
  + 'In an McpWebAcl (src/front-door/web-acl.ts) these are the rules RateLimitPerIp, BodySize and BadBotsExceptMcpClients';

/** The first thing to check for each failure class. */
export const NEXT_STEPS: Readonly<Record<FailureClass, string>> = {
  DNS_ERROR: 'Check the host name in the URL and that its DNS record exists (custom domain mapping, deleted Function URL).',
  CONNECTION_REFUSED: 'Nothing listens on that port: check the service is running and the port, security group and target are right.',
  CONNECTION_RESET: 'The connection closed mid-response: check for crashes or restarts in the server logs, and idle timeouts of the load balancer.',
  TLS_ERROR: 'Check the certificate: expiry, the names it covers (custom domain) and the chain the server sends.',
  TIMEOUT: 'Nothing answered in time: behind API Gateway or a Function URL this is usually a Lambda cold start (add provisioned concurrency) or a hung server; check the function duration and the server logs.',
  REDIRECT: 'Probe the final URL directly (https, trailing slash, /mcp path); MCP clients must not follow redirects.',
  AUTH_REQUIRED: 'Give the probe credentials: an OAuth client (--oauth-client-id and --oauth-client-secret-env; mcp-probe auth <url> checks the discovery chain), a bearer token (--bearer-env), SigV4 (--sigv4) for an AWS_IAM Function URL or a Web Function IAM endpoint, or SigV4a (--sigv4a \'*\') for a multi-Region Web Function endpoint.',
  OAUTH_METADATA_MISSING: 'Serve the OAuth metadata where clients look: protected-resource metadata at the 401 challenge\'s resource_metadata URL and at /.well-known/oauth-protected-resource/<path> and the root form, and authorization-server metadata at the issuer\'s RFC 8414 or OpenID Connect well-known URL; run mcp-probe auth <url> to see each location tried.',
  OAUTH_RESOURCE_MISMATCH: 'Make the protected-resource metadata\'s "resource" the exact URL clients use (the custom domain, not the origin behind it, no trailing slash), or probe the URL it names.',
  OAUTH_AS_METADATA_REJECTED: 'Fix the authorization-server metadata the message names: "issuer" equal to the issuer URL the metadata URL was built from, "S256" in code_challenge_methods_supported, and a registration_endpoint (DCR) or client_id_metadata_document_supported (CIMD); serve a corrected copy on the service\'s domain if the authorization server cannot.',
  OAUTH_TOKEN_REQUEST_FAILED: 'Check the OAuth client: its id and secret (invalid_client), that it may use the client_credentials grant, the scopes (invalid_scope: the resource server\'s scopes, as <identifier>/<scope> on Cognito), the resource indicator (invalid_target), and the token endpoint auth method (--oauth-token-auth basic|post).',
  OAUTH_TOKEN_REJECTED: 'The server refused a fresh token: check that it expects this audience (the token\'s aud must be the canonical server URL, RFC 8707; --oauth-resource), trusts this issuer and its JWKS, and that the token carries the scopes the server requires (--oauth-scope).',
  FORBIDDEN: 'Check permissions: Function URL resource policy (lambda:InvokeFunctionUrl and lambda:InvokeFunction), IAM signing, token scope, Origin validation.',
  BLOCKED_BY_WAF: `AWS WAF blocked the request before the server saw it: ${WAF_STEPS}.`,
  NOT_FOUND: 'Check the path (usually /mcp) and the routes of the API or load balancer.',
  THROTTLED: 'Raise the concurrency or throttling limits (reserved concurrency, API Gateway usage plan) or reduce load.',
  BAD_GATEWAY: 'The front door got no valid answer from the server: check the server or function logs for crashes and errors.',
  UNAVAILABLE: 'No healthy server behind the front door: check target health, running task count, or an HTTP API 30 s timeout.',
  GATEWAY_TIMEOUT: 'The front door timed out waiting for the server: check function duration, cold starts and the integration timeout.',
  HTTP_ERROR: 'Read the status and body in the message; check the server logs for that request.',
  RESPONSE_TOO_LARGE: 'The answer exceeds the size cap: check the URL points at the MCP endpoint, or raise the cap.',
  NOT_MCP: 'Something other than an MCP server answered (an HTML page, a health check, a proxy): check the URL and the routing.',
  EMPTY_STREAM: 'The server closed its SSE stream without answering: check the server logs for errors while handling the request.',
  PROTOCOL_ERROR: 'The server broke the MCP or JSON-RPC rules: check the SDK version and the server logs.',
  VERSION_MISMATCH: 'Client and server share no protocol version: upgrade the server SDK, or force a transport with --transport.',
  SESSION_ERROR: 'Session required, rejected or lost: use stateless mode, or make load balancing sticky for a stateful server.',
  NO_TOOLS: 'The server lists no tools: check tool registration at start-up in the server logs.',
  TOOLS_TRUNCATED: 'The tool list is longer than the probe reads (pages or bytes): raise --max-tool-pages / --max-tools-bytes (canary: MCP_CANARY_MAX_TOOL_PAGES / MCP_CANARY_MAX_TOOLS_BYTES), or check the server does not page forever.',
  MISSING_TOOLS: 'Expected tools are missing: check the deployed version and the tool registration.',
  SCHEMA_DRIFT: 'The tool list changed: if intended, update the expected hash; otherwise check what was deployed.',
  TOOL_ERROR: 'The sentinel tool failed: read its error in the message and the server logs.',
  TOOL_CREDENTIALS: "The tool's cloud credentials are broken: check the server's role, its policies and credential expiry.",
  TOOL_TIMEOUT: 'The sentinel tool did not finish in time: check what it calls downstream, or raise the probe deadline.',
};

/**
 * What to check first where a front door changes the answer: the settings and logs of that
 * service. Sources are cited per entry; anything not in them is left to {@link NEXT_STEPS}.
 */
export const FRONT_DOOR_STEPS: Readonly<Partial<Record<FrontDoor, Readonly<Partial<Record<FailureClass, string>>>>>> = {
  // Lambda Web Functions. Timeout 3-900 s, bounding a whole streamed response, which ends with no
  // error header (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-revisions-timeout.html);
  // no minimum capacity, requests queue while an environment starts
  // (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-scaling.html); the server must listen
  // on AWS_LAMBDA_HTTP_ENDPOINT within 10 s (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-env-lifecycle.html),
  // init failures show only as platform.initReport in the logs (aws-cdk-lib 2.276.0 aws-lambda
  // README, "Changing an endpoint"), whose default group is /aws/lambda/web/<function>
  // (LoggingConfig, https://docs.aws.amazon.com/lambda/latest/lambda-web/);
  // a wrong port or a crash is a 502, a deleted network connector a 502 with
  // Platform.InvalidNetworkConfiguration for new environments and 504s on egress for running ones
  // (AWS's agent skill for Web Functions, references/troubleshooting.md and networking.md at
  // 6837e08; aws-cli awscli/customizations/lambdaweb/scaffold.py at ac52d30); IAM endpoints need
  // lambda:InvokeWebFunctionEndpoint and a signed X-Amz-Content-SHA256 header, else 403
  // (https://docs.aws.amazon.com/lambda/latest/dg/web-functions-endpoint-access-control.html;
  // aws-cdk-lib 2.276.0 aws-lambda README, "Authentication"). The throttling answer's status and
  // headers are not documented.
  'lambda-web': {
    TIMEOUT: "Requests to a Web Function queue while a new environment starts (no provisioned capacity; the server must listen within 10 s): check platform.initReport in /aws/lambda/web/<function>, and that the revision's timeout is not longer than the probe's deadline.",
    GATEWAY_TIMEOUT: "With lambda-web-error-type Runtime.RequestTimeout the request outlived the revision's timeout: raise the timeout (3-900 s) or make the tool faster. Without it, a running environment may be stuck on egress through a deleted or broken network connector (egressNetworkConnector).",
    BAD_GATEWAY: "The Web Function got no valid answer: the server crashed or does not listen on AWS_LAMBDA_HTTP_ENDPOINT (see platform.initReport in /aws/lambda/web/<function>). With lambda-web-error-type Platform.InvalidNetworkConfiguration, the revision's network connector is missing or broken.",
    EMPTY_STREAM: "A Web Function cuts a streamed (SSE) answer at the revision's timeout, with the status already sent and no error header: raise the timeout (3-900 s) or answer sooner; otherwise check the server logs.",
    CONNECTION_RESET: "A Web Function cuts a streamed (SSE) answer at the revision's timeout, with no error header; a request header block that is too large also drops the connection: raise the timeout or answer sooner, and check the server logs.",
    THROTTLED: 'Raise the endpoint\'s rateLimit (0 rejects every request) or maxEnvironments, or the account\'s Web Functions quotas, or reduce load.',
    FORBIDDEN: 'An IamAuth endpoint needs lambda:InvokeWebFunctionEndpoint on the endpoint ARN and a SigV4 signature (SigV4a for multiRegion) that covers an X-Amz-Content-SHA256 header; check the signing and the policies.',
  },
  // CloudFront: its own 502 (cannot connect to the origin: ports, TLS names;
  // https://repost.aws/knowledge-center/cloudfront-502-errors), 504 (origin response timeout,
  // 30 s by default), 403 (WAF, allowed methods, alternate domain names, geo restriction;
  // https://repost.aws/knowledge-center/cloudfront-troubleshoot-403-errors). A web ACL for a
  // distribution lives in us-east-1 (FRONT-DOORS.md, [WAF-RES]).
  'cloudfront': {
    BLOCKED_BY_WAF: `The distribution's web ACL (a global web ACL, in us-east-1) blocked the request: ${WAF_STEPS}.`,
    FORBIDDEN: "If the message names a CloudFront page, fix what it names (the cache behavior's allowed methods, the alternate domain names, the geographic restriction); otherwise the origin refused: probe the origin's own URL to tell which.",
    BAD_GATEWAY: "If CloudFront generated the page, it could not reach the origin: check the origin's domain, protocol and port, and that the origin's certificate covers the name CloudFront connects to. If the origin answered 502, check the origin's front door and the server logs.",
    GATEWAY_TIMEOUT: "If CloudFront generated the page, the origin did not answer within the origin response timeout (30 s by default): raise it or answer sooner. If the origin answered 504, check the origin's front door and the server.",
  },
  // API Gateway: gateway responses (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html;
  // Missing Authentication Token: https://repost.aws/knowledge-center/api-gateway-authentication-token-errors;
  // 429: https://repost.aws/knowledge-center/api-gateway-429-limit).
  'apigateway': {
    BLOCKED_BY_WAF: `The stage's web ACL blocked the request: ${WAF_STEPS}.`,
    FORBIDDEN: "\"Missing Authentication Token\": the stage, path or method does not exist in the deployed API, or an AWS_IAM method got an unsigned request. \"Forbidden\": an API key (x-api-key, usage plan), the stage's web ACL (check its sampled requests), or a private API's endpoint or resource policy.",
    THROTTLED: "Raise the stage's or method's throttling, the usage plan's rate, burst or quota (\"Limit Exceeded\"), or the account's Regional limit; or reduce load.",
    GATEWAY_TIMEOUT: 'The front door timed out waiting for the integration (REST 29 s by default, HTTP API 30 s at most): answer sooner, stream the response, or raise the REST integration timeout; check the function duration and cold starts.',
  },
  'alb': {
    BLOCKED_BY_WAF: `The load balancer's web ACL blocked the request: ${WAF_STEPS}.`,
  },
  // ECS Express Mode: an ALB with listener rules and target groups, a canary deployment with an
  // alarm that rolls back faulty deployments
  // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html,
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-update-full.html).
  // The ALB answers 503 when the target group has no registered targets (and fails open, routing
  // to every target, when all of them are unhealthy:
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html),
  // 502 when a target closes the connection or answers malformed, and 504 when a target does not
  // answer within the idle timeout, 60 s by default
  // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html).
  'ecs-express': {
    UNAVAILABLE: "No task is registered behind the Express service's load balancer: check its deployment (in progress, failed, rolled back), running task count and why tasks stopped; tasks failing the health check (healthCheckPath, answering success without auth) are stopped and deregistered.",
    BAD_GATEWAY: "A task closed the connection or answered the Express service's load balancer with something invalid: check the stopped tasks' reasons (crash, out of memory) and the container logs; during a canary deployment the new tasks get part of the traffic.",
    GATEWAY_TIMEOUT: "A task did not answer within the load balancer's idle timeout (60 s for an ALB unless changed): make the tool answer sooner or stream progress; check the container logs for that request.",
  },
};

/**
 * What to check first where the failure's message names a cause that changes the answer: the
 * class's general step would send the reader the wrong way (a plain-HTTP port is not a
 * certificate problem; an endpoint of the other transport is not a version to upgrade).
 */
export const CAUSE_STEPS: ReadonlyArray<{ readonly failureClass: FailureClass; readonly cause: RegExp; readonly step: string }> = [
  { failureClass: 'TLS_ERROR', cause: /the port speaks plain HTTP/, step: 'The port speaks plain HTTP: probe it with http://, or put TLS in front of it (a load balancer listener, a custom domain).' },
  { failureClass: 'VERSION_MISMATCH', cause: /speaks Streamable HTTP, not the 2024-11-05/, step: 'Drop --transport sse: the endpoint speaks Streamable HTTP, which --transport auto (the default) detects.' },
];

/**
 * The first thing to check for a failure class behind a front door: the step of the cause the
 * message names when there is one, else the front door's own step when it has one, otherwise
 * the class's.
 *
 * @param failureClass the class of the failure
 * @param frontDoor the front door that answered, if recognised
 * @param message the failure's message @default - the class and front door alone decide
 */
export function nextStep(failureClass: FailureClass, frontDoor: FrontDoor | null, message?: string): string {
  const cause = message === undefined ? undefined : CAUSE_STEPS.find((c) => c.failureClass === failureClass && c.cause.test(message));
  return cause?.step ?? (frontDoor ? FRONT_DOOR_STEPS[frontDoor]?.[failureClass] : undefined) ?? NEXT_STEPS[failureClass];
}
