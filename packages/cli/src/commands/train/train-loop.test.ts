import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR, fixtureModelDir } from '@pretrain/conformance';
import { openModelSpec } from '@pretrain/core';
import tfjs from '@pretrain/backend-tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedBatches } from './batch-source.js';
import { readCheckpointState } from './checkpoint.js';
import { lrAt } from './lr-schedule.js';
import { runTraining, type TrainingRun } from './train-loop.js';

const batches = JSON.parse(readFileSync(join(FIXTURES_DIR, 'train-batches.json'), 'utf8')) as number[][][];
const settings = { lr: 1e-3, weightDecay: 0.01, betas: [0.9, 0.999] as [number, number], eps: 1e-8 };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'train-loop-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(out: string, overrides: Partial<TrainingRun>) {
  const spec = await openModelSpec(fixtureModelDir('gpt2-tied-f32'));
  const trainer = await tfjs.createTrainer!(spec, settings, { tfjsBackend: 'wasm' });
  try {
    return await runTraining({
      trainer,
      source: new FixedBatches(batches),
      schedule: { lr: 1e-3, kind: 'constant', warmupSteps: 0, totalSteps: undefined },
      gradAccum: 1,
      steps: 6,
      epochs: undefined,
      clipGradNorm: undefined,
      out,
      saveDtype: 'F32',
      saveLast: false,
      checkpointEvery: undefined,
      stopRequested: () => false,
      ...overrides,
    });
  } finally {
    await trainer.dispose();
  }
}

describe('runTraining', () => {
  it('a stop request after step 2 checkpoints step 2 and reports the interruption', async () => {
    let steps = 0;
    const out = join(dir, 'stopped');
    const outcome = await run(out, { stopRequested: () => steps >= 2, onStep: () => (steps += 1) });
    expect(outcome.interrupted).toBe(true);
    expect(outcome.records).toHaveLength(2);
    const state = await readCheckpointState(out);
    expect(state.step).toBe(2);
    expect(state.position).toEqual({ epoch: 1, index: 0 });
  });

  it('keeps the epoch with the lowest average loss (an epoch is one pass over the batches)', async () => {
    const out = join(dir, 'best');
    const bests: number[] = [];
    const outcome = await run(out, { onBest: (b) => bests.push(b.step) });
    const losses = outcome.records.map((r) => r.loss);
    const averages = [0, 2, 4].map((s) => ((losses[s] as number) + (losses[s + 1] as number)) / 2);
    const bestEpoch = averages.indexOf(Math.min(...averages));
    expect(outcome.best?.step).toBe(2 * bestEpoch + 2);
    expect(outcome.best?.loss).toBeCloseTo(averages[bestEpoch] as number, 12);
    expect(bests.at(-1)).toBe(2 * bestEpoch + 2);
  });

  it('cosine with warm-up: lr·s/w during the warm-up, then down to 0 at the last step', () => {
    const s = { lr: 1, kind: 'cosine' as const, warmupSteps: 2, totalSteps: 6 };
    expect([1, 2, 3, 4, 6].map((step) => lrAt(s, step))).toEqual([
      0.5,
      1,
      0.5 * (1 + Math.cos(Math.PI / 4)),
      0.5,
      0,
    ]);
  });
});
