import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '@pretrain/core';
import { checkTokenRows } from './token-batch.js';
import { argmaxExcluding } from './greedy.js';

const spec = { vocabSize: 10, maxPositions: 4, dir: '/m' } as ModelSpec;

describe('checkTokenRows', () => {
  it('returns int32 rows and rejects ragged, empty, too long and out-of-vocabulary input', () => {
    expect(
      checkTokenRows(
        spec,
        [
          [1, 2],
          [3, 9],
        ],
        2,
      ),
    ).toEqual([Int32Array.of(1, 2), Int32Array.of(3, 9)]);
    expect(() => checkTokenRows(spec, [[1]], 2)).toThrow(/at least one row of 2\+ tokens/);
    expect(() => checkTokenRows(spec, [], 1)).toThrow(/got 0 rows/);
    expect(() => checkTokenRows(spec, [[1, 2, 3, 4, 5]], 1)).toThrow(
      /sequence length 5 exceeds .* 4 positions/,
    );
    expect(() => checkTokenRows(spec, [[1, 2], [3]], 1)).toThrow(/row 1 has 1/);
    expect(() => checkTokenRows(spec, [[1, 10]], 1)).toThrow(/token id 10 \(row 0, position 1\)/);
    expect(() => checkTokenRows(spec, [[1, 1.5]], 1)).toThrow(/token id 1.5/);
  });
});

describe('argmaxExcluding', () => {
  it('skips excluded ids and NaN, and keeps the first of equal maxima', () => {
    const logits = Float32Array.from([1, 5, 5, NaN, 7]);
    expect(argmaxExcluding(logits, new Set())).toBe(4);
    expect(argmaxExcluding(logits, new Set([4]))).toBe(1);
    expect(argmaxExcluding(Float32Array.from([NaN, 2]), new Set())).toBe(1);
  });
});
