export * from './plugin-names.js';
export * from './backend-names.js';
export * from './define-port-plugin.js';
export * from './locate-plugin.js';
export * from './load-backend-plugin.js';
export * from './load-port-plugin.js';
export * from './validate-port-plugin.js';
