export * from './fargate-service-props';
export * from './fargate-service';
export * from './fargate-alarms';
