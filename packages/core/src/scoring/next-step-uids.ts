import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';

/** Inputs of {@link nextStepUids}. */
export interface NextStepInput {
  /** The uids evaluated in the step, in step order (which breaks ties). */
  readonly uids: readonly number[];
  /** Win rates aligned with `uids`. */
  readonly winRates: readonly number[];
  /** The validator's weights over all uids, after this step's moving average. */
  readonly weights: readonly number[];
  /** How many uids to keep; `SUBNET9_CONSTANTS.sampleMin` (6) by default. */
  readonly sampleMin?: number;
  /** Weight from which a uid counts as weighted; 0.001 by default. */
  readonly weightThreshold?: number;
}

/**
 * The uids kept for the next step (docs/SUBNET.md §6): priority = 1 + weight when the weight
 * is at least 0.001 (so weighted models always come first), else the win rate; the top
 * `sampleMin` (6) by priority, ties keeping step order (Python's stable sort).
 */
export function nextStepUids(input: NextStepInput): number[] {
  const { uids, winRates, weights } = input;
  const sampleMin = input.sampleMin ?? SUBNET9_CONSTANTS.sampleMin;
  const threshold = input.weightThreshold ?? SUBNET9_CONSTANTS.priorityWeightThreshold;
  const ranked = uids.map((uid, i) => {
    const weight = weights[uid] ?? 0;
    return { uid, priority: weight >= threshold ? 1 + weight : (winRates[i] ?? 0) };
  });
  ranked.sort((a, b) => b.priority - a.priority);
  return ranked.slice(0, Math.max(0, sampleMin)).map((r) => r.uid);
}

/**
 * Whether the update loop may queue another new or updated model: fewer than
 * `sampleMax` (14) are current or pending. Top miners are queued regardless.
 */
export function hasRoomForPending(
  currentCount: number,
  pendingCount: number,
  sampleMax: number = SUBNET9_CONSTANTS.sampleMax,
): boolean {
  return currentCount + pendingCount < sampleMax;
}
