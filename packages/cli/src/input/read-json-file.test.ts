import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '@pretrain/core';
import { readJsonFile } from './read-json-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pretrain-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { what: 'thing file', readHint: 'give a file', parseHint: 'write JSON' };

describe('readJsonFile', () => {
  it('parses the file', async () => {
    await writeFile(join(dir, 'ok.json'), '{"a": [1, null]}');
    expect(await readJsonFile(join(dir, 'ok.json'), options)).toEqual({ a: [1, null] });
  });

  it('gives undefined for a missing optional file, and an error for a required one', async () => {
    const missing = join(dir, 'missing.json');
    expect(await readJsonFile(missing, { ...options, optional: true })).toBeUndefined();
    await expect(readJsonFile(missing, options)).rejects.toThrow(
      expect.objectContaining({ message: `cannot read thing file ${missing}: ENOENT`, hint: 'give a file' }),
    );
  });

  it('fails on a directory even when optional', async () => {
    await expect(readJsonFile(dir, { ...options, optional: true })).rejects.toThrow(/EISDIR/);
  });

  it('quotes the parser for bad JSON', async () => {
    await writeFile(join(dir, 'bad.json'), '{"a": ');
    const error = await readJsonFile(join(dir, 'bad.json'), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/^thing file .*bad\.json is not valid JSON: /);
    expect((error as UsageError).hint).toBe('write JSON');
  });
});
