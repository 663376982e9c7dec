import type { GreedyOptions, TokenBatch } from '../contracts/loss-backend.js';
import type { GreedySelector } from './greedy-selector.js';

/**
 * A loss batch after the facade checked it (`checkTokenRows`): `rows × length` token ids,
 * 2 ≤ length ≤ `spec.maxPositions`, every id an integer inside the vocabulary.
 */
export interface CheckedBatch {
  readonly rows: number;
  /** Tokens per row. */
  readonly length: number;
  /** The ids, row-major (`rows × length`). */
  readonly tokens: Int32Array;
  /** The batch as the caller gave it. */
  readonly batch: TokenBatch;
}

/**
 * A batch's loss as a handler computes it: the mean the model reports is `sum / count`
 * (through `reportedMean`, so `-Infinity` becomes NaN). `count` is what the sum was taken
 * over: `rows × (length − 1)` for per-token losses, `rows` for a sum of per-row means.
 */
export interface LossSum {
  readonly sum: number;
  readonly count: number;
}

/** A greedy request after the facade checked it (`checkGreedyRequest`); `count` ≥ 1. */
export interface CheckedGreedyRequest {
  readonly prompts: readonly (readonly number[])[];
  readonly count: number;
  readonly options: GreedyOptions;
  /** One per prompt: chooses each token from the last position's logits (processors, then argmax). */
  readonly selectors: readonly GreedySelector[];
  /** The EOS ids inside the vocabulary, for kernels that take the argmax themselves. */
  readonly excludeTokens: Int32Array;
}

/**
 * What a backend implements for a loaded model; `createLoadedModel(spec, handler)` wraps it
 * in the checking facade, which every loaded model goes through. The facade has already
 * checked every input, runs one call at a time, stops between batches on abort or dispose,
 * turns the sums into reported means, checks every result, and calls {@link release} once,
 * after the running call ended. So a handler holds no "disposed" state and repeats none of
 * those checks.
 */
export interface LoadedModelHandler {
  /**
   * The cross-entropy of one checked batch (logits[:, :-1] against tokens[:, 1:], in the
   * max-shifted frame: see `LoadedModel.losses`). A long batch may check `signal` between
   * rows; the facade checks it between batches.
   */
  lossSum(batch: CheckedBatch, signal: AbortSignal): Promise<LossSum>;
  /** `count` greedy tokens for each prompt, chosen by its selector (`selectors[i].next(logits)`). */
  greedy(request: CheckedGreedyRequest, signal: AbortSignal): Promise<number[][]>;
  /** Optional: interrupt the running call because the model is being disposed. */
  interrupt?(): void;
  /**
   * Optional: the error to raise for `cause`, thrown by a handler method, that is neither a
   * `PretrainError` nor an abort (e.g. a native addon's error, mapped to a typed one).
   */
  describeError?(cause: unknown): Error;
  /** Free everything the model holds. Called once, never during a call. */
  release(): Promise<void> | void;
}
