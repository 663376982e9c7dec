import * as tf from '@tensorflow/tfjs-core';
import {
  readTensorF32,
  type AttentionProjections,
  type LinearWeights,
  type ModelSpec,
  type NormWeights,
  type TensorView,
} from '@pretrain/core';

/**
 * Vocabulary rows per head chunk: bounds the `[tokens, chunk]` logits alive at once. Narrow
 * chunks also ran faster on tfjs-wasm than 8192-wide ones (the packed weights stay in cache).
 */
export const HEAD_CHUNK = 2048;

/** `y = x · w + b` with `w` stored input-major `[in, out]`, the layout tfjs multiplies fastest. */
export interface LinearTensors {
  readonly w: tf.Tensor2D;
  readonly b: tf.Tensor1D | undefined;
}

/** Norm scale and (LayerNorm only) shift. */
export interface NormTensors {
  readonly w: tf.Tensor1D;
  readonly b: tf.Tensor1D | undefined;
}

/** One block; `qkv` always outputs `[q (H·hd) | k (KV·hd) | v (KV·hd)]`. */
export interface LayerTensors {
  readonly attentionNorm: NormTensors;
  readonly qkv: LinearTensors;
  readonly attentionOutput: LinearTensors;
  readonly mlpNorm: NormTensors;
  readonly gate: LinearTensors | undefined;
  readonly up: LinearTensors;
  readonly down: LinearTensors;
}

/** Every weight of a model as tfjs tensors, laid out for the forward pass. */
export interface ModelTensors {
  /** `[vocab, hidden]`, for the embedding lookup. */
  readonly embedding: tf.Tensor2D;
  /** `[maxPositions, hidden]` for learned positions. */
  readonly positions: tf.Tensor2D | undefined;
  readonly layers: readonly LayerTensors[];
  readonly finalNorm: NormTensors;
  /** The output head transposed, `[hidden, ≤ HEAD_CHUNK]` per chunk, chunk i starting at row i·HEAD_CHUNK. */
  readonly headChunks: readonly tf.Tensor2D[];
}

/**
 * Read every weight of `spec` into tensors (F16/BF16 upcast exactly), pre-transposed
 * and with q/k/v fused in blocks order. On failure nothing stays allocated.
 * @throws CorruptModelError from core when a weight file is shorter than its views.
 */
export async function loadModelTensors(spec: ModelSpec): Promise<ModelTensors> {
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  try {
    const embedding = keep(await read2d(spec.embedding));
    const positions =
      spec.positions.kind === 'learned' ? keep(await read2d(spec.positions.embedding)) : undefined;
    const layers: LayerTensors[] = [];
    for (const layer of spec.layers) {
      layers.push({
        attentionNorm: await norm(layer.attentionNorm, keep),
        qkv: await fusedQkv(spec, layer.attention, keep),
        attentionOutput: await linear(layer.attentionOutput, keep),
        mlpNorm: await norm(layer.mlpNorm, keep),
        gate: layer.mlp.gate === undefined ? undefined : await linear(layer.mlp.gate, keep),
        up: await linear(layer.mlp.up, keep),
        down: await linear(layer.mlp.down, keep),
      });
    }
    const finalNorm = await norm(spec.finalNorm, keep);
    const head = spec.tiedEmbeddings ? embedding : await read2d(spec.lmHead);
    const headChunks: tf.Tensor2D[] = [];
    for (let start = 0; start < spec.vocabSize; start += HEAD_CHUNK) {
      const rows = Math.min(HEAD_CHUNK, spec.vocabSize - start);
      headChunks.push(keep(tf.tidy(() => tf.transpose(tf.slice(head, [start, 0], [rows, spec.hiddenSize])))));
    }
    if (head !== embedding) head.dispose();
    return { embedding, positions, layers, finalNorm, headChunks };
  } catch (error) {
    for (const t of owned) t.dispose();
    throw error;
  }
}

/** Free every tensor of `tensors`. */
export function disposeModelTensors(tensors: ModelTensors): void {
  const { embedding, positions, layers, finalNorm, headChunks } = tensors;
  const all: (tf.Tensor | undefined)[] = [embedding, positions, finalNorm.w, finalNorm.b, ...headChunks];
  for (const l of layers) {
    for (const lin of [l.qkv, l.attentionOutput, l.gate, l.up, l.down]) all.push(lin?.w, lin?.b);
    all.push(l.attentionNorm.w, l.attentionNorm.b, l.mlpNorm.w, l.mlpNorm.b);
  }
  for (const t of all) t?.dispose();
}

type Keep = <T extends tf.Tensor>(t: T) => T;

async function read(view: TensorView): Promise<tf.Tensor> {
  return tf.tensor(await readTensorF32(view), [...view.shape], 'float32');
}

async function read2d(view: TensorView): Promise<tf.Tensor2D> {
  return (await read(view)) as tf.Tensor2D;
}

async function norm(weights: NormWeights, keep: Keep): Promise<NormTensors> {
  return {
    w: keep((await read(weights.weight)) as tf.Tensor1D),
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

async function linear(weights: LinearWeights, keep: Keep): Promise<LinearTensors> {
  const raw = await read2d(weights.weight);
  const w = weights.inputMajor ? raw : tf.tidy(() => tf.transpose(raw));
  if (w !== raw) raw.dispose();
  const b = weights.bias === undefined ? undefined : ((await read(weights.bias)) as tf.Tensor1D);
  return { w: keep(w), b: b && keep(b) };
}

/** q, k and v as one `[in, (H + 2·KV)·hd]` linear, whatever the stored arrangement. */
async function fusedQkv(
  spec: ModelSpec,
  attention: AttentionProjections,
  keep: Keep,
): Promise<LinearTensors> {
  if (attention.kind === 'fused' && attention.order === 'blocks') return linear(attention.qkv, keep);
  if (attention.kind === 'fused') {
    // per-head [H, 3, hd, in] → blocks [3, H, hd, in].
    const { numHeads: H, headDim: hd } = spec;
    const raw = await outputMajor(attention.qkv);
    const w = tf.tidy(() =>
      tf.transpose(tf.reshape(tf.transpose(tf.reshape(raw, [H, 3, hd, -1]), [1, 0, 2, 3]), [3 * H * hd, -1])),
    );
    raw.dispose();
    const b =
      attention.qkv.bias && tf.tensor1d(perHeadToBlocks(await readTensorF32(attention.qkv.bias), H, hd));
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
 * A per-head `[H, 3, hd]` bias reordered to blocks `[3, H, hd]`, in JS: tfjs-wasm's fused
 * matMul checks the rank a buffer was created with, so a reshaped bias is refused.
 */
function perHeadToBlocks(bias: Float32Array, H: number, hd: number): Float32Array {
  const out = new Float32Array(bias.length);
  for (let h = 0; h < H; h += 1) {
    for (let part = 0; part < 3; part += 1) {
      out.set(bias.subarray((h * 3 + part) * hd, (h * 3 + part + 1) * hd), (part * H + h) * hd);
    }
  }
  return out;
}
