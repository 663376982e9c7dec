import * as tf from '@tensorflow/tfjs-core';
import type {
  CheckedBatch,
  CheckedGreedyRequest,
  LoadedModelHandler,
  LossSum,
  ModelSpec,
} from '@pretrain/backend-sdk';
import { forwardHidden } from './forward.js';
import { greedyContinuation } from './greedy.js';
import { crossEntropySum } from './head.js';
import { disposeModelTensors, type ModelTensors } from './model-tensors.js';

/**
 * A model whose weights live as tfjs tensors until released, behind the SDK's checking
 * facade (`createLoadedModel`), which checks inputs and results and runs one call at a time.
 */
export class TfjsLoadedModel implements LoadedModelHandler {
  /** @param activate makes this backend's tfjs runtime the active one before each call. */
  constructor(
    private readonly spec: ModelSpec,
    private readonly weights: ModelTensors,
    private readonly activate: () => Promise<void>,
  ) {}

  /** The sum of every position's loss, row by row (one forward pass each). */
  async lossSum({ tokens, rows, length }: CheckedBatch, signal: AbortSignal): Promise<LossSum> {
    await this.activate();
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      signal.throwIfAborted();
      const ids = tokens.subarray(r * length, (r + 1) * length);
      const hidden = forwardHidden(this.spec, this.weights, ids);
      try {
        // Position t predicts token t + 1; the last position predicts nothing.
        const inputs = tf.slice(hidden, [0, 0], [length - 1, -1]); // all columns: a head bias adds one
        try {
          sum += await crossEntropySum(inputs, ids.subarray(1), this.weights.headChunks);
        } finally {
          inputs.dispose();
        }
      } finally {
        hidden.dispose();
      }
    }
    return { sum, count: rows * (length - 1) };
  }

  async greedy({ prompts, count, selectors }: CheckedGreedyRequest): Promise<number[][]> {
    await this.activate();
    const results: number[][] = [];
    for (const [i, prompt] of prompts.entries()) {
      const ids = Int32Array.from(prompt);
      results.push(await greedyContinuation(this.spec, this.weights, ids, count, selectors[i]!));
    }
    return results;
  }

  release(): void {
    disposeModelTensors(this.weights);
  }
}
