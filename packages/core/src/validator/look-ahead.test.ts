import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../contracts/index.js';
import { criteriaForBlock } from '../criteria/index.js';
import { LocalTextDataset } from '../dataset/index.js';
import { ModelTracker } from '../tracker/index.js';
import { ChildProcessEvaluator } from './child-evaluator.js';
import { runEvalStep } from './eval-step.js';
import { ModelContentHashes } from './model-content-hashes.js';
import type { ModelEvaluator } from './model-evaluator.js';
import { ModelUpdater } from './model-updater.js';
import { ByteTokenizer } from './testing/byte-tokenizer.js';
import { testSchedule, ValidatorWorld } from './testing/validator-world.js';
import type { StepResult } from './validator-events.js';

// Children run the compiled worker: `npm test` builds before vitest.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const plugin = fileURLToPath(new URL('./test-plugins/misbehaving-plugin.mjs', import.meta.url));
const MODEL = { vocab: 257, hidden: 32 };
/** The batch losses of every model that loads (more entries than the step has batches). */
const SCRIPT = Array.from({ length: 64 }, (_, b) => 2 + (b % 5) / 10);

/**
 * The misbehaving plugin in real child processes: models of hotkeys named in `byDir` fail
 * while loading (a thrown error, a hang past the load limit, a crash); the others answer
 * {@link SCRIPT} after 150 ms per batch, so each is still computing while the next loads.
 * Records when each model was loaded ahead and when each finished.
 */
function recordingEvaluator(): ModelEvaluator & { readonly events: string[] } {
  const inner = new ChildProcessEvaluator({
    backend: plugin,
    cwd: repoRoot,
    backendOptions: {
      behaviour: 'script',
      script: SCRIPT,
      lossMs: 150,
      byDir: { '5Throws': 'throw', '5Hangs': 'hang-load', '5Crashes': 'crash-load' },
    },
    timeoutMs: 60_000,
    loadTimeoutMs: 8000,
  });
  const events: string[] = [];
  // The local store keeps each hotkey's models under <root>/models/<hotkey>/.
  const name = (dir: string) => /\/models\/([^/]+)\//.exec(dir)?.[1] ?? dir;
  return {
    events,
    evaluate: (dir, file, shape, call) => inner.evaluate(dir, file, shape, call),
    prepare: (dir, file, shape, call) => {
      events.push(`prepare ${name(dir)}`);
      const prepared = inner.prepare(dir, file, shape, call);
      return {
        run: () =>
          prepared.run().then((outcome) => {
            events.push(`done ${name(dir)}`);
            return outcome;
          }),
        cancel: () => prepared.cancel(),
      };
    },
    killAll: () => inner.killAll(),
  };
}

describe('look-ahead: the next model loads while the current one is evaluated (real child processes)', () => {
  let world: ValidatorWorld;
  const tracker = new ModelTracker();
  const hotkeys = ['5First', '5Throws', '5Second', '5Hangs', '5Third', '5Crashes', '5Fourth'];
  const uids: number[] = [];
  const schedule = testSchedule();

  beforeAll(async () => {
    world = await ValidatorWorld.create();
    const paragraphs = Array.from({ length: 24 }, (_, i) => `Paragraph ${i}: loaded ahead of its turn.`);
    await writeFile(join(world.root, 'corpus.txt'), paragraphs.join('\n\n'));
    // Distinct files for every hotkey: nothing is shared.
    for (const [i, hotkey] of hotkeys.entries())
      uids.push(await world.publish(hotkey, hotkey.toLowerCase(), { ...MODEL, boost: 0.05 + i / 100 }));
    const updater = new ModelUpdater({
      chain: world.chain,
      netuid: 9,
      store: world.hub,
      local: world.local,
      tracker,
      logger: silentLogger,
      schedule,
    });
    for (const hotkey of hotkeys) expect((await updater.sync(hotkey)).kind).toBe('updated');
  });
  afterAll(async () => {
    await world.dispose();
  });

  async function step(lookAhead: boolean) {
    const evaluator = recordingEvaluator();
    const block = await world.chain.currentBlock();
    const result = await runEvalStep({
      step: 1,
      block,
      uids,
      metagraph: await world.chain.metagraph(9),
      tracker,
      local: world.local,
      dataset: new LocalTextDataset({ path: join(world.root, 'corpus.txt'), rowsPerPage: 4 }),
      tokenizer: new ByteTokenizer(),
      criteria: criteriaForBlock(block, schedule),
      pagesPerEval: 2,
      seed: 'fixed',
      evaluator,
      previousWeights: [],
      sampleMin: 5,
      logger: silentLogger,
      lookAhead,
      contentHashes: new ModelContentHashes(),
    });
    return { result, events: evaluator.events };
  }

  it('fails only the model whose look-ahead load failed, and scores as without look-ahead', async () => {
    const ahead = await step(true);
    const row = (r: StepResult, hotkey: string) => r.rows.find((x) => x.hotkey === hotkey)!;
    const losses = SCRIPT.slice(0, ahead.result.batchCount);
    const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
    for (const hotkey of ['5First', '5Second', '5Third', '5Fourth']) {
      expect(row(ahead.result, hotkey).failure).toBeUndefined();
      expect(row(ahead.result, hotkey).averageLoss).toBeCloseTo(mean, 12);
    }
    expect(row(ahead.result, '5Throws').failure).toBe('eval-failed');
    expect(row(ahead.result, '5Hangs').failure).toBe('eval-timeout');
    expect(row(ahead.result, '5Crashes').failure).toBe('eval-failed');
    // Each model was loaded while the one before it was still being evaluated (those that
    // failed at once while loading ahead were done before their turn came).
    const at = (event: string) => ahead.events.indexOf(event);
    for (const [before, next] of [
      ['5First', '5Throws'],
      ['5Second', '5Hangs'],
      ['5Hangs', '5Third'],
      ['5Third', '5Crashes'],
    ])
      expect(at(`prepare ${next}`), `${next} loaded ahead`).toBeLessThan(at(`done ${before}`));
    expect(row(ahead.result, '5Third').timings?.waitMs).toBeGreaterThan(0);

    const inTurn = await step(false);
    expect(inTurn.events).toEqual([]);
    const plain = (r: StepResult) => r.rows.map(({ timings: _t, ...rest }) => rest);
    expect(plain(ahead.result)).toEqual(plain(inTurn.result));
    expect(ahead.result.weights).toEqual(inTurn.result.weights);
  }, 120_000);
});
