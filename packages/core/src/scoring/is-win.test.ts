import { describe, expect, it } from 'vitest';
import { isWin } from './is-win.js';

describe('isWin', () => {
  it('lower loss wins at equal blocks; a tie is a loss for i', () => {
    expect(isWin(1, 2, 10, 10)).toBe(true);
    expect(isWin(2, 1, 10, 10)).toBe(false);
    expect(isWin(2, 2, 10, 10)).toBe(false);
  });

  it('discounts the earlier block by epsilon = 0.005', () => {
    // 2.01 × 0.995 = 1.99995 < 2: the earlier model wins with a slightly higher loss.
    expect(isWin(2.01, 2, 10, 11)).toBe(true);
    expect(isWin(2, 2.01, 11, 10)).toBe(false);
    // 2.02 × 0.995 = 2.0099 > 2: not enough.
    expect(isWin(2.02, 2, 10, 11)).toBe(false);
    // Equal losses: the earlier model wins both ways round.
    expect(isWin(2, 2, 10, 11)).toBe(true);
    expect(isWin(2, 2, 11, 10)).toBe(false);
  });

  it('takes epsilon as a parameter', () => {
    expect(isWin(2.01, 2, 10, 11, 0)).toBe(false);
  });

  it('treats a missing block (Infinity) as the latest claim', () => {
    expect(isWin(2, 2, 5, Infinity)).toBe(true);
    expect(isWin(2, 2, Infinity, 5)).toBe(false);
    expect(isWin(1, 2, Infinity, Infinity)).toBe(true);
  });

  it('treats failed batches (Infinity) as +Infinity', () => {
    expect(isWin(Infinity, Infinity, 1, 2)).toBe(false);
    expect(isWin(5, Infinity, 2, 1)).toBe(true);
    expect(isWin(Infinity, 5, 1, 2)).toBe(false);
  });

  it('makes a NaN loss a win for neither side, as `<` in the reference', () => {
    // Python: 5 < nan, nan < 5 and nan < nan are all False, whatever the blocks.
    expect(isWin(5, Number.NaN, 2, 1)).toBe(false);
    expect(isWin(5, Number.NaN, 1, 2)).toBe(false);
    expect(isWin(Number.NaN, 5, 1, 2)).toBe(false);
    expect(isWin(Number.NaN, Infinity, 1, 2)).toBe(false);
    expect(isWin(Infinity, Number.NaN, 1, 2)).toBe(false);
    expect(isWin(Number.NaN, Number.NaN, 1, 2)).toBe(false);
  });
});
