import type { Dataset, Page, SampleOptions } from '@pretrain/core';

/**
 * `dataset` with a fixed sequence of seeds (`<prefix>-1`, `<prefix>-2`, ...) for calls
 * that bring none, so a run draws the same pages every time. The demo uses it to be
 * reproducible: its miner models pass the sanity check on these pages, where on random
 * pages two prompts ending in the same token would, now and then, reject the best one.
 * A seed the caller gives (e.g. from the chain) is used unchanged.
 */
export function withSeedSequence(dataset: Dataset, prefix: string): Dataset {
  let calls = 0;
  return {
    name: dataset.name,
    samplePages(count: number, options: SampleOptions = {}): Promise<Page[]> {
      calls += 1;
      return dataset.samplePages(count, { ...options, seed: options.seed ?? `${prefix}-${calls}` });
    },
  };
}
