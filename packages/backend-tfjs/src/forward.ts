import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@pretrain/backend-sdk';
import { attend, causalMask, type KvEntry } from './attention.js';
import type { LayerTensors, ModelTensors } from './model-tensors.js';
import { activate, linear, normalize } from './ops.js';
import { rotaryTables } from './rotary.js';

/**
 * The final-normed hidden states `[T, hidden]` of one sequence `ids` whose first token
 * sits at position `start`. With `cache` (one entry per layer), attention also sees the
 * cached positions and the entries are replaced by ones that include `ids`; the caller
 * disposes them. Each layer runs in its own `tf.tidy`, so only the residual stream and
 * the cache outlive a layer. `lookup` replaces the embedding gather (training passes one
 * whose gradient runs where tfjs-wasm has no kernel for gather's).
 */
export function forwardHidden(
  spec: ModelSpec,
  weights: ModelTensors,
  ids: Int32Array,
  start = 0,
  cache?: (KvEntry | undefined)[],
  lookup?: (ids: Int32Array) => tf.Tensor2D,
): tf.Tensor2D {
  const T = ids.length;
  let x = tf.tidy(() => {
    let embedded = lookup?.(ids) ?? (tf.gather(weights.embedding, tf.tensor1d(ids, 'int32')) as tf.Tensor2D);
    if (spec.embeddingScale !== 1) embedded = tf.mul(embedded, Math.fround(spec.embeddingScale));
    if (weights.positions !== undefined) {
      const offset = spec.positions.kind === 'learned' ? spec.positions.offset : 0;
      embedded = tf.add(embedded, tf.slice(weights.positions, [start + offset, 0], [T, spec.hiddenSize]));
    }
    return weights.embeddingNorm === undefined
      ? embedded
      : normalize(embedded, weights.embeddingNorm, spec.norm);
  }) as tf.Tensor2D;
  const rotary =
    spec.positions.kind === 'rotary'
      ? rotaryTables(start, T, spec.positions.dims, spec.positions.theta)
      : undefined;
  const mask = causalMask(start, T, spec);
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
    const finalNorm = weights.finalNorm;
    return tf.tidy(() => {
      const out = finalNorm === undefined ? tf.clone(x) : normalize(x, finalNorm, spec.norm);
      // The head's bias is an extra row of each head chunk: give it an input of 1.
      return spec.lmHeadBias === undefined ? out : tf.concat([out, tf.ones([T, 1])], 1);
    });
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
  mask: tf.Tensor2D | tf.Tensor3D,
  rotary: Parameters<typeof attend>[3],
  past: KvEntry | undefined,
  keepCache: boolean,
): { x: tf.Tensor2D; k?: tf.Tensor2D; v?: tf.Tensor2D } {
  const post = spec.normPlacement === 'post';
  const normed = post ? x : normalize(x, layer.attentionNorm, spec.norm);
  const qkv = linear(normed, layer.qkv);
  const attention = attend(spec, qkv, mask, rotary, past, keepCache);
  const attended = linear(attention.out, layer.attentionOutput);
  let out: tf.Tensor2D;
  if (post) {
    // Bart: x = norm_attn(x + attn(x)); x = norm_mlp(x + mlp(x)).
    const mid = normalize(tf.add<tf.Tensor2D>(x, attended), layer.attentionNorm, spec.norm);
    out = normalize(tf.add<tf.Tensor2D>(mid, mlp(spec, layer, mid)), layer.mlpNorm, spec.norm);
  } else if (spec.parallelResidual) {
    const mlpInput = layer.mlpNorm === layer.attentionNorm ? normed : normalize(x, layer.mlpNorm, spec.norm);
    out = tf.add<tf.Tensor2D>(tf.add(x, attended), mlp(spec, layer, mlpInput));
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
