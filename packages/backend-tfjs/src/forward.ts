import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@pretrain/core';
import { attend, causalMask, type KvEntry } from './attention.js';
import type { LayerTensors, ModelTensors } from './model-tensors.js';
import { activate, linear, normalize } from './ops.js';
import { rotaryTables } from './rotary.js';

/**
 * The final-normed hidden states `[T, hidden]` of one sequence `ids` whose first token
 * sits at position `start`. With `cache` (one entry per layer), attention also sees the
 * cached positions and the entries are replaced by ones that include `ids`; the caller
 * disposes them. Each layer runs in its own `tf.tidy`, so only the residual stream and
 * the cache outlive a layer.
 */
export function forwardHidden(
  spec: ModelSpec,
  weights: ModelTensors,
  ids: Int32Array,
  start = 0,
  cache?: (KvEntry | undefined)[],
): tf.Tensor2D {
  const T = ids.length;
  let x = tf.tidy(() => {
    const tokens = tf.gather(weights.embedding, tf.tensor1d(ids, 'int32'));
    if (weights.positions === undefined) return tokens;
    return tf.add(tokens, tf.slice(weights.positions, [start, 0], [T, spec.hiddenSize]));
  }) as tf.Tensor2D;
  const rotary =
    spec.positions.kind === 'rotary'
      ? rotaryTables(start, T, spec.positions.dims, spec.positions.theta)
      : undefined;
  const mask = causalMask(start, T);
  try {
    weights.layers.forEach((layer, i) => {
      const past = cache?.[i];
      const next = tf.tidy(() => block(spec, layer, x, mask, rotary, past, cache !== undefined));
      x.dispose();
      x = next.x;
      if (cache !== undefined && next.k !== undefined && next.v !== undefined) {
        past?.k.dispose();
        past?.v.dispose();
        cache[i] = { k: next.k, v: next.v };
      }
    });
    return tf.tidy(() => normalize(x, weights.finalNorm, spec.norm));
  } finally {
    x.dispose();
    mask.dispose();
    rotary?.cos.dispose();
    rotary?.sin.dispose();
  }
}

function block(
  spec: ModelSpec,
  layer: LayerTensors,
  x: tf.Tensor2D,
  mask: tf.Tensor2D,
  rotary: Parameters<typeof attend>[3],
  past: KvEntry | undefined,
  keepCache: boolean,
): { x: tf.Tensor2D; k?: tf.Tensor2D; v?: tf.Tensor2D } {
  const qkv = linear(normalize(x, layer.attentionNorm, spec.norm), layer.qkv);
  const attention = attend(spec, qkv, mask, rotary, past, keepCache);
  const attended = linear(attention.out, layer.attentionOutput);
  let out: tf.Tensor2D;
  if (spec.parallelResidual) {
    out = tf.add<tf.Tensor2D>(tf.add(x, attended), mlp(spec, layer, normalize(x, layer.mlpNorm, spec.norm)));
  } else {
    const mid = tf.add<tf.Tensor2D>(x, attended);
    out = tf.add<tf.Tensor2D>(mid, mlp(spec, layer, normalize(mid, layer.mlpNorm, spec.norm)));
  }
  return attention.cache === undefined ? { x: out } : { x: out, ...attention.cache };
}

function mlp(spec: ModelSpec, layer: LayerTensors, h: tf.Tensor2D): tf.Tensor2D {
  const up = linear(h, layer.up);
  const hidden =
    layer.gate === undefined
      ? activate(up, spec.activation)
      : tf.mul<tf.Tensor2D>(activate(linear(h, layer.gate), spec.activation), up);
  return linear(hidden, layer.down);
}
