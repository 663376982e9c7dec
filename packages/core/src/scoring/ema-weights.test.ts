import { describe, expect, it } from 'vitest';
import { emaWeights } from './ema-weights.js';

describe('emaWeights', () => {
  it('averages with alpha = 0.5', () => {
    expect(emaWeights([1, 0], [0, 1])).toEqual([0.5, 0.5]);
    expect(emaWeights([1, 0], [0, 1], 0.75)).toEqual([0.75, 0.25]);
  });

  it('turns NaN into 0', () => {
    expect(emaWeights([Number.NaN, 0.2], [0.4, Number.NaN])).toEqual([0, 0]);
  });

  it('cuts or zero-pads the previous weights to the step length', () => {
    expect(emaWeights([1, 1, 1], [0, 0])).toEqual([0.5, 0.5]);
    expect(emaWeights([1], [0, 1])).toEqual([0.5, 0.5]);
  });
});
