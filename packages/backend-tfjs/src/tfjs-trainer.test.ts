import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import onnx from '@pretrain/backend-onnx';
import { FIXTURES_DIR, fixtureModelDir } from '@pretrain/conformance';
import {
  DEFAULT_ADAMW,
  isPretrainError,
  openModelSpec,
  readSafetensorsHeader,
  type AdamWSettings,
  type LossBackend,
  type TokenBatch,
} from '@pretrain/backend-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tfjsPlugin from './index.js';

/** Made by the PyTorch oracle; the command and its provenance are in test/fixtures/GOLDENS.md. */
interface TrainGoldens {
  readonly optimizer: {
    readonly lr: number;
    readonly betas: [number, number];
    readonly eps: number;
    readonly weight_decay: number;
  };
  readonly models: Record<string, { readonly train_losses: number[]; readonly final_loss: number }>;
}
const goldens = JSON.parse(readFileSync(join(FIXTURES_DIR, 'train-goldens.json'), 'utf8')) as TrainGoldens;
const batches = JSON.parse(readFileSync(join(FIXTURES_DIR, 'train-batches.json'), 'utf8')) as TokenBatch[];
const settings: AdamWSettings = {
  lr: goldens.optimizer.lr,
  weightDecay: goldens.optimizer.weight_decay,
  betas: goldens.optimizer.betas,
  eps: goldens.optimizer.eps,
};
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('tfjs trainer against the PyTorch oracle', () => {
  let dir: string;
  let evaluator: LossBackend;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tfjs-train-'));
    evaluator = await onnx.createLossBackend({});
  });
  afterAll(async () => {
    await evaluator.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(Object.keys(goldens.models))(
    '%s: 3 AdamW steps match per step (1e-4) and the saved model evaluates on onnx to the final loss (1e-3)',
    async (name) => {
      const golden = goldens.models[name] as TrainGoldens['models'][string];
      const spec = await openModelSpec(fixtureModelDir(name));
      const trainer = await tfjsPlugin.createTrainer!(spec, settings, { tfjsBackend: 'wasm' });
      const before = tf.memory();
      const losses: number[] = [];
      for (let s = 0; s < 3; s += 1) {
        losses.push((await trainer.step([batches[s % batches.length] as TokenBatch])).loss);
        // Parameters are replaced one by one, moments and gradients live on the host: no tensor
        // or byte more in tfjs after a step.
        expect(tf.memory().numTensors).toBe(before.numTensors);
        expect(tf.memory().numBytes).toBe(before.numBytes);
      }
      losses.forEach((loss, s) =>
        expect(relative(loss, golden.train_losses[s] as number)).toBeLessThan(1e-4),
      );
      const out = join(dir, name);
      await trainer.saveModel(out);
      await trainer.dispose();
      const saved = await openModelSpec(out);
      const model = await evaluator.load(saved);
      const [final] = await model.losses([batches[0] as TokenBatch]);
      await model.dispose();
      expect(relative(final as number, golden.final_loss)).toBeLessThan(1e-3);
      // The input's tensor names, a tied head once.
      const input = await readSafetensorsHeader(join(fixtureModelDir(name), 'model.safetensors')).catch(
        () => undefined,
      );
      const written = await readSafetensorsHeader(join(out, 'model.safetensors'));
      if (input !== undefined) {
        const names = input.tensors
          .map((t) => t.name)
          .filter((n) => !(spec.tiedEmbeddings && n === 'lm_head.weight'));
        expect(written.tensors.map((t) => t.name)).toEqual(names);
      }
      expect(written.tensors.every((t) => t.dtype === 'F32')).toBe(true);
      expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8'))).toEqual(
        JSON.parse(await readFile(join(fixtureModelDir(name), 'config.json'), 'utf8')),
      );
    },
  );
});

describe('tfjs trainer', () => {
  const llama = fixtureModelDir('llama-gqa-f32-sharded');

  it('accumulates gradients: one step over [a, b] equals the mean of their losses, each divided by 2', async () => {
    const spec = await openModelSpec(llama);
    const a = await tfjsPlugin.createTrainer!(spec, settings, { tfjsBackend: 'wasm' });
    const b = await tfjsPlugin.createTrainer!(spec, settings, { tfjsBackend: 'wasm' });
    const pair = [batches[0] as TokenBatch, batches[1] as TokenBatch];
    const step = await a.step(pair);
    // Same weights before the update: the step's loss is the mean of the two losses.
    const one = await b.step([pair[0] as TokenBatch]);
    const model = await evaluator(spec);
    const [l0, l1] = await model.losses(pair);
    expect(step.loss).toBeCloseTo(((l0 as number) + (l1 as number)) / 2, 5);
    expect(one.loss).toBeCloseTo(l0 as number, 5);
    expect(step.tokens).toBe(2 * 16 + 3 * 16);
    await Promise.all([a.dispose(), b.dispose(), model.dispose()]);
  });

  it('resumes bit for bit from saved weights and optimizer state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tfjs-resume-'));
    try {
      const spec = await openModelSpec(llama);
      const straight = await tfjsPlugin.createTrainer!(spec, settings, { tfjsBackend: 'wasm' });
      const expected: number[] = [];
      for (let s = 0; s < 4; s += 1)
        expected.push((await straight.step([batches[s % 2] as TokenBatch])).loss);
      await straight.dispose();
      const first = await tfjsPlugin.createTrainer!(spec, settings, { tfjsBackend: 'wasm' });
      const got: number[] = [];
      for (let s = 0; s < 2; s += 1) got.push((await first.step([batches[s % 2] as TokenBatch])).loss);
      await first.saveModel(join(dir, 'model'));
      await first.saveOptimizerState(join(dir, 'optimizer.safetensors'));
      await first.dispose();
      const resumed = await tfjsPlugin.createTrainer!(await openModelSpec(join(dir, 'model')), settings, {
        tfjsBackend: 'wasm',
      });
      await resumed.loadOptimizerState(join(dir, 'optimizer.safetensors'));
      expect(resumed.steps).toBe(2);
      for (let s = 2; s < 4; s += 1) got.push((await resumed.step([batches[s % 2] as TokenBatch])).loss);
      await resumed.dispose();
      expect(got).toEqual(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses token ids outside the vocabulary and a learning rate ≤ 0 with a PretrainError', async () => {
    const spec = await openModelSpec(llama);
    await expect(tfjsPlugin.createTrainer!(spec, { ...DEFAULT_ADAMW, lr: 0 }, {})).rejects.toSatisfy(
      (e) => isPretrainError(e) && e.code === 'PRETRAIN_USAGE',
    );
    const trainer = await tfjsPlugin.createTrainer!(spec, settings, { tfjsBackend: 'wasm' });
    await expect(trainer.step([[[1, 2, spec.vocabSize]]])).rejects.toSatisfy(
      (e) => isPretrainError(e) && e.code === 'PRETRAIN_USAGE',
    );
    expect(trainer.steps).toBe(0);
    await trainer.dispose();
  });
});

async function evaluator(spec: Awaited<ReturnType<typeof openModelSpec>>) {
  const backend = await tfjsPlugin.createLossBackend({ tfjsBackend: 'wasm' });
  return backend.load(spec);
}
