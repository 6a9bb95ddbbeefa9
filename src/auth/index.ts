export * from './authorization-server';
export * from './cognito-authorization-server';
export * from './oauth-client';
export * from './auth';
