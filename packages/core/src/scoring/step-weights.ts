import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';
import { UsageError } from '@pretrain/backend-sdk';
import { softmax } from './softmax.js';

/**
 * The weights one step earns (docs/SUBNET.md §6): `softmax(winRates / temperature)` over the
 * step's uids, placed into a vector over all `uidCount` uids and normalised to sum 1.
 * No uids gives all zeros (the reference skips such steps).
 *
 * @throws UsageError for a uid outside `[0, uidCount)` or misaligned inputs.
 */
export function stepWeights(
  uids: readonly number[],
  winRates: readonly number[],
  uidCount: number,
  temperature: number = SUBNET9_CONSTANTS.temperature,
): number[] {
  if (uids.length !== winRates.length) {
    throw new UsageError(`got ${uids.length} uids but ${winRates.length} win rates; they must align`);
  }
  const vector = new Array<number>(uidCount).fill(0);
  const weights = softmax(winRates, temperature);
  uids.forEach((uid, i) => {
    if (!Number.isInteger(uid) || uid < 0 || uid >= uidCount) {
      throw new UsageError(`uid ${uid} is outside the subnet's ${uidCount} uids`);
    }
    vector[uid] = weights[i]!;
  });
  const sum = vector.reduce((a, b) => a + b, 0);
  return sum > 0 ? vector.map((w) => w / sum) : vector;
}
