import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../contracts/index.js';
import { LocalTextDataset } from '../dataset/index.js';
import { DatasetError, UsageError } from '@pretrain/backend-sdk';
import { readStepHistory, StepHistory } from '../history/index.js';
import { ChildProcessEvaluator } from './child-evaluator.js';
import type { ValidatorState } from './state-file.js';
import { ByteTokenizer } from './testing/byte-tokenizer.js';
import { testSchedule, ValidatorWorld } from './testing/validator-world.js';
import { Validator } from './validator.js';
import type { ValidatorDeps } from './validator-deps.js';
import type { ValidatorObserver } from './validator-events.js';
import { DEFAULT_VALIDATOR_OPTIONS, type ValidatorOptions } from './validator-options.js';

// Children run the compiled worker and backend: `npm test` builds before vitest.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const MODEL = { vocab: 257, hidden: 32 };

describe('Validator (real stores, child processes, backend onnx)', () => {
  let world: ValidatorWorld;
  let options: ValidatorOptions;
  let uids: Record<string, number>;
  const deps = (observer?: ValidatorObserver, signer = true): ValidatorDeps => ({
    chain: world.chain,
    signer: signer ? world.chain.signerFor('5Validator') : undefined,
    store: world.hub,
    local: world.local,
    datasetFor: () => new LocalTextDataset({ path: join(world.root, 'corpus.txt'), rowsPerPage: 4 }),
    tokenizerFor: async () => new ByteTokenizer(),
    evaluator: new ChildProcessEvaluator({ backend: 'onnx', cwd: repoRoot, timeoutMs: 60_000 }),
    logger: silentLogger,
    observer,
    schedule: testSchedule(),
  });
  const readState = async () => JSON.parse(await readFile(options.statePath, 'utf8')) as ValidatorState;

  beforeAll(async () => {
    world = await ValidatorWorld.create();
    const paragraphs = Array.from(
      { length: 24 },
      (_, i) =>
        `Paragraph ${i}: the validator reads plain text, cuts it into pages and scores each model on it.`,
    );
    await writeFile(join(world.root, 'corpus.txt'), paragraphs.join('\n\n'));
    uids = {
      good: await world.publish('5Good', 'good', { ...MODEL, boost: 0.05 }),
      bad: await world.publish('5Bad', 'bad', { ...MODEL, boost: 1 }),
    };
    world.chain.advance(10);
    // The same files under another name, committed later: it may only lose on epsilon.
    uids.copy = await world.publish('5Copy', 'copy', { ...MODEL, boost: 0.05 });
    await world.uidOf('5Silent');
    world.chain.setRawCommitment('5Silent', 'garbage');
    options = {
      ...DEFAULT_VALIDATOR_OPTIONS,
      statePath: join(world.root, 'state', 'validator.json'),
      pagesPerEval: 2,
      seedFromChain: true,
      blocksPerEpoch: 2,
    };
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('evaluates every model on the same batches, ranks them and sets weights on chain', async () => {
    const rejections: string[] = [];
    const validator = await Validator.create(
      deps({ onRejection: (r) => rejections.push(r.reason) }),
      options,
    );
    const [first, second] = await validator.runSteps(2);
    expect(rejections).toEqual(['no-metadata']);
    const row = (step: typeof first, uid: number) => step!.rows.find((r) => r.uid === uid)!;
    expect(first!.rows.map((r) => r.uid)).toEqual([uids.good, uids.bad, uids.copy]);
    expect(first!.batchCount).toBeGreaterThanOrEqual(2);
    // The copy's files are the good model's: it shares that evaluation, hence its losses.
    expect(first!.evaluations).toBe(2);
    expect(row(first, uids.copy!).sharedWith).toBe(uids.good);
    expect(row(first, uids.copy!).averageLoss).toBe(row(first, uids.good!).averageLoss);
    expect(row(first, uids.good!).averageLoss).toBeLessThan(row(first, uids.bad!).averageLoss);
    expect(row(first, uids.good!).winRate).toBe(1);
    expect(row(first, uids.copy!).winRate).toBe(0.5);
    expect(row(first, uids.bad!).winRate).toBe(0);
    expect(row(first, uids.good!).weight).toBeCloseTo(0.5, 6);
    expect(row(second, uids.good!).weight).toBeCloseTo(0.75, 6);
    expect(second!.step).toBe(2);
    const landed = world.chain.weightHistory.at(-1)!;
    expect(landed).toMatchObject({
      hotkey: '5Validator',
      versionKey: 2022,
      uids: [uids.good],
      values: [65535],
    });
    expect(validator.lastWeightsBlock()).toBe(landed.block);
    expect((await readState()).step).toBe(2);
  });

  it('resumes from the saved state and counts a step interrupted mid-way exactly once', async () => {
    const before = await readState();
    const controller = new AbortController();
    let started = 0;
    const interrupted = await Validator.create(
      deps({ onModelStart: () => ++started === 2 && controller.abort(new Error('killed')) }),
      options,
    );
    expect(interrupted.currentWeights()).toEqual(before.weights);
    await expect(interrupted.runStep(controller.signal)).rejects.toThrow('killed');
    expect(await readState()).toEqual(before);

    const resumed = await Validator.create(deps(), options);
    expect(resumed.queuedUids()).toEqual([uids.good, uids.bad, uids.copy]);
    const result = await resumed.runStep();
    expect(result?.step).toBe(before.step + 1);
    const good = uids.good!;
    expect(result?.weights[good]).toBeCloseTo(0.5 * before.weights[good]! + 0.5, 6);
  });

  it('discards the state of another version and needs a registered hotkey unless offline', async () => {
    const fresh = await Validator.create(deps(), { ...options, versionKey: 2023 });
    expect(fresh.currentWeights()).toEqual([]);
    expect(fresh.queuedUids()).toEqual([]);
    await expect(Validator.create(deps(undefined, false), options)).rejects.toThrow(UsageError);
    const stranger = { ...deps(), signer: { address: '5Nobody' } };
    await expect(Validator.create(stranger, options)).rejects.toThrow(/not registered/);
  });

  it('fails a step whose pages give fewer than two batches instead of scoring everyone +Infinity', async () => {
    await writeFile(join(world.root, 'tiny.txt'), 'Too short to fill two batches.');
    const tiny = {
      ...deps(),
      datasetFor: () => new LocalTextDataset({ path: join(world.root, 'tiny.txt') }),
    };
    const validator = await Validator.create(tiny, {
      ...options,
      statePath: join(world.root, 'state', 'tiny.json'),
    });
    await validator.syncAllModels();
    await expect(validator.runStep()).rejects.toThrow(DatasetError);
    expect(validator.queuedUids()).toEqual([uids.good, uids.bad, uids.copy]);
  });

  it('drops the weight and the queue entry of a uid that changed hands', async () => {
    const validator = await Validator.create(deps(), options);
    const good = uids.good!;
    expect(validator.currentWeights()[good]).toBeGreaterThan(0.5);
    world.chain.replace(good, '5Newcomer');
    await validator.runStep();
    expect(validator.currentWeights()[good]).toBe(0);
    expect(validator.queuedUids()).not.toContain(good);
  });

  it('completes a step that overruns the step cadence, counts it and warns', async () => {
    const statePath = join(world.root, 'state', 'slow.json');
    const steps: number[] = [];
    const warnings: string[] = [];
    // Models that take 600 ms each to load: the step runs well past its 300 ms cadence.
    const slowLoading = new ChildProcessEvaluator({
      backend: fileURLToPath(new URL('./test-plugins/misbehaving-plugin.mjs', import.meta.url)),
      cwd: repoRoot,
      backendOptions: { behaviour: 'script', loadMs: 600, script: [2, 2, 2, 2, 2, 2, 2, 2] },
      timeoutMs: 60_000,
    });
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const slow = {
      ...deps({ onStepDone: (s) => steps.push(s.step) }, false),
      evaluator: slowLoading,
      logger,
    };
    const validator = await Validator.create(slow, {
      ...options,
      offline: true,
      statePath,
      idleMs: 50,
      stepTimeoutMs: 300,
    });
    await validator.run(new AbortController().signal, { maxSteps: 1 });
    expect(steps).toEqual([1]);
    expect(warnings).toContain('eval step is taking longer than the step cadence; it runs to completion');
    expect((JSON.parse(await readFile(statePath, 'utf8')) as ValidatorState).step).toBe(1);
  });

  it('records every completed step in the history once, through a lost state save and a version change', async () => {
    const statePath = join(world.root, 'state', 'history.json');
    const historyDir = join(world.root, 'history');
    const scripted = new ChildProcessEvaluator({
      backend: fileURLToPath(new URL('./test-plugins/misbehaving-plugin.mjs', import.meta.url)),
      cwd: repoRoot,
      backendOptions: { behaviour: 'script', script: [2, 2, 2, 2, 2, 2, 2, 2] },
      timeoutMs: 60_000,
    });
    const create = async (versionKey = options.versionKey) =>
      Validator.create(
        { ...deps(undefined, false), evaluator: scripted, history: await StepHistory.open(historyDir) },
        { ...options, offline: true, statePath, versionKey },
      );
    const first = await create();
    await first.syncAllModels();
    await first.runStep();
    const afterStep1 = await readFile(statePath, 'utf8');
    await first.runStep();
    // A kill after step 2 reached the history but before its state save: step 2 is redone.
    await writeFile(statePath, afterStep1);
    const second = await create();
    expect(second.runId()).toBe(first.runId());
    expect((await second.runStep())?.step).toBe(2);
    // An upgrade that discards the state starts a new run; the history keeps the old one.
    const upgraded = await create(options.versionKey + 1);
    await upgraded.syncAllModels();
    await upgraded.runStep();
    const { steps } = await readStepHistory(historyDir);
    expect(steps.map((s) => [s.run, s.step])).toEqual([
      [first.runId(), 1],
      [first.runId(), 2],
      [upgraded.runId(), 1],
    ]);
    expect(upgraded.runId()).not.toBe(first.runId());
    // (An earlier test gave uid `good` to a newcomer without a model: `bad` still has its own.)
    const row = steps[0]!.rows.find((r) => r.uid === uids.bad)!;
    expect(row).toMatchObject({ model: { namespace: expect.any(String), name: 'bad' }, averageLoss: 2 });
    expect(row.losses?.every((loss) => loss === 2)).toBe(true);
    expect(steps[0]!.pages.length).toBe(options.pagesPerEval);
  });

  it('runs its loops offline until the step budget, setting no weights', async () => {
    const weightsBefore = world.chain.weightHistory.length;
    const steps: number[] = [];
    const validator = await Validator.create(deps({ onStepDone: (s) => steps.push(s.step) }, false), {
      ...options,
      offline: true,
      statePath: join(world.root, 'state', 'offline.json'),
      idleMs: 50,
    });
    await validator.run(new AbortController().signal, { maxSteps: 1 });
    await validator.close();
    expect(steps).toEqual([1]);
    expect(world.chain.weightHistory).toHaveLength(weightsBefore);
  });
});
