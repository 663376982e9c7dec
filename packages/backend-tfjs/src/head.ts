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
  const stats = new ChunkStatistics(targets);
  for (const [c, chunk] of headChunks.entries()) {
    const logits: tf.Tensor2D = tf.matMul(hidden, chunk);
    try {
      await stats.add(logits, c * HEAD_CHUNK);
    } finally {
      logits.dispose();
    }
  }
  return stats.combine().sum;
}

/**
 * Per-row statistics of the logits of vocabulary chunks, gathered chunk by chunk and
 * combined in float64 (the loss backend's head and the trainer's share them): each chunk's
 * row maxima `m_c`, max-shifted log-sum-exp `s_c` and the logits of the targets it holds.
 */
export class ChunkStatistics {
  private readonly top: Float32Array[] = [];
  private readonly lse: Float32Array[] = [];
  private readonly targetLogit: Float64Array;

  constructor(private readonly targets: Int32Array) {
    this.targetLogit = new Float64Array(targets.length);
  }

  /** Record the chunk `logits` (`[M, size]`) whose first column is vocabulary id `start`. */
  async add(logits: tf.Tensor2D, start: number): Promise<void> {
    const size = logits.shape[1];
    const rows: number[] = [];
    const flat: number[] = [];
    this.targets.forEach((t, m) => {
      if (t >= start && t < start + size) {
        rows.push(m);
        flat.push(m * size + t - start);
      }
    });
    const [top, lse, picked] = tf.tidy(() => [
      tf.max(logits, 1),
      // log Σ exp(x − m) = −log(max(softmax(x))): one vectorised (max-shifted) softmax
      // instead of tfjs-wasm's scalar exp.
      tf.neg(tf.log(tf.max(tf.softmax(logits), 1))),
      flat.length === 0 ? tf.zeros([0]) : tf.gather(tf.reshape(logits, [-1]), tf.tensor1d(flat, 'int32')),
    ]) as [tf.Tensor, tf.Tensor, tf.Tensor];
    try {
      this.top.push((await top.data()) as Float32Array);
      this.lse.push((await lse.data()) as Float32Array);
      const values = (await picked.data()) as Float32Array;
      rows.forEach((m, i) => (this.targetLogit[m] = values[i] as number));
    } finally {
      tf.dispose([top, lse, picked]);
    }
  }

  /**
   * Σ over rows of `log Σ exp(x − max) − (x_target − max)`, with each row's overall maximum
   * `shift` and `logTotal = log Σ exp(x − shift)` (rounded to float32) for a backward pass.
   */
  combine(): { sum: number; shift: Float32Array; logTotal: Float32Array } {
    const M = this.targets.length;
    const shift = new Float32Array(M);
    const logTotal = new Float32Array(M);
    let sum = 0;
    for (let m = 0; m < M; m += 1) {
      let max = -Infinity;
      for (const top of this.top) max = Math.max(max, top[m] as number);
      let total = 0;
      for (const [c, top] of this.top.entries()) {
        total += Math.exp((top[m] as number) - max + ((this.lse[c] as Float32Array)[m] as number));
      }
      // Differences of float32 logits are exact in float64, whatever their offset.
      sum += Math.log(total) - ((this.targetLogit[m] as number) - max);
      shift[m] = max;
      logTotal[m] = Math.log(total);
    }
    return { sum, shift, logTotal };
  }
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
