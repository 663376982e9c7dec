import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';

/**
 * A block as scoring compares it: a missing one (`null` from JSON, `undefined`, NaN) is
 * +Infinity, the latest possible claim.
 */
export function orInfinity(value: number | null | undefined): number {
  return value === null || value === undefined || Number.isNaN(value) ? Infinity : value;
}

/**
 * A loss as scoring compares it: a missing one (`null`, which is how JSON writes
 * `Infinity`, or `undefined`) is a failed batch, +Infinity. NaN stays NaN: the reference
 * compares with `<`, so a NaN batch is a win for neither side (docs/SUBNET.md §5).
 */
export function lossOrInfinity(value: number | null | undefined): number {
  return value === null || value === undefined ? Infinity : value;
}

/**
 * Whether model i beats model j on one batch (docs/SUBNET.md §6): the model committed at the
 * earlier block has its loss multiplied by (1 − epsilon); equal blocks change nothing;
 * then the strictly lower loss wins, so a tie is a loss for i.
 *
 * A missing block (no metadata) is +Infinity. A NaN loss on either side is a win for
 * neither (`<` is false), exactly as in the reference.
 */
export function isWin(
  lossI: number,
  lossJ: number,
  blockI: number,
  blockJ: number,
  epsilon: number = SUBNET9_CONSTANTS.epsilon,
): boolean {
  const [li, lj] = [lossOrInfinity(lossI), lossOrInfinity(lossJ)];
  const [bi, bj] = [orInfinity(blockI), orInfinity(blockJ)];
  const adjustedI = bi < bj ? (1 - epsilon) * li : li;
  const adjustedJ = bj < bi ? (1 - epsilon) * lj : lj;
  return adjustedI < adjustedJ;
}
