import { ChainError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { decodeCommitment, encodeCommitmentFields } from './commitment-codec.js';

const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

describe('commitment fields', () => {
  it('encodes one Raw field sized to the UTF-8 bytes', () => {
    expect(encodeCommitmentFields('ab')).toEqual({ fields: [{ Raw2: '0x6162' }] });
    expect(encodeCommitmentFields('é')).toEqual({ fields: [{ Raw2: '0xc3a9' }] });
    expect(Object.keys(encodeCommitmentFields('x'.repeat(128)).fields[0] as object)).toEqual(['Raw128']);
  });

  it('refuses empty and over-128-byte commitments', () => {
    expect(() => encodeCommitmentFields('')).toThrow(ChainError);
    expect(() => encodeCommitmentFields('é'.repeat(65))).toThrow(/130 bytes/);
  });

  it('decodes the first Raw field as UTF-8, anything else as no metadata', () => {
    const registration = (fields: unknown) => ({ deposit: 0, block: 42, info: { fields } });
    expect(decodeCommitment(HOTKEY, registration([{ raw3: '0x616263' }]))).toEqual({
      hotkey: HOTKEY,
      data: 'abc',
      block: 42,
    });
    expect(decodeCommitment(HOTKEY, registration([{ Raw3: '0x616263' }, { Raw1: '0x78' }])).data).toBe('abc');
    for (const fields of [
      [{ raw2: '0xc328' }],
      [{ sha256: `0x${'00'.repeat(32)}` }],
      [],
      [{ none: null }],
      'junk',
    ]) {
      expect(decodeCommitment(HOTKEY, registration(fields)).data, JSON.stringify(fields)).toBeUndefined();
    }
    expect(decodeCommitment(HOTKEY, null)).toEqual({ hotkey: HOTKEY, data: undefined, block: 0 });
  });
});
