export * from './backend-names.js';
export * from './backend-options.js';
export * from './define-backend-plugin.js';
export * from './load-backend-plugin.js';
export * from './resolve-module-from.js';
export * from './validate-backend-plugin.js';
