import type { TokenBatch } from '@pretrain/backend-sdk';
import { SUBNET9_CONSTANTS } from '../criteria/subnet9-constants.js';
import { UsageError } from '@pretrain/backend-sdk';

/**
 * The two sanity-check prompts (docs/SUBNET.md §5): the first 100 tokens of batch 0 and of
 * batch 1 (their first row: every competition uses batches of one row).
 *
 * @throws UsageError with fewer than two batches (the reference fails the model then).
 */
export function sanityPrompts(
  batches: readonly TokenBatch[],
  promptTokens: number = SUBNET9_CONSTANTS.sanityPromptTokens,
): number[][] {
  const rows = [batches[0]?.[0], batches[1]?.[0]];
  if (rows[0] === undefined || rows[1] === undefined) {
    throw new UsageError(`the sanity check needs 2 non-empty batches, got ${batches.length}`, {
      hint: 'sample more pages so that the text fills at least two batches',
    });
  }
  return rows.map((row) => row!.slice(0, promptTokens));
}

function mostFrequentCount(tokens: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

/**
 * Judge the greedy continuations of the two prompts (docs/SUBNET.md §5). A model fails when
 * the continuations agree in at least half (10 of 20) of the positions, or when in both
 * the most frequent token occurs more than half (10) the times.
 *
 * @throws UsageError unless given exactly two continuations.
 */
export function passesSanityCheck(
  continuations: readonly (readonly number[])[],
  generatedTokens: number = SUBNET9_CONSTANTS.sanityGeneratedTokens,
): boolean {
  if (continuations.length !== 2) {
    throw new UsageError(`the sanity check judges 2 continuations, got ${continuations.length}`);
  }
  const [a, b] = continuations as [readonly number[], readonly number[]];
  const half = generatedTokens / 2;
  const agreeing = a.filter((token, k) => token === b[k]).length;
  if (agreeing >= half) return false;
  return !(mostFrequentCount(a) > half && mostFrequentCount(b) > half);
}
