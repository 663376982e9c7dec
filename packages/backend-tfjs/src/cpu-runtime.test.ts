import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { openModelSpec } from '@pretrain/backend-sdk';
import { goldenModelDir, readBatches, readGoldens } from '@pretrain/conformance';
import tfjsPlugin from './index.js';

// The slowest runtime, forced: the same forward pass on tfjs's plain-JS kernels still
// matches the PyTorch goldens (one model per family; the full suite runs on wasm).
describe('forced cpu runtime', () => {
  it.each(['gpt2-tied-f32', 'llama-bias-headdim-bf16', 'neox-sequential-bf16'])(
    '%s: losses and greedy tokens match the reference',
    async (name) => {
      const golden = (await readGoldens()).models.find((m) => m.name === name);
      if (golden === undefined) throw new Error(`no golden for ${name}`);
      const backend = await tfjsPlugin.createLossBackend({ tfjsBackend: 'cpu' });
      expect(backend.capabilities.runtime).toMatch(/ on cpu \(plain JavaScript kernels/);
      const model = await backend.load(await openModelSpec(goldenModelDir(golden)));
      try {
        expect(tf.getBackend()).toBe('cpu');
        const losses = await model.losses(await readBatches(golden.batches));
        losses.forEach((loss, i) =>
          expect(Math.abs(loss - (golden.losses[i] as number))).toBeLessThanOrEqual(
            1e-5 * (golden.losses[i] as number),
          ),
        );
        const prompts = (await readBatches(golden.prompts))[0] as number[][];
        expect(await model.greedy(prompts, 20, { excludeTokens: model.spec.eosTokenIds })).toEqual(
          golden.greedy[0],
        );
      } finally {
        await backend.dispose();
      }
    },
  );
});
