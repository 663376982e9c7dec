import { describe, expect, it } from 'vitest';
import type { StepResult, StepRow } from '@pretrain/core';
import { judgeDemo } from './judge-demo.js';

const labels = new Map([
  [1, 'unigram'],
  [2, 'random'],
  [3, 'copier'],
]);

function step(rows: Partial<StepRow>[]): StepResult {
  return {
    step: 1,
    block: 10,
    rows: rows.map((r, i) => ({
      uid: i + 1,
      hotkey: `h${i}`,
      averageLoss: 7,
      winRate: 0,
      wins: 0,
      weight: 0,
      block: i,
      ...r,
    })),
    batchCount: 4,
    evaluations: rows.length,
    durationMs: 1,
    tokensPerSecond: 1,
    weights: [],
    nextUids: [],
  };
}

describe('judgeDemo', () => {
  const original = { averageLoss: 6.5, wins: 8, weight: 0.9, block: 2 };
  const copy = { averageLoss: 6.5, wins: 4, weight: 0.05, block: 5 };

  it('passes when the original holds the top weight and the identical copy loses', () => {
    const verdict = judgeDemo({
      steps: [step([original, { averageLoss: 11 }, copy])],
      onChain: [
        [1, 65535],
        [3, 10],
      ],
      labels,
    });
    expect(verdict.ok).toBe(true);
    expect(verdict.lines.join('\n')).toMatch(/loses every match to the original on epsilon: 4 wins vs 8/);
  });

  it('fails when another uid holds the top weight or the copy does not lose', () => {
    expect(
      judgeDemo({ steps: [step([original, { averageLoss: 11 }, copy])], onChain: [[2, 65535]], labels }).ok,
    ).toBe(false);
    const tie = step([original, { averageLoss: 11 }, { ...copy, wins: 8, weight: 0.9 }]);
    expect(judgeDemo({ steps: [tie], onChain: [[1, 65535]], labels }).ok).toBe(false);
    expect(judgeDemo({ steps: [], onChain: [], labels }).ok).toBe(false);
  });
});
