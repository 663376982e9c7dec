import {
  passesSanityCheck,
  sanityPrompts,
  SUBNET9_CONSTANTS,
  type LossBackend,
  type ModelSpec,
  type TokenBatch,
} from '@pretrain/core';

/** Losses of one model and what its sanity check said. */
export interface ModelEvaluation {
  /** Per batch; +Infinity for every batch when the sanity check failed. */
  readonly losses: number[];
  readonly sanity: 'passed' | 'failed' | 'skipped';
}

/** Options of {@link evaluateModels}. */
export interface EvaluateModelsOptions {
  readonly backend: LossBackend;
  readonly specs: readonly ModelSpec[];
  readonly batches: readonly TokenBatch[];
  /** Run the greedy sanity check first (SUBNET9.md §5), as validators do. */
  readonly sanityCheck: boolean;
  /** After each batch of each model: steps done so far, and the model's index. */
  readonly onProgress?: (done: number, model: number) => void;
}

/**
 * Evaluate models one after another on one backend, as a validator does: the greedy
 * sanity check on prompts from batches 0 and 1 (EOS excluded), then one loss per batch
 * (NaN counts as +Infinity). A model that fails the check scores +Infinity everywhere.
 * Each model is disposed before the next is loaded.
 */
export async function evaluateModels(options: EvaluateModelsOptions): Promise<ModelEvaluation[]> {
  const prompts = options.sanityCheck ? sanityPrompts(options.batches) : [];
  const results: ModelEvaluation[] = [];
  let done = 0;
  for (const [index, spec] of options.specs.entries()) {
    const model = await options.backend.load(spec);
    try {
      if (options.sanityCheck) {
        const continuations = await model.greedy(prompts, SUBNET9_CONSTANTS.sanityGeneratedTokens, {
          excludeTokens: spec.eosTokenIds,
        });
        if (!passesSanityCheck(continuations)) {
          done += options.batches.length;
          options.onProgress?.(done, index);
          results.push({ losses: options.batches.map(() => Infinity), sanity: 'failed' });
          continue;
        }
      }
      const losses: number[] = [];
      for (const batch of options.batches) {
        const [loss] = await model.losses([batch]);
        losses.push(loss === undefined || Number.isNaN(loss) ? Infinity : loss);
        options.onProgress?.(++done, index);
      }
      results.push({ losses, sanity: options.sanityCheck ? 'passed' : 'skipped' });
    } finally {
      await model.dispose();
    }
  }
  return results;
}
