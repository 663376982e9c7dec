import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@pretrain/backend-sdk';
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
  /** The norm of the embeddings before the first block (Bart). */
  readonly embeddingNorm: NormTensors | undefined;
  /** Absent for post-norm models (Bart). */
  readonly finalNorm: NormTensors | undefined;
  /**
   * The output head transposed, `[hidden, ≤ HEAD_CHUNK]` per chunk, chunk i starting at
   * row i·HEAD_CHUNK. With a head bias, each chunk has one more row holding the bias, and
   * the forward pass appends a column of ones to the hidden states (so the head code
   * stays one matMul per chunk).
   */
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
    const offset = spec.norm.weightOffset;
    for (const layer of spec.layers) {
      const attentionNorm = await norm(layer.attentionNorm, keep, offset);
      layers.push({
        attentionNorm,
        qkv: foldQueryScale(await fusedQkv(spec, layer.attention, keep), spec, keep),
        attentionOutput: await linear(layer.attentionOutput, keep),
        mlpNorm:
          layer.mlpNorm === layer.attentionNorm ? attentionNorm : await norm(layer.mlpNorm, keep, offset),
        gate: layer.mlp.gate === undefined ? undefined : await linear(layer.mlp.gate, keep),
        up: await linear(layer.mlp.up, keep),
        down: await linear(layer.mlp.down, keep),
      });
    }
    const finalNorm = spec.finalNorm === undefined ? undefined : await norm(spec.finalNorm, keep, offset);
    const embeddingNorm =
      spec.embeddingNorm === undefined ? undefined : await norm(spec.embeddingNorm, keep, offset);
    const head = spec.tiedEmbeddings ? embedding : await read2d(spec.lmHead);
    const bias = spec.lmHeadBias === undefined ? undefined : ((await read2d(spec.lmHeadBias)) as tf.Tensor);
    const headChunks: tf.Tensor2D[] = [];
    for (let start = 0; start < spec.vocabSize; start += HEAD_CHUNK) {
      const rows = Math.min(HEAD_CHUNK, spec.vocabSize - start);
      headChunks.push(
        keep(
          tf.tidy(() => {
            const chunk = tf.transpose(tf.slice(head, [start, 0], [rows, spec.hiddenSize]));
            if (bias === undefined) return chunk;
            return tf.concat([chunk, tf.reshape(tf.slice(bias, [start], [rows]), [1, rows])], 0);
          }),
        ),
      );
    }
    if (head !== embedding) head.dispose();
    bias?.dispose();
    return { embedding, positions, layers, embeddingNorm, finalNorm, headChunks };
  } catch (error) {
    for (const t of owned) t.dispose();
    throw error;
  }
}

/** Free every tensor of `tensors`. */
export function disposeModelTensors(tensors: ModelTensors): void {
  const { embedding, positions, layers, embeddingNorm, finalNorm, headChunks } = tensors;
  const all: (tf.Tensor | undefined)[] = [embedding, positions, finalNorm?.w, finalNorm?.b, ...headChunks];
  all.push(embeddingNorm?.w, embeddingNorm?.b);
  for (const l of layers) {
    for (const lin of [l.qkv, l.attentionOutput, l.gate, l.up, l.down]) all.push(lin?.w, lin?.b);
    all.push(l.attentionNorm.w, l.attentionNorm.b);
    if (l.mlpNorm !== l.attentionNorm) all.push(l.mlpNorm.w, l.mlpNorm.b);
  }
  for (const t of all) t?.dispose();
}
