export * from './thresholds';
export * from './options';
export * from './service-monitoring';
export * from './deploy-gate';
export * from './tool-metrics';
