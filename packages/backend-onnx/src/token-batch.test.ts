import { describe, expect, it } from 'vitest';
import { UsageError, type ModelSpec } from '@pretrain/core';
import { packTokenBatch } from './token-batch.js';

const spec = { vocabSize: 10, maxPositions: 4, dir: '/m' } as ModelSpec;

describe('packTokenBatch', () => {
  it('packs rows as int64, row-major', () => {
    expect([
      ...packTokenBatch(
        spec,
        [
          [1, 2],
          [3, 9],
        ],
        2,
      ),
    ]).toEqual([1n, 2n, 3n, 9n]);
  });

  it.each([
    [[[1, 2, 3, 4, 5]], /exceeds the model's maximum of 4/],
    [[[1, 2], [3]], /rows differ in length/],
    [[[1, 10]], /token id 10 .* outside the vocabulary 0…9/],
    [[[1, -1]], /token id -1/],
    [[[1, 2.5]], /token id 2.5/],
    [[[1]], /at least one row of 2\+ tokens/],
    [[], /at least one row/],
  ])('rejects %j with a UsageError', (batch, message) => {
    expect(() => packTokenBatch(spec, batch, 2)).toThrow(UsageError);
    expect(() => packTokenBatch(spec, batch, 2)).toThrow(message);
  });
});
