export * from './model-id.js';
