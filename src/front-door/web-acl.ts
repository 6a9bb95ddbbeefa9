import { createHash } from 'crypto';
import { ArnFormat, Duration, Names, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { McpWebAclBodyInspectionLimit, McpWebAclManagedRuleGroup, McpWebAclProps, McpWebAclScope } from './web-acl-props';
import { ValidationErrors } from '../private/validation';

/**
 * A web ACL an MCP service can use: one {@link McpWebAcl} built by this library, or an existing
 * one brought with {@link McpWebAcl.fromWebAclArn}.
 */
export interface IMcpWebAcl extends IConstruct {
  /** The web ACL's ARN: what a CloudFront distribution's `webAclId` and a web ACL association take. */
  readonly webAclArn: string;

  /**
   * Associates the web ACL with a regional resource (an Application Load Balancer, an API Gateway
   * REST API stage, an App Runner service, ...). A CloudFront distribution takes `webAclArn` in
   * its own `webAclId` instead.
   *
   * @param resourceArn the ARN of the resource to protect
   * @returns the association, a child of the web ACL's construct
   */
  associate(resourceArn: string): wafv2.CfnWebACLAssociation;
}

/**
 * The labels, rule names and limits of AWS WAF this construct relies on, with their sources.
 */
const WAF = {
  /**
   * Body bytes an Application Load Balancer forwards to AWS WAF (fixed). CloudFront, API Gateway
   * and App Runner forward 16 KB by default, up to 64 KB:
   * https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
   */
  albBodyInspectionBytes: 8 * 1024,
  /** Rate limit range (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html; max from the API's RateBasedStatement.Limit). */
  minRateLimit: 10,
  maxRateLimit: 2_000_000_000,
  /** Evaluation windows AWS WAF accepts, in seconds (same page). */
  rateLimitWindowsSeconds: [60, 120, 300, 600],
  /**
   * The core rule set and the label its bad-bot rule adds:
   * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
   */
  badBotsRule: 'UserAgent_BadBots_HEADER',
  badBotsLabel: 'awswaf:managed:aws:core-rule-set:BadBots_Header',
  /** A byte match's search string is at most 200 bytes (API ByteMatchStatement.SearchString). */
  maxSearchStringBytes: 200,
  /** https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html: "The name that you give the destination must start with aws-waf-logs-". */
  logGroupPrefix: 'aws-waf-logs-',
} as const;

/** The bytes each inspection limit forwards. */
const INSPECTION_LIMIT_BYTES: Record<McpWebAclBodyInspectionLimit, number> = {
  [McpWebAclBodyInspectionLimit.KB_16]: 16 * 1024,
  [McpWebAclBodyInspectionLimit.KB_32]: 32 * 1024,
  [McpWebAclBodyInspectionLimit.KB_48]: 48 * 1024,
  [McpWebAclBodyInspectionLimit.KB_64]: 64 * 1024,
};

/**
 * The optional AWS managed rule groups: name, and the rules that count instead of blocking.
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html and
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html
 */
const OPTIONAL_GROUPS: Record<McpWebAclManagedRuleGroup, { name: string; ruleName: string; counted: string[] }> = {
  [McpWebAclManagedRuleGroup.SQL_DATABASE]: { name: 'AWSManagedRulesSQLiRuleSet', ruleName: 'SqlDatabase', counted: [] },
  [McpWebAclManagedRuleGroup.LINUX_OPERATING_SYSTEM]: { name: 'AWSManagedRulesLinuxRuleSet', ruleName: 'LinuxOperatingSystem', counted: [] },
  [McpWebAclManagedRuleGroup.POSIX_OPERATING_SYSTEM]: { name: 'AWSManagedRulesUnixRuleSet', ruleName: 'PosixOperatingSystem', counted: [] },
  [McpWebAclManagedRuleGroup.ADMIN_PROTECTION]: { name: 'AWSManagedRulesAdminProtectionRuleSet', ruleName: 'AdminProtection', counted: [] },
  [McpWebAclManagedRuleGroup.ANONYMOUS_IP_LIST]: { name: 'AWSManagedRulesAnonymousIpList', ruleName: 'AnonymousIpList', counted: ['HostingProviderIPList'] },
};

/** The user agents of MCP clients not treated as bad bots by default. */
const DEFAULT_MCP_CLIENT_USER_AGENTS = [
  // Claude's user-initiated fetches and remote MCP connections: https://support.claude.com/en/articles/8896518
  'Claude-User',
  // ChatGPT's user-initiated requests: https://platform.openai.com/docs/bots
  'ChatGPT-User',
  // This library's canary and deploy gate (PROBE_CLIENT_INFO in lambda/probe/drivers.ts).
  'cdk-mcp-probe',
];

/** Characters AWS WAF accepts in a metric name (https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html). */
const METRIC_NAME = /^[\w#:.-]{1,100}$/;

/**
 * A protective AWS WAF web ACL that MCP clients get through: a rate limit per client IP, AWS
 * managed rules with the exceptions MCP traffic needs (JSON-RPC bodies over 8 KB, the user agents
 * of AI clients), a body-size rule that fits the server's limit, metrics named after the service
 * with sampled requests, and optional logging with the `authorization` header redacted.
 *
 * A `REGIONAL` web ACL protects an Application Load Balancer, an API Gateway REST API or an App
 * Runner service through {@link McpWebAcl.associate}; a `CLOUDFRONT` one is created in us-east-1
 * and given to a distribution's `webAclId` as {@link McpWebAcl.webAclArn}.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl.html
 */
export class McpWebAcl extends Construct implements IMcpWebAcl {
  /**
   * An existing web ACL, by ARN (e.g. one a security team manages, or a CLOUDFRONT web ACL from a
   * us-east-1 stack, passed through SSM or by hand). `associate` works on a regional one.
   *
   * @param scope the scope of the reference
   * @param id the reference's construct id
   * @param webAclArn `arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>` or
   * `arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>`
   */
  public static fromWebAclArn(scope: Construct, id: string, webAclArn: string): IMcpWebAcl {
    const errors = new ValidationErrors('McpWebAcl.fromWebAclArn');
    errors.check(
      'cdk-mcp:webAclArnFormat',
      Token.isUnresolved(webAclArn) || /^arn:[\w-]+:wafv2:[a-z0-9-]+:\d{12}:(regional|global)\/webacl\/[\w-]+\/[\w-]+$/.test(webAclArn),
      `webAclArn must be a WAFv2 web ACL ARN, arn:aws:wafv2:<region>:<account>:regional|global/webacl/<name>/<id> (got ${JSON.stringify(webAclArn)}).`,
    );
    errors.throwIfAny();
    const global = !Token.isUnresolved(webAclArn) && webAclArn.includes(':global/webacl/');
    return new ImportedWebAcl(scope, id, webAclArn, global ? McpWebAclScope.CLOUDFRONT : undefined);
  }

  /** The web ACL's ARN: a CloudFront distribution's `webAclId`, or what {@link associate} uses. */
  public readonly webAclArn: string;

  /** The web ACL resource, for settings this construct does not expose. */
  public readonly webAcl: wafv2.CfnWebACL;

  /** What the web ACL protects. */
  public readonly webAclScope: McpWebAclScope;

  /** The names of the web ACL's rules, in priority order (their priority is their index). */
  public readonly ruleNames: string[];

  /**
   * Whether the `BodySize` rule blocks bodies larger than `maxBodySize` (true) or, because AWS WAF
   * cannot see that much of a body, only counts the bodies it could not inspect whole (false).
   */
  public readonly bodySizeEnforced: boolean;

  /** The log group of the web ACL's logs, when logging is on. */
  public readonly logGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: McpWebAclProps = {}) {
    super(scope, id);
    const aclScope = props.scope ?? McpWebAclScope.REGIONAL;
    const serviceName = props.serviceName ?? Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    const rateLimit = props.rateLimit ?? 3000;
    const rateLimitWindow = props.rateLimitWindow ?? Duration.minutes(5);
    const maxBodySize = props.maxBodySize ?? Size.mebibytes(4);
    const inspectionLimit = props.bodyInspectionLimit ?? McpWebAclBodyInspectionLimit.KB_16;
    const counted = props.commonRuleSetCountedRules ?? ['SizeRestrictions_BODY'];
    const userAgents = props.mcpClientUserAgents ?? DEFAULT_MCP_CLIENT_USER_AGENTS;
    const logging = props.logging ?? props.logGroup !== undefined;

    const errors = new ValidationErrors('McpWebAcl', this);
    const region = Stack.of(this).region;
    errors.check(
      'cdk-mcp:cloudFrontWebAclRegion',
      aclScope !== McpWebAclScope.CLOUDFRONT || Token.isUnresolved(region) || region === 'us-east-1',
      `scope is CLOUDFRONT but the stack's region is ${region}: AWS WAF creates web ACLs for CloudFront only in us-east-1. `
      + 'Put the McpWebAcl in a stack with env.region us-east-1 and pass its webAclArn to the distribution\'s stack (crossRegionReferences: true), or pass an existing ARN with McpWebAcl.fromWebAclArn.',
    );
    errors.check(
      'cdk-mcp:webAclMetricName',
      Token.isUnresolved(serviceName) || METRIC_NAME.test(serviceName),
      `serviceName must be 1 to 100 letters, digits or - _ . # : (it names the web ACL's metrics) (got ${JSON.stringify(serviceName)}).`,
    );
    errors.integerInRange('rateLimit', props.rateLimit, WAF.minRateLimit, WAF.maxRateLimit, 'requests per window');
    if (!rateLimitWindow.isUnresolved()) {
      const seconds = rateLimitWindow.toSeconds({ integral: false });
      errors.check(
        'cdk-mcp:rateLimitWindow',
        (WAF.rateLimitWindowsSeconds as readonly number[]).includes(seconds),
        `rateLimitWindow must be 1, 2, 5 or 10 minutes, the evaluation windows AWS WAF offers (got ${rateLimitWindow.toHumanString()}).`,
      );
    }
    const maxBodyBytes = maxBodySize.isUnresolved() ? undefined : maxBodySize.toBytes({ rounding: SizeRoundingBehavior.NONE });
    errors.check(
      'cdk-mcp:maxBodySize',
      maxBodyBytes === undefined || (Number.isInteger(maxBodyBytes) && maxBodyBytes >= 1),
      `maxBodySize must be at least 1 byte, a whole number of bytes (got ${maxBodySize.isUnresolved() ? 'a token' : maxBodySize.toBytes({ rounding: SizeRoundingBehavior.NONE })} bytes).`,
    );
    for (const rule of counted) {
      errors.check('cdk-mcp:countedRuleName', /^[A-Za-z0-9_-]{1,128}$/.test(rule), `commonRuleSetCountedRules has ${JSON.stringify(rule)}, which is not a rule name of the core rule set such as "SizeRestrictions_BODY".`);
    }
    for (const agent of userAgents) {
      errors.check(
        'cdk-mcp:mcpClientUserAgent',
        agent.trim().length > 0 && Buffer.byteLength(agent, 'utf8') <= WAF.maxSearchStringBytes,
        `mcpClientUserAgents has ${JSON.stringify(agent)}: each user agent must be 1 to ${WAF.maxSearchStringBytes} bytes, not blank.`,
      );
    }
    const logGroupName = props.logGroup?.logGroupName;
    errors.check(
      'cdk-mcp:wafLogGroupName',
      !props.logGroup || logGroupName === undefined || Token.isUnresolved(logGroupName) || logGroupName.startsWith(WAF.logGroupPrefix),
      `logGroup is named ${JSON.stringify(logGroupName)}, but AWS WAF only logs to a log group whose name starts with "${WAF.logGroupPrefix}": create one named "${WAF.logGroupPrefix}${logGroupName}", or omit logGroup and set logging: true.`,
    );
    errors.check(
      'cdk-mcp:logGroupWithoutLogging',
      !(props.logging === false && props.logGroup),
      'logging is false but a logGroup is given: remove logGroup, or set logging: true.',
    );
    errors.throwIfAny();

    this.webAclScope = aclScope;
    const metric = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${serviceName}-${name}`,
    });

    // What AWS WAF sees of a body: 8 KB on an ALB (which any REGIONAL web ACL may protect), the
    // configured limit on CloudFront.
    const visibleBodyBytes = aclScope === McpWebAclScope.CLOUDFRONT ? INSPECTION_LIMIT_BYTES[inspectionLimit] : WAF.albBodyInspectionBytes;
    this.bodySizeEnforced = maxBodyBytes !== undefined && maxBodyBytes <= visibleBodyBytes;

    const rules: Array<Omit<wafv2.CfnWebACL.RuleProperty, 'priority' | 'visibilityConfig'>> = [];
    rules.push({
      name: 'RateLimitPerIp',
      action: { block: {} },
      statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: rateLimit, evaluationWindowSec: rateLimitWindow.toSeconds() } },
    });
    rules.push({
      // Oversize handling MATCH: a body larger than AWS WAF sees is larger than the limit too
      // (enforced), or is exactly what this rule counts (not enforced).
      name: 'BodySize',
      action: this.bodySizeEnforced ? { block: {} } : { count: {} },
      statement: {
        sizeConstraintStatement: {
          fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
          comparisonOperator: 'GT',
          size: this.bodySizeEnforced ? maxBodyBytes! : visibleBodyBytes,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
    });
    rules.push(managedGroup('AmazonIpReputationList', 'AWSManagedRulesAmazonIpReputationList', []));
    const badBotException = userAgents.length > 0;
    rules.push(managedGroup('CommonRuleSet', 'AWSManagedRulesCommonRuleSet', [...new Set([...counted, ...(badBotException ? [WAF.badBotsRule] : [])])]));
    if (badBotException) {
      const agentMatches: wafv2.CfnWebACL.StatementProperty[] = userAgents.map((agent) => ({
        byteMatchStatement: {
          fieldToMatch: { singleHeader: { Name: 'user-agent' } },
          positionalConstraint: 'CONTAINS',
          searchString: agent.toLowerCase(),
          textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
        },
      }));
      rules.push({
        // The core rule set's bad-bot rule, minus the MCP clients: its label, unless the user agent is theirs.
        name: 'BadBotsExceptMcpClients',
        action: { block: {} },
        statement: {
          andStatement: {
            statements: [
              { labelMatchStatement: { scope: 'LABEL', key: WAF.badBotsLabel } },
              { notStatement: { statement: agentMatches.length === 1 ? agentMatches[0] : { orStatement: { statements: agentMatches } } } },
            ],
          },
        },
      });
    }
    rules.push(managedGroup('KnownBadInputsRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', []));
    for (const group of props.managedRuleGroups ?? []) {
      const g = OPTIONAL_GROUPS[group];
      rules.push(managedGroup(g.ruleName, g.name, g.counted));
    }

    this.ruleNames = rules.map((r) => r.name);
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: aclScope,
      description: `MCP web ACL of ${serviceName}`,
      defaultAction: { allow: {} },
      visibilityConfig: metric('WebAcl'),
      rules: rules.map((rule, priority) => ({ ...rule, priority, visibilityConfig: metric(rule.name) })),
      associationConfig: {
        requestBody: Object.fromEntries(
          (aclScope === McpWebAclScope.CLOUDFRONT ? ['CLOUDFRONT'] : ['API_GATEWAY', 'APP_RUNNER_SERVICE'])
            .map((type) => [type, { defaultSizeInspectionLimit: inspectionLimit }]),
        ),
      },
    });
    this.webAclArn = this.webAcl.attrArn;

    if (logging) {
      this.logGroup = props.logGroup ?? new logs.LogGroup(this, 'Logs', {
        logGroupName: `${WAF.logGroupPrefix}${Names.uniqueResourceName(this, { maxLength: 400, separator: '-' })}`,
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      });
      new wafv2.CfnLoggingConfiguration(this, 'Logging', {
        resourceArn: this.webAclArn,
        // The log group's ARN without the ":*" suffix of ILogGroup.logGroupArn.
        logDestinationConfigs: [Stack.of(this).formatArn({
          service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })],
        // No token or session cookie in a log.
        redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
      });
    }
  }

  /**
   * Associates this `REGIONAL` web ACL with a resource in the same region (an Application Load
   * Balancer, an API Gateway REST API stage, an App Runner service). The association's id is
   * derived from the resource's ARN, so associating one resource twice is an error.
   *
   * @param resourceArn the ARN of the resource to protect
   */
  public associate(resourceArn: string): wafv2.CfnWebACLAssociation {
    return associateWebAcl(this, this.webAclArn, this.webAclScope, resourceArn);
  }
}

/** An existing web ACL, by ARN. */
class ImportedWebAcl extends Construct implements IMcpWebAcl {
  constructor(scope: Construct, id: string, public readonly webAclArn: string, private readonly aclScope?: McpWebAclScope) {
    super(scope, id);
  }

  public associate(resourceArn: string): wafv2.CfnWebACLAssociation {
    return associateWebAcl(this, this.webAclArn, this.aclScope, resourceArn);
  }
}

/** A managed rule group rule, with the named rules of the group set to count. */
function managedGroup(ruleName: string, groupName: string, countedRules: string[]): Omit<wafv2.CfnWebACL.RuleProperty, 'priority' | 'visibilityConfig'> {
  return {
    name: ruleName,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: groupName,
        ruleActionOverrides: countedRules.length > 0 ? countedRules.map((name) => ({ name, actionToUse: { count: {} } })) : undefined,
      },
    },
  };
}

/** A web ACL association under `owner`, named after the resource's ARN as the template shows it. */
function associateWebAcl(owner: Construct, webAclArn: string, aclScope: McpWebAclScope | undefined, resourceArn: string): wafv2.CfnWebACLAssociation {
  const errors = new ValidationErrors('McpWebAcl.associate', owner);
  errors.check(
    'cdk-mcp:associateCloudFrontAcl',
    aclScope !== McpWebAclScope.CLOUDFRONT,
    'the web ACL has scope CLOUDFRONT, which is not associated with resources: set the distribution\'s webAclId to its webAclArn instead.',
  );
  errors.check(
    'cdk-mcp:associateCloudFrontResource',
    Token.isUnresolved(resourceArn) || !/^arn:[\w-]+:cloudfront:/.test(resourceArn),
    `resourceArn ${JSON.stringify(resourceArn)} is a CloudFront distribution: set the distribution's webAclId to a CLOUDFRONT web ACL's webAclArn instead.`,
  );
  errors.throwIfAny();
  const key = createHash('sha256').update(JSON.stringify(Stack.of(owner).resolve(resourceArn))).digest('hex').slice(0, 8);
  return new wafv2.CfnWebACLAssociation(owner, `Association${key}`, { webAclArn, resourceArn });
}
