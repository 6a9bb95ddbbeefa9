import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * A Lambda execution role that may write to `logGroup` and nothing else yet: the least-privilege
 * start of a function's role, instead of `AWSLambdaBasicExecutionRole` (logs anywhere, and the
 * cdk-nag finding `AwsSolutions-IAM4`).
 */
export function lambdaRoleWritingLogs(scope: Construct, id: string, description: string, logGroup: logs.ILogGroup): iam.Role {
  const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));
  return role;
}
