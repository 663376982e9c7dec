import { UsageError, type ModelSpec, type TokenBatch } from '@pretrain/core';

/**
 * Check a batch against the model and pack it row-major as `Int32Array [rows × T]`.
 * @param minLength 2 for losses (one prediction at least), 1 for prompts.
 * @throws UsageError for ragged rows, non-integer or out-of-vocabulary ids, or `T > maxPositions`.
 */
export function packTokens(spec: ModelSpec, batch: TokenBatch, minLength: number): Int32Array {
  const rows = batch.length;
  const length = batch[0]?.length ?? 0;
  if (rows === 0 || length < minLength) {
    throw new UsageError(
      `a batch needs at least one row of ${minLength}+ tokens, got ${rows} rows of ${length}`,
    );
  }
  if (length > spec.maxPositions) {
    throw new UsageError(
      `sequence length ${length} exceeds the model's maximum of ${spec.maxPositions} positions (${spec.dir})`,
      { hint: `use a sequence length of at most ${spec.maxPositions}` },
    );
  }
  const packed = new Int32Array(rows * length);
  batch.forEach((row, r) => {
    if (row.length !== length) {
      throw new UsageError(
        `batch rows differ in length: row 0 has ${length} tokens, row ${r} has ${row.length}`,
      );
    }
    row.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id >= spec.vocabSize) {
        throw new UsageError(
          `token id ${id} (row ${r}, position ${t}) is outside the vocabulary 0…${spec.vocabSize - 1}`,
          {
            hint: 'tokenize with the tokenizer the model was trained with',
          },
        );
      }
      packed[r * length + t] = id;
    });
  });
  return packed;
}
