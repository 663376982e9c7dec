import { describe, expect, it } from 'vitest';
import type { StepResult } from '@pretrain/core';
import { formatStepTable, formatWeightsTable, stepSummary } from './step-report.js';

const step: StepResult = {
  step: 3,
  block: 1200,
  rows: [
    { uid: 4, hotkey: '5A', averageLoss: 3.25, winRate: 0.75, wins: 6, weight: 0.62, block: 900 },
    {
      uid: 7,
      hotkey: '5B',
      averageLoss: Infinity,
      winRate: 0,
      wins: 0,
      weight: 0,
      block: Infinity,
      failure: 'no-metadata',
    },
    { uid: 9, hotkey: '5C', averageLoss: 3.25, winRate: 0, wins: 0, weight: 0, block: 1000, sharedWith: 4 },
  ],
  batchCount: 4,
  evaluations: 2,
  durationMs: 12_340,
  tokensPerSecond: 987.6,
  weights: [0, 0, 0, 0, 0.62, 0.38, 0, 0],
  nextUids: [4, 7],
};

describe('step report', () => {
  it('prints the step table with loss, win rate, wins, weight, block and failures', () => {
    expect(formatStepTable(step)).toBe(
      'step 3 at block 1200: 3 models (2 distinct), 4 batches, 12.3 s, 988 tokens/s\n' +
        'uid  avg loss  win rate  wins  weight  block  note\n' +
        '  4    3.2500    0.7500     6  0.6200    900\n' +
        '  7       inf    0.0000     0  0.0000      -  no-metadata\n' +
        '  9    3.2500    0.0000     0  0.0000   1000  shares uid 4\n',
    );
  });

  it('prints non-zero weights heaviest first', () => {
    expect(formatWeightsTable(step.weights)).toBe('weights\nuid    weight\n  4  0.620000\n  5  0.380000\n');
    expect(formatWeightsTable([0, 0])).toBe('weights: none yet\n');
    expect(formatWeightsTable([1.86e-44, 0.5])).toBe(
      'weights\nuid    weight\n  1  0.500000\n  0  1.86e-44\n',
    );
  });

  it('summarises a step for JSON without hotkeys', () => {
    const summary = stepSummary(step) as { evaluations: number; models: Record<string, unknown>[] };
    expect(summary.evaluations).toBe(2);
    expect(summary.models[0]).toEqual({
      uid: 4,
      averageLoss: 3.25,
      winRate: 0.75,
      wins: 6,
      weight: 0.62,
      block: 900,
    });
  });
});
