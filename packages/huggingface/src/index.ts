/**
 * @pretrain/huggingface: the Hugging Face hub model store, datasets-server datasets,
 * offline tokenizers, and a local test double of both remote services.
 */
export * from './hub/hub-model-store.js';
export * from './http/retrying-fetch.js';
export * from './datasets/create-dataset.js';
export * from './datasets/datasets-server-client.js';
export * from './datasets/falcon-dataset.js';
export * from './datasets/fineweb-edu-dataset.js';
export * from './datasets/page-draws.js';
export * from './datasets/seeded-random.js';
export * from './tokenizers/load-tokenizer.js';
export * from './tokenizers/tiktoken-tokenizer.js';
export * from './tokenizers/json-tokenizer.js';
export * from './plugins/hub-plugins.js';
