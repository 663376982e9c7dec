import { describe, expect, it } from 'vitest';
import { LocalTextDataset } from '@pretrain/core';
import { DEMO_CORPUS } from './run-demo.js';
import { withSeedSequence } from './seeded-dataset.js';

const offsets = async (dataset: ReturnType<typeof withSeedSequence>, seed?: string) =>
  (await dataset.samplePages(3, seed === undefined ? {} : { seed })).map((p) => p.ref.offset);

describe('withSeedSequence', () => {
  it('draws the same pages call by call in every run', async () => {
    const a = withSeedSequence(new LocalTextDataset({ path: DEMO_CORPUS }), 'x');
    const b = withSeedSequence(new LocalTextDataset({ path: DEMO_CORPUS }), 'x');
    const first = [await offsets(a), await offsets(a), await offsets(a)];
    expect([await offsets(b), await offsets(b), await offsets(b)]).toEqual(first);
    const plain = new LocalTextDataset({ path: DEMO_CORPUS });
    expect((await plain.samplePages(3, { seed: 'x-2' })).map((p) => p.ref.offset)).toEqual(first[1]);
  });

  it('passes a seed the caller gives unchanged', async () => {
    const seeded = withSeedSequence(new LocalTextDataset({ path: DEMO_CORPUS }), 'x');
    const plain = new LocalTextDataset({ path: DEMO_CORPUS });
    expect(await offsets(seeded, 'chain-hash')).toEqual(
      (await plain.samplePages(3, { seed: 'chain-hash' })).map((p) => p.ref.offset),
    );
  });
});
