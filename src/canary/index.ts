export * from './canary-enums';
export * from './canary-auth';
export * from './canary';
