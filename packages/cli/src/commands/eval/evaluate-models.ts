import {
  evaluateModel,
  sanityPrompts,
  type LossBackend,
  type ModelSpec,
  type TokenBatch,
} from '@pretrain/core';

/** Losses of one model and what its sanity check said. */
export interface ModelEvaluation {
  /** Per batch; +Infinity for every batch when the sanity check or the evaluation failed. */
  readonly losses: readonly number[];
  /** `failed` when the model was rejected: by the sanity check, or a load or runtime error. */
  readonly sanity: 'passed' | 'failed' | 'skipped';
  /** Why it was rejected, when it was. */
  readonly failure?: string | undefined;
  /** Where the reference's check differs for this model (e.g. its generation config samples). */
  readonly notes?: readonly string[] | undefined;
}

/** Options of {@link evaluateModels}. */
export interface EvaluateModelsOptions {
  readonly backend: LossBackend;
  readonly specs: readonly ModelSpec[];
  readonly batches: readonly TokenBatch[];
  /** Run the greedy sanity check first (docs/SUBNET.md §5), as validators do. */
  readonly sanityCheck: boolean;
  /** After each batch of each model: steps done so far, and the model's index. */
  readonly onProgress?: (done: number, model: number) => void;
}

/**
 * Evaluate models one after another on one shared backend with the validator's own
 * `evaluateModel` (sanity check, then one loss per batch; any failure scores +Infinity
 * everywhere), so `pretrain eval` predicts exactly what a validator computes.
 */
export async function evaluateModels(options: EvaluateModelsOptions): Promise<ModelEvaluation[]> {
  // A bad input (fewer than two batches for the check) is the user's error, not the model's.
  if (options.sanityCheck) sanityPrompts(options.batches);
  const results: ModelEvaluation[] = [];
  const perModel = options.batches.length;
  for (const [index, spec] of options.specs.entries()) {
    const outcome = await evaluateModel({
      backend: options.backend,
      modelDir: spec.dir,
      batches: options.batches,
      sanityCheck: options.sanityCheck,
      onProgress: ({ batchesDone }) => options.onProgress?.(index * perModel + batchesDone, index),
    });
    if (outcome.failure) options.onProgress?.((index + 1) * perModel, index);
    results.push({
      losses: outcome.losses,
      sanity: outcome.failure ? 'failed' : options.sanityCheck ? 'passed' : 'skipped',
      failure: outcome.failure && `${outcome.failure.reason}: ${outcome.failure.message}`,
      notes: outcome.notes,
    });
  }
  return results;
}
