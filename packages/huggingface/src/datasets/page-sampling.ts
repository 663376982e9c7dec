import { DatasetError, type Logger, type Page, type PageRef } from '@pretrain/core';

/**
 * Sample `count` pages: draw a page, fetch it, and when the fetch fails draw a new one,
 * up to `10 × count` attempts in all (docs/SUBNET.md §5). Pages are fetched one after
 * another so that, with a seed, the sequence of draws is the same everywhere.
 *
 * @throws DatasetError when the attempts run out.
 */
export async function sampleWithReplacement(
  name: string,
  count: number,
  draw: () => PageRef,
  fetchPage: (ref: PageRef) => Promise<Page>,
  logger: Logger,
  signal?: AbortSignal,
): Promise<Page[]> {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`page count must be a non-negative integer, got ${count}`);
  const pages: Page[] = [];
  const budget = 10 * count;
  let attempts = 0;
  let lastError: unknown;
  while (pages.length < count) {
    if (attempts >= budget) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new DatasetError(
        `${name}: got ${pages.length} of ${count} pages after ${attempts} attempts; last failure: ${reason}`,
        {
          hint: 'the datasets-server kept failing; try again later',
          cause: lastError,
        },
      );
    }
    attempts++;
    const ref = draw();
    try {
      pages.push(await fetchPage(ref));
    } catch (error) {
      if (signal?.aborted === true) throw error;
      lastError = error;
      logger.warn('page failed, sampling another', {
        dataset: ref.dataset,
        config: ref.config,
        offset: ref.offset,
        error: String(error),
      });
    }
  }
  return pages;
}
