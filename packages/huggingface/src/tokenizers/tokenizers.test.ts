import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tokenizer } from '@pretrain/core';
import { loadTokenizer } from './load-tokenizer.js';
import { truncateIds } from './truncate.js';

// Real tokenizer files and text copied into the repository (see test/fixtures/README.md).
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));
/**
 * gpt2-tiny-random has merges as pairs and model_max_length 1024; gpt2-micro-random has
 * merges as "a b" strings and HF's "no limit" (int(1e30)), so truncation keeps everything.
 */
const HF_GPT2: [string, number][] = [
  [join(FIXTURES, 'models', 'gpt2-tiny-random'), 1024],
  [join(FIXTURES, 'models', 'gpt2-micro-random'), Number.MAX_SAFE_INTEGER],
];

describe('bundled tokenizers', () => {
  let gpt2: Tokenizer;
  let gpt4: Tokenizer;
  beforeAll(async () => {
    [gpt2, gpt4] = await Promise.all([loadTokenizer('distilgpt2'), loadTokenizer('Xenova/gpt-4')]);
  });

  it('has the facts of distilgpt2 and Xenova/gpt-4', () => {
    expect(gpt2).toMatchObject({ name: 'distilgpt2', eosTokenId: 50256, maxLength: 1024, vocabSize: 50257 });
    expect(gpt4).toMatchObject({
      name: 'Xenova/gpt-4',
      eosTokenId: 100257,
      maxLength: 8192,
      vocabSize: 100277,
    });
  });

  it("gives the ids of tiktoken's own test vectors", () => {
    // From openai/tiktoken tests/test_encoding.py (test_simple, test_simple_repeated, surrogate pairs).
    expect(gpt2.encode('hello world')).toEqual([31373, 995]);
    expect(gpt2.encode('hello <|endoftext|>')).toEqual([31373, 220, 50256]);
    const zeros = [
      [15],
      [405],
      [830],
      [2388],
      [20483],
      [10535],
      [24598],
      [8269],
      [10535, 830],
      [8269, 405],
      [8269, 830],
    ];
    zeros.forEach((ids, i) => expect(gpt2.encode('0'.repeat(i + 1))).toEqual(ids));
    expect(gpt2.encode('0'.repeat(16))).toEqual([25645]);
    expect(gpt4.encode('hello world')).toEqual([15339, 1917]);
    expect(gpt4.encode('hello <|endoftext|>')).toEqual([15339, 220, 100257]);
    expect(gpt4.encode('👍')).toEqual([9468, 239, 235]);
  });

  it('truncates to the first 1024 ids of distilgpt2, and leaves short texts alone', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
    const full = gpt2.encode(text);
    expect(full.length).toBeGreaterThan(1024);
    expect(gpt2.encode(text, { truncation: true })).toEqual(full.slice(0, 1024));
    expect(gpt2.encode('short text', { truncation: true })).toEqual(gpt2.encode('short text'));
  });
});

describe('tokenizer.json tokenizers', () => {
  let text: string;
  beforeAll(async () => {
    text = await readFile(join(FIXTURES, 'text', 'war-and-peace.txt'), 'utf8');
  });

  it.each(HF_GPT2)('reads %s with its EOS, max length and vocabulary', async (dir, maxLength) => {
    const tokenizer = await loadTokenizer(dir);
    expect(tokenizer).toMatchObject({ eosTokenId: 50256, maxLength, vocabSize: 50257 });
    expect(tokenizer.encode('hello <|endoftext|>')).toEqual([31373, 220, 50256]);
  });

  it.each(HF_GPT2)('gives the same GPT-2 ids as distilgpt2 on War and Peace (%s)', async (dir, maxLength) => {
    const [hf, bundled] = await Promise.all([
      loadTokenizer(join(dir, 'tokenizer.json')),
      loadTokenizer('distilgpt2'),
    ]);
    // Three large chunks (start, middle, end) keep the run short on two shared cores.
    const size = 200_000;
    for (const start of [0, Math.floor(text.length / 2), text.length - size]) {
      const chunk = text.slice(start, start + size);
      const ids = bundled.encode(chunk);
      expect(ids.length).toBeGreaterThan(40_000);
      expect(hf.encode(chunk)).toEqual(ids);
    }
    const head = text.slice(0, 20_000);
    expect(hf.encode(head, { truncation: true })).toEqual(bundled.encode(head).slice(0, maxLength));
  });

  it('refuses a path without a tokenizer', async () => {
    await expect(loadTokenizer('/nonexistent/tokenizer.json')).rejects.toMatchObject({
      code: 'PRETRAIN_USAGE',
    });
  });

  it('keeps template special tokens when truncating', () => {
    expect(truncateIds([1, 5, 6, 7, 8, 2], 4, 2, 1)).toEqual([1, 5, 6, 2]);
    expect(truncateIds([5, 6, 7], 2)).toEqual([5, 6]);
  });
});
