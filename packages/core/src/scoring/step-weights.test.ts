import { describe, expect, it } from 'vitest';
import { stepWeights } from './step-weights.js';

describe('stepWeights', () => {
  it('places softmax weights at their uids in a vector summing to 1', () => {
    const w = stepWeights([3, 0], [0.5, 0.5], 5);
    expect(w).toEqual([0.5, 0, 0, 0.5, 0]);
  });

  it('gives all zeros for an empty step', () => {
    expect(stepWeights([], [], 3)).toEqual([0, 0, 0]);
  });

  it('refuses uids outside the subnet or misaligned inputs', () => {
    expect(() => stepWeights([5], [1], 5)).toThrow(/uid 5/);
    expect(() => stepWeights([1, 2], [1], 5)).toThrow(/align/);
  });
});
