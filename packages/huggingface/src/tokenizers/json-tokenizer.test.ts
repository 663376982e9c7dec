import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '@pretrain/core';
import { loadTokenizer } from './load-tokenizer.js';

/** A minimal byte-level BPE tokenizer.json (`a`, `b`, `ab`, `<eos>` and `extra` more ids). */
function tokenizerJson(extra = 0): Record<string, unknown> {
  const vocab: Record<string, number> = { a: 0, b: 1, ab: 2, '<eos>': 3 };
  for (let i = 0; i < extra; i++) vocab[`t${i}`] = 4 + i;
  return {
    version: '1.0',
    added_tokens: [{ id: 3, content: '<eos>', special: true, normalized: false }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel' },
    model: { type: 'BPE', vocab, merges: ['a b'] },
  };
}

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pretrain-tokenizer-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function write(name: string, json: unknown, config: unknown = { eos_token: '<eos>' }): Promise<string> {
  const dir = join(scratch, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(json));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return dir;
}

describe('JsonTokenizer on hand-made files', () => {
  it('reads a minimal tokenizer.json', async () => {
    const tokenizer = await loadTokenizer(await write('ok', tokenizerJson()));
    expect(tokenizer).toMatchObject({ eosTokenId: 3, vocabSize: 4 });
    expect(tokenizer.encode('ab')).toEqual([2]);
  });

  it('reads a vocabulary larger than a spread argument list can hold (Qwen2 has 151k ids)', async () => {
    const tokenizer = await loadTokenizer(await write('large', tokenizerJson(160_000)));
    expect(tokenizer.vocabSize).toBe(160_004);
  });

  it('refuses malformed files with a UsageError, never a TypeError', async () => {
    const base = tokenizerJson();
    const bad: [string, unknown][] = [
      ['pre-tokenizer', { ...base, pre_tokenizer: { type: 'constructor' } }],
      ['normalizer', { ...base, normalizer: { type: 'toString' } }],
      ['post-processor', { ...base, post_processor: { type: '__proto__' } }],
      ['no-model', { ...base, model: undefined }],
      ['no-decoder', { ...base, decoder: undefined }],
      ['null-vocab', { ...base, model: { type: 'BPE', vocab: null, merges: [] } }],
      ['null-added', { ...base, added_tokens: null }],
      ['number', 5],
      ['null', null],
    ];
    for (const [name, json] of bad) {
      await expect(loadTokenizer(await write(name, json)), name).rejects.toBeInstanceOf(UsageError);
    }
  });

  it('treats prototype names as unknown tokens and unknown bundled names', async () => {
    for (const eos of ['constructor', '__proto__', 'toString']) {
      await expect(
        loadTokenizer(await write(`eos-${eos}`, tokenizerJson(), { eos_token: eos })),
        eos,
      ).rejects.toThrow(/names no EOS token that it knows/);
    }
    // Not a bundled tokenizer: read as a path, which does not exist.
    await expect(loadTokenizer('constructor')).rejects.toBeInstanceOf(UsageError);
  });
});
