import { PretrainError, type PretrainErrorOptions } from './pretrain-error.js';

/** Invalid user input: a flag, a config value, a file given on the command line. */
export class UsageError extends PretrainError {
  constructor(message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_USAGE', message, options);
  }
}

/** A `--backend` name or path that resolved to no loadable plugin. */
export class BackendNotFoundError extends PretrainError {
  /** Every module specifier that was tried, in order, with why it failed. */
  readonly tried: readonly { specifier: string; reason: string }[];
  constructor(
    message: string,
    tried: readonly { specifier: string; reason: string }[],
    options?: PretrainErrorOptions,
  ) {
    super('PRETRAIN_BACKEND_NOT_FOUND', message, options);
    this.tried = tried;
  }
}

/** A plugin built for another `apiVersion` of the contract, or not shaped like a plugin. */
export class PluginContractError extends PretrainError {
  constructor(message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_PLUGIN_CONTRACT', message, options);
  }
}

/** A model whose architecture, dtype or shape this code (or this backend) does not support. */
export class UnsupportedModelError extends PretrainError {
  constructor(message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_UNSUPPORTED_MODEL', message, options);
  }
}

/** Model files that are damaged: truncated, overlapping, inconsistent or unparsable. */
export class CorruptModelError extends PretrainError {
  constructor(message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_CORRUPT_MODEL', message, options);
  }
}

/** Why a competitor's model was not accepted (a label for logs and metrics). */
export type RejectionReason =
  | 'no-metadata'
  | 'oversize'
  | 'hash-mismatch'
  | 'missing-commit'
  | 'bad-path'
  | 'pickle-only'
  | 'unsupported-architecture'
  | 'too-many-parameters'
  | 'corrupt'
  | 'download-failed'
  | 'sanity-check'
  | 'eval-failed'
  | 'eval-timeout';

/** A competitor's model refused by a validator check; never fatal to the validator. */
export class ModelRejectedError extends PretrainError {
  /** The check that refused it. */
  readonly reason: RejectionReason;
  constructor(reason: RejectionReason, message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_MODEL_REJECTED', message, options);
    this.reason = reason;
  }
}

/** A chain request failed; `chainError` carries the runtime's error name when there is one. */
export class ChainError extends PretrainError {
  /** e.g. `commitments.CommitmentSetRateLimitExceeded`, or undefined for transport errors. */
  readonly chainError: string | undefined;
  /** The first block at which retrying can succeed, when the chain tells (rate limits). */
  readonly retryAtBlock: number | undefined;
  constructor(
    message: string,
    options: PretrainErrorOptions & { chainError?: string; retryAtBlock?: number } = {},
  ) {
    super('PRETRAIN_CHAIN', message, options);
    this.chainError = options.chainError;
    this.retryAtBlock = options.retryAtBlock;
  }
}

/** A model store (hub or disk) failed to upload, list or download. */
export class ModelStoreError extends PretrainError {
  constructor(message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_MODEL_STORE', message, options);
  }
}

/** A dataset could not deliver pages after its retries. */
export class DatasetError extends PretrainError {
  constructor(message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_DATASET', message, options);
  }
}

/** A wallet keyfile that is missing, unreadable, in an unknown format or locked. */
export class WalletError extends PretrainError {
  constructor(message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_WALLET', message, options);
  }
}

/** An operation that ran past its time limit. */
export class TimeoutError extends PretrainError {
  constructor(message: string, options?: PretrainErrorOptions) {
    super('PRETRAIN_TIMEOUT', message, options);
  }
}
