export * from './app-runner-source';
export * from './app-runner-service-props';
export * from './app-runner-service';
export * from './app-runner-alarms';
