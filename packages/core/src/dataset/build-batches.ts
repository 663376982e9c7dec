import type { Page } from '../contracts/dataset.js';
import type { Tokenizer } from '../contracts/tokenizer.js';
import { UsageError } from '../errors/domain-errors.js';

/**
 * Token batches exactly as the reference builds them (SUBNET9.md §5): each document is
 * encoded with truncation to the tokenizer's maximum length and followed by the EOS id;
 * all documents of all pages, in order, form one buffer; the buffer is cut into batches
 * of `batchSize` rows × `sequenceLength` tokens, and a short remainder is dropped.
 *
 * @param input pages (their documents, in order) or plain documents.
 * @returns batches × rows × tokens.
 * @throws UsageError for a non-positive batch size or sequence length.
 */
export function buildBatches(
  input: readonly Page[] | readonly string[],
  tokenizer: Tokenizer,
  batchSize: number,
  sequenceLength: number,
): number[][][] {
  for (const [what, value] of [
    ['batch size', batchSize],
    ['sequence length', sequenceLength],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new UsageError(`${what} ${value} must be a positive integer`);
  }
  const documents = input.flatMap((item: Page | string) =>
    typeof item === 'string' ? [item] : item.documents,
  );
  const buffer: number[] = [];
  for (const doc of documents) {
    for (const token of tokenizer.encode(doc, { truncation: true })) buffer.push(token);
    buffer.push(tokenizer.eosTokenId);
  }
  const batches: number[][][] = [];
  const perBatch = batchSize * sequenceLength;
  for (let start = 0; start + perBatch <= buffer.length; start += perBatch) {
    const batch: number[][] = [];
    for (let row = 0; row < batchSize; row++) {
      const from = start + row * sequenceLength;
      batch.push(buffer.slice(from, from + sequenceLength));
    }
    batches.push(batch);
  }
  return batches;
}
