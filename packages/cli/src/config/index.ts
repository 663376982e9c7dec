export * from './backend-options.js';
export * from './config-schema.js';
export * from './describe-config.js';
export * from './load-config.js';
export * from './parse-config-value.js';
