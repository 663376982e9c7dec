import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '@pretrain/backend-sdk';
import { readBatchFile, writeBatchFile } from './batch-file.js';

describe('batch file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pretrain-batches-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips batches of Int32 tokens, large ids included', async () => {
    const batches = [
      [
        [0, 1, 100276],
        [5, 6, 7],
      ],
      [
        [50256, 2, 3],
        [9, 8, 2147483647],
      ],
    ];
    const path = join(dir, 'a.bin');
    const shape = await writeBatchFile(path, batches);
    expect(shape).toEqual({ count: 2, rows: 2, sequenceLength: 3 });
    expect(await readBatchFile(path, shape)).toEqual(batches);
  });

  it('refuses ragged batches and a file of the wrong size', async () => {
    await expect(writeBatchFile(join(dir, 'b.bin'), [[[1, 2]], [[1]]])).rejects.toThrow(UsageError);
    const path = join(dir, 'c.bin');
    await writeFile(path, new Uint8Array(10));
    await expect(readBatchFile(path, { count: 1, rows: 1, sequenceLength: 3 })).rejects.toThrow(
      /expected 12/,
    );
  });
});
