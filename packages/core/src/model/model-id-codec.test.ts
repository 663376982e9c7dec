import { describe, expect, it } from 'vitest';
import { UsageError } from '@pretrain/backend-sdk';
import {
  MAX_COMMITMENT_BYTES,
  MAX_REPO_ID_LENGTH,
  formatModelId,
  parseModelId,
  validateCommitment,
  validateRepoId,
} from './model-id-codec.js';

const COMMIT = 'a'.repeat(40);
const HASH = 'q7s9nVt0QMDJYgGEyeDJz9vB6TQnGeA1Q2SFBcrPNJY=';

describe('formatModelId / parseModelId', () => {
  it('writes four fields with None for absent ones', () => {
    expect(formatModelId({ namespace: 'u', name: 'm', commit: COMMIT, hash: HASH })).toBe(
      `u:m:${COMMIT}:${HASH}`,
    );
    expect(formatModelId({ namespace: 'u', name: 'm' })).toBe('u:m:None:None');
  });

  it('appends the competition id as a fifth field only when present', () => {
    expect(formatModelId({ namespace: 'u', name: 'm', commit: COMMIT, hash: HASH, competitionId: '1' })).toBe(
      `u:m:${COMMIT}:${HASH}:1`,
    );
  });

  it('round-trips', () => {
    for (const id of [
      { namespace: 'user', name: 'model', commit: COMMIT, hash: HASH, competitionId: undefined },
      { namespace: 'user', name: 'model', commit: undefined, hash: undefined, competitionId: undefined },
      { namespace: 'org', name: 'x', commit: COMMIT, hash: undefined, competitionId: '7' },
    ]) {
      expect(parseModelId(formatModelId(id))).toEqual(id);
    }
  });

  it('maps the literal None to absent fields, keeping a namespace called None', () => {
    expect(parseModelId('None:m:None:None:None')).toEqual({
      namespace: 'None',
      name: 'm',
      commit: undefined,
      hash: undefined,
      competitionId: undefined,
    });
  });

  it('reads the first four fields of any longer string, as the reference does', () => {
    const id = { namespace: 'u', name: 'm', commit: COMMIT, hash: HASH };
    expect(parseModelId(`u:m:${COMMIT}:${HASH}:0`)).toEqual({ ...id, competitionId: '0' });
    expect(parseModelId(`u:m:${COMMIT}:${HASH}:1:extra:fields`)).toEqual({ ...id, competitionId: '1' });
    expect(parseModelId(`u:m:${COMMIT}:${HASH}:`)).toEqual({ ...id, competitionId: undefined });
    expect(parseModelId(`u:m:${COMMIT}:${HASH}::x`)).toEqual({ ...id, competitionId: undefined });
  });

  it('gives no metadata for unparsable strings instead of throwing', () => {
    for (const bad of ['', 'garbage', 'a:b:c', `:m:${COMMIT}:${HASH}`, `u::c:h`, `:m:${COMMIT}:${HASH}:0`]) {
      expect(parseModelId(bad)).toBeUndefined();
    }
    expect(parseModelId(undefined as unknown as string)).toBeUndefined();
  });
});

describe('validateRepoId', () => {
  it('splits a valid id', () => {
    expect(validateRepoId('user/model')).toEqual({ namespace: 'user', name: 'model' });
    expect(validateRepoId('a/bc')).toEqual({ namespace: 'a', name: 'bc' });
  });

  it('accepts exactly 41 characters and refuses 42', () => {
    expect(MAX_REPO_ID_LENGTH).toBe(41);
    const ok = `${'n'.repeat(20)}/${'m'.repeat(20)}`;
    expect(validateRepoId(ok).name).toHaveLength(20);
    expect(() => validateRepoId(`${ok}m`)).toThrow(/42 characters/);
  });

  it('refuses 3 characters or fewer, missing or extra slashes, empty parts and colons', () => {
    for (const bad of ['', 'a/b', 'abcdef', 'a/b/c', '/abcd', 'abcd/', 'us:er/model']) {
      expect(() => validateRepoId(bad)).toThrow(UsageError);
    }
  });

  it('gives a hint', () => {
    expect(() => validateRepoId('nope')).toThrow(
      expect.objectContaining({
        code: 'PRETRAIN_USAGE',
        hint: expect.stringMatching(/<user or org>\/<name>/),
      }),
    );
  });
});

describe('validateCommitment', () => {
  it('returns the compressed string of a complete id', () => {
    expect(validateCommitment({ namespace: 'u', name: 'model', commit: COMMIT, hash: HASH })).toBe(
      `u:model:${COMMIT}:${HASH}`,
    );
  });

  it('fits the longest repo id (its slash becomes a colon: 127 bytes)', () => {
    const s = validateCommitment({
      namespace: 'n'.repeat(20),
      name: 'm'.repeat(20),
      commit: COMMIT,
      hash: HASH,
    });
    expect(Buffer.byteLength(s)).toBe(MAX_COMMITMENT_BYTES - 1);
  });

  it('counts the competition id against the 128 bytes', () => {
    const id = { namespace: 'n'.repeat(20), name: 'm'.repeat(19), commit: COMMIT, hash: HASH };
    expect(Buffer.byteLength(validateCommitment({ ...id, competitionId: '1' }))).toBe(MAX_COMMITMENT_BYTES);
    expect(() => validateCommitment({ ...id, competitionId: '12' })).toThrow(
      /129 bytes; the chain allows 128/,
    );
  });

  it('counts UTF-8 bytes, not characters', () => {
    const id = { namespace: 'é'.repeat(20), name: 'm'.repeat(20), commit: COMMIT, hash: HASH };
    expect(() => validateCommitment(id)).toThrow(/147 bytes; the chain allows 128/);
  });

  it('refuses a bad commit, hash or competition id', () => {
    expect(() => validateCommitment({ namespace: 'u', name: 'model', hash: HASH })).toThrow(/commit 'None'/);
    expect(() => validateCommitment({ namespace: 'u', name: 'model', commit: 'ABC', hash: HASH })).toThrow(
      /commit/,
    );
    expect(() => validateCommitment({ namespace: 'u', name: 'model', commit: COMMIT, hash: 'x' })).toThrow(
      /hash/,
    );
    expect(() =>
      validateCommitment({ namespace: 'u', name: 'model', commit: COMMIT, hash: HASH, competitionId: 'a:b' }),
    ).toThrow(/competition/);
  });
});
