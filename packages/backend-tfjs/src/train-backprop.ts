import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, TensorView } from '@pretrain/backend-sdk';
import { causalMask } from './attention.js';
import { block, embed, finalHidden } from './forward.js';
import type { GradientStore } from './gradient-store.js';
import { rotaryTables } from './rotary.js';
import { headLossAndGradient } from './train-head.js';
import { trainingLayer, trainingNorm, type Param } from './train-forward.js';
import type { StageViews } from './train-parameters.js';

/** One differentiable stage: its output from its input stream and its parameters. */
type Stage = (x: tf.Tensor2D, param: Param) => tf.Tensor2D;

/**
 * The next-token cross-entropy summed over `ids` (logits[:-1] against ids[1:]), with the
 * gradient of `scale` × that sum added into `grads` for every parameter it reads.
 *
 * Memory is bounded by recomputation (gradient checkpointing per block): the forward pass
 * keeps only each block's input `[T, hidden]`; the backward pass recomputes one block at a
 * time under the tape and backpropagates through it alone, so one block's activations
 * live at once instead of all of them. The head works over vocabulary chunks
 * ({@link headLossAndGradient}), the embedding's gradient is scattered on the host, and
 * every parameter gradient leaves the heap as soon as its stage is done. Recomputing gives
 * the same values as keeping: the same ops on the same inputs.
 */
export async function backpropagateRow(
  spec: ModelSpec,
  views: StageViews,
  param: Param,
  ids: Int32Array,
  scale: number,
  grads: GradientStore,
): Promise<number> {
  const T = ids.length;
  const rotary =
    spec.positions.kind === 'rotary'
      ? rotaryTables(0, T, spec.positions.dims, spec.positions.theta)
      : undefined;
  const mask = causalMask(0, T, spec);
  const embedding = param(spec.embedding) as tf.Tensor2D;
  const rows = tf.tidy(() => tf.gather(embedding, tf.tensor1d(ids, 'int32')) as tf.Tensor2D);
  const embedStage: Stage = (x, p) =>
    embed(
      spec,
      x,
      spec.positions.kind === 'learned' ? (p(spec.positions.embedding) as tf.Tensor2D) : undefined,
      spec.embeddingNorm === undefined ? undefined : trainingNorm(spec, spec.embeddingNorm, p),
      0,
    );
  const layerStages: Stage[] = spec.layers.map(
    (layer) => (x, p) => block(spec, trainingLayer(spec, layer, p), x, mask, rotary, undefined, false).x,
  );
  const finalStage: Stage = (x, p) =>
    tf.slice(
      finalHidden(spec, x, spec.finalNorm === undefined ? undefined : trainingNorm(spec, spec.finalNorm, p)),
      [0, 0],
      [T - 1, -1],
    );
  const stages = [embedStage, ...layerStages, finalStage];
  const stageViews = [views.embed, ...views.layers, views.final];
  // inputs[i] is stage i's input: the looked-up rows, then each block's input, then the final norm's.
  const inputs: tf.Tensor2D[] = [rows];
  let dx: tf.Tensor2D | undefined;
  try {
    for (const stage of stages) {
      const x = inputs[inputs.length - 1] as tf.Tensor2D;
      // A copy where a stage passes x through (a Llama embedding), so each input is owned once.
      inputs.push(
        tf.tidy(() => {
          const y = stage(x, param);
          return y === x ? tf.clone(y) : y;
        }),
      );
    }
    const hidden = inputs.pop() as tf.Tensor2D;
    const head = {
      weight: param(spec.lmHead) as tf.Tensor2D,
      weightName: spec.lmHead.name,
      bias: spec.lmHeadBias === undefined ? undefined : (param(spec.lmHeadBias) as tf.Tensor1D),
      biasName: spec.lmHeadBias?.name,
    };
    const out = await headLossAndGradient(hidden, ids.subarray(1), head, scale, grads).finally(() =>
      hidden.dispose(),
    );
    let dy = out.dHidden;
    dx = dy;
    for (let s = stages.length - 1; s >= 0; s -= 1) {
      const x = inputs.pop() as tf.Tensor2D;
      const views = stageViews[s] as readonly TensorView[];
      const next = await stageBackward(stages[s] as Stage, x, views, param, dy, grads).finally(() =>
        x.dispose(),
      );
      dy.dispose();
      dy = next;
      dx = dy;
    }
    // dy is now the gradient of the looked-up rows: scatter it into the embedding's,
    // except the padding row's (transformers' `padding_idx` gets no lookup gradient).
    const dRows = (await dy.data()) as Float32Array;
    const width = spec.hiddenSize;
    ids.forEach((id, i) => {
      if (id !== spec.paddingIdx)
        grads.add(spec.embedding.name, dRows.subarray(i * width, (i + 1) * width), id * width);
    });
    return out.sum;
  } finally {
    dx?.dispose();
    for (const x of inputs) x.dispose();
    mask.dispose();
    rotary?.cos.dispose();
    rotary?.sin.dispose();
  }
}

/**
 * Backpropagate `dy` through `stage` recomputed from its input `x`: the stage's parameter
 * gradients go to `grads`, the gradient of `x` is returned.
 */
async function stageBackward(
  stage: Stage,
  x: tf.Tensor2D,
  views: readonly TensorView[],
  param: Param,
  dy: tf.Tensor2D,
  grads: GradientStore,
): Promise<tf.Tensor2D> {
  const params = views.map((view) => param(view));
  const index = new Map(views.map((view, i) => [view.name, i]));
  const local: Param = (view) => {
    const i = index.get(view.name);
    // Every parameter a stage reads is in its view list (stageViews mirrors the stage).
    return i === undefined ? param(view) : (params[i] as tf.Tensor);
  };
  const result = tf.tidy(() => {
    const { grads: g } = tf.engine().gradients(() => stage(x, local), [x, ...params], dy, true);
    // A stage that passes x through unchanged hands back dy itself: return a copy to own.
    return g.map((t, i) =>
      i === 0 ? (t === null ? tf.zerosLike(x) : t === dy ? tf.clone(t) : t) : (t ?? undefined),
    );
  }) as (tf.Tensor | undefined)[];
  try {
    for (const [i, view] of views.entries()) {
      const g = result[i + 1];
      if (g !== undefined) grads.add(view.name, (await g.data()) as Float32Array);
    }
  } catch (error) {
    tf.dispose(result.filter((t): t is tf.Tensor => t !== undefined));
    throw error;
  }
  tf.dispose(result.slice(1).filter((t): t is tf.Tensor => t !== undefined));
  return result[0] as tf.Tensor2D;
}
