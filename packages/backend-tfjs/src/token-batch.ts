import { checkTokenRows, type ModelSpec } from '@pretrain/backend-sdk';

/**
 * Check rows of token ids against the model (core's `checkTokenRows`) and return each
 * row as int32 for tfjs.
 * @param minLength 2 for losses (one prediction at least), 1 for prompts.
 */
export function packTokenRows(
  spec: ModelSpec,
  rows: readonly (readonly number[])[],
  minLength: number,
): Int32Array[] {
  checkTokenRows(spec, rows, minLength);
  return rows.map((row) => Int32Array.from(row));
}
