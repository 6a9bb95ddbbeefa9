export * from './thresholds';
export * from './options';
export * from './service-monitoring';
export * from './lambda-alarms';
export * from './fargate-alarms';
export * from './app-runner-alarms';
