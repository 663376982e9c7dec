import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type LogFields, type Logger } from '../contracts/index.js';
import { criteriaForBlock } from '../criteria/index.js';
import { LocalTextDataset } from '../dataset/index.js';
import { formatModelId } from '../model/index.js';
import { ModelTracker } from '../tracker/index.js';
import { ChildProcessEvaluator } from './child-evaluator.js';
import { runEvalStep } from './eval-step.js';
import type { ModelEvaluator } from './model-evaluator.js';
import { ModelContentHashes } from './model-content-hashes.js';
import { ModelUpdater } from './model-updater.js';
import { ByteTokenizer } from './testing/byte-tokenizer.js';
import { testSchedule, ValidatorWorld } from './testing/validator-world.js';
import type { StepResult } from './validator-events.js';

// Children run the compiled worker and backend: `npm test` builds before vitest.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const MODEL = { vocab: 257, hidden: 32 };

/** The real child evaluator, counting the models it is asked to evaluate (or load ahead). */
function countingEvaluator(): ModelEvaluator & { readonly dirs: string[] } {
  const inner = new ChildProcessEvaluator({ backend: 'onnx', cwd: repoRoot, timeoutMs: 60_000 });
  const dirs: string[] = [];
  return {
    dirs,
    evaluate: (dir, file, shape, call) => {
      dirs.push(dir);
      return inner.evaluate(dir, file, shape, call);
    },
    prepare: (dir, file, shape, call) => {
      dirs.push(dir);
      return inner.prepare(dir, file, shape, call);
    },
    killAll: () => inner.killAll(),
  };
}

