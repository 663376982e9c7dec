import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';

/**
 * The moving average the validator keeps (docs/SUBNET.md §6):
 * `alpha * previous + (1 − alpha) * step`, NaN becoming 0.
 *
 * The result has the step's length: `previous` is cut, or padded with zeros, when the
 * subnet's uid count changed.
 */
export function emaWeights(
  previous: readonly number[],
  step: readonly number[],
  alpha: number = SUBNET9_CONSTANTS.alpha,
): number[] {
  return step.map((s, uid) => {
    const value = alpha * (previous[uid] ?? 0) + (1 - alpha) * s;
    return Number.isNaN(value) ? 0 : value;
  });
}
