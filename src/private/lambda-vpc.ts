import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What a Lambda function in a VPC needs on its own role, as AWS's managed policy
 * AWSLambdaVPCAccessExecutionRole grants it: Lambda creates and deletes the function's network
 * interfaces with the execution role, and rejects a VPC function whose role lacks these at
 * deploy. The EC2 actions support no resource-level scoping.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
 */
export function grantVpcNetworkInterfaces(role: iam.IRole): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: [
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
    ],
    resources: ['*'],
  }));
}
