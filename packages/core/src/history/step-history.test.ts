import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../validator/index.js';
import { HISTORY_FILE, readStepHistory, StepHistory } from './step-history.js';
import { summariseLosses } from './step-record.js';

const step = (n: number, loss = 1): StepResult => ({
  step: n,
  block: 100 + n,
  rows: [
    {
      uid: 1,
      hotkey: '5A',
      averageLoss: loss,
      winRate: 1,
      wins: 2,
      weight: 0.7,
      block: 10,
      losses: [loss, loss],
      stepWeight: 0.9,
      model: { namespace: 'a', name: 'm', commit: 'c'.repeat(40), hash: 'h' },
    },
    {
      uid: 2,
      hotkey: '5B',
      averageLoss: Infinity,
      winRate: 0,
      wins: 0,
      weight: 0.3,
      block: Infinity,
      failure: 'no-metadata',
      losses: [Infinity, Infinity],
    },
  ],
  batchCount: 2,
  evaluations: 1,
  durationMs: 5,
  tokensPerSecond: 10,
  weights: [0, 0.7, 0.3],
  nextUids: [1, 2],
  pages: [{ dataset: 'local:x', offset: n }],
});

describe('StepHistory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pretrain-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends JSON lines that read back, non-finite numbers as null, and survives reopening', async () => {
    const history = await StepHistory.open(dir);
    await history.recordStep('run-a', step(1));
    await history.recordWeights({ block: 120, uids: [1, 2], values: [40000, 25535] });
    await history.recordStep('run-a', step(2, 0.5));
    const reopened = await StepHistory.open(dir);
    expect(reopened.recentSteps().map((s) => s.step)).toEqual([1, 2]);
    const newest = reopened.recentSteps()[1]!;
    expect(newest.rows[0]).toMatchObject({ uid: 1, averageLoss: 0.5, losses: [0.5, 0.5], stepWeight: 0.9 });
    expect(newest.rows[1]).toMatchObject({ averageLoss: null, block: null, failure: 'no-metadata' });
    expect(newest.rows[1]!.lossSummary).toEqual({ min: null, median: null, max: null, nonFinite: 2 });
    // Only the newest step keeps batch losses in memory.
    expect(reopened.recentSteps()[0]!.rows[0]!.losses).toBeUndefined();
    expect(reopened.weightsSet()).toMatchObject([{ block: 120, uids: [1, 2] }]);
  });

  it('keeps a step redone after a lost state save once (its later record); a new run is a new line of steps', async () => {
    const history = await StepHistory.open(dir);
    await history.recordStep('run-a', step(1, 3));
    await history.recordStep('run-a', step(2, 2));
    // Killed before the state save: step 2 is run again, with other pages and losses.
    await history.recordStep('run-a', step(2, 1.5));
    // A version upgrade wiped the state: numbering restarts under a new run id.
    await history.recordStep('run-b', step(1, 1));
    const { steps } = await readStepHistory(dir);
    expect(steps.map((s) => [s.run, s.step, s.rows[0]!.averageLoss])).toEqual([
      ['run-a', 1, 3],
      ['run-a', 2, 1.5],
      ['run-b', 1, 1],
    ]);
    expect(history.recentSteps().map((s) => [s.run, s.step])).toEqual([
      ['run-a', 1],
      ['run-a', 2],
      ['run-b', 1],
    ]);
  });

  it('trims a line cut by a kill before appending, and skips it when reading', async () => {
    const history = await StepHistory.open(dir);
    await history.recordStep('r', step(1));
    await appendFile(join(dir, HISTORY_FILE), '{"v":1,"type":"step","run":"r","st');
    expect((await readStepHistory(dir)).skippedLines).toBe(1);
    const next = await StepHistory.open(dir);
    await next.recordStep('r', step(2));
    const read = await readStepHistory(dir);
    expect(read.skippedLines).toBe(0);
    expect(read.steps.map((s) => s.step)).toEqual([1, 2]);
  });

  it('rotates at the size cap and deletes the oldest file beyond keepFiles', async () => {
    const history = await StepHistory.open(dir, { maxFileBytes: 3000, keepFiles: 2 });
    for (let n = 1; n <= 12; n++) await history.recordStep('r', step(n));
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['steps.1.jsonl', HISTORY_FILE]);
    for (const file of files) expect((await readFile(join(dir, file))).length).toBeLessThanOrEqual(3000);
    const { steps } = await readStepHistory(dir, 2);
    const numbers = steps.map((s) => s.step);
    // The newest steps, in order, without gaps; the oldest went with the deleted file.
    expect(numbers.at(-1)).toBe(12);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    expect(numbers[0]).toBeGreaterThan(1);
  });

  it('summarises batch losses: min, median, max of the finite ones', () => {
    expect(summariseLosses([3, 1, Infinity, 2, NaN])).toEqual({ min: 1, median: 2, max: 3, nonFinite: 2 });
    expect(summariseLosses([4, 1])).toEqual({ min: 1, median: 2.5, max: 4, nonFinite: 0 });
  });

  it('loses nothing but the line being written when its process is killed with SIGKILL', async () => {
    // A real writer process (the compiled module), killed at an arbitrary moment, then another.
    const module = fileURLToPath(new URL('../../dist/history/step-history.js', import.meta.url));
    const writer = (from: number) =>
      spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { StepHistory } = await import(${JSON.stringify(module)});
           const h = await StepHistory.open(${JSON.stringify(dir)});
           const row = { uid: 1, hotkey: 'k', averageLoss: 1, winRate: 1, wins: 1, weight: 1, block: 1, losses: new Array(500).fill(1.25) };
           for (let n = ${from}; ; n++) {
             await h.recordStep('r', { step: n, block: n, rows: [row], batchCount: 500, evaluations: 1, durationMs: 1, tokensPerSecond: 1, weights: [1], nextUids: [1] });
             if (n === ${from} + 5) process.stdout.write('going\\n');
           }`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
    const runUntilKilled = async (from: number): Promise<void> => {
      const child = writer(from);
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
    };
    await runUntilKilled(1);
    const first = await readStepHistory(dir);
    const last = first.steps.at(-1)!.step;
    expect(first.steps.map((s) => s.step)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    await runUntilKilled(last + 1);
    const second = await readStepHistory(dir);
    const numbers = second.steps.map((s) => s.step);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(numbers.length).toBeGreaterThan(last);
    // At most the line being written when the second kill came is unreadable.
    expect(second.skippedLines).toBeLessThanOrEqual(1);
  }, 60_000);
});
