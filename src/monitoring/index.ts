export * from './thresholds';
export * from './options';
export * from './service-monitoring';
export * from './deploy-gate';
export * from './platform-alarm-options';
export * from './tool-metrics-options';
