export * from './web-adapter';
export * from './server-code';
export * from './lambda-service';
export * from './fargate-service';
export * from './app-runner-service';
export * from './canary';
export * from './monitoring';
