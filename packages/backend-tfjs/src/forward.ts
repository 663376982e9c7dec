import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@pretrain/backend-sdk';
import { attend, causalMask, type KvEntry } from './attention.js';
import type { LayerTensors, ModelTensors, NormTensors } from './model-tensors.js';
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
  let x = tf.tidy(() =>
    embed(
      spec,
      lookup?.(ids) ?? (tf.gather(weights.embedding, tf.tensor1d(ids, 'int32')) as tf.Tensor2D),
      weights.positions,
      weights.embeddingNorm,
      start,
    ),
  );
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
      const out = finalHidden(spec, x, finalNorm);
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

/**
 * The residual stream entering the first block: the embedded rows `[T, hidden]` (looked
 * up by the caller) scaled, plus the learned positions from `start`, then the embedding
 * norm where the model has one.
 */
export function embed(
  spec: ModelSpec,
  embedded: tf.Tensor2D,
  positions: tf.Tensor2D | undefined,
  embeddingNorm: NormTensors | undefined,
  start: number,
): tf.Tensor2D {
  const T = embedded.shape[0];
  let x = embedded;
  if (spec.embeddingScale !== 1) x = tf.mul(x, Math.fround(spec.embeddingScale));
  if (positions !== undefined) {
    const offset = spec.positions.kind === 'learned' ? spec.positions.offset : 0;
    x = tf.add(x, tf.slice(positions, [start + offset, 0], [T, spec.hiddenSize]));
  }
  return embeddingNorm === undefined ? x : normalize(x, embeddingNorm, spec.norm);
}

/** The last block's output through the final norm (a copy where the model has none). */
export function finalHidden(
  spec: ModelSpec,
  x: tf.Tensor2D,
  finalNorm: NormTensors | undefined,
): tf.Tensor2D {
  return finalNorm === undefined ? tf.clone(x) : normalize(x, finalNorm, spec.norm);
}

/**
 * One transformer block on the residual stream `x` (`[T, hidden]`); with `keepCache`, also
 * the keys and values of all positions (after `past`'s).
 */
export function block(
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
