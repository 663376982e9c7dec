import { describe, expect, it } from 'vitest';
import type { TensorView } from '@pretrain/backend-sdk';
import { headGroups } from './attention.js';
import { inverseFrequencies } from './attention.js';
import { LOGITS_CHUNK, rowRange, vocabChunks } from './lm-head.js';

const view: TensorView = {
  name: 'w',
  dtype: 'BF16',
  shape: [10, 3],
  file: '/m/x.safetensors',
  offset: 100,
  length: 60,
};

describe('vocabulary chunks', () => {
  it('cover the vocabulary exactly once', () => {
    expect(vocabChunks(50257)).toHaveLength(Math.ceil(50257 / LOGITS_CHUNK));
    expect(vocabChunks(50257).at(-1)).toEqual([12 * LOGITS_CHUNK, 50257]);
    expect(vocabChunks(97)).toEqual([[0, 97]]);
  });

  it('rowRange views rows of the stored tensor by byte offset', () => {
    expect(rowRange(view, 2, 5)).toMatchObject({ shape: [3, 3], offset: 100 + 2 * 3 * 2, length: 3 * 3 * 2 });
    expect(rowRange(view, 0, 10)).toBe(view);
  });
});

describe('attention helpers', () => {
  it('groups kv heads so about two query heads share one scores buffer', () => {
    expect(headGroups(12, 1, 2)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(headGroups(4, 3, 2)).toEqual([1, 1, 1, 1]);
    expect(headGroups(2, 1, 2)).toEqual([2]);
    expect(headGroups(1, 8, 2)).toEqual([1]);
  });

  it('computes rotary inverse frequencies in float32 like PyTorch', () => {
    const inv = inverseFrequencies(8, 10000);
    expect(inv[0]).toBe(1);
    expect(inv[1]).toBeCloseTo(0.1, 7);
    expect(inv[3]).toBeCloseTo(0.001, 9);
  });
});
