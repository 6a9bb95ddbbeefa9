export * from './web-adapter';
export * from './server-code';
export * from './lambda-service-props';
export * from './lambda-service';
export * from './lambda-alarms';
