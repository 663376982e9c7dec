import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPretrainError, openModelSpec, type LoadedModel, type LossBackend } from '@pretrain/backend-sdk';
import { fixtureModelDir } from '@pretrain/conformance';
import tfjsPlugin from './index.js';

describe('TfjsLoadedModel input checks', () => {
  let backend: LossBackend;
  let model: LoadedModel;
  beforeAll(async () => {
    backend = await tfjsPlugin.createLossBackend({ tfjsBackend: 'wasm' });
    model = await backend.load(await openModelSpec(fixtureModelDir('llama-gqa-f32-sharded')));
  });
  afterAll(() => backend.dispose());

  it('greedy of 0 tokens is empty; a prompt that would run past max positions is a UsageError', async () => {
    expect(await model.greedy([[1, 2], [3]], 0)).toEqual([[], []]);
    const prompt = Array.from({ length: model.spec.maxPositions }, (_, i) => i % 5);
    const error = await model.greedy([prompt], 2).catch((e: unknown) => e);
    expect(isPretrainError(error) && error.code).toBe('PRETRAIN_USAGE');
    expect((error as Error).message).toMatch(/plus 2 new tokens exceeds/);
    await expect(model.greedy([[1]], -1)).rejects.toThrow(/must be ≥ 0/);
  });

  it('a bad batch anywhere in the list rejects before any batch runs or any tensor is made', async () => {
    const before = tf.memory().numTensors;
    const error = await model.losses([[[1, 2, 3]], [[1, 2], [3]]]).catch((e: unknown) => e);
    expect(isPretrainError(error) && error.code).toBe('PRETRAIN_USAGE');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the last of T + 1 greedy steps equals the argmax after the full sequence (cache matches recompute)', async () => {
    const [cached] = await model.greedy([[7, 3, 9]], 3);
    const prefix = [7, 3, 9, ...(cached ?? []).slice(0, 2)];
    const [recomputed] = await model.greedy([prefix], 1);
    expect(recomputed?.[0]).toBe(cached?.[2]);
  });
});
