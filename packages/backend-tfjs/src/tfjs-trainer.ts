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
import { adamwUpdate, type Moments } from './adamw.js';
import { registerGradients } from './register-gradients.js';
import { packTokenRows } from './token-batch.js';
import { crossEntropyTotal, trainingTensors } from './train-forward.js';
import { loadParameters, parameterViews } from './train-parameters.js';

/** `__metadata__.format` of the optimizer state files this trainer writes. */
const OPTIMIZER_FORMAT = 'pretrain-adamw-v1';

/**
 * A {@link Trainer} on tfjs: the parameters as fp32 tensors in their stored layout, one
 * `tf.valueAndGrads` per micro-batch over the evaluation forward pass (built from them
 * with differentiable ops), AdamW as torch computes it.
 */
export class TfjsTrainer implements Trainer {
  private readonly views: readonly TensorView[];
  private params: tf.Tensor[];
  private moments: Moments[];
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
    this.params = params;
    this.moments = params.map((p) => ({ m: tf.zerosLike(p), v: tf.zerosLike(p) }));
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
    let grads: tf.Tensor[] | undefined;
    let lossSum = 0;
    let tokens = 0;
    const index = new Map(this.views.map((v, i) => [v.name, i]));
    try {
      for (const rows of packed) {
        options.signal?.throwIfAborted();
        const predictions = rows.length * ((rows[0] as Int32Array).length - 1);
        tokens += rows.length * (rows[0] as Int32Array).length;
        // Backpropagating 1/count from the mean is the reference's `(loss / accumulation_steps).backward()`.
        const { value, grads: g } = tf.tidy(() =>
          tf.valueAndGrads((...ps: tf.Tensor[]) => {
            const weights = trainingTensors(
              this.spec,
              (view) => ps[index.get(view.name) as number] as tf.Tensor,
            );
            return tf.div(crossEntropyTotal(this.spec, weights, rows), predictions) as tf.Scalar;
          })(this.params, tf.scalar(1 / count)),
        );
        lossSum += (await value.data())[0] as number;
        value.dispose();
        if (grads === undefined) grads = g;
        else {
          const previous: tf.Tensor[] = grads;
          grads = previous.map((a, i) => tf.add(a, g[i] as tf.Tensor));
          for (const t of [...previous, ...g]) t.dispose();
        }
      }
      const all = grads as tf.Tensor[];
      const squares = tf.tidy(() => tf.stack(all.map((g) => tf.sum(tf.square(g)))));
      const gradNorm = Math.sqrt(((await squares.data()) as Float32Array).reduce((a, b) => a + b, 0));
      squares.dispose();
      let applied = all;
      if (options.clipGradNorm !== undefined) {
        const coefficient = Math.min(1, options.clipGradNorm / (gradNorm + 1e-6));
        applied = all.map((g) => tf.mul(g, coefficient));
      }
      const step = this.done + 1;
      const updated = this.params.map((p, i) =>
        adamwUpdate(p, applied[i] as tf.Tensor, this.moments[i] as Moments, step, lr, this.settings),
      );
      for (const t of [...this.params, ...this.moments.flatMap((m) => [m.m, m.v])]) t.dispose();
      if (applied !== all) for (const t of applied) t.dispose();
      this.params = updated.map((u) => u.p);
      this.moments = updated.map((u) => u.moments);
      this.done = step;
      return { step, loss: lossSum / count, lr, tokens, gradNorm };
    } finally {
      for (const t of grads ?? []) t.dispose();
    }
  }

  async saveModel(dir: string, options: SaveModelOptions = {}): Promise<void> {
    this.assertLive();
    await writeTrainedModel(this.spec, await this.values(this.params, ''), dir, options.dtype ?? 'F32');
  }

  async saveOptimizerState(path: string): Promise<void> {
    this.assertLive();
    const tensors: TensorData[] = [];
    const m = await this.values(
      this.moments.map((x) => x.m),
      'exp_avg.',
    );
    const v = await this.values(
      this.moments.map((x) => x.v),
      'exp_avg_sq.',
    );
    for (const [name, values] of [...m, ...v]) {
      const view = this.views[tensors.length % this.views.length] as TensorView;
      tensors.push({ name, dtype: 'F32', shape: view.shape, values });
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
    const read = async (prefix: string): Promise<tf.Tensor[]> => {
      const out: tf.Tensor[] = [];
      try {
        for (const view of this.views) {
          const stored = byName.get(prefix + view.name);
          if (stored === undefined || stored.dtype !== 'F32' || stored.shape.join() !== view.shape.join()) {
            throw new CorruptModelError(
              `optimizer state "${path}" does not fit the model at "${view.name}"`,
              {
                hint: 'resume with the model the checkpoint was made from',
              },
            );
          }
          out.push(tf.tensor(await readTensorF32(stored), [...view.shape], 'float32'));
        }
        return out;
      } catch (error) {
        for (const t of out) t.dispose();
        throw error;
      }
    };
    await this.activate();
    const m = await read('exp_avg.');
    let v: tf.Tensor[];
    try {
      v = await read('exp_avg_sq.');
    } catch (error) {
      for (const t of m) t.dispose();
      throw error;
    }
    for (const old of this.moments) {
      old.m.dispose();
      old.v.dispose();
    }
    this.moments = m.map((t, i) => ({ m: t, v: v[i] as tf.Tensor }));
    this.done = step;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of [...this.params, ...this.moments.flatMap((m) => [m.m, m.v])]) t.dispose();
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
