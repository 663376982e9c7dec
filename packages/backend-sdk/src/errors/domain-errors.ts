import { PretrainError, type PretrainErrorOptions } from './pretrain-error.js';

/**
 * The base of a subclass that only fixes the `code`: `class XError extends
 * withCode('PRETRAIN_X') {}` keeps its own name and `instanceof` while the constructor
 * is written once.
 */
function withCode(code: string): new (message: string, options?: PretrainErrorOptions) => PretrainError {
  return class extends PretrainError {
    constructor(message: string, options?: PretrainErrorOptions) {
      super(code, message, options);
    }
  };
}

/** Invalid user input: a flag, a config value, a file given on the command line. */
export class UsageError extends withCode('PRETRAIN_USAGE') {}

/** A plugin name or path (`--model-store`, `--dataset`, ...) that resolved to no loadable plugin. */
export class PluginNotFoundError extends PretrainError {
  /** Every module specifier that was tried, in order, with why it failed. */
  readonly tried: readonly { specifier: string; reason: string }[];
  constructor(
    message: string,
    tried: readonly { specifier: string; reason: string }[],
    options?: PretrainErrorOptions,
    code = 'PRETRAIN_PLUGIN_NOT_FOUND',
  ) {
    super(code, message, options);
    this.tried = tried;
  }
}

/** A `--backend` name or path that resolved to no loadable plugin. */
export class BackendNotFoundError extends PluginNotFoundError {
  constructor(
    message: string,
    tried: readonly { specifier: string; reason: string }[],
    options?: PretrainErrorOptions,
  ) {
    super(message, tried, options, 'PRETRAIN_BACKEND_NOT_FOUND');
  }
}

/** A plugin built for another `apiVersion` of the contract, or not shaped like a plugin. */
export class PluginContractError extends withCode('PRETRAIN_PLUGIN_CONTRACT') {}

/** A model whose architecture, dtype or shape this code (or this backend) does not support. */
export class UnsupportedModelError extends withCode('PRETRAIN_UNSUPPORTED_MODEL') {}

/** Model files that are damaged: truncated, overlapping, inconsistent or unparsable. */
export class CorruptModelError extends withCode('PRETRAIN_CORRUPT_MODEL') {}

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
export class ModelStoreError extends withCode('PRETRAIN_MODEL_STORE') {}

/** A dataset could not deliver pages after its retries. */
export class DatasetError extends withCode('PRETRAIN_DATASET') {}

/** A wallet keyfile that is missing, unreadable, in an unknown format or locked. */
export class WalletError extends withCode('PRETRAIN_WALLET') {}

/** An operation that ran past its time limit. */
export class TimeoutError extends withCode('PRETRAIN_TIMEOUT') {}
