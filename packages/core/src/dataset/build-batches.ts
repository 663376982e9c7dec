import type { Page } from '../contracts/dataset.js';
import type { Tokenizer } from '../contracts/tokenizer.js';
import { UsageError } from '@pretrain/backend-sdk';

/**
 * Token batches exactly as the reference builds them (docs/SUBNET.md §5): each document is
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
  return [...batchStream(input, tokenizer, batchSize, sequenceLength)];
}

/**
 * The batches of {@link buildBatches}, one at a time: documents are tokenized only as
 * far as the batches taken need, and only the tokens of the batch being filled are held.
 *
 * @throws UsageError (when iterated) for a non-positive batch size or sequence length.
 */
export function* batchStream(
  input: readonly Page[] | readonly string[],
  tokenizer: Tokenizer,
  batchSize: number,
  sequenceLength: number,
): Generator<number[][], void, undefined> {
  for (const [what, value] of [
    ['batch size', batchSize],
    ['sequence length', sequenceLength],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new UsageError(`${what} ${value} must be a positive integer`);
  }
  const perBatch = batchSize * sequenceLength;
  let buffer: number[] = [];
  for (const item of input) {
    for (const doc of typeof item === 'string' ? [item] : item.documents) {
      for (const token of tokenizer.encode(doc, { truncation: true })) buffer.push(token);
      buffer.push(tokenizer.eosTokenId);
      while (buffer.length >= perBatch) {
        const batch: number[][] = [];
        for (let row = 0; row < batchSize; row++) {
          batch.push(buffer.slice(row * sequenceLength, (row + 1) * sequenceLength));
        }
        buffer = buffer.slice(perBatch);
        yield batch;
      }
    }
  }
}
