import { buildBatches, LocalTextDataset, readDocuments, UsageError } from '@pretrain/core';
import { loadTokenizer } from '@pretrain/huggingface';

/** How `--text` becomes token batches. */
export interface TextBatchOptions {
  /** A .txt/.jsonl file or a directory of them. */
  readonly text: string;
  /** `distilgpt2`, `Xenova/gpt-4` or a tokenizer.json path. */
  readonly tokenizer: string;
  readonly sequenceLength: number;
  readonly batchSize: number;
  /** Keep at most this many batches. */
  readonly maxBatches?: number | undefined;
  /** Sample this many pages (as the validator does) instead of reading every document in order. */
  readonly pages?: number | undefined;
  /** Seed of the page sampling. */
  readonly seed?: string | undefined;
}

/**
 * Tokenize and batch text exactly like the validator (EOS after each document, one
 * buffer, remainder dropped): every document in order, or `pages` sampled pages.
 *
 * @throws UsageError when the text gives no complete batch.
 */
export async function textBatches(options: TextBatchOptions): Promise<number[][][]> {
  const tokenizer = await loadTokenizer(options.tokenizer);
  const input =
    options.pages === undefined
      ? await readDocuments(options.text)
      : await new LocalTextDataset({ path: options.text }).samplePages(options.pages, {
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        });
  const batches = buildBatches(input, tokenizer, options.batchSize, options.sequenceLength);
  if (batches.length === 0) {
    throw new UsageError(
      `"${options.text}" gives no complete batch of ${options.batchSize} × ${options.sequenceLength} tokens`,
      { hint: 'pass more text, or a smaller --seq-len / --batch-size' },
    );
  }
  return options.maxBatches === undefined ? batches : batches.slice(0, options.maxBatches);
}
