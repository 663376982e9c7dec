export * from './backend-names.js';
export * from './load-backend-plugin.js';
