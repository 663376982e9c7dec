import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../artifacts/model-spec.js';
import { CorruptModelError, UnsupportedModelError, UsageError } from '../errors/index.js';
import { argmaxExcluding } from './argmax-excluding.js';
import { assertSupported, unsupportedReason } from './assert-supported.js';
import { checkGreedyRequest, checkTokenRows } from './token-rows.js';

const spec = { vocabSize: 10, maxPositions: 4, dir: '/m' } as ModelSpec;

describe('checkTokenRows', () => {
  it('returns the shape of a valid batch', () => {
    expect(
      checkTokenRows(
        spec,
        [
          [1, 2],
          [3, 9],
        ],
        2,
      ),
    ).toEqual({ rows: 2, length: 2 });
  });

  it.each([
    [[[1, 2, 3, 4, 5]], /sequence length 5 exceeds the model's maximum of 4/],
    [[[1, 2], [3]], /rows differ in length: row 0 has 2 tokens, row 1 has 1/],
    [[[1, 10]], /token id 10 \(row 0, position 1\) is outside the vocabulary 0…9/],
    [[[1, -1]], /token id -1/],
    [[[1, 2.5]], /token id 2.5/],
    [[[1]], /at least one row of 2\+ tokens/],
    [[], /got 0 rows/],
  ])('rejects %j with a UsageError', (batch, message) => {
    expect(() => checkTokenRows(spec, batch, 2)).toThrow(UsageError);
    expect(() => checkTokenRows(spec, batch, 2)).toThrow(message);
  });
});

describe('checkGreedyRequest', () => {
  it('accepts prompts with room for the continuation and rejects the rest', () => {
    expect(() => checkGreedyRequest(spec, [[1, 2]], 3)).not.toThrow();
    expect(() => checkGreedyRequest(spec, [[1, 2]], 4)).toThrow(/2-token prompt plus 4 new tokens exceeds 4/);
    expect(() => checkGreedyRequest(spec, [[1]], -1)).toThrow(/count must be ≥ 0, got -1/);
    expect(() => checkGreedyRequest(spec, [[1]], 1.5)).toThrow(UsageError);
    expect(() => checkGreedyRequest(spec, [[]], 1)).toThrow(/at least one row of 1\+ tokens/);
    const everyToken = Array.from({ length: spec.vocabSize }, (_, i) => i);
    expect(() => checkGreedyRequest(spec, [[1]], 1, everyToken)).toThrow(/excludes all 10 tokens/);
    expect(() => checkGreedyRequest(spec, [[1]], 1, everyToken.slice(1))).not.toThrow();
    expect(() => checkGreedyRequest(spec, [[1]], 0, everyToken)).not.toThrow();
  });
});

describe('argmaxExcluding', () => {
  it('skips excluded ids and NaN, and keeps the first of equal maxima', () => {
    const logits = Float32Array.from([1, 5, 5, NaN, 7]);
    expect(argmaxExcluding(logits, new Set())).toBe(4);
    expect(argmaxExcluding(logits, new Set([4]))).toBe(1);
    expect(argmaxExcluding(Float32Array.from([NaN, 2]), new Set())).toBe(1);
  });

  it('refuses to pick when every logit left is NaN: a corrupt model, not a token -1', () => {
    expect(() => argmaxExcluding([NaN, NaN, 1], new Set([2]))).toThrow(CorruptModelError);
    expect(() => argmaxExcluding(Float32Array.from([NaN]), new Set())).toThrow(
      /every logit that is not excluded is NaN/,
    );
  });
});

describe('assertSupported', () => {
  const capabilities = { families: ['llama'], dtypes: ['F32'], devices: ['cpu'], runtime: 'test' } as const;
  const llama = {
    family: 'llama',
    architecture: 'LlamaForCausalLM',
    dir: '/m',
    dtypes: ['F32'],
    numHeads: 4,
    numKvHeads: 2,
    positions: { kind: 'rotary', dims: 8, theta: 1e4, pairing: 'half' },
    norm: { kind: 'rmsnorm', eps: 1e-6, weightOffset: 0 },
    normPlacement: 'pre',
    embeddingScale: 1,
    embeddingNorm: undefined,
    finalNorm: { weight: {} },
    lmHeadBias: undefined,
    layers: [],
  } as unknown as ModelSpec;

  it('accepts what the capabilities cover and refuses the rest with a typed error', () => {
    expect(() => assertSupported('x', capabilities, llama)).not.toThrow();
    expect(() => assertSupported('x', capabilities, { ...llama, family: 'gpt2' })).toThrow(
      /backend x cannot run family "gpt2"/,
    );
    expect(() => assertSupported('x', capabilities, { ...llama, dtypes: ['F32', 'BF16'] })).toThrow(
      /cannot read BF16 weights/,
    );
    expect(() => assertSupported('x', capabilities, { ...llama, numKvHeads: 3 })).toThrow(
      UnsupportedModelError,
    );
    const odd = {
      ...llama,
      positions: { kind: 'rotary', dims: 7, theta: 1e4, pairing: 'half' },
    } as ModelSpec;
    expect(() => assertSupported('x', capabilities, odd)).toThrow(/7 rotary dims/);
  });

  it('refuses a model needing a feature the backend does not declare, naming it', () => {
    const gemmaLike = { ...llama, embeddingScale: 3, norm: { kind: 'rmsnorm', eps: 1e-6, weightOffset: 1 } };
    expect(() => assertSupported('x', capabilities, gemmaLike as ModelSpec)).toThrow(
      /needs embedding-scale, norm-weight-offset/,
    );
    const declared = { ...capabilities, features: ['embedding-scale', 'norm-weight-offset'] } as const;
    expect(() => assertSupported('x', declared, gemmaLike as ModelSpec)).not.toThrow();
    expect(unsupportedReason('x', capabilities, gemmaLike as ModelSpec)).toBeInstanceOf(
      UnsupportedModelError,
    );
    expect(unsupportedReason('x', declared, gemmaLike as ModelSpec)).toBeUndefined();
  });
});
