import * as tf from '@tensorflow/tfjs-core';
import type { AdamWSettings } from '@pretrain/backend-sdk';

/** First and second moments of one parameter. */
export interface Moments {
  readonly m: tf.Tensor;
  readonly v: tf.Tensor;
}

/**
 * One `torch.optim.AdamW` update (torch 1.13's `_single_tensor_adamw`, amsgrad off) of
 * parameter `p` with gradient `g` at 1-based `step`, in float32 with each operation
 * rounded as torch's kernels round it:
 * `p·(1 − lr·wd)`; `m·β₁ + g·(1 − β₁)`; `v·β₂ + (g·(1 − β₂))·g`;
 * `p + (−lr/(1 − β₁ˢ)·m) / (√v / √(1 − β₂ˢ) + ε)`. The scalars are formed in float64 as
 * Python forms them, then rounded to float32 by the kernels. Returns new tensors; the
 * caller disposes the old ones.
 */
export function adamwUpdate(
  p: tf.Tensor,
  g: tf.Tensor,
  moments: Moments,
  step: number,
  lr: number,
  settings: AdamWSettings,
): { p: tf.Tensor; moments: Moments } {
  const [beta1, beta2] = settings.betas;
  return tf.tidy(() => {
    const decayed = tf.mul(p, 1 - lr * settings.weightDecay);
    const m = tf.add(tf.mul(moments.m, beta1), tf.mul(g, 1 - beta1));
    const v = tf.add(tf.mul(moments.v, beta2), tf.mul(tf.mul(g, 1 - beta2), g));
    const stepSize = lr / (1 - beta1 ** step);
    const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - beta2 ** step)), settings.eps);
    const next = tf.add(decayed, tf.div(tf.mul(m, -stepSize), denom));
    return { p: next, moments: { m, v } };
  });
}
