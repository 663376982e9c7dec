import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeWins } from './compute-wins.js';
import { softmax } from './softmax.js';

// Oracle: /usr/bin/python3 packages/core/test-support/score_reference.py < step.json
const PYTHON = '/usr/bin/python3';
const ORACLE = fileURLToPath(new URL('../../test-support/score_reference.py', import.meta.url));
const havePython = existsSync(PYTHON);
if (!havePython && process.env.CI === 'true')
  throw new Error(`${PYTHON} is required for the scoring goldens in CI`);

interface Step {
  uids: number[];
  blocks: (number | null)[];
  losses: (number | null)[][];
}

function oracle(step: Step): { wins: number[]; winRates: number[]; weights: number[] } {
  return JSON.parse(execFileSync(PYTHON, [ORACLE], { input: JSON.stringify(step), encoding: 'utf8' }));
}

describe('computeWins', () => {
  it('gives 0 wins and a 0 win rate to nothing, or to a single uid', () => {
    expect(computeWins([], [])).toEqual({ wins: [], winRates: [] });
    expect(computeWins([[1, 2]], [5])).toEqual({ wins: [0], winRates: [0] });
  });

  it('counts matches as others × batches', () => {
    const { wins, winRates } = computeWins(
      [
        [1, 3],
        [2, 2],
        [3, 1],
      ],
      [10, 10, 10],
    );
    expect(wins).toEqual([2, 2, 2]);
    expect(winRates).toEqual([0.5, 0.5, 0.5]);
  });

  it('gives ties at equal blocks to nobody, and to the earlier block otherwise', () => {
    expect(computeWins([[2], [2]], [7, 7]).wins).toEqual([0, 0]);
    expect(computeWins([[2], [2]], [7, 8]).wins).toEqual([1, 0]);
  });

  it('treats missing blocks as +Infinity', () => {
    expect(computeWins([[2], [2]], [null, 3]).wins).toEqual([0, 1]);
    expect(computeWins([[2], [2]], [undefined, undefined]).wins).toEqual([0, 0]);
  });

  it('treats failed batches (Infinity, NaN, null, missing) as +Infinity', () => {
    const { wins, winRates } = computeWins([[Infinity, Number.NaN], [2, null], [3]], [1, 2, 3]);
    // Batch 1 is +Infinity for everybody, so nobody wins it. On batch 0, uid 0 (+Infinity)
    // loses to both, and uid 1 (2, earlier) beats uid 2 (3).
    expect(wins).toEqual([0, 2, 1]);
    expect(winRates).toEqual([0, 0.5, 0.25]);
  });
});

describe.runIf(havePython)('computeWins and softmax equal the Python reference rules', () => {
  const cases: Step[] = [
    {
      uids: [3, 0, 7],
      blocks: [120, 100, null],
      losses: [
        [2.1, 2.0],
        [2.2, null],
        [2.0, 2.0],
      ],
    },
    {
      uids: [1, 2],
      blocks: [5, 5],
      losses: [
        [2, 2],
        [2, 2],
      ],
    },
    { uids: [1, 2, 3], blocks: [null, null, null], losses: [[null], [null], [null]] },
    { uids: [9], blocks: [1], losses: [[1.5]] },
  ];
  // Pseudo-random steps from a fixed LCG, so the case list is reproducible.
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let c = 0; c < 5; c++) {
    const n = 2 + Math.floor(next() * 6);
    const uids = Array.from({ length: n }, (_, i) => i * 3);
    const blocks = uids.map(() => (next() < 0.15 ? null : 100 + Math.floor(next() * 5)));
    const losses = uids.map(() =>
      Array.from({ length: 4 }, () => (next() < 0.1 ? null : 2 + Math.round(next() * 20) / 100)),
    );
    cases.push({ uids, blocks, losses });
  }

  it.each(cases.map((step, i) => [i, step] as const))('case %i', (_, step) => {
    const expected = oracle(step);
    const { wins, winRates } = computeWins(step.losses, step.blocks);
    expect(wins).toEqual(expected.wins);
    expect(winRates).toEqual(expected.winRates);
    const weights = softmax(winRates, 0.01);
    weights.forEach((w, i) => expect(w).toBeCloseTo(expected.weights[i]!, 12));
  });
});
