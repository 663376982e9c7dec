import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeWins } from './compute-wins.js';
import { isWin } from './is-win.js';
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

/** JSON with NaN written as Python's `json` reads it (a bare `NaN`); JSON.stringify writes null. */
function pythonJson(step: Step): string {
  return JSON.stringify(step, (_key, value: unknown) => (Number.isNaN(value) ? '@NaN@' : value)).replaceAll(
    '"@NaN@"',
    'NaN',
  );
}

function oracle(step: Step): { wins: number[]; winRates: number[]; weights: number[] } {
  return JSON.parse(execFileSync(PYTHON, [ORACLE], { input: pythonJson(step), encoding: 'utf8' }));
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

  it('treats failed batches (Infinity, null, missing) as +Infinity', () => {
    const { wins, winRates } = computeWins([[Infinity, Infinity], [2, null], [3]], [1, 2, 3]);
    // Batch 1 is +Infinity for everybody, so nobody wins it. On batch 0, uid 0 (+Infinity)
    // loses to both, and uid 1 (2, earlier) beats uid 2 (3).
    expect(wins).toEqual([0, 2, 1]);
    expect(winRates).toEqual([0, 0.5, 0.25]);
  });

  it('counts a NaN batch as a match won by neither side', () => {
    const { wins, winRates } = computeWins(
      [
        [Number.NaN, 1],
        [2, 2],
        [Infinity, 3],
      ],
      [1, 2, 3],
    );
    // Batch 0: uid 0 (NaN) neither wins nor loses; uid 1 beats uid 2. Batch 1: 1 < 2 < 3.
    expect(wins).toEqual([2, 2, 0]);
    expect(winRates).toEqual([0.5, 0.5, 0]);
  });
});

/** The definition, pair by pair: what computeWins must equal. */
function pairwiseWins(losses: (number | null)[][], blocks: (number | null)[], epsilon = 0.005): number[] {
  const batches = Math.max(0, ...losses.map((row) => row.length));
  return losses.map((_, i) => {
    let wins = 0;
    for (let j = 0; j < losses.length; j++) {
      if (j === i) continue;
      for (let b = 0; b < batches; b++) {
        const [li, lj] = [losses[i]![b] ?? Infinity, losses[j]![b] ?? Infinity];
        if (isWin(li, lj, blocks[i] ?? Infinity, blocks[j] ?? Infinity, epsilon)) wins++;
      }
    }
    return wins;
  });
}

describe('computeWins counts exactly what isWin decides for every pair', () => {
  // Losses from a small set, some exactly (1 − ε) apart, so ties and epsilon edges abound.
  const base = [2, 2.01, 2.5, 3, 0, Infinity, Number.NaN];
  const palette = [...base, ...base.map((l) => 0.995 * l), ...base.map((l) => l / 0.995)];
  let state = 987654321;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;

  it('on 300 random steps with ties, equal blocks, missing blocks and failed batches', () => {
    for (let c = 0; c < 300; c++) {
      const n = 1 + Math.floor(next() * 12);
      const batches = Math.floor(next() * 4);
      const blocks = Array.from({ length: n }, () => (next() < 0.15 ? null : pick([100, 101, 102, 103])));
      const losses = Array.from({ length: n }, () =>
        Array.from({ length: batches - (next() < 0.1 ? 1 : 0) }, () => (next() < 0.1 ? null : pick(palette))),
      );
      const epsilon = pick([0.005, 0, 0.5]);
      const expected = pairwiseWins(losses, blocks, epsilon);
      const { wins, winRates } = computeWins(losses, blocks, epsilon);
      expect(wins, JSON.stringify({ losses, blocks, epsilon })).toEqual(expected);
      const matches = (n - 1) * Math.max(0, ...losses.map((r) => r.length));
      expect(winRates).toEqual(expected.map((w) => (matches > 0 ? w / matches : 0)));
    }
  });

  it('scores 100,000 uids (a step no validator sees) and agrees with the pairs on a sample', () => {
    const n = 100_000;
    const blocks = Array.from({ length: n }, (_, i) => 1000 + (i % 97));
    const losses = Array.from({ length: n }, (_, i) => [2 + ((i * 7919) % 1000) / 1000, 3 - (i % 13) / 10]);
    const { wins } = computeWins(losses, blocks);
    expect(wins).toHaveLength(n);
    // Spot-check a few uids against the definition over all their n − 1 opponents.
    for (const i of [0, 1, 4242, 99_999]) {
      let expected = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        for (let b = 0; b < 2; b++)
          if (isWin(losses[i]![b]!, losses[j]![b]!, blocks[i]!, blocks[j]!)) expected++;
      }
      expect(wins[i], `uid ${i}`).toBe(expected);
    }
  });

  it('refuses an epsilon outside [0, 1)', () => {
    expect(() => computeWins([[1], [2]], [1, 2], 1)).toThrow(/epsilon 1 must be in \[0, 1\)/);
    expect(() => computeWins([[1], [2]], [1, 2], Number.NaN)).toThrow(/epsilon/);
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
    {
      uids: [4, 5, 6],
      blocks: [10, 11, null],
      losses: [
        [Number.NaN, 2.0, Number.NaN],
        [2.0, Number.NaN, null],
        [1.9, 2.1, Number.NaN],
      ],
    },
  ];
  // Pseudo-random steps from a fixed LCG, so the case list is reproducible.
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let c = 0; c < 5; c++) {
    const n = 2 + Math.floor(next() * 6);
    const uids = Array.from({ length: n }, (_, i) => i * 3);
    const blocks = uids.map(() => (next() < 0.15 ? null : 100 + Math.floor(next() * 5)));
    const losses = uids.map(() =>
      Array.from({ length: 4 }, () => {
        const r = next();
        return r < 0.1 ? null : r < 0.15 ? Number.NaN : 2 + Math.round(next() * 20) / 100;
      }),
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
