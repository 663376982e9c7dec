import { token, type Dataset, type LossBackendPlugin, type Tokenizer } from '@pretrain/core';

/**
 * Tokens the CLI's composition root binds beside the contract tokens of core
 * (`TOKENS.ChainClient`, `TOKENS.ModelStore`, ...): what a command needs per name rather
 * than one instance.
 */
export const CLI_TOKENS = Object.freeze({
  /** The `--backend` plugin (loaded, not yet created: the validator creates it in children). */
  BackendPlugin: token<LossBackendPlugin>('pretrain.cli.BackendPlugin'),
  /** The dataset for a criteria's dataset name (`--dataset` overrides every name). */
  DatasetFor: token<(name: string) => Promise<Dataset>>('pretrain.cli.DatasetFor'),
  /** The tokenizer for a criteria's tokenizer name, loaded once per name. */
  TokenizerFor: token<(name: string) => Promise<Tokenizer>>('pretrain.cli.TokenizerFor'),
});
