import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnx from '@pretrain/backend-onnx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBatchFile, type BatchShape } from './batch-file.js';
import { ChildProcessEvaluator } from './child-evaluator.js';
import { evaluateModel } from './evaluate-model.js';
import { successorLoss, writeSuccessorModel } from './testing/successor-model.js';
import { tokenBatches } from './testing/token-batches.js';

// The children run the compiled worker and plugins: `npm test` builds before vitest.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const plugin = fileURLToPath(new URL('./test-plugins/misbehaving-plugin.mjs', import.meta.url));
const VOCAB = 128;

describe('ChildProcessEvaluator', () => {
  let dir: string;
  let file: string;
  let shape: BatchShape;
  let model: string;
  const batches = tokenBatches(3, 128, VOCAB);
  const misbehaving = (
    behaviour: string,
    timeoutMs = 20_000,
    extra: { loadTimeoutMs?: number; loadMs?: number; script?: unknown[] } = {},
  ) =>
    new ChildProcessEvaluator({
      backend: plugin,
      cwd: repoRoot,
      backendOptions: { behaviour, loadMs: extra.loadMs, script: extra.script },
      timeoutMs,
      ...(extra.loadTimeoutMs !== undefined && { loadTimeoutMs: extra.loadTimeoutMs }),
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pretrain-child-'));
    file = join(dir, 'batches.i32');
    shape = await writeBatchFile(file, batches);
    model = join(dir, 'successor');
    await writeSuccessorModel(model, { vocab: VOCAB, boost: 0.25 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the losses the backend computes in-process', async () => {
    const evaluator = new ChildProcessEvaluator({ backend: 'onnx', cwd: repoRoot, timeoutMs: 120_000 });
    const progress: number[] = [];
    const child = await evaluator.evaluate(model, file, shape, {
      onProgress: (p) => progress.push(p.batchesDone),
    });
    const inProcess = await evaluateModel({ backend: onnx, modelDir: model, batches });
    expect(child.failure).toBeUndefined();
    expect(child.losses).toEqual(inProcess.losses);
    child.losses.forEach((loss, b) =>
      expect(loss).toBeCloseTo(successorLoss(batches[b]![0]!, { vocab: VOCAB, boost: 0.25 }), 4),
    );
    expect(progress).toEqual([1, 2, 3]);
    expect(child.tokens).toBe(3 * 128);
  });

  it('kills a model that overruns the time limit and gives it +Infinity', async () => {
    const started = Date.now();
    const outcome = await misbehaving('hang', 1500).evaluate(model, file, shape);
    expect(outcome.failure?.reason).toBe('eval-timeout');
    expect(outcome.losses).toEqual([Infinity, Infinity, Infinity]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('kills a model that does not finish loading within the load limit', async () => {
    const started = Date.now();
    const outcome = await misbehaving('hang-load', 60_000, { loadTimeoutMs: 1500 }).evaluate(
      model,
      file,
      shape,
    );
    expect(outcome.failure).toMatchObject({
      reason: 'eval-timeout',
      message: expect.stringMatching(/not loaded/),
    });
    expect(outcome.losses).toEqual([Infinity, Infinity, Infinity]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('starts the per-model limit once the model is loaded: slow loading is not held against it', async () => {
    const script = [2.5, 2.25, 2];
    const outcome = await misbehaving('script', 1500, { loadMs: 3000, script }).evaluate(model, file, shape);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.losses).toEqual(script);
  });

  it('holds a prepared model loaded until run, and starts the per-model limit only then', async () => {
    const script = [2.5, 2.25, 2];
    const prepared = misbehaving('script', 1500, { script }).prepare(model, file, shape);
    // Idle past the per-model limit while "the previous model" computes: no timeout.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const outcome = await prepared.run();
    expect(outcome.failure).toBeUndefined();
    expect(outcome.losses).toEqual(script);
    expect(outcome.timings?.waitMs).toBeGreaterThan(0);
    expect(outcome.durationMs).toBeLessThan(outcome.timings!.waitMs!);
  });

  it('kills a prepared model that is cancelled before its turn', async () => {
    const prepared = misbehaving('script', 20_000, { script: [1, 1, 1] }).prepare(model, file, shape);
    prepared.cancel();
    const outcome = await prepared.run();
    expect(outcome.failure?.reason).toBe('eval-failed');
    expect(outcome.failure?.message).toMatch(/SIGKILL/);
  });

  it('carries NaN and Infinity over IPC, and scores a batch that throws +Infinity on its own', async () => {
    const outcome = await misbehaving('script', 20_000, { script: ['NaN', 'throw', 'Infinity'] }).evaluate(
      model,
      file,
      shape,
    );
    expect(outcome.failure).toBeUndefined();
    expect(outcome.losses).toEqual([NaN, Infinity, Infinity]);
    expect(outcome.batchErrors).toEqual({ count: 1, message: 'batch 1 failed' });
  });

  it('survives a child that crashes, with the crash in the message', async () => {
    const outcome = await misbehaving('crash').evaluate(model, file, shape);
    expect(outcome.failure?.reason).toBe('eval-failed');
    expect(outcome.failure?.message).toMatch(/SIGABRT.*misbehaving plugin: aborting/);
    expect(outcome.losses).toEqual([Infinity, Infinity, Infinity]);
  });

  it('treats a child that exits without an answer as failed', async () => {
    const outcome = await misbehaving('exit').evaluate(model, file, shape);
    expect(outcome.failure).toMatchObject({
      reason: 'eval-failed',
      message: expect.stringMatching(/exit code 0/),
    });
  });

  it('reports a model the backend cannot load with its reason', async () => {
    const outcome = await misbehaving('throw').evaluate(model, file, shape);
    expect(outcome.failure).toMatchObject({
      reason: 'eval-failed',
      message: expect.stringMatching(/damaged/),
    });
  });

  it('kills the child and rejects when the caller aborts', async () => {
    const evaluator = misbehaving('hang', 60_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 500);
    await expect(evaluator.evaluate(model, file, shape, { signal: controller.signal })).rejects.toThrow(
      'shutting down',
    );
  });
});
