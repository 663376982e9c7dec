import * as tf from '@tensorflow/tfjs-core';
import { UnsupportedModelError, type ModelSpec } from '@pretrain/core';
import { foldQueryScale, fusedQkv, linear, norm, read2d } from './weight-readers.js';

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
        qkv: foldQueryScale(await fusedQkv(spec, layer.attention, keep), spec, keep),
        attentionOutput: await linear(layer.attentionOutput, keep),
        mlpNorm: await norm(layer.mlpNorm, keep),
        gate: layer.mlp.gate === undefined ? undefined : await linear(layer.mlp.gate, keep),
        up: await linear(layer.mlp.up, keep),
        down: await linear(layer.mlp.down, keep),
      });
    }
    if (spec.finalNorm === undefined) {
      throw new UnsupportedModelError(`"${spec.dir}": backend tfjs needs a final norm`);
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
