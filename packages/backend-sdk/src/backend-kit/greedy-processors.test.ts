import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../artifacts/model-spec.js';
import type { GreedyProcessors } from '../contracts/loss-backend.js';
import { CorruptModelError, UsageError } from '../errors/index.js';
import { checkGreedyProcessors, MAX_PROCESSOR_TOKEN_IDS } from './check-greedy-processors.js';
import { applyGreedyProcessors, hasGreedyProcessors, ngramCompletions } from './greedy-processors.js';
import { GreedySelector } from './greedy-selector.js';
import { checkGreedyRequest } from './token-rows.js';

/** Processed copy of `logits` at the end of `sequence` (a prompt of `promptLength`, `maxLength` in all). */
function processed(
  logits: number[],
  sequence: number[],
  processors: GreedyProcessors,
  { promptLength = sequence.length, maxLength = 100, eos = [] as number[] } = {},
): number[] {
  const scores = Float32Array.from(logits);
  applyGreedyProcessors(scores, sequence, processors, { promptLength, maxLength, eosTokenIds: eos });
  return [...scores];
}

describe('applyGreedyProcessors', () => {
  it('repetition_penalty divides positive and multiplies negative logits of every token seen, once each', () => {
    expect(processed([2, -1, 0.5, 3, -Infinity], [0, 1, 0, 4], { repetitionPenalty: 2 })).toEqual([
      1,
      -2,
      0.5,
      3,
      -Infinity,
    ]);
    // fp32 arithmetic, as torch on fp32 logits: 1 / fround(1.3), rounded to fp32.
    expect(processed([1], [0], { repetitionPenalty: 1.3 })[0]).toBe(Math.fround(1 / Math.fround(1.3)));
  });

  it('encoder_repetition_penalty favours the prompt tokens only (HF inverts it)', () => {
    const scores = processed([2, -1, 2], [0, 1, 2], { encoderRepetitionPenalty: 2 }, { promptLength: 2 });
    expect(scores).toEqual([4, -0.5, 2]);
  });

  it('no_repeat_ngram_size bans what would complete an n-gram already in the sequence', () => {
    expect(ngramCompletions([5, 6, 5, 7, 5], 2).sort()).toEqual([6, 7]);
    expect(ngramCompletions([5, 6, 5, 7, 5], 3)).toEqual([]);
    expect(ngramCompletions([5, 6, 5, 6], 3)).toEqual([5]);
    expect(ngramCompletions([1, 2, 3], 1).sort()).toEqual([1, 2, 3]);
    // Larger than the sequence: nothing to repeat, and no work however large.
    expect(ngramCompletions([1, 1, 1], 4)).toEqual([]);
    expect(ngramCompletions([1, 1, 1], Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(processed([1, 1, 1, 1, 1, 1, 1, 1], [5, 6, 5], { noRepeatNgramSize: 2 })[6]).toBe(-Infinity);
  });

  it('bad_words_ids bans single tokens always and a sequence last token after its prefix', () => {
    const words = { badWordsIds: [[3], [1, 2], [0, 1, 2, 3, 4]] };
    expect(processed([0, 0, 0, 0, 0], [4, 1], words)).toEqual([0, 0, -Infinity, -Infinity, 0]);
    expect(processed([0, 0, 0, 0, 0], [1, 4], words)).toEqual([0, 0, 0, -Infinity, 0]);
    // A +∞ logit plus the ban is NaN, as in torch.
    expect(processed([Infinity, 0, 0, 0], [0], { badWordsIds: [[0]] })[0]).toBeNaN();
  });

  it('sets EOS to -∞, then forces BOS at length 1 and EOS at max_length − 1, then suppresses', () => {
    expect(processed([5, 1, 2], [0, 0], {}, { eos: [0] })).toEqual([-Infinity, 1, 2]);
    expect(processed([5, 1, 2], [0], { forcedBosTokenId: 2 })).toEqual([-Infinity, -Infinity, 0]);
    expect(processed([5, 1, 2], [0, 1], { forcedBosTokenId: 2 })).toEqual([5, 1, 2]);
    const forcedEos = { forcedEosTokenIds: [1, 2] };
    expect(processed([5, 1, 2], [0, 1, 1], forcedEos, { maxLength: 4 })).toEqual([-Infinity, 0, 0]);
    expect(processed([5, 1, 2], [0, 1], forcedEos, { maxLength: 4 })).toEqual([5, 1, 2]);
    // Suppression comes after the forced token: nothing is left but -∞.
    const both = { forcedEosTokenIds: [1], suppressTokens: [1] };
    expect(processed([5, 1, 2], [0, 1, 1], both, { maxLength: 4 })).toEqual([
      -Infinity,
      -Infinity,
      -Infinity,
    ]);
  });

  it('begin_suppress_tokens applies at the first new token, one later after a forced BOS on a 1-token prompt', () => {
    const begin = { beginSuppressTokens: [0] };
    expect(processed([5, 1], [1, 1], begin, { promptLength: 2 })[0]).toBe(-Infinity);
    expect(processed([5, 1], [1, 1, 1], begin, { promptLength: 2 })[0]).toBe(5);
    const withBos = { ...begin, forcedBosTokenId: 1 };
    expect(processed([5, 1], [1], withBos, { promptLength: 1 })).toEqual([-Infinity, 0]);
    expect(processed([5, 1], [1, 1], withBos, { promptLength: 1 })[0]).toBe(-Infinity);
  });

  it('hasGreedyProcessors is false for nothing set', () => {
    expect(hasGreedyProcessors(undefined)).toBe(false);
    expect(hasGreedyProcessors({})).toBe(false);
    expect(hasGreedyProcessors({ repetitionPenalty: undefined })).toBe(false);
    expect(hasGreedyProcessors({ noRepeatNgramSize: 3 })).toBe(true);
  });
});

describe('GreedySelector', () => {
  it('without processors: argmax with the EOS ids excluded', () => {
    const selector = new GreedySelector(4, [1], 2, { excludeTokens: [3] });
    expect(selector.active).toBe(false);
    expect(selector.next([0, 1, 2, 9])).toBe(2);
    expect(selector.next([0, 5, 2, 9])).toBe(1);
    expect(selector.generated).toEqual([2, 1]);
  });

  it('with processors: the sequence so far feeds them, and only -∞ left picks the first token', () => {
    const selector = new GreedySelector(4, [1, 2], 3, {
      excludeTokens: [0],
      processors: { noRepeatNgramSize: 1 },
    });
    expect(selector.active).toBe(true);
    expect(selector.next([9, 9, 9, 1])).toBe(3);
    // 1, 2, 3 are all seen, 0 is EOS: everything is -∞ and torch's argmax gives token 0.
    expect(selector.next([9, 9, 9, 9])).toBe(0);
    expect(selector.generated).toEqual([3, 0]);
  });

  it('refuses all-NaN logits as a corrupt model with processors too', () => {
    const selector = new GreedySelector(3, [1], 1, { processors: { repetitionPenalty: 1.2 } });
    expect(() => selector.next([NaN, NaN, NaN])).toThrow(CorruptModelError);
  });
});

describe('checkGreedyProcessors', () => {
  it.each<[GreedyProcessors, RegExp]>([
    [{ repetitionPenalty: 0 }, /repetitionPenalty must be a finite number > 0/],
    [{ encoderRepetitionPenalty: NaN }, /encoderRepetitionPenalty/],
    [{ noRepeatNgramSize: 2.5 }, /noRepeatNgramSize must be a whole number ≥ 1/],
    [{ noRepeatNgramSize: 0 }, /noRepeatNgramSize/],
    [{ suppressTokens: [10] }, /suppressTokens holds 10, outside the vocabulary 0…9/],
    [{ forcedBosTokenId: -1 }, /forcedBosTokenId/],
    [{ badWordsIds: [[1], []] }, /badWordsIds\[1\] is an empty sequence/],
    [{ badWordsIds: [[1.5]] }, /badWordsIds\[0\] holds 1.5/],
    [{ suppressTokens: new Array<number>(MAX_PROCESSOR_TOKEN_IDS + 1).fill(1) }, /over 1000000 token ids/],
  ])('refuses %# with a UsageError', (processors, message) => {
    expect(() => checkGreedyProcessors(processors, 10)).toThrow(UsageError);
    expect(() => checkGreedyProcessors(processors, 10)).toThrow(message);
  });

  it('runs with the most bad words a 1 MiB generation config can hold (a hang fails the test timeout)', () => {
    const badWordsIds = Array.from({ length: 250_000 }, (_, i) => [i % 500, (i * 7) % 500]);
    expect(() => checkGreedyProcessors({ badWordsIds }, 512)).not.toThrow();
    const selector = new GreedySelector(512, [1, 2, 3], 20, { processors: { badWordsIds } });
    const logits = new Float32Array(512).fill(1);
    for (let step = 0; step < 20; step++) selector.next(logits);
    expect(selector.generated).toHaveLength(20);
  });

  it('accepts a valid description, and checkGreedyRequest applies it', () => {
    const valid = {
      repetitionPenalty: 0.5,
      noRepeatNgramSize: 1e9,
      badWordsIds: [[1, 2]],
      forcedEosTokenIds: [9],
    };
    expect(() => checkGreedyProcessors(valid, 10)).not.toThrow();
    const spec = { vocabSize: 10, maxPositions: 8, dir: '/m' } as ModelSpec;
    expect(() => checkGreedyRequest(spec, [[1]], 2, [], valid)).not.toThrow();
    expect(() => checkGreedyRequest(spec, [[1]], 2, [], { suppressTokens: [10] })).toThrow(UsageError);
  });
});
