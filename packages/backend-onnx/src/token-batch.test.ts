import { describe, expect, it } from 'vitest';
import { UsageError, type ModelSpec } from '@pretrain/backend-sdk';
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

  it('rejects an invalid batch with a UsageError', () => {
    expect(() => packTokenBatch(spec, [[1, 10]], 2)).toThrow(UsageError);
  });
});
