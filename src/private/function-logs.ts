import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { allowLogsToUseKey } from './log-encryption';

/** Options of {@link createFunctionLogs}. */
export interface FunctionLogsOptions {
  /** What the role is for, in its description. */
  readonly roleDescription: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly retention?: logs.RetentionDays;
  /** A key for the log group; its key policy gets the CloudWatch Logs statement. @default - CloudWatch Logs' own key */
  readonly encryptionKey?: kms.IKey;
  /** The log group's construct id. @default 'LogGroup' */
  readonly logGroupId?: string;
  /** The role's construct id. @default 'ServiceRole' */
  readonly roleId?: string;
}

/** A function's log group and its execution role. */
export interface FunctionLogs {
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
}

/**
 * A Lambda function's own log group and an execution role that may write to it and nothing else
 * yet: least privilege instead of AWSLambdaBasicExecutionRole (the L2's default), which writes to
 * every log group. The construct ids are a public contract (a new id replaces the resource).
 */
export function createFunctionLogs(scope: Construct, options: FunctionLogsOptions): FunctionLogs {
  if (options.encryptionKey) {
    allowLogsToUseKey(scope, options.encryptionKey);
  }
  const logGroup = new logs.LogGroup(scope, options.logGroupId ?? 'LogGroup', {
    retention: options.retention ?? logs.RetentionDays.ONE_MONTH,
    encryptionKey: options.encryptionKey,
  });
  const role = new iam.Role(scope, options.roleId ?? 'ServiceRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: options.roleDescription,
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));
  return { logGroup, role };
}
