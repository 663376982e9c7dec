import { describe, expect, it } from 'vitest';
import { hasRoomForPending, nextStepUids } from './next-step-uids.js';

describe('nextStepUids', () => {
  it('keeps weighted models first (by weight), then the best win rates', () => {
    const weights = [0, 0.002, 0.5, 0, 0.0009, 0];
    const kept = nextStepUids({
      uids: [0, 1, 2, 3, 4, 5],
      winRates: [0.9, 0.1, 0.2, 0.3, 0.95, 0.4],
      weights,
      sampleMin: 4,
    });
    // 2 (1.5) and 1 (1.002) by weight; 4's weight is under 0.001 so its win rate 0.95 counts.
    expect(kept).toEqual([2, 1, 4, 0]);
  });

  it('keeps step order among equal priorities (stable, like Python)', () => {
    expect(nextStepUids({ uids: [7, 3, 5], winRates: [0.5, 0.5, 0.5], weights: [], sampleMin: 2 })).toEqual([
      7, 3,
    ]);
  });

  it('defaults to sample_min = 6 and handles no uids', () => {
    const uids = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(nextStepUids({ uids, winRates: uids.map((u) => u / 10), weights: [] })).toEqual([
      7, 6, 5, 4, 3, 2,
    ]);
    expect(nextStepUids({ uids: [], winRates: [], weights: [] })).toEqual([]);
  });

  it('counts the 0.001 threshold as weighted', () => {
    expect(nextStepUids({ uids: [0, 1], winRates: [1, 0], weights: [0, 0.001], sampleMin: 1 })).toEqual([1]);
  });
});

describe('hasRoomForPending', () => {
  it('allows fewer than sample_max = 14 current plus pending', () => {
    expect(hasRoomForPending(6, 7)).toBe(true);
    expect(hasRoomForPending(6, 8)).toBe(false);
    expect(hasRoomForPending(0, 2, 2)).toBe(false);
  });
});
