import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ValidationErrors } from '../../private/validation';
import { IMcpWebAcl, McpWebAcl } from '../web-acl';
import { McpWebAclScope } from '../web-acl-props';

/**
 * Checks that `webAcl` (a kind's `webAcl` prop) can protect a regional resource of `scope`'s
 * stack (a load balancer, an App Runner service): scope `REGIONAL`, and the stack's region where
 * both regions are known. A regional web ACL protects resources in its own region only
 * (https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html).
 * Problems go into `errors` under `cdk-mcp:webAclNotRegional` and `cdk-mcp:webAclRegion`.
 *
 * @param resource what the web ACL would protect, for the message, e.g. "the load balancer"
 */
export function checkRegionalWebAcl(errors: ValidationErrors, scope: IConstruct, webAcl: IMcpWebAcl | undefined, resource: string): void {
  if (!webAcl) {
    return;
  }
  const arn = webAcl.webAclArn;
  const arnKnown = !Token.isUnresolved(arn);
  const aclScope = webAcl instanceof McpWebAcl
    ? webAcl.webAclScope
    : arnKnown && arn.includes(':global/webacl/') ? McpWebAclScope.CLOUDFRONT : undefined;
  errors.check(
    'cdk-mcp:webAclNotRegional',
    aclScope !== McpWebAclScope.CLOUDFRONT,
    `webAcl has scope CLOUDFRONT, which protects CloudFront distributions only, not ${resource}: pass a web ACL with scope REGIONAL `
      + '(new McpWebAcl(this, \'WebAcl\') at its default scope, or McpWebAcl.fromWebAclArn with a regional ARN) in the service\'s region.',
  );
  const aclRegion = webAcl instanceof McpWebAcl ? Stack.of(webAcl).region : arnKnown ? arn.split(':')[3] : undefined;
  const region = Stack.of(scope).region;
  errors.check(
    'cdk-mcp:webAclRegion',
    aclScope === McpWebAclScope.CLOUDFRONT || aclRegion === undefined || Token.isUnresolved(aclRegion) || Token.isUnresolved(region)
      || aclRegion === region,
    `webAcl is in ${aclRegion} but ${resource} is in ${region}: a regional web ACL protects resources in its own region only. Create the web ACL in ${region}.`,
  );
}