describe('runEvalStep evaluates each distinct model once (real stores, child processes, onnx)', () => {
  let world: ValidatorWorld;
  const tracker = new ModelTracker();
  const uids: Record<string, number> = {};
  const schedule = testSchedule();

  beforeAll(async () => {
    world = await ValidatorWorld.create();
    const paragraphs = Array.from({ length: 24 }, (_, i) => `Paragraph ${i}: copies share one evaluation.`);
    await writeFile(join(world.root, 'corpus.txt'), paragraphs.join('\n\n'));
    uids.good = await world.publish('5Good', 'good', { ...MODEL, boost: 0.05 });
    uids.bad = await world.publish('5Bad', 'bad', { ...MODEL, boost: 1 });
    // boost 0: every logit equal, greedy repeats one token, the sanity check fails.
    uids.dull = await world.publish('5Dull', 'dull', { ...MODEL, boost: 0 });
    world.chain.advance(10);
    // The same files under other names, committed later: unsalted, salted with the
    // copier's hotkey (a different commitment string for the same bytes), and a copy of
    // the failing model.
    uids.copy = await world.publish('5Copy', 'copy', { ...MODEL, boost: 0.05 });
    uids.salted = await world.uidOf('5Salted');
    const salted = await world.upload('salted', { ...MODEL, boost: 0.05 }, '5Salted');
    await world.chain.commit(9, world.chain.signerFor('5Salted'), formatModelId(salted));
    uids.dullCopy = await world.publish('5DullCopy', 'dull-copy', { ...MODEL, boost: 0 });
    // One weight slightly different: never shares.
    uids.near = await world.publish('5Near', 'near', { ...MODEL, boost: 0.0500001 });
    const updater = new ModelUpdater({
      chain: world.chain,
      netuid: 9,
      store: world.hub,
      local: world.local,
      tracker,
      logger: silentLogger,
      schedule,
    });
    for (const hotkey of ['5Good', '5Bad', '5Dull', '5Copy', '5Salted', '5DullCopy', '5Near'])
      expect((await updater.sync(hotkey)).kind).toBe('updated');
    expect(tracker.get('5Salted')!.id.hash).not.toBe(tracker.get('5Good')!.id.hash);
  });
  afterAll(async () => {
    await world.dispose();
  });

  async function step(shareEvaluations: boolean, lookAhead: boolean, logger: Logger = silentLogger) {
    const evaluator = countingEvaluator();
    const block = await world.chain.currentBlock();
    const result = await runEvalStep({
      step: 1,
      block,
      uids: Object.values(uids),
      metagraph: await world.chain.metagraph(9),
      tracker,
      local: world.local,
      dataset: new LocalTextDataset({ path: join(world.root, 'corpus.txt'), rowsPerPage: 4 }),
      tokenizer: new ByteTokenizer(),
      criteria: criteriaForBlock(block, schedule),
      pagesPerEval: 2,
      seed: 'fixed',
      evaluator,
      previousWeights: [0, 0.2, 0.1],
      sampleMin: 5,
      logger,
      shareEvaluations,
      lookAhead,
      contentHashes: new ModelContentHashes(),
    });
    return { result, evaluated: evaluator.dirs.length };
  }

  it('gives exactly the losses, wins, win rates and weights of evaluating every copy, with or without look-ahead', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      info: (message: string, _fields?: LogFields) => lines.push(message),
    };
    // The reference's way: every copy evaluated, each model loaded after the previous one.
    const separate = await step(false, false);
    const shared = await step(true, true, logger);
    const sharedInTurn = await step(true, false);
    expect(separate.evaluated).toBe(7);
    expect(separate.result.evaluations).toBe(7);
    // good, bad, dull and near: the three copies share their original's evaluation.
    expect(shared.evaluated).toBe(4);
    expect(shared.result.evaluations).toBe(4);
    expect(sharedInTurn.evaluated).toBe(4);
    // Timings differ from run to run; everything scored must not.
    const plain = (r: StepResult) => r.rows.map(({ sharedWith: _s, timings: _t, ...row }) => row);
    for (const other of [shared, sharedInTurn]) {
      expect(plain(other.result)).toEqual(plain(separate.result));
      expect(other.result.weights).toEqual(separate.result.weights);
      expect(other.result.nextUids).toEqual(separate.result.nextUids);
    }
    expect(shared.result.rows.map((r) => r.sharedWith)).toEqual(
      sharedInTurn.result.rows.map((r) => r.sharedWith),
    );
    const row = (uid: number | undefined) => shared.result.rows.find((r) => r.uid === uid)!;
    expect(row(uids.copy).sharedWith).toBe(uids.good);
    expect(row(uids.salted).sharedWith).toBe(uids.good);
    expect(row(uids.dullCopy).sharedWith).toBe(uids.dull);
    for (const uid of [uids.good, uids.bad, uids.dull, uids.near])
      expect(row(uid).sharedWith).toBeUndefined();
    expect(lines).toContain(`uid ${uids.copy} shares uid ${uids.good}'s evaluation (identical model files)`);
    // The failure of the shared model is every sharer's, as separate evaluations give it.
    expect(row(uids.dull).failure).toBe('sanity-check');
    expect(row(uids.dullCopy).failure).toBe('sanity-check');
    // Copies committed later lose every batch to the original on epsilon.
    expect(row(uids.copy).averageLoss).toBe(row(uids.good).averageLoss);
    expect(row(uids.good).wins).toBeGreaterThan(row(uids.copy).wins);
    expect(row(uids.good).winRate).toBeGreaterThan(row(uids.salted).winRate);
    expect(row(uids.good).weight).toBeGreaterThan(row(uids.copy).weight);
    // Each evaluated row says where its time went; a sharer only its hashing.
    expect(row(uids.good).timings).toMatchObject({
      childStartMs: expect.any(Number),
      loadMs: expect.any(Number),
      sanityMs: expect.any(Number),
      lossesMs: expect.any(Number),
    });
    expect(Object.keys(row(uids.copy).timings ?? {})).toEqual(['hashMs']);
    expect(shared.result.timings).toMatchObject({
      evaluateMs: expect.any(Number),
      batchesMs: expect.any(Number),
    });
  }, 180_000);
});
