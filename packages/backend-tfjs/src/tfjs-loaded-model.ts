import * as tf from '@tensorflow/tfjs-core';
import {
  checkGreedyRequest,
  GreedySelector,
  ModelResource,
  reportedMean,
  type GreedyOptions,
  type LoadedModel,
  type ModelSpec,
  type TokenBatch,
} from '@pretrain/backend-sdk';
import { forwardHidden } from './forward.js';
import { greedyContinuation } from './greedy.js';
import { crossEntropySum } from './head.js';
import { disposeModelTensors, type ModelTensors } from './model-tensors.js';
import { packTokenRows } from './token-batch.js';

/** A model whose weights live as tfjs tensors until {@link dispose}. */
export class TfjsLoadedModel implements LoadedModel {
  private readonly weights: ModelResource<ModelTensors>;

  /**
   * @param activate makes this backend's tfjs runtime the active one before each call.
   * @param onDispose lets the backend forget this model.
   */
  constructor(
    readonly spec: ModelSpec,
    weights: ModelTensors,
    private readonly activate: () => Promise<void>,
    private readonly onDispose: (model: TfjsLoadedModel) => void = () => {},
  ) {
    this.weights = new ModelResource(weights, spec.dir);
  }

  /** Mean loss per batch, row by row; NaN where PyTorch's would be NaN (see `reportedMean`). */
  async losses(
    batches: readonly TokenBatch[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<number[]> {
    const checked = batches.map((batch) => packTokenRows(this.spec, batch, 2));
    const weights = this.weights.get();
    await this.activate();
    const out: number[] = [];
    for (const rows of checked) {
      let sum = 0;
      for (const ids of rows) {
        options.signal?.throwIfAborted();
        const hidden = forwardHidden(this.spec, weights, ids);
        try {
          // Position t predicts token t + 1; the last position predicts nothing.
          const inputs = tf.slice(hidden, [0, 0], [ids.length - 1, -1]); // all columns: a head bias adds one
          try {
            sum += await crossEntropySum(inputs, ids.subarray(1), weights.headChunks);
          } finally {
            inputs.dispose();
          }
        } finally {
          hidden.dispose();
        }
      }
      out.push(reportedMean(sum, rows.length * ((rows[0] as Int32Array).length - 1)));
    }
    return out;
  }

  async greedy(
    prompts: readonly (readonly number[])[],
    count: number,
    options: GreedyOptions = {},
  ): Promise<number[][]> {
    checkGreedyRequest(this.spec, prompts, count, options.excludeTokens, options.processors);
    const checked = prompts.map((prompt) => Int32Array.from(prompt));
    const weights = this.weights.get();
    if (count === 0) return prompts.map(() => []);
    await this.activate();
    const results: number[][] = [];
    for (const [i, ids] of checked.entries()) {
      const selector = new GreedySelector(
        this.spec.vocabSize,
        prompts[i] as readonly number[],
        count,
        options,
      );
      results.push(await greedyContinuation(this.spec, weights, ids, count, selector));
    }
    return results;
  }

  async dispose(): Promise<void> {
    const weights = this.weights.take();
    if (weights === undefined) return;
    this.onDispose(this);
    disposeModelTensors(weights);
  }
}
