import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnx from '@pretrain/backend-onnx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalProgress } from './eval-outcome.js';
import { evaluateModel } from './evaluate-model.js';
// @ts-expect-error -- a plain JavaScript test plugin, without type declarations
import misbehaving from './test-plugins/misbehaving-plugin.mjs';
import { successorLoss, writeSuccessorModel } from './testing/successor-model.js';
import { tokenBatches } from './testing/token-batches.js';

const VOCAB = 128;
const BOOST = 0.25;

describe('evaluateModel (backend onnx)', () => {
  let dir: string;
  let model: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pretrain-eval-'));
    model = join(dir, 'successor');
    await writeSuccessorModel(model, { vocab: VOCAB, boost: BOOST });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes the sanity check and gives the closed-form loss of every batch', async () => {
    const batches = tokenBatches(3, 128, VOCAB);
    // A run of successors makes one batch much easier than the random ones.
    batches[2] = [Array.from({ length: 128 }, (_, i) => (i % 32) + 1)];
    const progress: EvalProgress[] = [];
    const outcome = await evaluateModel({
      backend: onnx,
      modelDir: model,
      batches,
      onProgress: (p) => progress.push(p),
    });
    expect(outcome.failure).toBeUndefined();
    outcome.losses.forEach((loss, b) =>
      expect(loss).toBeCloseTo(successorLoss(batches[b]![0]!, { vocab: VOCAB, boost: BOOST }), 4),
    );
    expect(outcome.losses[2]).toBeLessThan(outcome.losses[0]! - 1);
    expect(outcome.tokens).toBe(3 * 128);
    expect(progress.map((p) => p.batchesDone)).toEqual([1, 2, 3]);
  });

  it('rejects a model whose two continuations agree (sanity check)', async () => {
    // Batches 0 and 1 start alike, so this deterministic model continues both the same way.
    const [first] = tokenBatches(1, 128, VOCAB);
    const outcome = await evaluateModel({
      backend: onnx,
      modelDir: model,
      batches: [first!, first!, first!],
    });
    expect(outcome.failure?.reason).toBe('sanity-check');
    expect(outcome.losses).toEqual([Infinity, Infinity, Infinity]);
  });

  it('reuses a created backend for several models and can skip the sanity check', async () => {
    const [first] = tokenBatches(1, 128, VOCAB);
    const backend = await onnx.createLossBackend({});
    try {
      const batches = [first!, first!];
      const outcome = await evaluateModel({ backend, modelDir: model, batches, sanityCheck: false });
      expect(outcome.failure).toBeUndefined();
      expect(outcome.losses[0]).toBeCloseTo(successorLoss(first![0]!, { vocab: VOCAB, boost: BOOST }), 4);
      // The backend was not disposed: it still evaluates.
      expect((await evaluateModel({ backend, modelDir: model, batches })).failure?.reason).toBe(
        'sanity-check',
      );
    } finally {
      await backend.dispose();
    }
  });

  it('gives +Infinity with a reason for damaged or missing model files', async () => {
    const broken = join(dir, 'broken');
    await writeSuccessorModel(broken, { vocab: VOCAB });
    await writeFile(join(broken, 'model.safetensors'), 'not a safetensors file');
    const batches = tokenBatches(2, 128, VOCAB);
    const damaged = await evaluateModel({ backend: onnx, modelDir: broken, batches });
    expect(damaged.failure?.reason).toBe('corrupt');
    expect(damaged.losses).toEqual([Infinity, Infinity]);
    const missing = await evaluateModel({ backend: onnx, modelDir: join(dir, 'nothing'), batches });
    expect(missing.failure).toBeDefined();
    expect(missing.losses).toEqual([Infinity, Infinity]);
  });

  it("honours the model's generation_config.json in the sanity check, and notes sampling", async () => {
    const batches = tokenBatches(3, 128, VOCAB);
    const configured = join(dir, 'configured');
    await writeSuccessorModel(configured, { vocab: VOCAB, boost: BOOST });
    const generation = async (settings: Record<string, unknown>) => {
      await writeFile(
        join(configured, 'generation_config.json'),
        JSON.stringify({ eos_token_id: 0, ...settings }),
      );
      return evaluateModel({ backend: onnx, modelDir: configured, batches });
    };
    // Only token 5 (and EOS, never chosen) left: both continuations are twenty 5s.
    const suppressed = Array.from({ length: VOCAB }, (_, i) => i).filter((i) => i !== 5 && i !== 0);
    const repetitive = await generation({ suppress_tokens: suppressed });
    expect(repetitive.failure?.reason).toBe('sanity-check');
    const sampled = await generation({ do_sample: true, top_k: 10 });
    expect(sampled.failure).toBeUndefined();
    expect(sampled.notes).toEqual([
      expect.stringMatching(/sets do_sample: the reference's sanity check samples/),
    ]);
    const refused = await generation({ repetition_penalty: -1 });
    expect(refused.failure).toMatchObject({
      reason: 'corrupt',
      message: expect.stringMatching(/repetition_penalty/),
    });
  });

  it('gives +Infinity to a batch that throws only, keeps NaN, and fails the model when every batch throws', async () => {
    const script = (entries: unknown[]) => ({
      backend: misbehaving,
      backendOptions: { behaviour: 'script', script: entries },
    });
    const batches = tokenBatches(4, 128, VOCAB);
    const events: string[] = [];
    const mixed = await evaluateModel({
      ...script([1.5, 'throw', 'NaN', 2.5]),
      modelDir: model,
      batches,
      onLoaded: () => events.push('loaded'),
      onProgress: (p) => events.push(`batch ${p.batchesDone}`),
    });
    expect(mixed.failure).toBeUndefined();
    expect(mixed.losses).toEqual([1.5, Infinity, NaN, 2.5]);
    expect(mixed.batchErrors).toEqual({ count: 1, message: 'batch 1 failed' });
    expect(mixed.tokens).toBe(3 * 128);
    expect(events).toEqual(['loaded', 'batch 1', 'batch 2', 'batch 3', 'batch 4']);
    const all = await evaluateModel({
      ...script(['throw', 'throw']),
      modelDir: model,
      batches: batches.slice(0, 2),
    });
    expect(all.failure).toEqual({ reason: 'eval-failed', message: 'batch 0 failed' });
    expect(all.losses).toEqual([Infinity, Infinity]);
  });

  it('fails every batch when there are too few batches for the sanity prompts', async () => {
    const outcome = await evaluateModel({
      backend: onnx,
      modelDir: model,
      batches: tokenBatches(1, 128, VOCAB),
    });
    expect(outcome.failure).toMatchObject({
      reason: 'eval-failed',
      message: expect.stringMatching(/2 non-empty/),
    });
  });
});
