import * as tf from '@tensorflow/tfjs-core';
import { alibiTable, type ModelSpec } from '@pretrain/backend-sdk';
import { matMul } from './ops.js';
import { applyRotary, type RotaryTables } from './rotary.js';

/** Keys and values of one sequence so far, `[positions, KV·hd]` each, rotary applied. */
export interface KvEntry {
  readonly k: tf.Tensor2D;
  readonly v: tf.Tensor2D;
}

/**
 * The additive causal mask for `T` new queries after `start` cached positions: query i
 * sees keys 0 … start + i. `[T, start + T]`; with ALiBi `[H, T, start + T]`, each head's
 * rows also carrying its key-position biases (× 1/√hd, as the queries are scaled).
 */
export function causalMask(start: number, T: number, spec?: ModelSpec): tf.Tensor2D | tf.Tensor3D {
  const keys = start + T;
  const mask = new Float32Array(T * keys);
  for (let i = 0; i < T; i += 1) mask.fill(-Infinity, i * keys + start + i + 1, (i + 1) * keys);
  if (spec?.positions.kind !== 'alibi') return tf.tensor2d(mask, [T, keys]);
  const H = spec.numHeads;
  const scale = 1 / Math.sqrt(spec.headDim);
  const table = alibiTable(spec.positions.slopes, keys);
  const biased = new Float32Array(H * T * keys);
  for (let h = 0; h < H; h += 1) {
    for (let i = 0; i < T; i += 1) {
      for (let j = 0; j < keys; j += 1) {
        biased[(h * T + i) * keys + j] =
          (mask[i * keys + j] as number) + (table[h * keys + j] as number) * scale;
      }
    }
  }
  return tf.tensor3d(biased, [H, T, keys]);
}

/**
 * Causal grouped-query attention of one sequence. `qkv` is `[T, (H + 2·KV)·hd]` in
 * blocks order with the queries already scaled by 1/√hd (folded into the weights at
 * load); returns the heads' outputs `[T, H·hd]` and, with `keepCache`, the keys/values of
 * all positions (past ones first). Every product is a 2-D matMul on pre-transposed
 * operands, the fast path of tfjs-wasm; without rotary, query and value heads are sliced
 * straight from `qkv`; each head's `[T, keys]` scores are freed before the next head's.
 */
export function attend(
  spec: ModelSpec,
  qkv: tf.Tensor2D,
  mask: tf.Tensor2D | tf.Tensor3D,
  rotary: RotaryTables | undefined,
  past: KvEntry | undefined,
  keepCache: boolean,
): { out: tf.Tensor2D; cache: KvEntry | undefined } {
  const { numHeads: H, numKvHeads: KV, headDim: hd } = spec;
  const T = qkv.shape[0];
  const dims = rotary !== undefined && spec.positions.kind === 'rotary' ? spec.positions.dims : 0;
  const interleaved = spec.positions.kind === 'rotary' && spec.positions.pairing === 'interleaved';
  const q =
    rotary !== undefined && dims > 0
      ? applyRotary(tf.slice(qkv, [0, 0], [T, H * hd]), H, hd, dims, rotary, interleaved)
      : qkv;
  let k = tf.slice(qkv, [0, H * hd], [T, KV * hd]);
  if (rotary !== undefined && dims > 0) k = applyRotary(k, KV, hd, dims, rotary, interleaved);
  const kAll = past === undefined ? k : tf.concat([past.k, k], 0);
  const vOffset = (H + KV) * hd;
  const vNew = past !== undefined || keepCache ? tf.slice(qkv, [0, vOffset], [T, KV * hd]) : undefined;
  const vAll = past === undefined ? vNew : tf.concat([past.v, vNew as tf.Tensor2D], 0);
  // Value heads come from vAll when it exists, else straight from qkv at vOffset.
  const [vSource, vStart] = vAll === undefined ? [qkv, vOffset] : [vAll, 0];
  const keys = kAll.shape[0];
  const kT = tf.transpose(kAll);
  const group = H / KV;
  const heads: tf.Tensor2D[] = [];
  for (let h = 0; h < H; h += 1) {
    const g = Math.floor(h / group);
    heads.push(
      tf.tidy(() => {
        const qh = tf.slice(q, [0, h * hd], [T, hd]);
        const headMask = mask.rank === 3 ? tf.squeeze(tf.slice(mask, [h, 0, 0], [1, T, keys]), [0]) : mask;
        const scores = tf.add(matMul(qh, tf.slice(kT, [g * hd, 0], [hd, keys])), headMask);
        return matMul(tf.softmax(scores) as tf.Tensor2D, tf.slice(vSource, [0, vStart + g * hd], [keys, hd]));
      }),
    );
  }
  const out = H === 1 ? (heads[0] as tf.Tensor2D) : tf.concat(heads, 1);
  return { out, cache: keepCache ? { k: kAll, v: vAll as tf.Tensor2D } : undefined };
}
