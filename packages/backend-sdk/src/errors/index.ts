export * from './pretrain-error.js';
export * from './domain-errors.js';
