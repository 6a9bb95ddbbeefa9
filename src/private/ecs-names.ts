import { Token } from 'aws-cdk-lib';
import { ValidationErrors } from './validation';

/**
 * An ECS service name: up to 255 letters, digits, hyphens and underscores.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-serviceName
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html
 */
const ECS_SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * The `serviceName` of an ECS-based service (Fargate, Express Mode), when one is given (rule
 * `cdk-mcp:ecsServiceNameFormat`). The metric rules of the name are the monitoring's.
 */
export function checkEcsServiceName(errors: ValidationErrors, serviceName: string | undefined): void {
  errors.check(
    'cdk-mcp:ecsServiceNameFormat',
    serviceName === undefined || Token.isUnresolved(serviceName) || ECS_SERVICE_NAME.test(serviceName),
    `serviceName must be 1 to 255 letters, digits, hyphens or underscores, as ECS requires (got "${serviceName}"), e.g. "orders-mcp".`,
  );
}
