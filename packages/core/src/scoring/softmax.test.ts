import { describe, expect, it } from 'vitest';
import { softmax } from './softmax.js';

describe('softmax', () => {
  it('is empty for no values and 1 for one value', () => {
    expect(softmax([], 0.01)).toEqual([]);
    expect(softmax([0.3], 0.01)).toEqual([1]);
  });

  it('does not overflow at temperature 0.01', () => {
    const [a, b] = softmax([1, 0], 0.01) as [number, number];
    expect(a).toBeCloseTo(1, 12);
    expect(b).toBeCloseTo(Math.exp(-100), 50);
    expect(b).toBeGreaterThan(0);
  });

  it('matches the definition at temperature 1', () => {
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const sum = e[0]! + e[1]! + e[2]!;
    softmax([1, 2, 3], 1).forEach((v, i) => expect(v).toBeCloseTo(e[i]! / sum, 15));
  });

  it('splits ties evenly', () => {
    expect(softmax([0.5, 0.5], 0.01)).toEqual([0.5, 0.5]);
  });

  it('refuses a non-positive temperature', () => {
    expect(() => softmax([1], 0)).toThrow(/temperature 0/);
    expect(() => softmax([1], Number.NaN)).toThrow(/temperature/);
  });

  it('takes 200,000 values (more than a spread argument list holds)', () => {
    const weights = softmax(
      Array.from({ length: 200_000 }, (_, i) => (i === 7 ? 1 : 0)),
      0.01,
    );
    expect(weights).toHaveLength(200_000);
    expect(weights.indexOf(Math.max(...weights.slice(0, 10)))).toBe(7);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
