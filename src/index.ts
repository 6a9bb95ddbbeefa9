export * from './web-adapter';
export * from './server-code';
export * from './lambda-service';
