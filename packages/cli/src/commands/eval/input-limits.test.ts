import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTextDataset, MAX_EVAL_PAGES, UsageError } from '@pretrain/core';
import { loadTokenizer } from '@pretrain/huggingface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textBatches } from './text-batches.js';
import { MAX_TOKEN_FILE_BYTES, readTokenFile } from './token-file.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pretrain-eval-limits-'));
  await writeFile(join(dir, 'text.txt'), 'One paragraph.\n\nAnother one, a little longer.\n\nA third.');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('limits of pretrain eval inputs', () => {
  it('refuses more pages than MAX_EVAL_PAGES before sampling any', async () => {
    const text = join(dir, 'text.txt');
    const options = {
      text,
      tokenizer: await loadTokenizer('distilgpt2'),
      dataset: new LocalTextDataset({ path: text }),
      sequenceLength: 4,
      batchSize: 1,
    };
    const error = await textBatches({ ...options, pages: MAX_EVAL_PAGES + 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/--pages 1001 is more than the 1000 pages/);
    expect((await textBatches({ ...options, pages: 3, seed: 's' })).length).toBeGreaterThan(0);
  });

  it('tokenizes only the batches --max-batches keeps', async () => {
    const batches = await textBatches({
      text: join(dir, 'text.txt'),
      tokenizer: await loadTokenizer('distilgpt2'),
      sequenceLength: 2,
      batchSize: 1,
      maxBatches: 2,
    });
    expect(batches).toHaveLength(2);
  });

  it('refuses a token file over MAX_TOKEN_FILE_BYTES before reading it', async () => {
    const path = join(dir, 'huge.json');
    await writeFile(path, '');
    await truncate(path, MAX_TOKEN_FILE_BYTES + 1); // sparse: never read
    await expect(readTokenFile(path)).rejects.toThrow(/has 67108865 bytes, more than the 67108864 read/);
  });
});
