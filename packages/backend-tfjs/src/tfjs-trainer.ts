import * as tf from '@tensorflow/tfjs-core';
import {
  CorruptModelError,
  readSafetensorsHeader,
  readTensorF32,
  UsageError,
  writeSafetensors,
  writeTrainedModel,
  type AdamWSettings,
  type ModelSpec,
  type SaveModelOptions,
  type TensorData,
  type TensorView,
  type TokenBatch,
  type Trainer,
  type TrainStepOptions,
  type TrainStepResult,
} from '@pretrain/backend-sdk';
import { adamwUpdate } from './adamw.js';
import { GradientStore } from './gradient-store.js';
import { registerGradients } from './register-gradients.js';
import { packTokenRows } from './token-batch.js';
import { backpropagateRow } from './train-backprop.js';
import { loadParameters, parameterViews, stageViews, type StageViews } from './train-parameters.js';

/** `__metadata__.format` of the optimizer state files this trainer writes. */
const OPTIMIZER_FORMAT = 'pretrain-adamw-v1';

/**
 * A {@link Trainer} on tfjs: the parameters as fp32 tensors in their stored layout; per row
 * a forward pass that keeps only each block's input and a backward pass that recomputes
 * one block at a time ({@link backpropagateRow}); the gradients, AdamW's moments and the
 * update ({@link adamwUpdate}, float32 as torch rounds it) in host memory, outside the
 * wasm heap, so the heap holds the parameters and one block's work.
 */
export class TfjsTrainer implements Trainer {
  private readonly views: readonly TensorView[];
  private readonly stages: StageViews;
  private params: tf.Tensor[];
  /** AdamW's first and second moments per parameter, in {@link views} order. */
  private moments: { m: Float32Array; v: Float32Array }[];
  private done = 0;
  private disposed = false;

  private constructor(
    readonly spec: ModelSpec,
    readonly settings: AdamWSettings,
    views: readonly TensorView[],
    params: tf.Tensor[],
    private readonly activate: () => Promise<void>,
    private readonly checkRowLength: (T: number) => void,
  ) {
    this.views = views;
    this.stages = stageViews(spec);
    this.params = params;
    this.moments = params.map((p) => ({ m: new Float32Array(p.size), v: new Float32Array(p.size) }));
  }

  /**
   * Load `spec`'s parameters for training; `activate` makes this backend's runtime
   * current, `checkRowLength` refuses rows the runtime cannot train on (before any work).
   */
  static async create(
    spec: ModelSpec,
    settings: AdamWSettings,
    activate: () => Promise<void>,
    checkRowLength: (T: number) => void = () => {},
  ): Promise<TfjsTrainer> {
    checkSettings(settings);
    await registerGradients();
    await activate();
    const views = parameterViews(spec);
    return new TfjsTrainer(spec, settings, views, await loadParameters(views), activate, checkRowLength);
  }

  get steps(): number {
    return this.done;
  }

  async step(microBatches: readonly TokenBatch[], options: TrainStepOptions = {}): Promise<TrainStepResult> {
    this.assertLive();
    const lr = options.lr ?? this.settings.lr;
    if (!(lr >= 0) || !Number.isFinite(lr))
      throw new UsageError(`learning rate ${lr} is not a finite number ≥ 0`);
    if (microBatches.length === 0) throw new UsageError('an optimizer step needs at least one micro-batch');
    const packed = microBatches.map((batch) => packTokenRows(this.spec, batch, 2));
    for (const rows of packed) this.checkRowLength((rows[0] as Int32Array).length);
    await this.activate();
    const count = packed.length;
    const index = new Map(this.views.map((v, i) => [v.name, i]));
    const param = (view: TensorView): tf.Tensor => this.params[index.get(view.name) as number] as tf.Tensor;
    const grads = new GradientStore(
      new Map(this.views.map((v, i) => [v.name, (this.params[i] as tf.Tensor).size])),
    );
    let lossSum = 0;
    let tokens = 0;
    for (const rows of packed) {
      const predictions = rows.length * ((rows[0] as Int32Array).length - 1);
      tokens += rows.length * (rows[0] as Int32Array).length;
      // The gradient of the reference's `(loss / accumulation_steps).backward()`, loss the batch mean.
      const scale = Math.fround(Math.fround(1 / count) / predictions);
      let total = 0;
      for (const ids of rows) {
        options.signal?.throwIfAborted();
        total += await backpropagateRow(this.spec, this.stages, param, ids, scale, grads);
      }
      lossSum += total / predictions;
    }
    const gradNorm = grads.norm();
    const clip =
      options.clipGradNorm === undefined ? 1 : Math.min(1, options.clipGradNorm / (gradNorm + 1e-6));
    const step = this.done + 1;
    for (const [i, view] of this.views.entries()) {
      const g = grads.get(view.name);
      if (g === undefined) continue; // no gradient: torch's AdamW skips the parameter
      const old = this.params[i] as tf.Tensor;
      const p = (await old.data()) as Float32Array;
      const { m, v } = this.moments[i] as { m: Float32Array; v: Float32Array };
      adamwUpdate(p, g, m, v, step, lr, this.settings, clip);
      // One parameter at a time: the heap never holds two copies of more than one.
      this.params[i] = tf.tensor(p, old.shape, 'float32');
      old.dispose();
    }
    this.done = step;
    return { step, loss: lossSum / count, lr, tokens, gradNorm };
  }

