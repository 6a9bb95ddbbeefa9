import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { describePath, ROLE_DESCRIPTION_MAX } from './limits';

/** The two roles of an MCP server's ECS tasks. */
export interface EcsTaskRoles {
  /** The role ECS uses to pull the image, write logs and read secrets: child `ExecutionRole`. */
  readonly executionRole: iam.Role;
  /** The role the server's code runs as: the user's, or child `TaskRole`. */
  readonly taskRole: iam.IRole;
}

/**
 * The execution role and the task role of an MCP server on ECS (Fargate behind the construct's
 * load balancer, or Express Mode), with no policy yet: the service grants each what it needs. The
 * ids `ExecutionRole` and `TaskRole` are a public contract (a new id replaces the role).
 *
 * @param taskRole the user's task role, used instead of a new one
 */
export function createEcsTaskRoles(scope: Construct, taskRole: iam.IRole | undefined): EcsTaskRoles {
  const principal = new iam.ServicePrincipal('ecs-tasks.amazonaws.com');
  const path = scope.node.path;
  return {
    executionRole: new iam.Role(scope, 'ExecutionRole', {
      assumedBy: principal,
      description: describePath('ECS execution role of the MCP server ', path, ROLE_DESCRIPTION_MAX, ': pulls the image, writes logs, reads secrets'),
    }),
    taskRole: taskRole ?? new iam.Role(scope, 'TaskRole', {
      assumedBy: principal,
      description: describePath('Task role of the MCP server ', path, ROLE_DESCRIPTION_MAX, ': what its tools may do'),
    }),
  };
}
