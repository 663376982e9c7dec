import { UsageError } from '@pretrain/core';
import { readJsonFile } from '../../input/read-json-file.js';

/**
 * Read `--tokens`: a JSON list of batches, each a list of equally long rows of token ids;
 * a single batch (a list of rows) is accepted too.
 *
 * @throws UsageError for an unreadable file, bad JSON or a malformed batch.
 */
export async function readTokenFile(path: string): Promise<number[][][]> {
  const json = await readJsonFile(path, {
    what: 'token file',
    readHint: 'pass a JSON file of batches: [[[id, id, ...], ...], ...]',
    parseHint: 'write [[[id, id, ...], ...], ...]: batches of rows of token ids',
  });
  const batches = Array.isArray(json) && Array.isArray(json[0]) && !Array.isArray(json[0][0]) ? [json] : json;
  if (!Array.isArray(batches) || batches.length === 0)
    throw malformed(path, 'expected a non-empty list of batches');
  batches.forEach((batch: unknown, b) => {
    if (!Array.isArray(batch) || batch.length === 0)
      throw malformed(path, `batch ${b} is not a non-empty list of rows`);
    const length = (batch[0] as unknown[] | undefined)?.length;
    batch.forEach((row: unknown, r) => {
      if (!Array.isArray(row) || row.length < 2 || row.length !== length) {
        throw malformed(
          path,
          `batch ${b} row ${r} is not a list of ${length ?? 'at least 2'} token ids like row 0`,
        );
      }
      const bad = row.find((id: unknown) => typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0);
      if (bad !== undefined)
        throw malformed(path, `batch ${b} row ${r} holds ${JSON.stringify(bad)}, not a token id`);
    });
  });
  return batches as number[][][];
}

function malformed(path: string, detail: string): UsageError {
  return new UsageError(`token file "${path}": ${detail}`, {
    hint: 'write [[[id, id, ...], ...], ...]: batches of rows of the same length (at least 2 ids)',
  });
}
