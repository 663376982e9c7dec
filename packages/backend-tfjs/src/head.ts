import * as tf from '@tensorflow/tfjs-core';
import { HEAD_CHUNK } from './model-tensors.js';

/**
 * Σ −log softmax(hidden · headᵀ)[target] over the rows of `hidden` (`[M, hidden]`),
 * computed chunk by chunk over the vocabulary: per chunk tfjs returns each row's maximum
 * `m_c`, `s_c = log Σ exp(x − m_c)` and the targets' logits; they are combined in
 * float64 here, so only `[M, HEAD_CHUNK]` logits ever exist. Non-finite logits give a
 * non-finite sum.
 *
 * Everything stays in PyTorch's max-shifted frame, `log Σ exp(x − m) − (x_target − m)`:
 * a model may add one huge common offset (say 2³⁰) to every logit of a position, and a
 * float32 `m + s` would round `s` away on the offset's grid, collapsing the loss to 0.
 */
export async function crossEntropySum(
  hidden: tf.Tensor2D,
  targets: Int32Array,
  headChunks: readonly tf.Tensor2D[],
): Promise<number> {
  const M = targets.length;
  const chunkTop: Float32Array[] = [];
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
    const [top, lse, picked] = tf.tidy(() => {
      const logits = tf.matMul(hidden, chunk);
      const values =
        flat.length === 0 ? tf.zeros([0]) : tf.gather(tf.reshape(logits, [-1]), tf.tensor1d(flat, 'int32'));
      // log Σ exp(x − m) = −log(max(softmax(x))): one vectorised (max-shifted) softmax
      // instead of tfjs-wasm's scalar exp.
      const lse = tf.neg(tf.log(tf.max(tf.softmax(logits), 1)));
      return [tf.max(logits, 1), lse, values];
    }) as [tf.Tensor, tf.Tensor, tf.Tensor];
    try {
      chunkTop.push((await top.data()) as Float32Array);
      chunkLse.push((await lse.data()) as Float32Array);
      const values = (await picked.data()) as Float32Array;
      rows.forEach((m, i) => (targetLogit[m] = values[i] as number));
    } finally {
      top.dispose();
      lse.dispose();
      picked.dispose();
    }
  }
  let sum = 0;
  for (let m = 0; m < M; m += 1) {
    let max = -Infinity;
    for (const top of chunkTop) max = Math.max(max, top[m] as number);
    let total = 0;
    for (const [c, top] of chunkTop.entries()) {
      total += Math.exp((top[m] as number) - max + ((chunkLse[c] as Float32Array)[m] as number));
    }
    // Differences of float32 logits are exact in float64, whatever their offset.
    sum += Math.log(total) - ((targetLogit[m] as number) - max);
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
