/**
 * @pretrain/huggingface: the Hugging Face hub model store, datasets-server datasets,
 * offline tokenizers, and a local test double of both remote services.
 */
export * from './hub/hub-model-store.js';
export * from './http/retrying-fetch.js';
export * from './testing/hub-test-server.js';
export * from './testing/hub-test-state.js';
export * from './testing/datasets-test-routes.js';
