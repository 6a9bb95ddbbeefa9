export * from './web-acl-props';
export * from './web-acl';
export * from './front-door-options';
