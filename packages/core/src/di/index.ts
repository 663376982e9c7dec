export * from './tokens.js';
export * from './composition-root.js';
