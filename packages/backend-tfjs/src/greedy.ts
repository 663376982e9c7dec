import * as tf from '@tensorflow/tfjs-core';
import type { GreedySelector, ModelSpec } from '@pretrain/backend-sdk';
import type { KvEntry } from './attention.js';
import { forwardHidden } from './forward.js';
import { lastLogits } from './head.js';
import type { ModelTensors } from './model-tensors.js';

/**
 * `count` greedy tokens after `prompt`, with a key/value cache: the prompt runs once,
 * then each chosen token runs alone at its position. The cache is freed before returning.
 * `selector` picks each token from the model's own last-position logits (not shifted: a
 * repetition penalty depends on their sign).
 */
export async function greedyContinuation(
  spec: ModelSpec,
  weights: ModelTensors,
  prompt: Int32Array,
  count: number,
  selector: GreedySelector,
): Promise<number[]> {
  const cache: (KvEntry | undefined)[] = spec.layers.map(() => undefined);
  const generated: number[] = [];
  try {
    let input = prompt;
    let start = 0;
    while (generated.length < count) {
      const hidden = forwardHidden(spec, weights, input, start, cache);
      let last: tf.Tensor2D | undefined;
      try {
        last = tf.slice(hidden, [input.length - 1, 0], [1, -1]);
        const logits = await lastLogits(last, weights.headChunks);
        generated.push(selector.next(logits));
      } finally {
        hidden.dispose();
        last?.dispose();
      }
      start += input.length;
      input = Int32Array.of(generated.at(-1) as number);
    }
    return generated;
  } finally {
    for (const entry of cache) {
      entry?.k.dispose();
      entry?.v.dispose();
    }
  }
}
