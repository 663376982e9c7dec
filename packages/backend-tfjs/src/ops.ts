import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@pretrain/backend-sdk';
import type { LinearTensors, NormTensors } from './model-tensors.js';

/** `x · w + b` as one fused kernel (bias added after the product, as PyTorch does). */
export function linear(x: tf.Tensor2D, l: LinearTensors): tf.Tensor2D {
  if (recording()) return differentiableMatMul(x, l.w, l.b);
  return tf.fused.matMul({ a: x, b: l.w, ...(l.b === undefined ? {} : { bias: l.b }) }) as tf.Tensor2D;
}

/** `a · b` of two 2-D tensors (see {@link linear} for its gradient under a tape). */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return recording() ? differentiableMatMul(a, b, undefined) : tf.matMul(a, b);
}

/** Whether a gradient tape is recording (training's backward pass), where ops differ in how they differentiate. */
function recording(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/**
 * The same product with its gradient written out on explicitly transposed copies,
 * `dA = dY · transpose(B)`, `dB = transpose(A) · dY`: tfjs's own gradient passes transpose
 * flags instead, which tfjs-wasm runs on a naive scalar loop rather than XNNPACK.
 */
function differentiableMatMul(a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D | undefined): tf.Tensor2D {
  const product = tf.customGrad((...inputs) => {
    const [x, w] = inputs as [tf.Tensor2D, tf.Tensor2D];
    const save = inputs[inputs.length - 1] as tf.GradSaveFunc;
    save([x, w]);
    const value =
      bias === undefined ? tf.matMul(x, w) : tf.fused.matMul({ a: x, b: w, bias: inputs[2] as tf.Tensor1D });
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const grads = [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(sw)),
        tf.matMul(tf.transpose(sx), dy as tf.Tensor2D),
      ];
      return bias === undefined ? grads : [...grads, tf.sum(dy, 0)];
    };
    return { value, gradFunc };
  });
  return (bias === undefined ? product(a, b) : product(a, b, bias)) as tf.Tensor2D;
}

/** LayerNorm (biased variance, as PyTorch) or RMSNorm over the last axis. */
export function normalize(x: tf.Tensor2D, n: NormTensors, norm: ModelSpec['norm']): tf.Tensor2D {
  return tf.tidy((): tf.Tensor2D => {
    if (norm.kind === 'rmsnorm') {
      const scale = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), norm.eps));
      return tf.mul<tf.Tensor2D>(tf.mul(x, scale), n.w);
    }
    const centred = tf.sub(x, tf.mean(x, -1, true));
    const scale = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), norm.eps));
    const y = tf.mul<tf.Tensor2D>(tf.mul(centred, scale), n.w);
    return n.b === undefined ? y : tf.add<tf.Tensor2D>(y, n.b);
  });
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** The MLP activation of `spec.activation`. */
export function activate(x: tf.Tensor2D, activation: ModelSpec['activation']): tf.Tensor2D {
  return tf.tidy((): tf.Tensor2D => {
    switch (activation) {
      case 'silu':
        return tf.mul<tf.Tensor2D>(x, tf.sigmoid(x));
      case 'gelu_tanh': {
        // 0.5·(1 + tanh(z)) = sigmoid(2z): tfjs-wasm's sigmoid is vectorised, its tanh is not.
        const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), 2 * SQRT_2_OVER_PI);
        return tf.mul<tf.Tensor2D>(x, tf.sigmoid(inner));
      }
      case 'gelu':
        return tf.mul<tf.Tensor2D>(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
    }
  });
}
