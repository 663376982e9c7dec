/**
 * @pretrain/core: contracts, DI tokens, errors, the subnet-9 rules and embedded
 * implementations that need nothing external.
 */
export * from '@pretrain/backend-sdk';
export * from './contracts/index.js';
export * from './di/index.js';
export * from './model/index.js';
export * from './storage/download-guards.js';
export * from './storage/confined-file.js';
export * from './storage/download-guards-files.js';
export * from './storage/select-loaded-files.js';
export * from './storage/directory-model-store.js';
export * from './storage/directory-store-plugin.js';
export * from './criteria/index.js';
export * from './plugins/index.js';
export * from './scoring/index.js';
export * from './tracker/index.js';
export * from './storage/local-model-store-layout.js';
export * from './storage/disk-local-model-store.js';
export * from './dataset/index.js';
export * from './miner/index.js';
export * from './validator/index.js';
