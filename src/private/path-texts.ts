import { Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { describePath, SECURITY_GROUP_DESCRIPTION_MAX, TAG_VALUE_MAX } from './limits';

/**
 * Cuts the descriptions of the security groups that aws-cdk-lib creates under `owner` on its own
 * (a Lambda function's or an ECS service's in a VPC), which it derives from the construct path:
 * under a deep path they exceed the 255 characters EC2 allows and the deploy fails. A description
 * that fits is left as it is, so templates of ordinary paths do not change.
 */
export function fitSecurityGroupDescriptions(owner: IConstruct): void {
  for (const child of owner.node.findAll()) {
    if (!(child instanceof ec2.CfnSecurityGroup)) continue;
    const description = child.groupDescription;
    if (typeof description === 'string' && !Token.isUnresolved(description) && description.length > SECURITY_GROUP_DESCRIPTION_MAX) {
      // The group's own path (the owner's, plus `/SecurityGroup`), cut at its start.
      child.groupDescription = describePath('Security group of ', child.node.scope!.node.path, SECURITY_GROUP_DESCRIPTION_MAX);
    }
  }
}

/**
 * Cuts the `Name` tags aws-cdk-lib gives a VPC it creates and everything in it (the VPC's path,
 * each subnet's path, inherited by route tables, gateways, flow logs): under a deep path they
 * exceed the 256 characters of a tag value and the deploy fails. Only when one of them is too
 * long; the overrides take precedence over aws-cdk-lib's tags (priority 100) and keep the
 * subnets' names apart from the VPC's.
 */
export function fitVpcNameTags(vpc: ec2.Vpc): void {
  const subnets = [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets];
  const longest = Math.max(vpc.node.path.length, ...subnets.map((s) => s.node.path.length));
  if (longest <= TAG_VALUE_MAX) {
    return;
  }
  Tags.of(vpc).add('Name', describePath('', vpc.node.path, TAG_VALUE_MAX), { priority: 101 });
  for (const subnet of subnets) {
    Tags.of(subnet).add('Name', describePath('', subnet.node.path, TAG_VALUE_MAX), { priority: 102 });
  }
}
