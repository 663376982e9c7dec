import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-score-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function score(step: unknown, ...flags: string[]) {
  const file = join(cwd, 'step.json');
  await writeFile(file, typeof step === 'string' ? step : JSON.stringify(step));
  return runCli(['score', 'step.json', ...flags], { cwd });
}

/**
 * Expected outputs come from an independent Python implementation of docs/SUBNET.md §6
 * (iswin with epsilon 0.005, +inf for null, nan for "NaN", softmax(win_rates / 0.01) in float64):
 * `/usr/bin/python3 packages/cli/test-support/score_ref.py < packages/cli/test-support/score_cases.jsonl`.
 */
const CASES: [string, unknown, { wins: number[]; winRates: number[]; weights: number[] }][] = [
  [
    'the issue example (missing block, failed batch)',
    {
      uids: [3, 0, 7],
      blocks: [120, 100, null],
      losses: [
        [2.1, 2.0],
        [2.2, null],
        [2.0, 2.0],
      ],
    },
    { wins: [3, 0, 3], winRates: [0.75, 0, 0.75], weights: [0.5, 1.3393184809040389e-33, 0.5] },
  ],
  [
    'exact ties at equal blocks (a tie is a loss for both)',
    {
      uids: [1, 2],
      blocks: [10, 10],
      losses: [
        [2.0, 2.0],
        [2.0, 2.0],
      ],
    },
    { wins: [0, 0], winRates: [0, 0], weights: [0.5, 0.5] },
  ],
  [
    'equal blocks: no epsilon, partial ties',
    {
      uids: [4, 5, 6],
      blocks: [7, 7, 7],
      losses: [
        [1.0, 3.0],
        [1.5, 2.5],
        [1.0, 2.5],
      ],
    },
    {
      wins: [1, 1, 2],
      winRates: [0.25, 0.25, 0.5],
      weights: [1.3887943864578272e-11, 1.3887943864578272e-11, 0.9999999999722242],
    },
  ],
  [
    'two missing blocks compare as equal',
    { uids: [1, 2], blocks: [null, null], losses: [[1.0], [1.5]] },
    { wins: [1, 0], winRates: [1, 0], weights: [1, 3.720075976020836e-44] },
  ],
  [
    'epsilon advantage of the earlier block, both ways',
    {
      uids: [8, 9, 10],
      blocks: [5, 6, null],
      losses: [
        [2.01, 2.02],
        [2.0, 2.0],
        [1.99, 1.9],
      ],
    },
    {
      wins: [1, 1, 3],
      winRates: [0.25, 0.25, 0.75],
      weights: [1.9287498479639178e-22, 1.9287498479639178e-22, 1],
    },
  ],
  [
    'failed batches on several uids (inf never beats inf)',
    {
      uids: [11, 12, 13],
      blocks: [1, 2, 3],
      losses: [
        [null, 1.0],
        [null, 2.0],
        [3.0, null],
      ],
    },
    {
      wins: [2, 1, 2],
      winRates: [0.5, 0.25, 0.5],
      weights: [0.499999999996528, 6.943971932433792e-12, 0.499999999996528],
    },
  ],
  [
    'a single uid',
    { uids: [20], blocks: [null], losses: [[null, null]] },
    { wins: [0], winRates: [0], weights: [1] },
  ],
  ['no uids', { uids: [], blocks: [], losses: [] }, { wins: [], winRates: [], weights: [] }],
  [
    'a loss that came out NaN wins and loses nothing',
    {
      uids: [1, 2, 3],
      blocks: [5, 6, null],
      losses: [
        ['NaN', 2.0],
        [2.1, 'NaN'],
        [2.0, null],
      ],
    },
    {
      wins: [1, 0, 1],
      winRates: [0.25, 0, 0.25],
      weights: [0.499999999996528, 6.943971932433792e-12, 0.499999999996528],
    },
  ],
];

describe('pretrain score', () => {
  it.each(CASES)('--json equals the reference: %s', async (_name, step, expected) => {
    const run = await score(step, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const actual = JSON.parse(run.stdout) as typeof expected;
    expect(actual.wins).toEqual(expected.wins);
    expect(actual.winRates).toEqual(expected.winRates);
    expect(actual.weights).toHaveLength(expected.weights.length);
    actual.weights.forEach((w, i) => {
      const want = expected.weights[i]!;
      expect(Math.abs(w - want)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(want), 1e-30));
    });
  });

  it('prints an aligned table of uid, average loss, wins, win rate and weight', async () => {
    const run = await score(CASES[0]![1]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'uid  avg loss  wins  win rate    weight',
        '  3    2.0500     3    0.7500  0.500000',
        '  0       inf     0    0.0000  0.000000',
        '  7    2.0000     3    0.7500  0.500000',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['[1,2]', 'not a JSON object'],
    [{ blocks: [], losses: [] }, '"uids" must be an array, got nothing'],
    [{ uids: [1, -1], blocks: [1, 1], losses: [[1], [1]] }, 'uids[1] is -1, not a non-negative integer'],
    [{ uids: [1, 1], blocks: [1, 1], losses: [[1], [1]] }, 'uids[1] repeats uid 1'],
    [
      { uids: [1, 2], blocks: [1], losses: [[1], [1]] },
      '"blocks" has 1 entries but "uids" has 2; they are aligned',
    ],
    [{ uids: [1], blocks: [1.5], losses: [[1]] }, 'blocks[0] is 1.5, not a block number or null'],
    [{ uids: [1, 2], blocks: [1, 2], losses: [[1], 2] }, 'losses[1] is 2, not an array of losses'],
    [{ uids: [1, 2], blocks: [1, 2], losses: [[1, 2], [1]] }, 'losses[1] has 1 batches but losses[0] has 2'],
    [
      { uids: [1], blocks: [1], losses: [['2.0']] },
      'losses[0][0] is "2.0", not a non-negative number, null or "NaN"',
    ],
    ['{"uids": [', 'is not valid JSON'],
  ])('rejects %j with a precise one-line error and exit 2', async (step, message) => {
    const run = await score(step, '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const [error, hint, ...rest] = run.stderr.split('\n');
    expect(error).toContain(message);
    expect(error).toMatch(/^error: /);
    expect(hint).toMatch(/^hint: /);
    expect(rest).toEqual(['']);
  });

  it('needs the step file argument', async () => {
    const run = await runCli(['score', '--json'], { cwd });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: Not enough non-option arguments: got 0, need at least 1\nhint: `pretrain score --help` shows the usage\n',
    });
  });

  it('names a missing step file', async () => {
    const run = await runCli(['score', 'absent.json'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: cannot read step file ${join(cwd, 'absent.json')}: ENOENT`);
  });
});
