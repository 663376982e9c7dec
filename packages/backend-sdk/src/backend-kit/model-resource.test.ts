import { describe, expect, it } from 'vitest';
import { ModelResource, reportedMean } from './model-resource.js';

describe('ModelResource', () => {
  it('gives the resource while open, hands it over once, then refuses every use as disposed', () => {
    const held = new ModelResource({ id: 1 }, '/models/a');
    expect(held.get()).toEqual({ id: 1 });
    expect(held.take()).toEqual({ id: 1 });
    expect(held.take()).toBeUndefined();
    expect(() => held.get()).toThrow(
      expect.objectContaining({
        code: 'PRETRAIN_DISPOSED',
        message: expect.stringContaining('/models/a'),
        hint: expect.stringMatching(/load the model again/),
      }),
    );
  });
});

describe('reportedMean', () => {
  it('is the mean; NaN stays NaN, +Infinity stays, -Infinity (∞ − ∞ upstream) is NaN', () => {
    expect(reportedMean(6, 4)).toBe(1.5);
    expect(reportedMean(NaN, 2)).toBeNaN();
    expect(reportedMean(-Infinity, 2)).toBeNaN();
    expect(reportedMean(Infinity, 2)).toBe(Infinity);
  });
});
