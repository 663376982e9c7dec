export * from './tokens.js';
export * from './container.js';
