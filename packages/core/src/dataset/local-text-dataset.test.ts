import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '@pretrain/backend-sdk';
import { describeDatasetContract } from '@pretrain/conformance/vitest';
import { LocalTextDataset } from './local-text-dataset.js';

describeDatasetContract('LocalTextDataset', async () => {
  const root = await mkdtemp(join(tmpdir(), 'local-dataset-contract-'));
  const corpus = Array.from({ length: 40 }, (_, i) => `Document ${i} of the contract corpus.`).join('\n\n');
  await writeFile(join(root, 'corpus.txt'), corpus);
  return {
    dataset: new LocalTextDataset({ path: join(root, 'corpus.txt'), rowsPerPage: 4 }),
    close: () => rm(root, { recursive: true, force: true }),
  };
});

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-dataset-'));
  file = join(dir, 'docs.jsonl');
  const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ text: `doc ${i}` }));
  await writeFile(file, lines.join('\n'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalTextDataset', () => {
  it('splits documents into pages with local refs', async () => {
    const dataset = new LocalTextDataset({ path: file, rowsPerPage: 10 });
    expect(await dataset.pageCount()).toBe(3);
    const last = await dataset.page(2);
    expect(last.ref).toEqual({ dataset: `local:${file}`, offset: 20 });
    expect(last.documents).toEqual(['doc 20', 'doc 21', 'doc 22', 'doc 23', 'doc 24']);
  });

  it('picks the same pages for the same seed, across instances', async () => {
    const a = await new LocalTextDataset({ path: file, rowsPerPage: 2 }).samplePages(8, { seed: '0xfeed' });
    const b = await new LocalTextDataset({ path: file, rowsPerPage: 2 }).samplePages(8, { seed: '0xfeed' });
    const c = await new LocalTextDataset({ path: file, rowsPerPage: 2 }).samplePages(8, { seed: '0xbeef' });
    expect(a).toHaveLength(8);
    expect(a).toEqual(b);
    expect(a.map((p) => p.ref.offset)).not.toEqual(c.map((p) => p.ref.offset));
    for (const page of a) expect(page.documents[0]).toBe(`doc ${page.ref.offset}`);
  });

  it('samples at random without a seed', async () => {
    const dataset = new LocalTextDataset({ path: file, rowsPerPage: 1 });
    const offsets = new Set((await dataset.samplePages(60)).map((p) => p.ref.offset));
    expect(offsets.size).toBeGreaterThan(10);
  });

  it('defaults to 100 documents per page', async () => {
    const [page] = await new LocalTextDataset({ path: file }).samplePages(1, { seed: 's' });
    expect(page!.documents).toHaveLength(25);
  });

  it('fails clearly without documents, and stops on abort', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '\n\n');
    await expect(new LocalTextDataset({ path: empty }).samplePages(1)).rejects.toThrow(DatasetError);
    const signal = AbortSignal.abort();
    await expect(new LocalTextDataset({ path: file }).samplePages(1, { signal })).rejects.toThrow();
    expect(await new LocalTextDataset({ path: file }).samplePages(0)).toEqual([]);
    expect(() => new LocalTextDataset({ path: file, rowsPerPage: 0 })).toThrow(/rows per page/);
  });
});
