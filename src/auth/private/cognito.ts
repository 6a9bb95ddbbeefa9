/** The scope names of an MCP resource server unless the user gives others. */
export const DEFAULT_MCP_SCOPES = ['mcp:tools'] as const;

/**
 * The CloudFormation `AWS::Cognito::UserPool.DcrConfiguration` value: registration for the
 * authorization-code grant only (PKCE is Cognito's S256, required of public clients), open
 * registration only when asked. Property names from the CloudFormation reference
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cognito-userpool-dcrconfiguration.html);
 * the `EnableStatus` value and the grant-type spellings are UNCONFIRMED until deployed.
 *
 * @param open whether anyone may register without an initial access token
 * @param allowedScopes the full scope names registered clients may ask for
 */
export function cognitoDcrConfiguration(open: boolean, allowedScopes: readonly string[]): { [key: string]: unknown } {
  return {
    EnableStatus: 'ENABLED',
    OpenDcrEnabled: open,
    ...(open ? { OpenDcrGrantTypes: ['authorization_code'] } : {}),
    AuthenticatedGrantTypes: ['authorization_code'],
    AllowedScopes: [...allowedScopes],
  };
}

/**
 * A Cognito domain prefix from a construct's unique name and the account id: lowercase letters,
 * digits and hyphens, without the words Cognito refuses (`aws`, `amazon`, `cognito`), unique in
 * the Region across accounts thanks to the account id.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
 */
export function cognitoDomainPrefix(uniqueName: string, account: string): string {
  const name = uniqueName.toLowerCase().replace(/aws|amazon|cognito/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return `mcp-${name}-${account}`;
}
