import type { InjectionToken } from 'tsyringe';
import type {
  ChainClient,
  Dataset,
  LocalModelStore,
  Logger,
  LossBackend,
  ModelStore,
  Tokenizer,
} from '../contracts/index.js';

/**
 * Injection tokens, one per contract. Interfaces vanish at runtime, so every
 * registration and `@inject` names one of these explicitly.
 */
export const TOKENS = {
  ChainClient: Symbol.for('pretrain.ChainClient') as InjectionToken<ChainClient>,
  ModelStore: Symbol.for('pretrain.ModelStore') as InjectionToken<ModelStore>,
  LocalModelStore: Symbol.for('pretrain.LocalModelStore') as InjectionToken<LocalModelStore>,
  Dataset: Symbol.for('pretrain.Dataset') as InjectionToken<Dataset>,
  Tokenizer: Symbol.for('pretrain.Tokenizer') as InjectionToken<Tokenizer>,
  LossBackend: Symbol.for('pretrain.LossBackend') as InjectionToken<LossBackend>,
  Logger: Symbol.for('pretrain.Logger') as InjectionToken<Logger>,
} as const;
