/**
 * @pretrain/huggingface/testing: local HTTP doubles of the Hugging Face hub and the
 * datasets-server that speak their real protocol, for tests (never for production).
 */
export * from './hub-test-server.js';
export * from './hub-test-state.js';
export * from './datasets-test-routes.js';
