import { describe, expect, it } from 'vitest';
import type { Tokenizer } from '../contracts/tokenizer.js';
import { batchStream, buildBatches } from './build-batches.js';

/** One token per character (its code point), EOS 0, truncation at 4 tokens. */
const charTokenizer: Tokenizer = {
  name: 'chars',
  eosTokenId: 0,
  maxLength: 4,
  vocabSize: 0x110000,
  encode(text, options) {
    const ids = [...text].map((c) => c.codePointAt(0)!);
    return options?.truncation ? ids.slice(0, this.maxLength) : ids;
  },
};

const ids = (s: string) => [...s].map((c) => c.codePointAt(0)!);

describe('buildBatches', () => {
  it('appends EOS after each truncated document, concatenates and cuts rows', () => {
    // "abcdef" truncates to abcd; buffer: a b c d 0 x y 0 = 8 tokens.
    const batches = buildBatches(['abcdef', 'xy'], charTokenizer, 1, 3);
    expect(batches).toEqual([[[...ids('abc')]], [[ids('d')[0]!, 0, ids('x')[0]!]]]);
  });

  it('drops the short remainder', () => {
    const batches = buildBatches(['abcd', 'ab'], charTokenizer, 1, 4);
    // buffer: a b c d 0 a b 0 → two full rows of 4, nothing left.
    expect(batches).toHaveLength(2);
    expect(buildBatches(['abcd', 'a'], charTokenizer, 1, 4)).toHaveLength(1);
  });

  it('fills batchSize rows per batch', () => {
    const batches = buildBatches(['abcd', 'abcd', 'abcd'], charTokenizer, 2, 5);
    expect(batches).toEqual([
      [
        [...ids('abcd'), 0],
        [...ids('abcd'), 0],
      ],
    ]);
  });

  it('takes pages, whose documents are read in order', () => {
    const pages = [
      { ref: { dataset: 'local:/x', offset: 0 }, documents: ['ab'] },
      { ref: { dataset: 'local:/x', offset: 100 }, documents: ['c', 'd'] },
    ];
    expect(buildBatches(pages, charTokenizer, 1, 7)).toEqual([
      [[...ids('ab'), 0, ids('c')[0]!, 0, ids('d')[0]!, 0]],
    ]);
  });

  it('gives no batches for too little text or none, and an EOS-only buffer for empty documents', () => {
    expect(buildBatches([], charTokenizer, 1, 2)).toEqual([]);
    expect(buildBatches(['a'], charTokenizer, 1, 3)).toEqual([]);
    expect(buildBatches(['', ''], charTokenizer, 1, 2)).toEqual([[[0, 0]]]);
  });

  it('refuses non-positive sizes', () => {
    expect(() => buildBatches(['a'], charTokenizer, 0, 2)).toThrow(/batch size 0/);
    expect(() => buildBatches(['a'], charTokenizer, 1, -1)).toThrow(/sequence length -1/);
  });
});

describe('batchStream', () => {
  it('gives the batches of buildBatches, tokenizing only as far as the batches taken', () => {
    const documents = Array.from({ length: 1000 }, (_, i) => `doc${i}`);
    let encoded = 0;
    const counting: Tokenizer = {
      ...charTokenizer,
      encode: (text, options) => {
        encoded++;
        return charTokenizer.encode(text, options);
      },
    };
    expect([...batchStream(documents, charTokenizer, 2, 3)]).toEqual(
      buildBatches(documents, charTokenizer, 2, 3),
    );
    const stream = batchStream(documents, counting, 2, 3);
    const first = [stream.next().value, stream.next().value];
    expect(first).toEqual(buildBatches(documents, charTokenizer, 2, 3).slice(0, 2));
    // Two batches of 6 tokens need 12 tokens: 3 documents of 5 (4 + EOS).
    expect(encoded).toBe(3);
  });
});
