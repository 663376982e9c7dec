import * as tf from '@tensorflow/tfjs-core';
import type {
  AttentionProjections,
  LinearWeights,
  ModelSpec,
  NormWeights,
  TensorView,
} from '@pretrain/backend-sdk';
import type { LayerTensors, LinearTensors, NormTensors } from './model-tensors.js';

/** A parameter's current tensor by its view. */
export type Param = (view: TensorView) => tf.Tensor;

/**
 * One block's tensors built from the stored-layout parameters with differentiable ops
 * (transposes, q/k/v fusion, the folded 1/√hd, Gemma's 1 + w), so gradients reach the
 * parameters as stored and AdamW updates them as torch would.
 */
export function trainingLayer(
  spec: ModelSpec,
  layer: ModelSpec['layers'][number],
  param: Param,
): LayerTensors {
  const attentionNorm = trainingNorm(spec, layer.attentionNorm, param);
  const linear = (l: LinearWeights): LinearTensors => trainingLinear(l, param);
  return {
    attentionNorm,
    qkv: scaleQueries(spec, fuseQkv(spec, layer.attention, linear, param)),
    attentionOutput: linear(layer.attentionOutput),
    mlpNorm: layer.mlpNorm === layer.attentionNorm ? attentionNorm : trainingNorm(spec, layer.mlpNorm, param),
    gate: layer.mlp.gate === undefined ? undefined : linear(layer.mlp.gate),
    up: linear(layer.mlp.up),
    down: linear(layer.mlp.down),
  };
}

/** A norm's scale (Gemma's 1 + w) and shift, differentiable in the stored weights. */
export function trainingNorm(spec: ModelSpec, n: NormWeights, param: Param): NormTensors {
  const offset = spec.norm.weightOffset;
  const w = param(n.weight) as tf.Tensor1D;
  return {
    w: offset === 0 ? w : tf.add<tf.Tensor1D>(w, offset),
    b: n.bias === undefined ? undefined : (param(n.bias) as tf.Tensor1D),
  };
}

function trainingLinear(l: LinearWeights, param: Param): LinearTensors {
  const w = param(l.weight) as tf.Tensor2D;
  return {
    w: l.inputMajor ? w : tf.transpose(w),
    b: l.bias === undefined ? undefined : (param(l.bias) as tf.Tensor1D),
  };
}

/** q, k and v as one `[in, (H + 2·KV)·hd]` linear in blocks order (as `fusedQkv` loads them). */
function fuseQkv(
  spec: ModelSpec,
  attention: AttentionProjections,
  linear: (l: LinearWeights) => LinearTensors,
  param: Param,
): LinearTensors {
  if (attention.kind === 'separate') {
    const parts = [linear(attention.q), linear(attention.k), linear(attention.v)];
    const hasBias = parts.some((p) => p.b !== undefined);
    return {
      w: tf.concat(
        parts.map((p) => p.w),
        1,
      ),
      b: hasBias
        ? tf.concat<tf.Tensor1D>(
            parts.map((p) => p.b ?? tf.zeros<tf.Rank.R1>([p.w.shape[1]])),
            0,
          )
        : undefined,
    };
  }
  if (attention.order === 'blocks') return linear(attention.qkv);
  // Per kv group [KV, r + 2, hd, in] (per head: r = 1) → blocks [q (KV·r) | k (KV) | v (KV)].
  const { numHeads: H, numKvHeads: KV, headDim: hd } = spec;
  const r = H / KV;
  const stored = param(attention.qkv.weight) as tf.Tensor2D;
  const outputMajor = attention.qkv.inputMajor ? tf.transpose(stored) : stored;
  const grouped = tf.reshape(outputMajor, [KV, r + 2, hd, -1]);
  const part = (first: number, count: number): tf.Tensor2D =>
    tf.reshape(tf.slice(grouped, [0, first, 0, 0], [KV, count, hd, -1]), [KV * count * hd, -1]);
  const w = tf.transpose(tf.concat([part(0, r), part(r, 1), part(r + 1, 1)], 0));
  const bias = attention.qkv.bias === undefined ? undefined : param(attention.qkv.bias);
  let b: tf.Tensor1D | undefined;
  if (bias !== undefined) {
    const g = tf.reshape(bias, [KV, r + 2, hd]);
    // 1-D slices concatenated: a fresh rank-1 buffer, as tfjs-wasm's fused bias needs.
    const flat = (first: number, count: number): tf.Tensor1D =>
      tf.reshape(tf.slice(g, [0, first, 0], [KV, count, hd]), [KV * count * hd]);
    b = tf.concat([flat(0, r), flat(r, 1), flat(r + 1, 1)], 0);
  }
  return { w, b };
}

/** The query columns times 1/√hd (the forward pass expects the scale folded in). */
function scaleQueries(spec: ModelSpec, l: LinearTensors): LinearTensors {
  const width = spec.numHeads * spec.headDim;
  const scale = 1 / Math.sqrt(spec.headDim);
  const [inputs, outputs] = l.w.shape;
  const w = tf.concat<tf.Tensor2D>(
    [
      tf.mul<tf.Tensor2D>(tf.slice(l.w, [0, 0], [inputs, width]), scale),
      tf.slice(l.w, [0, width], [inputs, outputs - width]),
    ],
    1,
  );
  const bias = l.b;
  const b =
    bias &&
    tf.concat<tf.Tensor1D>(
      [tf.mul<tf.Tensor1D>(tf.slice(bias, [0], [width]), scale), tf.slice(bias, [width], [outputs - width])],
      0,
    );
  return { w, b };
}
