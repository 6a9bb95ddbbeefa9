import { Duration, Size } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Where a web ACL can be used.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html
 */
export enum McpWebAclScope {
  /**
   * Regional resources in the stack's region: Application Load Balancer, API Gateway REST API,
   * App Runner service, Cognito user pool, AppSync, Verified Access.
   */
  REGIONAL = 'REGIONAL',
  /**
   * CloudFront distributions. The web ACL must be created in us-east-1, whatever the region of
   * the distribution's stack.
   */
  CLOUDFRONT = 'CLOUDFRONT',
}

/**
 * How much of a request body the protected resource forwards to AWS WAF. Only CloudFront, API
 * Gateway, Amazon Cognito, App Runner and Verified Access take this setting; an Application Load
 * Balancer always forwards the first 8 KB. Above 16 KB, AWS WAF charges extra per request.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
 */
export enum McpWebAclBodyInspectionLimit {
  /** 16 KB (16,384 bytes), the AWS default, no extra fee. */
  KB_16 = 'KB_16',
  /** 32 KB (32,768 bytes). */
  KB_32 = 'KB_32',
  /** 48 KB (49,152 bytes). */
  KB_48 = 'KB_48',
  /** 64 KB (65,536 bytes), the most AWS WAF inspects. */
  KB_64 = 'KB_64',
}

/**
 * AWS managed rule groups a web ACL can add to its three baseline groups (the core rule set,
 * known bad inputs and the Amazon IP reputation list). None of these has a subscription fee;
 * each costs one rule ($1 a month) and adds to the web ACL's capacity (WCU).
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 */
export enum McpWebAclManagedRuleGroup {
  /** `AWSManagedRulesSQLiRuleSet` (200 WCU): SQL injection patterns in the query, body, cookies and URI. */
  SQL_DATABASE = 'SQL_DATABASE',
  /** `AWSManagedRulesLinuxRuleSet` (200 WCU): Linux local-file-inclusion patterns. */
  LINUX_OPERATING_SYSTEM = 'LINUX_OPERATING_SYSTEM',
  /** `AWSManagedRulesUnixRuleSet` (100 WCU): POSIX command-injection patterns. */
  POSIX_OPERATING_SYSTEM = 'POSIX_OPERATING_SYSTEM',
  /** `AWSManagedRulesAdminProtectionRuleSet` (100 WCU): blocks external access to admin paths such as `/admin`. */
  ADMIN_PROTECTION = 'ADMIN_PROTECTION',
  /**
   * `AWSManagedRulesAnonymousIpList` (50 WCU): VPNs, proxies and Tor. Its `HostingProviderIPList`
   * rule (cloud and hosting providers) is set to count: remote MCP clients such as Claude call
   * from their vendor's cloud, not from a user's browser.
   */
  ANONYMOUS_IP_LIST = 'ANONYMOUS_IP_LIST',
}

/**
 * Props of {@link McpWebAcl}: every rule of the web ACL, its visibility and its logging.
 */
export interface McpWebAclProps {
  /**
   * What the web ACL protects. A `CLOUDFRONT` web ACL must be in a stack whose region is
   * us-east-1; a stack elsewhere gets one from a separate us-east-1 stack (with
   * `crossRegionReferences: true` on the stack that uses its ARN) or takes the ARN of an existing
   * one through {@link McpWebAcl.fromWebAclArn}.
   *
   * @default McpWebAclScope.REGIONAL
   */
  readonly scope?: McpWebAclScope;

  /**
   * The service the web ACL protects, as metric names show it: the web ACL's CloudWatch metric is
   * `<serviceName>-WebAcl` and each rule's is `<serviceName>-<RuleName>`. Letters, digits and
   * `-_.#:`, at most 100 characters.
   *
   * @default - the construct's unique name in the app
   */
  readonly serviceName?: string;

  /**
   * Requests one client IP address may send within `rateLimitWindow` before the web ACL blocks its
   * further requests (until its rate drops). Remote MCP clients share a few egress addresses (all
   * of Claude's remote connections come from Anthropic's cloud), so a limit per IP is a limit per
   * client vendor: keep it well above one agent's rate.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
   * @default 3000 (10 requests a second on average over the default 5-minute window)
   */
  readonly rateLimit?: number;

  /**
   * How far back AWS WAF counts a client's requests for `rateLimit`: 1, 2, 5 or 10 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;

  /**
   * The largest request body the server accepts. AWS WAF sees at most the first 8 KB of a body on
   * an Application Load Balancer (any REGIONAL web ACL may protect one) and the first
   * `bodyInspectionLimit` on CloudFront. When `maxBodySize` fits within what AWS WAF sees, the
   * `BodySize` rule blocks larger bodies (a body above the inspection limit counts as larger:
   * oversize handling MATCH). When it does not, AWS WAF cannot measure the body: the rule then
   * only counts the bodies it could not inspect whole, and the server enforces its own limit.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
   * @default Size.mebibytes(4) (the body limit of the MCP TypeScript SDK's HTTP transports and of
   * this library's example server: the rule counts, it does not block)
   */
  readonly maxBodySize?: Size;

  /**
   * How much of a body CloudFront, API Gateway and App Runner forward to AWS WAF (an Application
   * Load Balancer always forwards 8 KB). Above 16 KB, AWS WAF charges extra per request.
   *
   * @see https://aws.amazon.com/waf/pricing/
   * @default McpWebAclBodyInspectionLimit.KB_16
   */
  readonly bodyInspectionLimit?: McpWebAclBodyInspectionLimit;

  /**
   * Rules of the core rule set (`AWSManagedRulesCommonRuleSet`) that only count instead of
   * blocking. `SizeRestrictions_BODY` blocks every body over 8 KB, which JSON-RPC requests with
   * large tool arguments often are; the `BodySize` rule applies the server's limit instead. Add
   * rule names here for other false positives (e.g. `CrossSiteScripting_BODY` for tools that take
   * HTML), as the web ACL's logs or sampled requests show them.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
   * @default ['SizeRestrictions_BODY']
   */
  readonly commonRuleSetCountedRules?: string[];

  /**
   * User agents of MCP clients (matched case-insensitively, anywhere in the `User-Agent` header)
   * that the core rule set's `UserAgent_BadBots_HEADER` rule must not block. That rule is set to
   * count, and a rule after the core rule set blocks the requests it labels
   * (`awswaf:managed:aws:core-rule-set:BadBots_Header`) unless their user agent is one of these:
   * the exception pattern AWS documents for managed rules. An empty list leaves the rule blocking.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-bot-control-example-user-agent-exception.html
   * @default ['Claude-User', 'ChatGPT-User', 'cdk-mcp-probe'] (Claude's remote MCP connections,
   * ChatGPT's user-initiated requests, and this library's canary)
   */
  readonly mcpClientUserAgents?: string[];

  /**
   * AWS managed rule groups to add after the three baseline groups.
   *
   * @default - none: the core rule set, known bad inputs and the Amazon IP reputation list only
   */
  readonly managedRuleGroups?: McpWebAclManagedRuleGroup[];

  /**
   * Log every request the web ACL evaluates to CloudWatch Logs, with the `authorization` and
   * `cookie` headers redacted (no token in a log).
   *
   * @default - true when `logGroup` is given, otherwise false (sampled requests and metrics only)
   */
  readonly logging?: boolean;

  /**
   * The log group for the web ACL's logs. Its name must start with `aws-waf-logs-`.
   *
   * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html
   * @default - a new log group named `aws-waf-logs-<unique name>`, when `logging` is true
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * How long the log group the construct creates keeps the logs.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}
