import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';

/**
 * A loss or block as scoring compares it: NaN (a failed batch, a missing block) counts
 * as +Infinity. The reference compares NaN with `<`, which makes a NaN loss neither win
 * nor lose; its failures are always `math.inf`, so both agree on every reference input.
 */
export function orInfinity(value: number | null | undefined): number {
  return value === null || value === undefined || Number.isNaN(value) ? Infinity : value;
}

/**
 * Whether model i beats model j on one batch (SUBNET9.md §6): the model committed at the
 * earlier block has its loss multiplied by (1 − epsilon); equal blocks change nothing;
 * then the strictly lower loss wins, so a tie is a loss for i.
 *
 * A missing block (no metadata) is +Infinity; NaN losses or blocks count as +Infinity.
 */
export function isWin(
  lossI: number,
  lossJ: number,
  blockI: number,
  blockJ: number,
  epsilon: number = SUBNET9_CONSTANTS.epsilon,
): boolean {
  const [li, lj, bi, bj] = [lossI, lossJ, blockI, blockJ].map(orInfinity) as [number, number, number, number];
  const adjustedI = bi < bj ? (1 - epsilon) * li : li;
  const adjustedJ = bj < bi ? (1 - epsilon) * lj : lj;
  return adjustedI < adjustedJ;
}
