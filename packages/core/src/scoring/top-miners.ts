import type { Metagraph } from '../contracts/chain-client.js';
import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';

/**
 * The `count` validators with the most stake among those holding a validator permit,
 * most stake first; equal stakes put the higher uid first, as the reference's
 * `sorted((stake, uid), reverse=True)` does.
 */
export function topValidators(
  metagraph: Metagraph,
  count: number = SUBNET9_CONSTANTS.topValidators,
): number[] {
  return metagraph.neurons
    .filter((n) => n.validatorPermit)
    .map((n) => ({ uid: n.uid, stake: n.stake }))
    .sort((a, b) => b.stake - a.stake || b.uid - a.uid)
    .slice(0, Math.max(0, count))
    .map((v) => v.uid);
}

/**
 * Miners the big validators agree on (docs/SUBNET.md §7): among the top validators by stake
 * (with a permit), a uid holding more than half of one validator's total weight is a top
 * miner. Returned in ascending uid order.
 */
export function findTopMiners(
  metagraph: Metagraph,
  validators: number = SUBNET9_CONSTANTS.topValidators,
): number[] {
  const top = new Set<number>();
  for (const uid of topValidators(metagraph, validators)) {
    const weights = metagraph.neurons[uid]?.weights ?? [];
    const threshold = weights.reduce((sum, [, w]) => sum + w, 0) / 2;
    // Only one uid can hold more than half, so the first one found is it.
    const holder = weights.find(([, w]) => w > threshold);
    if (holder !== undefined) top.add(holder[0]);
  }
  return [...top].sort((a, b) => a - b);
}
