export * from './web-function-code';
export * from './web-function-service-props';
export * from './web-function-service';
export * from './web-function-alarms';
