import { UsageError } from '@pretrain/backend-sdk';

/** Largest value of a chain weight. */
export const U16_MAX = 65_535;

/** Python's `round()`: to the nearest integer, halves to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return fraction < 0.5 ? floor : floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Float weights → the u16 values the chain stores, as bittensor's
 * `convert_weights_and_uids_for_emit`: scale so the largest becomes 65535, round
 * (half to even, like Python), drop the uids that round to 0. All zeros give empty lists.
 *
 * @throws UsageError for misaligned inputs, negative uids or negative/non-finite weights.
 */
export function toU16Weights(
  uids: readonly number[],
  weights: readonly number[],
): { uids: number[]; values: number[] } {
  if (uids.length !== weights.length) {
    throw new UsageError(`got ${uids.length} uids but ${weights.length} weights; they must align`);
  }
  if (uids.some((uid) => !Number.isInteger(uid) || uid < 0)) {
    throw new UsageError(`uids must be non-negative integers, got [${uids.join(', ')}]`);
  }
  if (weights.some((w) => !(w >= 0 && Number.isFinite(w)))) {
    throw new UsageError(`weights must be finite and non-negative, got [${weights.join(', ')}]`);
  }
  const out = { uids: [] as number[], values: [] as number[] };
  const max = Math.max(0, ...weights);
  if (max === 0) return out;
  weights.forEach((w, i) => {
    const value = roundHalfEven((w / max) * U16_MAX);
    if (value !== 0) {
      out.uids.push(uids[i]!);
      out.values.push(value);
    }
  });
  return out;
}
