export * from './thresholds';
export * from './options';
export * from './service-monitoring';
