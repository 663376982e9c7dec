import { PretrainError, UsageError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { checkClose, checkRejects } from './assertions.js';

describe('checkClose', () => {
  it('accepts values within the relative tolerance and rejects others', () => {
    expect(() => checkClose([10.00001], [10], 1e-5, 'loss')).not.toThrow();
    expect(() => checkClose([10.001], [10], 1e-5, 'loss')).toThrow(/loss\[0\]: 10.001, expected 10/);
    expect(() => checkClose([NaN], [10], 1e-2, 'loss')).toThrow();
    expect(() => checkClose([1, 2], [1], 1e-2, 'loss')).toThrow(/2 values, expected 1/);
  });
});

describe('checkRejects', () => {
  it('checks the error code', async () => {
    await expect(
      checkRejects(() => Promise.reject(new UsageError('x')), 'PRETRAIN_USAGE', 'run'),
    ).resolves.toBe(undefined);
    const other = new PretrainError('PRETRAIN_OTHER', 'y');
    await expect(checkRejects(() => Promise.reject(other), 'PRETRAIN_USAGE', 'run')).rejects.toThrow(
      /PRETRAIN_OTHER/,
    );
    await expect(checkRejects(() => Promise.resolve(1), 'PRETRAIN_USAGE', 'run')).rejects.toThrow(/resolved/);
    await expect(
      checkRejects(() => Promise.reject(new TypeError('z')), 'PRETRAIN_USAGE', 'run'),
    ).rejects.toThrow(/TypeError: z/);
  });
});
