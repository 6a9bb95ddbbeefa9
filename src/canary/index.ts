export * from './canary-enums';
export * from './canary-auth';
export * from './canary';
export * from './probe-metric-options';
