import * as tf from '@tensorflow/tfjs-core';
import { HEAD_CHUNK } from './model-tensors.js';

/**
 * Σ −log softmax(hidden · headᵀ)[target] over the rows of `hidden` (`[M, hidden]`),
 * computed chunk by chunk over the vocabulary: per chunk tfjs returns each row's
 * log-sum-exp and the targets' logits; they are combined in float64 here, so only
 * `[M, HEAD_CHUNK]` logits ever exist. Non-finite logits give a non-finite sum.
 */
export async function crossEntropySum(
  hidden: tf.Tensor2D,
  targets: Int32Array,
  headChunks: readonly tf.Tensor2D[],
): Promise<number> {
  const M = targets.length;
  const chunkLse: Float32Array[] = [];
  const targetLogit = new Float64Array(M);
  for (const [c, chunk] of headChunks.entries()) {
    const start = c * HEAD_CHUNK;
    const width = chunk.shape[1];
    const rows: number[] = [];
    const flat: number[] = [];
    targets.forEach((t, m) => {
      if (t >= start && t < start + width) {
        rows.push(m);
        flat.push(m * width + t - start);
      }
    });
    const [lse, picked] = tf.tidy(() => {
      const logits = tf.matMul(hidden, chunk);
      const values =
        flat.length === 0 ? tf.zeros([0]) : tf.gather(tf.reshape(logits, [-1]), tf.tensor1d(flat, 'int32'));
      // log Σ exp(x) = max(x) − log(max(softmax(x))): one vectorised softmax instead of tfjs-wasm's scalar exp.
      const lse = tf.sub(tf.max(logits, 1), tf.log(tf.max(tf.softmax(logits), 1)));
      return [lse, values];
    }) as [tf.Tensor, tf.Tensor];
    try {
      chunkLse.push((await lse.data()) as Float32Array);
      const values = (await picked.data()) as Float32Array;
      rows.forEach((m, i) => (targetLogit[m] = values[i] as number));
    } finally {
      lse.dispose();
      picked.dispose();
    }
  }
  let sum = 0;
  for (let m = 0; m < M; m += 1) {
    let max = -Infinity;
    for (const lse of chunkLse) max = Math.max(max, lse[m] as number);
    let total = 0;
    for (const lse of chunkLse) total += Math.exp((lse[m] as number) - max);
    sum += max + Math.log(total) - (targetLogit[m] as number);
  }
  return sum;
}

/** The logits of one hidden row `[1, hidden]` over the whole vocabulary. */
export async function lastLogits(
  hidden: tf.Tensor2D,
  headChunks: readonly tf.Tensor2D[],
): Promise<Float32Array> {
  const logits = tf.tidy(() =>
    tf.concat(
      headChunks.map((chunk) => tf.matMul(hidden, chunk)),
      1,
    ),
  );
  try {
    return (await logits.data()) as Float32Array;
  } finally {
    logits.dispose();
  }
}
