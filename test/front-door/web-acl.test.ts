import { App, CfnOutput, Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PROBE_CLIENT_INFO } from '../../lambda/probe/drivers';
import { McpWebAcl, McpWebAclBodyInspectionLimit, McpWebAclManagedRuleGroup, McpWebAclProps, McpWebAclScope } from '../../src';
import { guardApp, guardFindings } from '../guard/guard-findings';
import { testStack } from '../support/kit';

/** A web ACL in a fresh stack, with its template and its one CfnWebACL's properties. */
function webAclWith(props: McpWebAclProps = {}, env?: { region?: string; account?: string }) {
  const stack = testStack(env);
  const acl = new McpWebAcl(stack, 'WebAcl', { serviceName: 'orders-mcp', ...props });
  const template = Template.fromStack(stack);
  const resources = Object.values(template.findResources('AWS::WAFv2::WebACL')) as Array<{ Properties: Record<string, any> }>;
  expect(resources).toHaveLength(1);
  return { stack, acl, template, properties: resources[0].Properties };
}

const ruleNamed = (properties: Record<string, any>, name: string) => (properties.Rules as any[]).find((r) => r.Name === name);

describe('McpWebAcl rules at defaults', () => {
  test('a REGIONAL web ACL that allows by default, with the rules in a fixed order of unique priorities', () => {
    const { properties, acl } = webAclWith();
    expect(properties.Scope).toBe('REGIONAL');
    expect(properties.DefaultAction).toEqual({ Allow: {} });
    const rules = properties.Rules as any[];
    expect(rules.map((r) => r.Name)).toEqual([
      'RateLimitPerIp', 'BodySize', 'AmazonIpReputationList', 'CommonRuleSet', 'BadBotsExceptMcpClients', 'KnownBadInputsRuleSet',
    ]);
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
    expect(acl.ruleNames).toEqual(rules.map((r) => r.Name));
  });

  test('the rate limit blocks one client IP above 3000 requests in 5 minutes', () => {
    expect(ruleNamed(webAclWith().properties, 'RateLimitPerIp')).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 3000, EvaluationWindowSec: 300 } },
    });
  });

  test('the rate limit and its window are configurable', () => {
    expect(ruleNamed(webAclWith({ rateLimit: 500, rateLimitWindow: Duration.minutes(1) }).properties, 'RateLimitPerIp').Statement)
      .toEqual({ RateBasedStatement: { AggregateKeyType: 'IP', Limit: 500, EvaluationWindowSec: 60 } });
  });

  test('the core rule set counts SizeRestrictions_BODY (JSON-RPC bodies over 8 KB) and the bad-bot rule, and blocks the rest', () => {
    const rule = ruleNamed(webAclWith().properties, 'CommonRuleSet');
    expect(rule.OverrideAction).toEqual({ None: {} });
    expect(rule.Statement.ManagedRuleGroupStatement).toEqual({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesCommonRuleSet',
      RuleActionOverrides: [
        { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
        { Name: 'UserAgent_BadBots_HEADER', ActionToUse: { Count: {} } },
      ],
    });
  });

  test('the bad-bot label still blocks, except for the user agents of MCP clients (case-insensitive)', () => {
    const rule = ruleNamed(webAclWith().properties, 'BadBotsExceptMcpClients');
    expect(rule.Action).toEqual({ Block: {} });
    const [label, not] = rule.Statement.AndStatement.Statements;
    expect(label).toEqual({ LabelMatchStatement: { Scope: 'LABEL', Key: 'awswaf:managed:aws:core-rule-set:BadBots_Header' } });
    const agents = not.NotStatement.Statement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement);
    expect(agents.map((a: any) => a.SearchString)).toEqual(['claude-user', 'chatgpt-user', 'cdk-mcp-probe']);
    for (const agent of agents) {
      expect(agent).toMatchObject({
        FieldToMatch: { SingleHeader: { Name: 'user-agent' } },
        PositionalConstraint: 'CONTAINS',
        TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
      });
    }
  });

  test('the canary\'s own user agent is among the defaults (the probe and the web ACL agree)', () => {
    const { properties } = webAclWith();
    const searched = JSON.stringify(ruleNamed(properties, 'BadBotsExceptMcpClients'));
    expect(searched).toContain(JSON.stringify(PROBE_CLIENT_INFO.name.toLowerCase()));
  });

  test('one MCP client user agent needs no OR statement; none leaves the bad-bot rule blocking', () => {
    const one = ruleNamed(webAclWith({ mcpClientUserAgents: ['My-Agent'] }).properties, 'BadBotsExceptMcpClients');
    expect(one.Statement.AndStatement.Statements[1].NotStatement.Statement.ByteMatchStatement.SearchString).toBe('my-agent');
    const none = webAclWith({ mcpClientUserAgents: [] }).properties;
    expect(ruleNamed(none, 'BadBotsExceptMcpClients')).toBeUndefined();
    expect(ruleNamed(none, 'CommonRuleSet').Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
  });

  test('more core rules can be counted, and none at all', () => {
    const more = ruleNamed(webAclWith({ commonRuleSetCountedRules: ['SizeRestrictions_BODY', 'CrossSiteScripting_BODY'] }).properties, 'CommonRuleSet');
    expect(more.Statement.ManagedRuleGroupStatement.RuleActionOverrides.map((o: any) => o.Name))
      .toEqual(['SizeRestrictions_BODY', 'CrossSiteScripting_BODY', 'UserAgent_BadBots_HEADER']);
    const none = ruleNamed(webAclWith({ commonRuleSetCountedRules: [], mcpClientUserAgents: [] }).properties, 'CommonRuleSet');
    expect(none.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toBeUndefined();
  });

  test('the IP reputation list and known bad inputs run unchanged', () => {
    const { properties } = webAclWith();
    expect(ruleNamed(properties, 'AmazonIpReputationList').Statement.ManagedRuleGroupStatement).toEqual({ VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' });
    expect(ruleNamed(properties, 'KnownBadInputsRuleSet').Statement.ManagedRuleGroupStatement).toEqual({ VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' });
  });

  test('optional managed groups follow, the anonymous IP list counting hosting providers (where AI clients call from)', () => {
    const { properties } = webAclWith({ managedRuleGroups: [McpWebAclManagedRuleGroup.SQL_DATABASE, McpWebAclManagedRuleGroup.ANONYMOUS_IP_LIST] });
    const names = (properties.Rules as any[]).map((r) => r.Name);
    expect(names.slice(-2)).toEqual(['SqlDatabase', 'AnonymousIpList']);
    expect(ruleNamed(properties, 'SqlDatabase').Statement.ManagedRuleGroupStatement).toEqual({ VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet' });
    expect(ruleNamed(properties, 'AnonymousIpList').Statement.ManagedRuleGroupStatement).toEqual({
      VendorName: 'AWS', Name: 'AWSManagedRulesAnonymousIpList', RuleActionOverrides: [{ Name: 'HostingProviderIPList', ActionToUse: { Count: {} } }],
    });
  });
});

describe('McpWebAcl body size', () => {
  test('at defaults (4 MiB, more than AWS WAF sees) the rule counts bodies over the 8 KB an ALB forwards', () => {
    const { properties, acl } = webAclWith();
    expect(acl.bodySizeEnforced).toBe(false);
    expect(ruleNamed(properties, 'BodySize')).toMatchObject({
      Action: { Count: {} },
      Statement: { SizeConstraintStatement: { FieldToMatch: { Body: { OversizeHandling: 'MATCH' } }, ComparisonOperator: 'GT', Size: 8192 } },
    });
  });

  test('a limit AWS WAF can see is enforced: larger bodies are blocked, oversize ones too', () => {
    const { properties, acl } = webAclWith({ maxBodySize: Size.kibibytes(6) });
    expect(acl.bodySizeEnforced).toBe(true);
    expect(ruleNamed(properties, 'BodySize')).toMatchObject({
      Action: { Block: {} },
      Statement: { SizeConstraintStatement: { FieldToMatch: { Body: { OversizeHandling: 'MATCH' } }, ComparisonOperator: 'GT', Size: 6144 } },
    });
  });

  test('a REGIONAL web ACL cannot enforce 12 KB (an ALB forwards 8 KB); a CLOUDFRONT one with a 16 KB limit can', () => {
    expect(webAclWith({ maxBodySize: Size.kibibytes(12) }).acl.bodySizeEnforced).toBe(false);
    const cloudfront = webAclWith({ scope: McpWebAclScope.CLOUDFRONT, maxBodySize: Size.kibibytes(12) }, { region: 'us-east-1' });
    expect(cloudfront.acl.bodySizeEnforced).toBe(true);
    expect(ruleNamed(cloudfront.properties, 'BodySize').Statement.SizeConstraintStatement.Size).toBe(12288);
  });

  test('a CLOUDFRONT web ACL raises the inspection limit it asks for, and measures against it', () => {
    const { properties, acl } = webAclWith({ scope: McpWebAclScope.CLOUDFRONT, bodyInspectionLimit: McpWebAclBodyInspectionLimit.KB_64, maxBodySize: Size.kibibytes(64) }, { region: 'us-east-1' });
    expect(properties.AssociationConfig).toEqual({ RequestBody: { CLOUDFRONT: { DefaultSizeInspectionLimit: 'KB_64' } } });
    expect(acl.bodySizeEnforced).toBe(true);
  });

  test('a REGIONAL web ACL sets the inspection limit of API Gateway and App Runner', () => {
    expect(webAclWith({ bodyInspectionLimit: McpWebAclBodyInspectionLimit.KB_32 }).properties.AssociationConfig).toEqual({
      RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_32' }, APP_RUNNER_SERVICE: { DefaultSizeInspectionLimit: 'KB_32' } },
    });
  });
});

describe('McpWebAcl visibility and logging', () => {
  test('the web ACL and every rule publish metrics named after the service, with sampled requests', () => {
    const { properties } = webAclWith();
    expect(properties.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'orders-mcp-WebAcl' });
    for (const rule of properties.Rules as any[]) {
      expect(rule.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: `orders-mcp-${rule.Name}` });
    }
  });

  test('without a serviceName the metrics are named after the construct', () => {
    const stack = testStack();
    new McpWebAcl(stack, 'Acl');
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
      VisibilityConfig: Match.objectLike({ MetricName: Match.stringLikeRegexp('^Stack-Acl-[A-Za-z0-9]+-WebAcl$') }),
    });
  });

  test('no logging at defaults', () => {
    const { template } = webAclWith();
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  test('logging goes to a new aws-waf-logs- log group (ARN without ":*"), authorization and cookie redacted', () => {
    const { template, acl } = webAclWith({ logging: true });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'), RetentionInDays: 30 });
    const config = Object.values(template.findResources('AWS::WAFv2::LoggingConfiguration')) as any[];
    expect(config).toHaveLength(1);
    expect(config[0].Properties.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }]);
    expect(JSON.stringify(config[0].Properties.LogDestinationConfigs)).toMatch(/:log-group:/);
    expect(JSON.stringify(config[0].Properties.LogDestinationConfigs)).not.toMatch(/:\*/);
    expect(acl.logGroup).toBeDefined();
  });

  test('a given aws-waf-logs- log group turns logging on', () => {
    const stack = testStack();
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Existing', 'aws-waf-logs-orders');
    new McpWebAcl(stack, 'WebAcl', { logGroup });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    expect(JSON.stringify(template.findResources('AWS::WAFv2::LoggingConfiguration'))).toContain('log-group:aws-waf-logs-orders');
  });
});

describe('McpWebAcl validation', () => {
  test('a CLOUDFRONT web ACL outside us-east-1 is refused, saying how to get one', () => {
    expect(() => webAclWith({ scope: McpWebAclScope.CLOUDFRONT }, { region: 'eu-west-1' }))
      .toThrow(/scope is CLOUDFRONT but the stack's region is eu-west-1: .*only in us-east-1.*crossRegionReferences: true.*McpWebAcl\.fromWebAclArn/);
  });

  test('a CLOUDFRONT web ACL in an environment-agnostic stack synthesizes (the region is unknown)', () => {
    expect(webAclWith({ scope: McpWebAclScope.CLOUDFRONT }).properties.Scope).toBe('CLOUDFRONT');
  });

  test('a rate limit out of range, a window AWS WAF does not offer and a body limit of 0 are all reported at once', () => {
    expect(() => webAclWith({ rateLimit: 5, rateLimitWindow: Duration.minutes(3), maxBodySize: Size.bytes(0) })).toThrow(
      /McpWebAcl '.*' has 3 problems:\n- rateLimit must be a whole number between 10 and 2000000000 requests per window \(got 5\)\. \[cdk-mcp:rateLimitRange\]\n- rateLimitWindow must be 1, 2, 5 or 10 minutes.*\(got 3 minutes\)\. \[cdk-mcp:rateLimitWindow\]\n- maxBodySize must be at least 1 byte/,
    );
  });

  test('a rate limit above the maximum is refused', () => {
    expect(() => webAclWith({ rateLimit: 3_000_000_000 })).toThrow(/rateLimit must be a whole number between 10 and 2000000000/);
  });

  test('a log group without the aws-waf-logs- prefix is refused, with the name to use', () => {
    const stack = testStack();
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Existing', 'orders-waf');
    expect(() => new McpWebAcl(stack, 'WebAcl', { logGroup })).toThrow(/logGroup is named "orders-waf".*create one named "aws-waf-logs-orders-waf"/);
  });

  test('logging: false with a log group is a contradiction', () => {
    const stack = testStack();
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Existing', 'aws-waf-logs-x');
    expect(() => new McpWebAcl(stack, 'WebAcl', { logGroup, logging: false })).toThrow(/logging is false but a logGroup is given/);
  });

  test('a service name a metric cannot carry, a blank user agent and a bad rule name are refused', () => {
    expect(() => webAclWith({ serviceName: 'orders mcp' })).toThrow(/serviceName must be 1 to 100 letters.*got "orders mcp"/);
    expect(() => webAclWith({ mcpClientUserAgents: [' '] })).toThrow(/mcpClientUserAgents has " ": each user agent must be 1 to 200 bytes/);
    expect(() => webAclWith({ commonRuleSetCountedRules: ['Size Restrictions'] })).toThrow(/commonRuleSetCountedRules has "Size Restrictions"/);
  });
});

describe('McpWebAcl associations and existing web ACLs', () => {
  test('associate() attaches a REGIONAL web ACL to a resource, once per resource', () => {
    const stack = testStack();
    const acl = new McpWebAcl(stack, 'WebAcl');
    acl.associate('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/mcp/abc');
    acl.associate('arn:aws:apprunner:eu-west-1:123456789012:service/mcp/abc');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 2);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/mcp/abc',
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
    });
    expect(() => acl.associate('arn:aws:apprunner:eu-west-1:123456789012:service/mcp/abc')).toThrow(/There is already a Construct with name 'Association/);
  });

  test('the association id is stable: the same resource gives the same id in another app', () => {
    const ids = [0, 1].map(() => webAclWith().acl.associate('arn:aws:apprunner:eu-west-1:123456789012:service/mcp/abc').node.id);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toMatch(/^Association[0-9a-f]{8}$/);
  });

  test('a CLOUDFRONT web ACL is not associated: the distribution takes its ARN', () => {
    const { acl } = webAclWith({ scope: McpWebAclScope.CLOUDFRONT }, { region: 'us-east-1' });
    expect(() => acl.associate('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/mcp/abc')).toThrow(/scope CLOUDFRONT.*webAclId/);
  });

  test('fromWebAclArn brings an existing web ACL; a global one refuses associate, a regional one associates', () => {
    const stack = testStack();
    const regional = McpWebAcl.fromWebAclArn(stack, 'Regional', 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared/1111-2222');
    expect(regional.webAclArn).toBe('arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared/1111-2222');
    regional.associate('arn:aws:apprunner:eu-west-1:123456789012:service/mcp/abc');
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: regional.webAclArn });
    const global = McpWebAcl.fromWebAclArn(stack, 'Global', 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/3333');
    expect(() => global.associate('arn:aws:apprunner:eu-west-1:123456789012:service/mcp/abc')).toThrow(/scope CLOUDFRONT/);
  });

  test('fromWebAclArn refuses what is not a web ACL ARN', () => {
    expect(() => McpWebAcl.fromWebAclArn(testStack(), 'X', 'arn:aws:waf::123456789012:webacl/1')).toThrow(/webAclArn must be a WAFv2 web ACL ARN/);
  });

  test('a us-east-1 stack\'s CLOUDFRONT web ACL reaches a stack in another region with crossRegionReferences', () => {
    const app = new App();
    const edge = new Stack(app, 'Edge', { env: { region: 'us-east-1', account: '123456789012' }, crossRegionReferences: true });
    const acl = new McpWebAcl(edge, 'WebAcl', { scope: McpWebAclScope.CLOUDFRONT });
    const service = new Stack(app, 'Service', { env: { region: 'eu-west-1', account: '123456789012' }, crossRegionReferences: true });
    new CfnOutput(service, 'EdgeWebAclArn', { value: acl.webAclArn });
    expect(() => app.synth()).not.toThrow();
    // The consumer reads the ARN through an SSM parameter the writer in us-east-1 maintains.
    expect(JSON.stringify(Template.fromStack(service).toJSON())).toMatch(/cdk\/exports\/Service/);
  });
});

describe('McpWebAcl compliance', () => {
  test('a stack with the web ACL, logging and an association passes the AwsSolutions checks', () => {
    const stack = testStack();
    const acl = new McpWebAcl(stack, 'WebAcl', { logging: true });
    acl.associate('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/mcp/abc');
    const report = new AwsSolutionsChecks(undefined).validateScope(stack);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('the Guard rules find nothing on the web ACL beyond the by-design log rules', () => {
    const app = guardApp();
    const stack = new Stack(app, 'WebAclGuard');
    new McpWebAcl(stack, 'WebAcl', { serviceName: 'guard', logging: true }).associate('arn:aws:apprunner:eu-west-1:123456789012:service/mcp/abc');
    const findings = guardFindings(app).filter((f) => f.library);
    // Log retention and log encryption are the user's choice, as for every log group of the library (by-design.json).
    expect(findings.map((f) => f.rule).filter((rule) => !['CT.CLOUDWATCH.PR.2', 'CT.CLOUDWATCH.PR.3'].includes(rule))).toEqual([]);
  }, 120_000);
});
