// The public API, by concern. Each service kind lives in its own folder, laid out alike:
// <kind>-service-props.ts, <kind>-service.ts, <kind>-alarms.ts and private/.
export * from './service';
export * from './canary';
export * from './monitoring';
export * from './lambda';
export * from './fargate';
export * from './app-runner';
export * from './web-function';
export * from './express';
export * from './front-door';
export * from './auth';
export * from './nag';
