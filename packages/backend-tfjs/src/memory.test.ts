import { cp, mkdtemp, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ADAMW,
  isPretrainError,
  openModelSpec,
  type LossBackend,
  type ModelSpec,
} from '@pretrain/backend-sdk';
import { fixtureModelDir } from '@pretrain/conformance';
import tfjsPlugin from './index.js';
import { WASM_HEAP_LIMIT_BYTES, wasmBytesNeeded, wasmTrainingBytesNeeded } from './memory-need.js';

/**
 * Peaks of the wasm heap (its size after the step: it never shrinks) in one training step of
 * 1 × 1024 on the bench shapes, measured with scripts/bench/run-train-step.mjs on
 * 2026-12-06 (docs/BENCHMARKS.md, training).
 */
const MEASURED_GPT2_HEAP = 2_616_459_264;
const MEASURED_LLAMA_HEAP = 1_749_811_200;

const MODELS = ['gpt2-untied-bf16', 'llama-gqa-f32-sharded', 'neox-parallel-f32'];
const batch = [
  [5, 9, 2, 7, 1, 3],
  [4, 4, 8, 0, 6, 2],
];

describe('tfjs memory discipline', () => {
  let backend: LossBackend;
  beforeAll(async () => {
    backend = await tfjsPlugin.createLossBackend({ tfjsBackend: 'wasm' });
  });
  afterAll(() => backend.dispose());

  it.each(MODELS)('%s: load, losses, greedy and dispose leave no tensor and no byte behind', async (name) => {
    const spec = await openModelSpec(fixtureModelDir(name));
    const before = tf.memory();
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const model = await backend.load(spec);
      const loaded = tf.memory().numTensors;
      await model.losses([batch, batch.slice(0, 1)]);
      await model.greedy([[1, 2, 3]], 4, { excludeTokens: [0] });
      expect(tf.memory().numTensors).toBe(loaded);
      await model.dispose();
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
    }
  });

  it('a load that fails on a truncated file frees what it had read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tfjs-truncated-'));
    try {
      await cp(fixtureModelDir('gpt2-tied-f32'), dir, { recursive: true });
      const spec = await openModelSpec(dir);
      const file = spec.lmHead.file;
      await truncate(file, (await stat(file)).size - 64);
      const before = tf.memory();
      const error = await backend.load(spec).catch((e: unknown) => e);
      expect(isPretrainError(error) && error.code).toBe('PRETRAIN_CORRUPT_MODEL');
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a model beyond the 4 GiB wasm heap is refused before anything is allocated, naming the alternatives', async () => {
    const spec = await openModelSpec(fixtureModelDir('gpt2-tied-f32'));
    // 600M fp32 parameters: 2.4 GB of weights, twice that with XNNPACK's packed copies.
    const big: ModelSpec = { ...spec, parameterCount: 600_000_000 };
    expect(wasmBytesNeeded(big)).toBeGreaterThan(WASM_HEAP_LIMIT_BYTES);
    expect(wasmBytesNeeded(spec)).toBeLessThan(2 ** 20 * 4);
    const before = tf.memory().numTensors;
    const error = await backend.load(big).catch((e: unknown) => e);
    expect(isPretrainError(error) && error.code).toBe('PRETRAIN_UNSUPPORTED_MODEL');
    expect((error as Error).message).toMatch(
      /needs about 4\.\d\d GiB .* more than the 4\.00 GiB wasm heap limit/,
    );
    expect(isPretrainError(error) && error.hint).toMatch(
      /@tensorflow\/tfjs-node .*--backend onnx or --backend native/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('training estimate: GPT-2 small and the Llama bench shape fit at 1024 tokens, above the measured heap', async () => {
    const spec = await openModelSpec(fixtureModelDir('gpt2-tied-f32'));
    // The bench shapes' dimensions (scripts/bench/models.mjs) on a fixture spec.
    const gpt2: ModelSpec = {
      ...spec,
      parameterCount: 124_439_808,
      vocabSize: 50257,
      hiddenSize: 768,
      intermediateSize: 3072,
      numLayers: 12,
      numHeads: 12,
      numKvHeads: 12,
      headDim: 64,
    };
    const llama: ModelSpec = {
      ...gpt2,
      parameterCount: 99_496_704,
      vocabSize: 32000,
      intermediateSize: 2048,
      numLayers: 8,
      numKvHeads: 4,
    };
    // Heap peaks measured by `npm run bench -- --cases train` (docs/BENCHMARKS.md, training).
    const measured = { gpt2: MEASURED_GPT2_HEAP, llama: MEASURED_LLAMA_HEAP };
    for (const [shape, bytes] of [
      [gpt2, measured.gpt2],
      [llama, measured.llama],
    ] as const) {
      const need = wasmTrainingBytesNeeded(shape, 1024);
      expect(need).toBeLessThan(WASM_HEAP_LIMIT_BYTES);
      expect(need).toBeGreaterThanOrEqual(bytes);
      expect(need).toBeLessThan(1.5 * bytes);
    }
  });

  it('a training step beyond the 4 GiB wasm heap is refused before any work, naming the alternatives', async () => {
    const spec = await openModelSpec(fixtureModelDir('gpt2-tied-f32'));
    // 1.2B fp32 parameters: the parameters and their packed copies alone exceed 4 GiB.
    const big: ModelSpec = { ...spec, parameterCount: 1_200_000_000 };
    const trainer = await tfjsPlugin.createTrainer!(big, DEFAULT_ADAMW, { tfjsBackend: 'wasm' });
    const before = tf.memory();
    const error = await trainer.step([[[1, 2, 3, 4]]]).catch((e: unknown) => e);
    expect(isPretrainError(error) && error.code).toBe('PRETRAIN_UNSUPPORTED_MODEL');
    expect((error as Error).message).toMatch(
      /training .* needs about \d+\.\d\d GiB .* more than the 4\.00 GiB wasm heap limit/,
    );
    expect(isPretrainError(error) && error.hint).toMatch(/@tensorflow\/tfjs-node .*--seq-len/);
    expect(trainer.steps).toBe(0);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    await trainer.dispose();
  });

  it('rejects use after dispose with a typed error and honours an abort signal', async () => {
    const model = await backend.load(await openModelSpec(fixtureModelDir('gpt2-tied-f32')));
    const controller = new AbortController();
    controller.abort();
    await expect(model.losses([batch], { signal: controller.signal })).rejects.toThrow();
    await model.dispose();
    await model.dispose();
    const error = await model.losses([batch]).catch((e: unknown) => e);
    expect(isPretrainError(error) && error.code).toBe('PRETRAIN_DISPOSED');
  });
});
