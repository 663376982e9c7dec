import * as tf from '@tensorflow/tfjs-core';
import { HEAD_CHUNK } from './model-tensors.js';
import type { GradientStore } from './gradient-store.js';
import { ChunkStatistics } from './head.js';

/** The head's parameters as stored: `[vocab, hidden]` weights and an optional `[vocab]` bias. */
export interface TrainingHead {
  readonly weight: tf.Tensor2D;
  readonly weightName: string;
  readonly bias: tf.Tensor1D | undefined;
  readonly biasName: string | undefined;
}

/**
 * Σ over rows of `hidden` (`[M, hidden]`) of `logsumexp(logits) − logits[target]`, and its
 * gradient, computed over vocabulary chunks of {@link HEAD_CHUNK} rows of the head, so no
 * `[M, vocab]` temporaries but the logits themselves ever exist (the whole-vocabulary
 * softmax, one-hot and their gradient were each as large). Forward: per chunk each row's
 * maximum, max-shifted log-sum-exp and target logit, combined in float64 (as the loss
 * backend's head does). Backward, `dlogits = (softmax − onehot) · scale` per chunk from
 * the kept logits and the rows' global shift: the head's gradient goes to `grads` chunk by
 * chunk (never a whole `[vocab, hidden]` tensor in the heap), the gradient of `hidden` is
 * returned. `scale` is the upstream gradient of the sum (1 / predictions / micro-batches).
 */
export async function headLossAndGradient(
  hidden: tf.Tensor2D,
  targets: Int32Array,
  head: TrainingHead,
  scale: number,
  grads: GradientStore,
): Promise<{ sum: number; dHidden: tf.Tensor2D }> {
  const M = targets.length;
  const [vocab, width] = head.weight.shape;
  const chunks: { start: number; size: number; logits: tf.Tensor2D }[] = [];
  const stats = new ChunkStatistics(targets);
  try {
    for (let start = 0; start < vocab; start += HEAD_CHUNK) {
      const size = Math.min(HEAD_CHUNK, vocab - start);
      const logits = tf.tidy(() => {
        // A transposed copy of the chunk: tfjs-wasm multiplies fastest by an input-major operand.
        const product = tf.matMul(hidden, tf.transpose(tf.slice(head.weight, [start, 0], [size, width])));
        return head.bias === undefined
          ? product
          : tf.add<tf.Tensor2D>(product, tf.slice(head.bias, [start], [size]));
      }) as tf.Tensor2D;
      chunks.push({ start, size, logits });
      await stats.add(logits, start);
    }
    const { sum, shift, logTotal } = stats.combine();
    const shiftT = tf.tensor2d(shift, [M, 1]);
    const logTotalT = tf.tensor2d(logTotal, [M, 1]);
    let dHidden: tf.Tensor2D = tf.zeros([M, width]);
    try {
      for (const { start, size, logits } of chunks) {
        const onehot = new Float32Array(M * size);
        targets.forEach((t, m) => {
          if (t >= start && t < start + size) onehot[m * size + t - start] = 1;
        });
        const [nextDHidden, dWeight, dBias] = tf.tidy(() => {
          const softmax = tf.exp(tf.sub(tf.sub(logits, shiftT), logTotalT));
          const dLogits = tf.mul<tf.Tensor2D>(tf.sub(softmax, tf.tensor2d(onehot, [M, size])), scale);
          const chunk = tf.slice(head.weight, [start, 0], [size, width]);
          return [
            tf.add<tf.Tensor2D>(dHidden, tf.matMul(dLogits, chunk)),
            tf.matMul(tf.transpose(dLogits), hidden),
            head.bias === undefined ? tf.zeros([0]) : tf.sum(dLogits, 0),
          ];
        }) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        dHidden.dispose();
        dHidden = nextDHidden;
        logits.dispose();
        try {
          grads.add(head.weightName, (await dWeight.data()) as Float32Array, start * width);
          if (head.biasName !== undefined)
            grads.add(head.biasName, (await dBias.data()) as Float32Array, start);
        } finally {
          tf.dispose([dWeight, dBias]);
        }
      }
      return { sum, dHidden };
    } catch (error) {
      dHidden.dispose();
      throw error;
    } finally {
      tf.dispose([shiftT, logTotalT]);
    }
  } finally {
    for (const c of chunks) c.logits.dispose();
  }
}
