import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';
import { isWin, orInfinity } from './is-win.js';

/** Head-to-head results of one evaluation step, aligned with its uids. */
export interface WinsResult {
  /** Batches won against every other uid. */
  readonly wins: number[];
  /** wins / matches, 0 when there are no matches. */
  readonly winRates: number[];
}

/**
 * Count, for each uid i, the batches b and other uids j where
 * `isWin(losses[i][b], losses[j][b], blocks[i], blocks[j])` (SUBNET9.md §6).
 *
 * Matches = (number of other uids) × (number of batches), where the number of batches is
 * the longest loss list: a missing loss, like a failed batch (`Infinity`, `NaN`,
 * `null` from JSON), is +Infinity. A missing block (no metadata) is +Infinity.
 *
 * @param losses per uid, per batch.
 * @param blocks per uid: the block of its commitment.
 */
export function computeWins(
  losses: readonly (readonly (number | null)[])[],
  blocks: readonly (number | null | undefined)[],
  epsilon: number = SUBNET9_CONSTANTS.epsilon,
): WinsResult {
  const batches = losses.reduce((most, row) => Math.max(most, row.length), 0);
  const loss = (i: number, b: number) => orInfinity(losses[i]?.[b]);
  const block = (i: number) => orInfinity(blocks[i]);
  const wins = losses.map(() => 0);
  const winRates = losses.map(() => 0);
  for (let i = 0; i < losses.length; i++) {
    let matches = 0;
    for (let j = 0; j < losses.length; j++) {
      if (i === j) continue;
      for (let b = 0; b < batches; b++) {
        if (isWin(loss(i, b), loss(j, b), block(i), block(j), epsilon)) wins[i]! += 1;
        matches += 1;
      }
    }
    winRates[i] = matches > 0 ? wins[i]! / matches : 0;
  }
  return { wins, winRates };
}
