export * from './chain-client.js';
export * from './model-store.js';
export * from './local-model-store.js';
export * from './dataset.js';
export * from './tokenizer.js';
// The backend contract lives in @pretrain/backend-sdk, where backends find it.
export {
  LOSS_BACKEND_API_VERSION,
  type BackendCapabilities,
  type GreedyOptions,
  type GreedyProcessors,
  type LoadedModel,
  type LossBackend,
  type LossBackendOptions,
  type LossBackendPlugin,
  type PluginMeta,
  type TokenBatch,
} from '@pretrain/backend-sdk';
export * from './logger.js';
export * from './port-plugin.js';
