import * as tf from '@tensorflow/tfjs-core';
import {
  readTensorF32,
  type LinearWeights,
  type ModelSpec,
  type NormWeights,
  type TensorView,
} from '@pretrain/backend-sdk';

/**
 * Every parameter of `spec` once, keyed by its stored tensor name, in a fixed order (the
 * order the spec names them). A tied head is the embedding's view, so it is one entry.
 */
export function parameterViews(spec: ModelSpec): TensorView[] {
  const views = new Map<string, TensorView>();
  const add = (view: TensorView | undefined): void => {
    if (view !== undefined && !views.has(view.name)) views.set(view.name, view);
  };
  const norm = (n: NormWeights | undefined): void => {
    add(n?.weight);
    add(n?.bias ?? undefined);
  };
  const linear = (l: LinearWeights | undefined): void => {
    add(l?.weight);
    add(l?.bias ?? undefined);
  };
  add(spec.embedding);
  if (spec.positions.kind === 'learned') add(spec.positions.embedding);
  norm(spec.embeddingNorm);
  for (const layer of spec.layers) {
    norm(layer.attentionNorm);
    if (layer.attention.kind === 'separate') {
      linear(layer.attention.q);
      linear(layer.attention.k);
      linear(layer.attention.v);
    } else linear(layer.attention.qkv);
    linear(layer.attentionOutput);
    norm(layer.mlpNorm);
    linear(layer.mlp.gate);
    linear(layer.mlp.up);
    linear(layer.mlp.down);
  }
  norm(spec.finalNorm);
  add(spec.lmHead);
  add(spec.lmHeadBias);
  return [...views.values()];
}

/**
 * The parameters as fp32 tensors of their stored shapes (F16/BF16 upcast exactly), in
 * {@link parameterViews} order. On failure nothing stays allocated.
 */
export async function loadParameters(views: readonly TensorView[]): Promise<tf.Tensor[]> {
  const out: tf.Tensor[] = [];
  try {
    for (const view of views) out.push(tf.tensor(await readTensorF32(view), [...view.shape], 'float32'));
    return out;
  } catch (error) {
    for (const t of out) t.dispose();
    throw error;
  }
}
