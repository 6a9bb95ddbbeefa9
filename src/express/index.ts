export * from './express-service-props';
export * from './express-service';
export * from './express-alarms';
