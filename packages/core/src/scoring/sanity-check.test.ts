import { describe, expect, it } from 'vitest';
import { passesSanityCheck, sanityPrompts } from './sanity-check.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('sanityPrompts', () => {
  it('takes the first 100 tokens of batches 0 and 1', () => {
    const prompts = sanityPrompts([[range(300)], [range(300, 1000)], [range(300, 5000)]]);
    expect(prompts).toEqual([range(100), range(100, 1000)]);
  });

  it('keeps shorter rows whole', () => {
    expect(sanityPrompts([[range(5)], [range(5, 10)]])).toEqual([range(5), range(5, 10)]);
  });

  it('refuses fewer than two batches', () => {
    expect(() => sanityPrompts([[range(200)]])).toThrow(/2 non-empty batches, got 1/);
    expect(() => sanityPrompts([])).toThrow(/got 0/);
  });
});

describe('passesSanityCheck', () => {
  it('passes distinct, varied continuations', () => {
    expect(passesSanityCheck([range(20), range(20, 100)])).toBe(true);
  });

  it('fails when 10 or more of 20 positions agree', () => {
    const a = range(20);
    const tenSame = a.map((t, i) => (i < 10 ? t : t + 100));
    const nineSame = a.map((t, i) => (i < 9 ? t : t + 100));
    expect(passesSanityCheck([a, tenSame])).toBe(false);
    expect(passesSanityCheck([a, nineSame])).toBe(true);
  });

  it('fails when both repeat one token more than 10 times', () => {
    const repeat = (token: number, times: number, from: number) => [
      ...Array<number>(times).fill(token),
      ...range(20 - times, from),
    ];
    expect(passesSanityCheck([repeat(1, 11, 100), repeat(2, 11, 200)])).toBe(false);
    // Only one repetitive continuation, or exactly 10 repeats: passes.
    expect(passesSanityCheck([repeat(1, 11, 100), range(20, 300)])).toBe(true);
    expect(passesSanityCheck([repeat(1, 10, 100), repeat(2, 10, 200)])).toBe(true);
  });

  it('refuses anything but two continuations', () => {
    expect(() => passesSanityCheck([range(20)])).toThrow(/got 1/);
  });
});