  async saveModel(dir: string, options: SaveModelOptions = {}): Promise<void> {
    this.assertLive();
    await writeTrainedModel(this.spec, await this.values(this.params, ''), dir, options.dtype ?? 'F32');
  }

  async saveOptimizerState(path: string): Promise<void> {
    this.assertLive();
    const tensors: TensorData[] = [];
    for (const [prefix, which] of [
      ['exp_avg.', 'm'],
      ['exp_avg_sq.', 'v'],
    ] as const) {
      for (const [i, view] of this.views.entries()) {
        const values = (this.moments[i] as { m: Float32Array; v: Float32Array })[which];
        tensors.push({ name: prefix + view.name, dtype: 'F32', shape: view.shape, values });
      }
    }
    try {
      await writeSafetensors(path, tensors, { format: OPTIMIZER_FORMAT, step: String(this.done) });
    } catch (cause) {
      throw new UsageError(`cannot write the optimizer state "${path}": ${(cause as Error).message}`, {
        hint: 'choose a writable checkpoint directory',
        cause,
      });
    }
  }

  async loadOptimizerState(path: string): Promise<void> {
    this.assertLive();
    const header = await readSafetensorsHeader(path);
    const step = Number(header.metadata['step']);
    if (header.metadata['format'] !== OPTIMIZER_FORMAT || !Number.isSafeInteger(step) || step < 0) {
      throw new CorruptModelError(`"${path}" is not an optimizer state written by pretrain`, {
        hint: 'resume from a checkpoint directory that `pretrain train` wrote',
      });
    }
    const byName = new Map(header.tensors.map((t) => [t.name, t]));
    const read = async (prefix: string): Promise<Float32Array[]> => {
      const out: Float32Array[] = [];
      for (const view of this.views) {
        const stored = byName.get(prefix + view.name);
        if (stored === undefined || stored.dtype !== 'F32' || stored.shape.join() !== view.shape.join()) {
          throw new CorruptModelError(`optimizer state "${path}" does not fit the model at "${view.name}"`, {
            hint: 'resume with the model the checkpoint was made from',
          });
        }
        out.push(await readTensorF32(stored));
      }
      return out;
    };
    const m = await read('exp_avg.');
    const v = await read('exp_avg_sq.');
    this.moments = m.map((values, i) => ({ m: values, v: v[i] as Float32Array }));
    this.done = step;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.params) t.dispose();
    this.params = [];
    this.moments = [];
  }

  private async values(tensors: readonly tf.Tensor[], prefix: string): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [i, t] of tensors.entries()) {
      out.set(prefix + (this.views[i] as TensorView).name, (await t.data()) as Float32Array);
    }
    return out;
  }

  private assertLive(): void {
    if (this.disposed) throw new UsageError('the trainer was disposed');
  }
}

function checkSettings(s: AdamWSettings): void {
  const bad = (what: string): never => {
    throw new UsageError(`AdamW ${what}`, {
      hint: 'torch.optim.AdamW accepts lr ≥ 0, eps ≥ 0, betas in [0, 1)',
    });
  };
  if (!(s.lr > 0) || !Number.isFinite(s.lr)) bad(`lr ${s.lr} is not a finite number > 0`);
  if (!(s.eps >= 0) || !Number.isFinite(s.eps)) bad(`eps ${s.eps} is not a finite number ≥ 0`);
  if (!Number.isFinite(s.weightDecay) || s.weightDecay < 0) bad(`weight decay ${s.weightDecay} is not ≥ 0`);
  for (const b of s.betas) if (!(b >= 0 && b < 1)) bad(`beta ${b} is not in [0, 1)`);
}
