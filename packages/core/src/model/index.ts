export * from './model-id.js';
export * from './model-id-codec.js';
export * from './model-hash.js';
export * from './walk-model-files.js';
export * from './pretrained-files.js';
