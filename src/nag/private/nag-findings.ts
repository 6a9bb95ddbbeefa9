import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * A CloudFormation value as cdk-nag writes it in a finding id: `Fn::Join` joined, `Ref` as
 * `<Name>`, `Fn::GetAtt` as `<Resource.Attribute>`, `${...}` of `Fn::Sub` as `<...>` (cdk-nag's
 * utils/flatten-cfn-reference.ts, https://github.com/cdklabs/cdk-nag).
 */
export function flattenCfnValue(node: any): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return (items as any[]).map(flattenCfnValue).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenCfnValue(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${flattenCfnValue(resource)}.${flattenCfnValue(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenCfnValue(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenCfnValue(node.Ref)}>`;
  return JSON.stringify(node);
}

const asArray = (value: any): any[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/**
 * The `AwsSolutions-IAM5[...]` findings (wildcard actions and resources of Allow statements)
 * cdk-nag reports on the IAM policies in `scope` (its IAMNoWildcardPermissions rule), as ids.
 */
export function wildcardFindings(scope: IConstruct): string[] {
  const found = new Set<string>();
  for (const node of scope.node.findAll()) {
    if (!(node instanceof iam.CfnPolicy)) continue;
    const document = Stack.of(node).resolve(node.policyDocument);
    for (const statement of asArray(document?.Statement)) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of asArray(statement.Action)) {
        if (String(action).includes('*')) found.add(`AwsSolutions-IAM5[Action::${action}]`);
      }
      for (const resource of asArray(statement.Resource).map(flattenCfnValue)) {
        if (resource.includes('*')) found.add(`AwsSolutions-IAM5[Resource::${resource}]`);
      }
    }
  }
  return [...found];
}

/** The `AwsSolutions-IAM4[Policy::...]` findings (AWS managed policies) of the roles in `scope`. */
export function managedPolicyFindings(scope: IConstruct): string[] {
  const found = new Set<string>();
  for (const node of scope.node.findAll()) {
    if (!(node instanceof iam.CfnRole)) continue;
    for (const arn of asArray(Stack.of(node).resolve(node.managedPolicyArns)).map(flattenCfnValue)) {
      if (/:iam::aws:policy\//.test(arn)) found.add(`AwsSolutions-IAM4[Policy::${arn}]`);
    }
  }
  return [...found];
}

/** A property of the L1 resource behind `construct`, resolved, or undefined. */
export function resolvedProperty(construct: IConstruct, read: (resource: any) => any): any {
  const resource = construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) return undefined;
  return Stack.of(construct).resolve(read(resource));
}
