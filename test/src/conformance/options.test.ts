import { describe, expect, it } from 'vitest';
import { conformanceCaseIds } from './cases.js';
import { exclusionFor, validateExcludes } from './options.js';

describe('conformance excludes', () => {
  const ids = conformanceCaseIds();

  it('lists a golden loss and greedy case for every golden model, and the behaviour cases', () => {
    expect(ids).toContain('golden-losses:neox-sequential-bf16');
    expect(ids).toContain('golden-greedy:gpt2-micro-random');
    expect(ids).toContain('sequence-beyond-max-positions');
    expect(ids).toContain('repeated-load-dispose');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects an exclude without a reason', () => {
    expect(() => validateExcludes([{ test: 'determinism', reason: ' ' }], ids)).toThrow(/has no reason/);
  });

  it('rejects an exclude that names no case', () => {
    expect(() => validateExcludes([{ test: 'determinsm', reason: 'typo' }], ids)).toThrow(/names no case/);
    expect(() => validateExcludes([{ test: 'nothing:*', reason: 'x' }], ids)).toThrow(/names no case/);
  });

  it('matches exact ids and prefixes ending in *', () => {
    const excludes = [
      { test: 'golden-greedy:*', reason: 'reduced precision' },
      { test: 'determinism', reason: 'x' },
    ];
    expect(() => validateExcludes(excludes, ids)).not.toThrow();
    expect(exclusionFor('golden-greedy:gpt2-tied-f32', excludes)?.reason).toBe('reduced precision');
    expect(exclusionFor('golden-losses:gpt2-tied-f32', excludes)).toBeUndefined();
    expect(exclusionFor('determinism-extra', excludes)).toBeUndefined();
  });
});
