import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPretrainedFileSet } from '../model/index.js';
import { ModelContentHashes } from './model-content-hashes.js';
import { writeSuccessorModel } from './testing/successor-model.js';

describe('ModelContentHashes', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-content-hashes-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is the unsalted subnet hash of the files, recomputed when a file changes', async () => {
    const dir = join(root, 'a');
    await writeSuccessorModel(dir, { boost: 0.05 });
    const hashes = new ModelContentHashes();
    const first = await hashes.hashOf(dir);
    expect(first).toBe(await hashPretrainedFileSet(dir));
    expect(await hashes.hashOf(dir)).toBe(first);
    // Same size, other bytes: the stat signature (mtime, ctime) still tells them apart.
    await writeSuccessorModel(dir, { boost: 0.06 });
    const second = await hashes.hashOf(dir);
    expect(second).toBe(await hashPretrainedFileSet(dir));
    expect(second).not.toBe(first);
  });

  it('gives no key for a directory that cannot be hashed, so it shares nothing', async () => {
    const hashes = new ModelContentHashes();
    expect(await hashes.hashOf(join(root, 'missing'))).toBeUndefined();
    const empty = join(root, 'empty');
    await writeSuccessorModel(empty);
    await writeFile(join(empty, 'config.json'), 'not json');
    await rm(join(empty, 'model.safetensors'));
    expect(await hashes.hashOf(empty)).toBeUndefined();
  });
});
