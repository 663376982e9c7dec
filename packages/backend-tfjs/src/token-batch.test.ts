import { describe, expect, it } from 'vitest';
import { UsageError, type ModelSpec } from '@pretrain/backend-sdk';
import { packTokenRows } from './token-batch.js';

const spec = { vocabSize: 10, maxPositions: 4, dir: '/m' } as ModelSpec;

describe('packTokenRows', () => {
  it('returns int32 rows of a valid batch and rejects an invalid one', () => {
    expect(
      packTokenRows(
        spec,
        [
          [1, 2],
          [3, 9],
        ],
        2,
      ),
    ).toEqual([Int32Array.of(1, 2), Int32Array.of(3, 9)]);
    expect(() => packTokenRows(spec, [[1, 10]], 1)).toThrow(UsageError);
  });
});
