import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError, UsageError } from '@pretrain/backend-sdk';
import { MAX_TEXT_BYTES } from './eval-limits.js';
import { readDocuments } from './read-documents.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-docs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readDocuments', () => {
  it('refuses more than MAX_TEXT_BYTES of text, all files together, before reading them', async () => {
    await writeFile(join(dir, 'a.txt'), 'some text');
    await writeFile(join(dir, 'b.txt'), '');
    // Sparse: no disk space, and never read, since the sizes are checked first.
    await truncate(join(dir, 'b.txt'), MAX_TEXT_BYTES);
    await expect(readDocuments(dir)).rejects.toThrow(
      new RegExp(`holds more than ${MAX_TEXT_BYTES} bytes of text \\(at '.*b\\.txt'\\)`),
    );
  });

  it('splits a .txt file into blank-line paragraphs', async () => {
    await writeFile(join(dir, 'a.txt'), 'first line\nstill first\n\n  \n second \r\n\r\nthird\n\n\n');
    expect(await readDocuments(join(dir, 'a.txt'))).toEqual(['first line\nstill first', 'second', 'third']);
  });

  it('reads text or content from .jsonl lines, skipping blank lines', async () => {
    await writeFile(
      join(dir, 'b.jsonl'),
      '{"text":"one"}\n\n{"content":"two","x":1}\n{"text":"","content":"ignored"}\n',
    );
    expect(await readDocuments(join(dir, 'b.jsonl'))).toEqual(['one', 'two', '']);
  });

  it('reads a directory recursively in sorted order, ignoring other files', async () => {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'b.txt'), 'b');
    await writeFile(join(dir, 'B.jsonl'), '{"text":"B"}');
    await writeFile(join(dir, 'sub', 'a.txt'), 'sub/a');
    await writeFile(join(dir, 'notes.md'), 'skipped');
    expect(await readDocuments(dir)).toEqual(['B', 'b', 'sub/a']);
  });

  it('names the file and line of bad JSON lines', async () => {
    await writeFile(join(dir, 'bad.jsonl'), '{"text":"ok"}\n{nope\n');
    await expect(readDocuments(join(dir, 'bad.jsonl'))).rejects.toThrow(/bad.jsonl:2 is not valid JSON/);
    await writeFile(join(dir, 'bad.jsonl'), '{"text":1}\n');
    await expect(readDocuments(join(dir, 'bad.jsonl'))).rejects.toThrow(DatasetError);
  });

  it('refuses a missing path or an unsupported file', async () => {
    await expect(readDocuments(join(dir, 'missing'))).rejects.toThrow(UsageError);
    await writeFile(join(dir, 'x.csv'), 'a,b');
    await expect(readDocuments(join(dir, 'x.csv'))).rejects.toThrow(/not a .txt or .jsonl file/);
  });

  it('gives nothing for an empty directory', async () => {
    expect(await readDocuments(dir)).toEqual([]);
  });
});
