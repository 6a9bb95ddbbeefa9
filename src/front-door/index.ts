export * from './web-acl-props';
export * from './web-acl';
