import { checkTokenRows, type ModelSpec, type TokenBatch } from '@pretrain/backend-sdk';

/**
 * Check a batch against the model (core's `checkTokenRows`) and pack it row-major as
 * `Int32Array [rows × T]` for the addon.
 * @param minLength 2 for losses (one prediction at least), 1 for prompts.
 */
export function packTokens(spec: ModelSpec, batch: TokenBatch, minLength: number): Int32Array {
  const { length } = checkTokenRows(spec, batch, minLength);
  const packed = new Int32Array(batch.length * length);
  batch.forEach((row, r) => packed.set(row, r * length));
  return packed;
}
