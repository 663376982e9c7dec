import * as tf from '@tensorflow/tfjs-core';
import {
  readTensorF32,
  type AttentionProjections,
  type LinearWeights,
  type ModelSpec,
  type NormWeights,
  type TensorView,
} from '@pretrain/backend-sdk';
import type { LinearTensors, NormTensors } from './model-tensors.js';

/** Registers a tensor with the caller, which frees it if loading fails later. */
export type Keep = <T extends tf.Tensor>(t: T) => T;

async function read(view: TensorView): Promise<tf.Tensor> {
  return tf.tensor(await readTensorF32(view), [...view.shape], 'float32');
}

/** A stored 2-D weight as a float32 tensor of its stored shape. */
export async function read2d(view: TensorView): Promise<tf.Tensor2D> {
  return (await read(view)) as tf.Tensor2D;
}

/** A norm's scale (plus `weightOffset`: Gemma's 1 + w, summed in fp32) and optional shift. */
export async function norm(weights: NormWeights, keep: Keep, weightOffset = 0): Promise<NormTensors> {
  const stored = (await read(weights.weight)) as tf.Tensor1D;
  const w = weightOffset === 0 ? stored : tf.tidy(() => tf.add<tf.Tensor1D>(stored, weightOffset));
  if (w !== stored) stored.dispose();
  return {
    w: keep(w),
    b: weights.bias === undefined ? undefined : keep((await read(weights.bias)) as tf.Tensor1D),
  };
}

/** The stored weight as `[out, in]` (PyTorch layout), whatever its orientation on disk. */
async function outputMajor(weights: LinearWeights): Promise<tf.Tensor2D> {
  const raw = await read2d(weights.weight);
  if (!weights.inputMajor) return raw;
  const t = tf.transpose(raw);
  raw.dispose();
  return t;
}

/** A linear layer with its weight input-major `[in, out]`. */
export async function linear(weights: LinearWeights, keep: Keep): Promise<LinearTensors> {
  const raw = await read2d(weights.weight);
  const w = weights.inputMajor ? raw : tf.tidy(() => tf.transpose(raw));
  if (w !== raw) raw.dispose();
  const b = weights.bias === undefined ? undefined : ((await read(weights.bias)) as tf.Tensor1D);
  return { w: keep(w), b: b && keep(b) };
}

/** q, k and v as one `[in, (H + 2·KV)·hd]` linear, whatever the stored arrangement. */
export async function fusedQkv(
  spec: ModelSpec,
  attention: AttentionProjections,
  keep: Keep,
): Promise<LinearTensors> {
  if (attention.kind === 'fused' && attention.order === 'blocks') return linear(attention.qkv, keep);
  if (attention.kind === 'fused') {
    // Per kv group [KV, r + 2, hd, in] (per head: r = 1) → blocks [q (KV·r) | k (KV) | v (KV)].
    const { numHeads: H, numKvHeads: KV, headDim: hd } = spec;
    const r = H / KV;
    const raw = await outputMajor(attention.qkv);
    const w = tf.tidy(() => {
      const grouped = tf.reshape(raw, [KV, r + 2, hd, -1]);
      const part = (first: number, count: number) =>
        tf.reshape(tf.slice(grouped, [0, first, 0, 0], [KV, count, hd, -1]), [KV * count * hd, -1]);
      return tf.transpose(tf.concat([part(0, r), part(r, 1), part(r + 1, 1)], 0));
    });
    raw.dispose();
    const b =
      attention.qkv.bias && tf.tensor1d(groupedToBlocks(await readTensorF32(attention.qkv.bias), KV, r, hd));
    return { w: keep(w as tf.Tensor2D), b: b && keep(b) };
  }
  const parts = [
    await linear(attention.q, keep),
    await linear(attention.k, keep),
    await linear(attention.v, keep),
  ];
  const hasBias = parts.some((p) => p.b !== undefined);
  const w = tf.concat(
    parts.map((p) => p.w),
    1,
  );
  const b = hasBias
    ? tf.tidy(() =>
        tf.concat(
          parts.map((p) => p.b ?? tf.zeros([p.w.shape[1]])),
          0,
        ),
      )
    : undefined;
  // Already tracked by keep; disposing twice on a later failure is harmless.
  for (const p of parts) {
    p.w.dispose();
    p.b?.dispose();
  }
  return { w: keep(w), b: b && keep(b as tf.Tensor1D) };
}

/**
 * A per-kv-group `[KV, r + 2, hd]` bias reordered to blocks `[q (KV·r) | k (KV) | v (KV)]`,
 * in JS: tfjs-wasm's fused matMul checks the rank a buffer was created with, so a
 * reshaped bias is refused.
 */
function groupedToBlocks(bias: Float32Array, KV: number, r: number, hd: number): Float32Array {
  const out = new Float32Array(bias.length);
  for (let g = 0; g < KV; g += 1) {
    for (let part = 0; part < r + 2; part += 1) {
      const target = part < r ? g * r + part : part === r ? KV * r + g : KV * (r + 1) + g;
      out.set(bias.subarray((g * (r + 2) + part) * hd, (g * (r + 2) + part + 1) * hd), target * hd);
    }
  }
  return out;
}

/**
 * Fold attention's 1/√headDim into the query columns of a fused `[q | k | v]` linear, so
 * the forward pass does not scale q at every layer (exact for power-of-two head sizes).
 */
export function foldQueryScale(l: LinearTensors, spec: ModelSpec, keep: Keep): LinearTensors {
  const width = spec.numHeads * spec.headDim;
  const scale = 1 / Math.sqrt(spec.headDim);
  const [inputs, outputs] = l.w.shape;
  const w = tf.tidy(() =>
    tf.concat(
      [
        tf.mul(tf.slice(l.w, [0, 0], [inputs, width]), scale),
        tf.slice(l.w, [0, width], [inputs, outputs - width]),
      ],
      1,
    ),
  );
  const bias = l.b;
  const b =
    bias &&
    tf.tidy(() =>
      tf.concat([tf.mul(tf.slice(bias, [0], [width]), scale), tf.slice(bias, [width], [outputs - width])], 0),
    );
  l.w.dispose();
  l.b?.dispose();
  return { w: keep(w as tf.Tensor2D), b: b && keep(b as tf.Tensor1D) };
}
