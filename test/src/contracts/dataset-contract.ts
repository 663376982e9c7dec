import assert from 'node:assert/strict';
import type { Dataset, Page } from '@pretrain/core';
import type { ContractCase } from './contract-case.js';

/** What the {@link datasetContractCases} need from a dataset implementation. */
export interface DatasetHarness {
  /** The dataset under test, holding at least two distinct pages. */
  readonly dataset: Dataset;
  /** Release servers and files (optional). */
  close?(): Promise<void>;
}

const refKey = (p: Page): string => `${p.ref.dataset}|${p.ref.config ?? ''}|${p.ref.offset}`;

function assertPage(page: Page, name: string): void {
  assert.equal(typeof page.ref.dataset, 'string', `${name}: ref.dataset`);
  assert.ok(page.ref.dataset.length > 0, `${name}: ref.dataset is empty`);
  assert.ok(
    Number.isSafeInteger(page.ref.offset) && page.ref.offset >= 0,
    `${name}: ref.offset ${page.ref.offset}`,
  );
  assert.ok(Array.isArray(page.documents) && page.documents.length > 0, `${name}: a page holds documents`);
  for (const doc of page.documents) assert.equal(typeof doc, 'string', `${name}: documents are strings`);
}

/**
 * The behaviour every {@link Dataset} must show (docs/SUBNET.md §5): `count` well-formed
 * pages, the same pages for the same seed (validators agree on what they evaluate),
 * different pages across seeds, and an abort that rejects.
 */
export const datasetContractCases: readonly ContractCase<DatasetHarness>[] = [
  {
    name: 'has a name and samples the number of well-formed pages asked for',
    async run({ dataset }) {
      assert.equal(typeof dataset.name, 'string');
      assert.ok(dataset.name.length > 0, 'the name is empty');
      const pages = await dataset.samplePages(3, { seed: 'contract-count' });
      assert.equal(pages.length, 3);
      for (const page of pages) assertPage(page, dataset.name);
    },
  },
  {
    name: 'samples the same pages, with the same text, for the same seed',
    async run({ dataset }) {
      const first = await dataset.samplePages(2, { seed: 'contract-same' });
      const again = await dataset.samplePages(2, { seed: 'contract-same' });
      assert.deepEqual(again.map(refKey), first.map(refKey));
      assert.deepEqual(
        again.map((p) => p.documents),
        first.map((p) => p.documents),
      );
    },
  },
  {
    name: 'samples different pages for different seeds',
    async run({ dataset }) {
      const seen = new Set<string>();
      for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
        for (const page of await dataset.samplePages(1, { seed: `contract-${seed}` })) seen.add(refKey(page));
      }
      assert.ok(seen.size > 1, `six seeds all drew the page ${[...seen].join()}`);
    },
  },
  {
    name: 'rejects when its signal is aborted',
    async run({ dataset }) {
      const reason = new Error('contract: stopped');
      await assert.rejects(
        dataset.samplePages(1, { seed: 'contract-abort', signal: AbortSignal.abort(reason) }),
      );
    },
  },
];
