import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradientStore } from './gradient-store.js';
import { HEAD_CHUNK } from './model-tensors.js';
import { registerGradients } from './register-gradients.js';
import { headLossAndGradient } from './train-head.js';

/** Deterministic values in [-scale, scale) (an LCG), so the test needs no fixture. */
function values(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i += 1) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

const maxRelative = (a: Float32Array, b: Float32Array): number => {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i += 1) scale = Math.max(scale, Math.abs(b[i] as number));
  for (let i = 0; i < b.length; i += 1)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst / scale;
};

describe('headLossAndGradient (vocabulary-chunked cross-entropy and its gradient)', () => {
  beforeAll(async () => {
    await registerGradients(); // the reference below differentiates with tfjs's own gradients
    await tf.setBackend('wasm');
  });

  it.each([
    ['without a bias', false],
    ['with a bias', true],
  ])(
    '%s: loss and gradients equal tfjs autodiff of the whole-vocabulary formula over 3 chunks',
    async (_, withBias) => {
      // Three chunks, the last one partial; some targets in each.
      const M = 7;
      const width = 12;
      const vocab = 2 * HEAD_CHUNK + 301;
      const targets = Int32Array.from([0, 5, HEAD_CHUNK - 1, HEAD_CHUNK, 2 * HEAD_CHUNK + 17, vocab - 1, 5]);
      const hidden = tf.tensor2d(values(M * width, 1, 1), [M, width]);
      const weight = tf.tensor2d(values(vocab * width, 2, 0.5), [vocab, width]);
      const bias = withBias ? tf.tensor1d(values(vocab, 3, 0.3)) : undefined;
      const scale = 0.25;
      const before = tf.memory().numTensors;
      const sizes = new Map<string, number>([['w', vocab * width]]);
      if (withBias) sizes.set('b', vocab);
      const grads = new GradientStore(sizes);
      const head = { weight, weightName: 'w', bias, biasName: withBias ? 'b' : undefined };
      const { sum, dHidden } = await headLossAndGradient(hidden, targets, head, scale, grads);
      expect(tf.memory().numTensors).toBe(before + 1); // dHidden only

      // The reference: the whole [M, vocab] logits, tfjs's logSumExp and autodiff.
      const onehot = new Float32Array(M * vocab);
      targets.forEach((t, m) => (onehot[m * vocab + t] = 1));
      const reference = (h: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Scalar => {
        let logits = tf.matMul(h, w, false, true);
        if (b !== undefined) logits = tf.add(logits, b);
        const picked = tf.sum(tf.mul(logits, tf.tensor2d(onehot, [M, vocab])), 1);
        return tf.mul(tf.sum(tf.sub(tf.logSumExp(logits, 1), picked)), scale);
      };
      const inputs = bias === undefined ? [hidden, weight] : [hidden, weight, bias];
      const { value, grads: g } = tf.valueAndGrads((...xs: tf.Tensor[]) => reference(xs[0]!, xs[1]!, xs[2]))(
        inputs,
      );
      expect(sum * scale).toBeCloseTo((await value.data())[0] as number, 4);
      expect(
        maxRelative((await dHidden.data()) as Float32Array, (await g[0]!.data()) as Float32Array),
      ).toBeLessThan(1e-5);
      expect(maxRelative(grads.get('w')!, (await g[1]!.data()) as Float32Array)).toBeLessThan(1e-5);
      if (withBias)
        expect(maxRelative(grads.get('b')!, (await g[2]!.data()) as Float32Array)).toBeLessThan(1e-5);
      tf.dispose([value, ...g, dHidden, hidden, weight, ...(bias === undefined ? [] : [bias])]);
    },
  );

  it('stays in the max-shifted frame under a huge common logit offset (loss and gradient)', async () => {
    const M = 3;
    const width = 4;
    const vocab = HEAD_CHUNK + 10;
    const hidden = tf.tensor2d(values(M * width, 4, 1), [M, width]);
    const weight = tf.tensor2d(values(vocab * width, 5, 0.5), [vocab, width]);
    const offset = tf.fill([vocab], 2 ** 30) as tf.Tensor1D;
    const grads = new GradientStore(
      new Map([
        ['w', vocab * width],
        ['b', vocab],
      ]),
    );
    const targets = Int32Array.from([1, HEAD_CHUNK + 3, 7]);
    const head = { weight, weightName: 'w', bias: offset, biasName: 'b' };
    const { sum, dHidden } = await headLossAndGradient(hidden, targets, head, 1, grads);
    // Every logit rounds to 2^30 (float32's grid there is 64): each row's loss is exactly
    // log(vocab), which a float32 log-sum-exp outside the max-shifted frame rounds to 0, and
    // the softmax is uniform, so the bias gradient is 3/vocab less 1 per target.
    expect(sum).toBeCloseTo(3 * Math.log(vocab), 5);
    const db = grads.get('b') as Float32Array;
    expect(db[0]).toBeCloseTo(3 / vocab, 7);
    expect(db[1]).toBeCloseTo(3 / vocab - 1, 6);
    expect(db[HEAD_CHUNK + 3]).toBeCloseTo(3 / vocab - 1, 6);
    tf.dispose([dHidden, hidden, weight, offset]);
  });
});
