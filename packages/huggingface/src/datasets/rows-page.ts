import type { Page, PageRef } from '@pretrain/core';
import type { DatasetsServerClient } from './datasets-server-client.js';
import { ROWS_PER_PAGE } from './page-draws.js';

/**
 * Fetch one page of rows (`/rows?dataset&config&split&offset&limit=100`) and take the
 * `field` text of each. A page without rows, or with a row lacking the text, counts as a
 * failed request (so it is retried, then replaced).
 */
export async function fetchRowsPage(
  client: DatasetsServerClient,
  ref: PageRef & { readonly config: string },
  split: string,
  field: string,
  signal?: AbortSignal,
): Promise<Page> {
  const query = { dataset: ref.dataset, config: ref.config, split, offset: ref.offset, limit: ROWS_PER_PAGE };
  const documents = await client.getJson(
    '/rows',
    query,
    (json) => {
      const rows = (json as { rows?: unknown }).rows;
      if (!Array.isArray(rows) || rows.length === 0) throw new Error('the answer has no rows');
      return rows.map((entry: unknown, i) => {
        const text = (entry as { row?: Record<string, unknown> } | null)?.row?.[field];
        if (typeof text !== 'string') throw new Error(`row ${i} has no text field '${field}'`);
        return text;
      });
    },
    signal,
  );
  return { ref, documents };
}
