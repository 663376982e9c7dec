import { UsageError, type ModelSpec } from '@pretrain/core';

/**
 * Check rows of token ids against the model: equal lengths of at least `minLength`,
 * at most `maxPositions`, integer ids inside the vocabulary. Returns each row as int32.
 * @throws UsageError naming the offending row, position or length.
 */
export function checkTokenRows(
  spec: ModelSpec,
  rows: readonly (readonly number[])[],
  minLength: number,
): Int32Array[] {
  const length = rows[0]?.length ?? 0;
  if (rows.length === 0 || length < minLength) {
    throw new UsageError(
      `a batch needs at least one row of ${minLength}+ tokens, got ${rows.length} rows of ${length}`,
    );
  }
  if (length > spec.maxPositions) {
    throw new UsageError(
      `sequence length ${length} exceeds the model's maximum of ${spec.maxPositions} positions (${spec.dir})`,
      { hint: `use a sequence length of at most ${spec.maxPositions}` },
    );
  }
  return rows.map((row, r) => {
    if (row.length !== length) {
      throw new UsageError(
        `batch rows differ in length: row 0 has ${length} tokens, row ${r} has ${row.length}`,
      );
    }
    row.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id >= spec.vocabSize) {
        throw new UsageError(
          `token id ${id} (row ${r}, position ${t}) is outside the vocabulary 0…${spec.vocabSize - 1}`,
          { hint: 'tokenize with the tokenizer the model was trained with' },
        );
      }
    });
    return Int32Array.from(row);
  });
}
