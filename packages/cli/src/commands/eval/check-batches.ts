import { UsageError, type ModelSpec } from '@pretrain/core';

/**
 * Check the batches against a model before any computation: every token id below its
 * vocabulary size and every row within its maximum positions.
 *
 * @throws UsageError naming the first offending id (batch, row, position) or length.
 */
export function checkBatchesFit(
  batches: readonly (readonly (readonly number[])[])[],
  spec: ModelSpec,
  path: string,
): void {
  for (const [b, batch] of batches.entries()) {
    for (const [r, row] of batch.entries()) {
      if (row.length > spec.maxPositions) {
        throw new UsageError(
          `rows of ${row.length} tokens exceed the ${spec.maxPositions} positions of model "${path}"`,
          { hint: 'use a shorter --seq-len' },
        );
      }
      const p = row.findIndex((id) => id >= spec.vocabSize);
      if (p >= 0) {
        throw new UsageError(
          `token id ${row[p]} (batch ${b}, row ${r}, position ${p}) is ≥ the vocabulary size ${spec.vocabSize} of model "${path}"`,
          { hint: 'tokenize with the tokenizer the model was trained with' },
        );
      }
    }
  }
}
