import {
  batchStream,
  MAX_EVAL_PAGES,
  MAX_EVAL_TOKENS,
  readDocuments,
  UsageError,
  type Dataset,
  type Tokenizer,
} from '@pretrain/core';

/** How `--text` becomes token batches. */
export interface TextBatchOptions {
  /** A .txt/.jsonl file or a directory of them. */
  readonly text: string;
  /** The tokenizer (the command's `TOKENS.Tokenizer`). */
  readonly tokenizer: Tokenizer;
  /** The same text as a dataset, sampled when `pages` is given (the command's `TOKENS.Dataset`). */
  readonly dataset?: Dataset | undefined;
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
 * Batches are built one at a time and only `maxBatches` are tokenized; more than
 * {@link MAX_EVAL_PAGES} pages or {@link MAX_EVAL_TOKENS} tokens are refused.
 *
 * @throws UsageError when the text gives no complete batch, or too many pages or tokens.
 */
export async function textBatches(options: TextBatchOptions): Promise<number[][][]> {
  if (options.pages !== undefined && options.pages > MAX_EVAL_PAGES) {
    throw new UsageError(
      `--pages ${options.pages} is more than the ${MAX_EVAL_PAGES} pages pretrain eval samples`,
      {
        hint: 'a validator step samples 18 pages',
      },
    );
  }
  const { tokenizer } = options;
  const input =
    options.pages === undefined || options.dataset === undefined
      ? await readDocuments(options.text)
      : await options.dataset.samplePages(options.pages, {
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        });
  const batches: number[][][] = [];
  const perBatch = options.batchSize * options.sequenceLength;
  for (const batch of batchStream(input, tokenizer, options.batchSize, options.sequenceLength)) {
    if (batches.length === options.maxBatches) break;
    if ((batches.length + 1) * perBatch > MAX_EVAL_TOKENS) {
      throw new UsageError(
        `"${options.text}" gives more than ${MAX_EVAL_TOKENS} tokens, more than one evaluation holds`,
        {
          hint: 'pass --max-batches, fewer --pages or less text (a validator step holds at most about 15 M tokens)',
        },
      );
    }
    batches.push(batch);
  }
  if (batches.length === 0) {
    throw new UsageError(
      `"${options.text}" gives no complete batch of ${options.batchSize} × ${options.sequenceLength} tokens`,
      { hint: 'pass more text, or a smaller --seq-len / --batch-size' },
    );
  }
  return batches;
}
