import { describe, expect, it } from 'vitest';
import { scoreStep } from './score-step.js';

describe('scoreStep', () => {
  it('turns head-to-head wins into moving-average weights over all uids', () => {
    const score = scoreStep({
      uids: [1, 3],
      losses: [
        [2, 2],
        [3, 3],
      ],
      blocks: [10, 10],
      previousWeights: [],
      uidCount: 4,
      sampleMin: 6,
    });
    expect(score.wins).toEqual([2, 0]);
    expect(score.winRates).toEqual([1, 0]);
    // softmax([1, 0] / 0.01) ≈ [1, e^-100]; half of it after the average with zeros.
    expect(score.weights[1]).toBeCloseTo(0.5, 12);
    expect(score.weights[3]).toBeCloseTo(0, 12);
    expect(score.weights[0]).toBe(0);
    expect(score.nextUids).toEqual([1, 3]);
  });

  it('lets the earlier commitment win a tie on epsilon, and +Infinity never wins', () => {
    const score = scoreStep({
      uids: [0, 1, 2],
      losses: [[2], [2], [Infinity]],
      blocks: [5, 9, Infinity],
      previousWeights: [0.2, 0.2, 0.6],
      uidCount: 3,
      sampleMin: 2,
    });
    expect(score.wins).toEqual([2, 1, 0]);
    expect(score.weights[2]).toBeCloseTo(0.3, 12);
    expect(score.nextUids).toEqual([0, 2]);
  });

  it('keeps the previous weights when the step had no uids', () => {
    const score = scoreStep({
      uids: [],
      losses: [],
      blocks: [],
      previousWeights: [0.5, 0.5],
      uidCount: 3,
      sampleMin: 6,
    });
    expect(score.weights).toEqual([0.5, 0.5, 0]);
    expect(score.nextUids).toEqual([]);
  });
});
