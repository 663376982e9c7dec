import { stat } from 'node:fs/promises';
import { MAX_EVAL_TOKENS, UsageError } from '@pretrain/core';
import { readJsonFile } from '../../input/read-json-file.js';

/**
 * Largest token file read: 64 MiB, about 10 M ids as JSON. A validator step's batches
 * take about 11 MB (distilgpt2); a bigger file is refused before it is parsed.
 */
export const MAX_TOKEN_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Read `--tokens`: a JSON list of batches, each a list of equally long rows of token ids;
 * a single batch (a list of rows) is accepted too.
 *
 * @throws UsageError for an unreadable file, bad JSON, a malformed batch, a file over
 * {@link MAX_TOKEN_FILE_BYTES} or more than {@link MAX_EVAL_TOKENS} ids.
 */
export async function readTokenFile(path: string): Promise<number[][][]> {
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : 0),
    () => 0,
  );
  if (size > MAX_TOKEN_FILE_BYTES) {
    throw new UsageError(
      `token file "${path}" has ${size} bytes, more than the ${MAX_TOKEN_FILE_BYTES} read`,
      {
        hint: 'evaluate fewer batches: a validator step holds about 11 MB of them as JSON',
      },
    );
  }
  const json = await readJsonFile(path, {
    what: 'token file',
    readHint: 'pass a JSON file of batches: [[[id, id, ...], ...], ...]',
    parseHint: 'write [[[id, id, ...], ...], ...]: batches of rows of token ids',
  });
  const batches = Array.isArray(json) && Array.isArray(json[0]) && !Array.isArray(json[0][0]) ? [json] : json;
  if (!Array.isArray(batches) || batches.length === 0)
    throw malformed(path, 'expected a non-empty list of batches');
  let tokens = 0;
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
      tokens += row.length;
      if (tokens > MAX_EVAL_TOKENS) {
        throw new UsageError(`token file "${path}" holds more than ${MAX_EVAL_TOKENS} token ids`, {
          hint: 'evaluate fewer batches: a validator step holds at most about 15 M tokens',
        });
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
