import * as tf from '@tensorflow/tfjs-core';
import {
  readTensorF32,
  type LinearWeights,
  type ModelSpec,
  type NormWeights,
  type TensorView,
} from '@pretrain/backend-sdk';

/** The parameters each stage of the training pass reads, each stage's list without repeats. */
export interface StageViews {
  /** Learned positions and the embedding norm (the embedding itself is looked up outside). */
  readonly embed: readonly TensorView[];
  /** Per block: its norms and linears. */
  readonly layers: readonly (readonly TensorView[])[];
  /** The final norm. */
  readonly final: readonly TensorView[];
}

/** {@link StageViews} of `spec`, in the order the spec names them. */
export function stageViews(spec: ModelSpec): StageViews {
  const collect = (fill: (add: (view: TensorView | undefined) => void) => void): TensorView[] => {
    const views = new Map<string, TensorView>();
    fill((view) => {
      if (view !== undefined && !views.has(view.name)) views.set(view.name, view);
    });
    return [...views.values()];
  };
  const norm = (add: (view: TensorView | undefined) => void, n: NormWeights | undefined): void => {
    add(n?.weight);
    add(n?.bias ?? undefined);
  };
  const linear = (add: (view: TensorView | undefined) => void, l: LinearWeights | undefined): void => {
    add(l?.weight);
    add(l?.bias ?? undefined);
  };
  return {
    embed: collect((add) => {
      if (spec.positions.kind === 'learned') add(spec.positions.embedding);
      norm(add, spec.embeddingNorm);
    }),
    layers: spec.layers.map((layer) =>
      collect((add) => {
        norm(add, layer.attentionNorm);
        if (layer.attention.kind === 'separate') {
          linear(add, layer.attention.q);
          linear(add, layer.attention.k);
          linear(add, layer.attention.v);
        } else linear(add, layer.attention.qkv);
        linear(add, layer.attentionOutput);
        norm(add, layer.mlpNorm);
        linear(add, layer.mlp.gate);
        linear(add, layer.mlp.up);
        linear(add, layer.mlp.down);
      }),
    ),
    final: collect((add) => norm(add, spec.finalNorm)),
  };
}

/**
 * Every parameter of `spec` once, keyed by its stored tensor name, in a fixed order (the
 * order the spec names them). A tied head is the embedding's view, so it is one entry.
 */
export function parameterViews(spec: ModelSpec): TensorView[] {
  const stages = stageViews(spec);
  const views = new Map<string, TensorView>();
  const all = [spec.embedding, ...stages.embed, ...stages.layers.flat(), ...stages.final, spec.lmHead];
  for (const view of [...all, spec.lmHeadBias]) {
    if (view !== undefined && !views.has(view.name)) views.set(view.name, view);
  }
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
