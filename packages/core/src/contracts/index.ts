export * from './chain-client.js';
export * from './model-store.js';
export * from './local-model-store.js';
export * from './dataset.js';
export * from './tokenizer.js';
export * from './loss-backend.js';
export * from './logger.js';
