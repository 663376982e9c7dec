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
 * An injection token that carries the type it resolves to. At runtime it is a plain
 * registered symbol (`Symbol.for(key)`), so copies of core loaded twice agree on it; the
 * phantom type lets {@link bind} check a binding and {@link Container.resolve} type the result.
 */
export type Token<T> = symbol & { readonly __resolvesTo?: T };

/** The token `Symbol.for(key)`, typed as resolving to `T`. */
export function token<T>(key: string): Token<T> {
  return Symbol.for(key) as Token<T>;
}

/**
 * Injection tokens, one per contract. Interfaces vanish at runtime, so every
 * registration and `@inject` names one of these explicitly.
 */
export const TOKENS = Object.freeze({
  ChainClient: token<ChainClient>('pretrain.ChainClient'),
  ModelStore: token<ModelStore>('pretrain.ModelStore'),
  LocalModelStore: token<LocalModelStore>('pretrain.LocalModelStore'),
  Dataset: token<Dataset>('pretrain.Dataset'),
  Tokenizer: token<Tokenizer>('pretrain.Tokenizer'),
  LossBackend: token<LossBackend>('pretrain.LossBackend'),
  Logger: token<Logger>('pretrain.Logger'),
});
