import { SUBNET9_CONSTANTS } from '../criteria/index.js';
import { computeWins, emaWeights, nextStepUids, stepWeights } from '../scoring/index.js';

/** Inputs of {@link scoreStep}: one entry per evaluated uid, in the same order. */
export interface ScoreStepInput {
  readonly uids: readonly number[];
  /** Per uid, the loss of each batch. */
  readonly losses: readonly (readonly number[])[];
  /** Per uid, its commitment block (`Infinity` without metadata). */
  readonly blocks: readonly number[];
  /** Moving-average weights before the step (index = uid; shorter = zeros). */
  readonly previousWeights: readonly number[];
  /** Number of uids on the subnet (length of the weight vector). */
  readonly uidCount: number;
  readonly sampleMin: number;
  readonly temperature?: number;
  readonly alpha?: number;
}

/** Wins, win rates, the new moving-average weights and the uids kept for the next step. */
export interface StepScore {
  readonly wins: readonly number[];
  readonly winRates: readonly number[];
  /** Index = uid, length `uidCount`, NaN-free. */
  readonly weights: number[];
  /** What this step alone earned (index = uid), before the moving average; zeros without uids. */
  readonly stepWeights: number[];
  readonly nextUids: number[];
}

/**
 * Score one step (docs/SUBNET.md §6) with core's rules: head-to-head wins, softmax of win
 * rates at the temperature into a vector over all uids, moving average with the
 * previous weights, then the next step's uids.
 */
export function scoreStep(input: ScoreStepInput): StepScore {
  const temperature = input.temperature ?? SUBNET9_CONSTANTS.temperature;
  const alpha = input.alpha ?? SUBNET9_CONSTANTS.alpha;
  const { wins, winRates } = computeWins(input.losses, input.blocks);
  const previous = Array.from({ length: input.uidCount }, (_, uid) => input.previousWeights[uid] ?? 0);
  const earned = stepWeights(input.uids, winRates, input.uidCount, temperature);
  // A step without uids earns nothing and must not decay the average (the reference skips it).
  const weights = input.uids.length > 0 ? emaWeights(previous, earned, alpha) : previous;
  const nextUids = nextStepUids({ uids: input.uids, winRates, weights, sampleMin: input.sampleMin });
  return { wins, winRates, weights, stepWeights: earned, nextUids };
}
