import * as tf from '@tensorflow/tfjs-core';
import type {
  AttentionProjections,
  LinearWeights,
  ModelSpec,
  NormWeights,
  TensorView,
} from '@pretrain/backend-sdk';
import { forwardHidden } from './forward.js';
import type { LayerTensors, LinearTensors, ModelTensors, NormTensors } from './model-tensors.js';

/** A parameter's current tensor by its view. */
type Param = (view: TensorView) => tf.Tensor;

/**
 * The forward pass's tensors built from the stored-layout parameters with differentiable
 * ops (transposes, q/k/v fusion, the folded 1/√hd, Gemma's 1 + w), so gradients reach the
 * parameters as stored and AdamW updates them as torch would. `headChunks` holds one
 * chunk, the whole head `[hidden (+1 bias row), vocab]`.
 */
export function trainingTensors(spec: ModelSpec, param: Param): ModelTensors {
  const offset = spec.norm.weightOffset;
  const norm = (n: NormWeights): NormTensors => {
    const w = param(n.weight) as tf.Tensor1D;
    return {
      w: offset === 0 ? w : tf.add<tf.Tensor1D>(w, offset),
      b: n.bias === undefined ? undefined : (param(n.bias) as tf.Tensor1D),
    };
  };
  const linear = (l: LinearWeights): LinearTensors => {
    const w = param(l.weight) as tf.Tensor2D;
    return {
      w: l.inputMajor ? w : tf.transpose(w),
      b: l.bias === undefined ? undefined : (param(l.bias) as tf.Tensor1D),
    };
  };
  const layers: LayerTensors[] = spec.layers.map((layer) => {
    const attentionNorm = norm(layer.attentionNorm);
    return {
      attentionNorm,
      qkv: scaleQueries(spec, fuseQkv(spec, layer.attention, linear, param)),
      attentionOutput: linear(layer.attentionOutput),
      mlpNorm: layer.mlpNorm === layer.attentionNorm ? attentionNorm : norm(layer.mlpNorm),
      gate: layer.mlp.gate === undefined ? undefined : linear(layer.mlp.gate),
      up: linear(layer.mlp.up),
      down: linear(layer.mlp.down),
    };
  });
  const embedding = param(spec.embedding) as tf.Tensor2D;
  let head: tf.Tensor2D = tf.transpose(spec.tiedEmbeddings ? embedding : (param(spec.lmHead) as tf.Tensor2D));
  if (spec.lmHeadBias !== undefined) {
    head = tf.concat([head, tf.reshape(param(spec.lmHeadBias), [1, spec.vocabSize])], 0);
  }
  return {
    embedding,
    positions:
      spec.positions.kind === 'learned' ? (param(spec.positions.embedding) as tf.Tensor2D) : undefined,
    layers,
    embeddingNorm: spec.embeddingNorm === undefined ? undefined : norm(spec.embeddingNorm),
    finalNorm: spec.finalNorm === undefined ? undefined : norm(spec.finalNorm),
    headChunks: [head],
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

/**
 * The embedding lookup with its gradient formed in JS: rows of `dy` added into a zero
 * `[vocab, hidden]` gradient, except the padding row's (transformers' `padding_idx`).
 * tfjs's own gather gradient needs UnsortedSegmentSum, which tfjs-wasm lacks.
 */
export function embeddingLookup(table: tf.Tensor2D, paddingIdx: number | undefined) {
  const [vocab, hidden] = table.shape;
  return (ids: Int32Array): tf.Tensor2D =>
    tf.customGrad((...inputs) => {
      const t = inputs[0] as tf.Tensor;
      const value = tf.gather(t, tf.tensor1d(ids, 'int32')) as tf.Tensor2D;
      const gradFunc = (dy: tf.Tensor): tf.Tensor => {
        const rows = dy.dataSync() as Float32Array;
        const grad = new Float32Array(vocab * hidden);
        ids.forEach((id, i) => {
          if (id === paddingIdx) return;
          const base = id * hidden;
          for (let j = 0; j < hidden; j += 1) {
            grad[base + j] = (grad[base + j] as number) + (rows[i * hidden + j] as number);
          }
        });
        return tf.tensor2d(grad, [vocab, hidden]);
      };
      return { value, gradFunc };
    })(table) as tf.Tensor2D;
}

/**
 * Σ over rows and positions of the next-token cross-entropy of `rows` (logits[:, :-1]
 * against ids[:, 1:]), differentiable: `logsumexp(logits) − logits[target]` per position.
 */
export function crossEntropyTotal(
  spec: ModelSpec,
  weights: ModelTensors,
  rows: readonly Int32Array[],
): tf.Scalar {
  const head = weights.headChunks[0] as tf.Tensor2D;
  const lookup = embeddingLookup(weights.embedding, spec.paddingIdx);
  const sums = rows.map((ids) => {
    const hidden = forwardHidden(spec, weights, ids, 0, undefined, lookup);
    const inputs = tf.slice(hidden, [0, 0], [ids.length - 1, -1]);
    return crossEntropySum(tf.matMul(inputs, head), oneHot(ids.subarray(1), spec.vocabSize));
  });
  return (sums.length === 1 ? sums[0] : tf.addN(sums)) as tf.Scalar;
}

/**
 * Σ over rows of `logsumexp(logits) − logits[target]`, with the gradient written out,
 * `(softmax(logits) − onehot) · dy`: autodiff through `logSumExp` costs a max-mask
 * (tfjs-wasm's slow broadcast `Equal`) and an extra exp for the same numbers.
 */
function crossEntropySum(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.customGrad((...inputs) => {
    const x = inputs[0] as tf.Tensor2D;
    const save = inputs[1] as tf.GradSaveFunc;
    const value = tf.sum(tf.sub(tf.logSumExp(x, 1), tf.sum(tf.mul(x, targets), 1))) as tf.Scalar;
    // Kept for the backward pass, which runs after the forward's intermediates are freed.
    save([tf.softmax(x), targets]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor =>
      tf.mul(tf.sub(saved[0] as tf.Tensor, saved[1] as tf.Tensor), dy);
    return { value, gradFunc };
  })(logits) as tf.Scalar;
}

/**
 * `[targets, vocab]` with 1 at each target: built in JS, as tfjs-wasm's float32 `oneHot`
 * writes integer bits (1 becomes 1.4e-45).
 */
function oneHot(targets: Int32Array, vocab: number): tf.Tensor2D {
  const values = new Float32Array(targets.length * vocab);
  targets.forEach((t, i) => (values[i * vocab + t] = 1));
  return tf.tensor2d(values, [targets.length, vocab]);
}
