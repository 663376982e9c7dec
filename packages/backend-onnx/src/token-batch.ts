import { checkTokenRows, type ModelSpec, type TokenBatch } from '@pretrain/backend-sdk';

/**
 * Check a batch against the model (core's `checkTokenRows`) and pack it as `int64 [rows, T]`.
 * @param minLength 2 for losses (one prediction at least), 1 for prompts.
 */
export function packTokenBatch(spec: ModelSpec, batch: TokenBatch, minLength: number): BigInt64Array {
  const { length } = checkTokenRows(spec, batch, minLength);
  const packed = new BigInt64Array(batch.length * length);
  batch.forEach((row, r) => row.forEach((id, t) => (packed[r * length + t] = BigInt(id))));
  return packed;
}
