import { fileURLToPath } from 'node:url';
import { openModelSpec } from '@pretrain/backend-sdk';
import { describe, expect, it } from 'vitest';
import { loadAddon } from './addon.js';
import { buildNativePlan } from './model-plan.js';
import { fromAddonError } from './native-errors.js';
import nativePlugin from './index.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/models/${name}`, import.meta.url));

describe('fromAddonError', () => {
  it('maps the addon’s error kinds to typed errors', () => {
    const codes = ['corrupt', 'usage', 'cancelled', 'device', 'internal'].map(
      (kind) => fromAddonError(Object.assign(new Error('x'), { kind }), '/m').code,
    );
    expect(codes).toEqual([
      'PRETRAIN_CORRUPT_MODEL',
      'PRETRAIN_USAGE',
      'PRETRAIN_DISPOSED',
      'PRETRAIN_DEVICE_UNAVAILABLE',
      'PRETRAIN_BACKEND_FAILED',
    ]);
  });
});

// Needs the built addon (conformance.test.ts fails CI without it).
describe.runIf(loadAddon().addon !== undefined)('NativeLoadedModel lifecycle', () => {
  it('dispose waits for queued work, then every call rejects as disposed', async () => {
    const backend = await nativePlugin.createLossBackend({ threads: 1 });
    const model = await backend.load(await openModelSpec(fixture('llama-gqa-f32-sharded')));
    const row = Array.from({ length: model.spec.maxPositions }, (_, i) => (i * 7) % model.spec.vocabSize);
    const running = model.losses([[row], [row], [row]]);
    const settled = running.then(
      (losses) => ({ losses }),
      (error: unknown) => ({ error }),
    );
    await model.dispose();
    const outcome = await settled;
    // Either it finished before the cancel landed, or it stopped with a typed error.
    if ('error' in outcome) expect(outcome.error).toMatchObject({ code: 'PRETRAIN_DISPOSED' });
    else expect(outcome.losses).toHaveLength(3);
    await expect(model.losses([[row]])).rejects.toMatchObject({ code: 'PRETRAIN_DISPOSED' });
    await expect(model.greedy([row.slice(0, 4)], 1)).rejects.toMatchObject({ code: 'PRETRAIN_DISPOSED' });
    await model.dispose();
    await backend.dispose();
  });

  it('the addon never feeds back token -1: with no token left to choose it rejects', async () => {
    const spec = await openModelSpec(fixture('gpt2-tied-f32'));
    const { addon } = loadAddon();
    const handle = new addon!.NativeModel(buildNativePlan(spec, 1));
    await handle.load();
    const everyToken = Int32Array.from({ length: spec.vocabSize }, (_, i) => i);
    await expect(handle.generate(Int32Array.from([1, 2]), 2, everyToken)).rejects.toMatchObject({
      kind: 'corrupt',
      message: expect.stringMatching(/no token/),
    });
    handle.release();
  });

  it('lastLogits gives the logits generate takes its argmax from, for the processors path', async () => {
    const spec = await openModelSpec(fixture('gpt2-tied-f32'));
    const { addon } = loadAddon();
    const handle = new addon!.NativeModel(buildNativePlan(spec, 1));
    await handle.load();
    const prompt = Int32Array.from([5, 9, 5, 9, 5]);
    const logits = await handle.lastLogits(prompt);
    expect(logits).toBeInstanceOf(Float32Array);
    expect(logits).toHaveLength(spec.vocabSize);
    const [first] = await handle.generate(prompt, 1, new Int32Array());
    expect(logits[first!]).toBe(Math.max(...logits));
    handle.release();
  });

  it('greedy with processors decodes on the host: a suppressed token is never chosen', async () => {
    const backend = await nativePlugin.createLossBackend({ threads: 1 });
    const model = await backend.load(await openModelSpec(fixture('gpt2-tied-f32')));
    const prompt = [5, 9, 5, 9, 5];
    const [plain] = await model.greedy([prompt], 6);
    const [suppressed] = await model.greedy([prompt], 6, { processors: { suppressTokens: [plain![0]!] } });
    expect(suppressed).toHaveLength(6);
    expect(suppressed).not.toContain(plain![0]);
    // An n-gram longer than the sequence bans nothing: the host path gives the plain path's tokens.
    const [neutral] = await model.greedy([prompt], 6, { processors: { noRepeatNgramSize: 1000 } });
    expect(neutral).toEqual(plain);
    await backend.dispose();
  });

  it('stops between batches when the signal aborts', async () => {
    const backend = await nativePlugin.createLossBackend({});
    const model = await backend.load(await openModelSpec(fixture('gpt2-tied-f32')));
    const controller = new AbortController();
    controller.abort();
    await expect(model.losses([[[1, 2, 3]]], { signal: controller.signal })).rejects.toThrow();
    await backend.dispose();
  });
});
