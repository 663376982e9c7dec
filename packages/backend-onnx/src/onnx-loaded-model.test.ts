import { describe, expect, it } from 'vitest';
import { isPretrainError, openModelSpec } from '@pretrain/backend-sdk';
import { fixtureModelDir } from '@pretrain/conformance';
import onnxPlugin from './index.js';
import { cudaProvider } from './cuda.js';

describe('OnnxLoadedModel', () => {
  it('rejects use after dispose with a typed error, and dispose twice is fine', async () => {
    const backend = await onnxPlugin.createLossBackend({ threads: 1 });
    const model = await backend.load(await openModelSpec(fixtureModelDir('gpt2-tied-f32')));
    expect((await model.losses([[[1, 2, 3]]]))[0]).toBeGreaterThan(0);
    await model.dispose();
    await model.dispose();
    const error = await model.losses([[[1, 2, 3]]]).catch((e: unknown) => e);
    expect(isPretrainError(error) && error.code).toBe('PRETRAIN_DISPOSED');
    await backend.dispose();
  });

  it('honours an abort signal between batches', async () => {
    const backend = await onnxPlugin.createLossBackend({});
    const model = await backend.load(await openModelSpec(fixtureModelDir('gpt2-tied-f32')));
    const controller = new AbortController();
    controller.abort();
    await expect(model.losses([[[1, 2, 3]]], { signal: controller.signal })).rejects.toThrow();
    await backend.dispose();
  });
});

describe.runIf(!cudaProvider().installed)('device cuda without the CUDA EP', () => {
  it('is a clear error that says how to install it, never a CPU run', async () => {
    const backend = await onnxPlugin.createLossBackend({ device: 'cuda' });
    const error = await backend
      .load(await openModelSpec(fixtureModelDir('gpt2-tied-f32')))
      .catch((e: unknown) => e);
    expect(isPretrainError(error) && error.code).toBe('PRETRAIN_DEVICE_UNAVAILABLE');
    expect(isPretrainError(error) && error.hint).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12/);
  });
});

describe('plugin', () => {
  it('declares its name and contract version and probes the runtime', async () => {
    expect(onnxPlugin.meta).toMatchObject({ name: 'onnx', apiVersion: 1 });
    const probe = await onnxPlugin.probe!();
    expect(probe.available).toBe(true);
    expect(probe.detail).toMatch(/onnxruntime-node 1\.\d+/);
  });
});
