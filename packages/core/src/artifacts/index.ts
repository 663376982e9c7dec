export * from './model-spec.js';
