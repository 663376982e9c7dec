import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { U16_MAX, roundHalfEven, toU16Weights } from './u16-weights.js';

const PYTHON = '/usr/bin/python3';

describe('roundHalfEven', () => {
  it('rounds halves to the even neighbour like Python', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001, 7, 0].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3, 7, 0]);
  });

  it.runIf(existsSync(PYTHON))('agrees with Python round() on many values', () => {
    const xs = Array.from({ length: 200 }, (_, i) => i / 4 + (i % 3 === 0 ? 0 : i / 1000));
    const python = JSON.parse(
      execFileSync(
        PYTHON,
        ['-c', 'import json,sys; print(json.dumps([round(x) for x in json.load(sys.stdin)]))'],
        {
          input: JSON.stringify(xs),
          encoding: 'utf8',
        },
      ),
    ) as number[];
    expect(xs.map(roundHalfEven)).toEqual(python);
  });
});

describe('toU16Weights', () => {
  it('scales the largest weight to 65535 and drops zeros', () => {
    expect(toU16Weights([0, 1, 2, 3], [0.5, 0.25, 0, 0.25])).toEqual({
      uids: [0, 1, 3],
      values: [U16_MAX, 32768, 32768],
    });
  });

  it('drops weights that round to zero', () => {
    expect(toU16Weights([4, 5], [1, 1e-6])).toEqual({ uids: [4], values: [U16_MAX] });
    // 7.63e-6 × 65535 = 0.50003…: rounds to 1, kept.
    expect(toU16Weights([4, 5], [1, 7.63e-6])).toEqual({ uids: [4, 5], values: [U16_MAX, 1] });
  });

  it('gives empty lists for all zeros or no weights', () => {
    expect(toU16Weights([0, 1], [0, 0])).toEqual({ uids: [], values: [] });
    expect(toU16Weights([], [])).toEqual({ uids: [], values: [] });
  });

  it('refuses misaligned, negative or non-finite input', () => {
    expect(() => toU16Weights([0], [])).toThrow(/align/);
    expect(() => toU16Weights([-1], [1])).toThrow(/uids/);
    expect(() => toU16Weights([0], [-0.1])).toThrow(/non-negative/);
    expect(() => toU16Weights([0], [Number.NaN])).toThrow(/finite/);
  });
});
