import { Annotations, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/**
 * Let CloudWatch Logs use `key` for the log groups of this account and Region, with the key
 * policy statement the CloudWatch Logs guide gives: principal `logs.<region>.amazonaws.com`,
 * `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `kms:Describe*`, under
 * the condition `kms:EncryptionContext:aws:logs:arn` (the log group ARN; a wildcard here, as the
 * group's ARN cannot be named in the policy of the key it depends on). An imported key's policy
 * cannot be changed: a warning (`cdk-mcp:logKeyPolicyNotModified`) says what to add.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function allowLogsToUseKey(scope: IConstruct, key: kms.IKey, propName = 'logEncryptionKey'): void {
  const stack = Stack.of(scope);
  const result = key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  }));
  if (!result.statementAdded) {
    Annotations.of(scope).addWarningV2(
      'cdk-mcp:logKeyPolicyNotModified',
      `${propName} is imported, so its key policy cannot be changed here: allow logs.${stack.region}.amazonaws.com kms:Encrypt*, kms:Decrypt*, ` +
        'kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* on it, or the log groups fail to create.',
    );
  }
}
