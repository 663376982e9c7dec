import type { StepResult } from '@pretrain/core';
import type { UidLabels } from './demo-report.js';

/** What the demo showed, in words, and whether it showed what it promises. */
export interface DemoVerdict {
  /** The best original won the weights and the copier lost to it on epsilon. */
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/** Inputs of {@link judgeDemo}. */
export interface JudgeInput {
  readonly steps: readonly StepResult[];
  /** The validator's weights as read back from the chain, `[uid, u16]`. */
  readonly onChain: readonly (readonly [number, number])[];
  readonly labels: UidLabels;
}

/**
 * Check the demo's two claims against what happened: the best original model (the
 * unigram miner) holds the largest weight on chain, and the copier, whose losses are
 * identical, loses every match against it because it committed later (docs/SUBNET.md §6).
 */
export function judgeDemo({ steps, onChain, labels }: JudgeInput): DemoVerdict {
  const uidOf = (label: string): number | undefined => [...labels].find(([, l]) => l === label)?.[0];
  const best = uidOf('unigram');
  const copier = uidOf('copier');
  const last = steps.at(-1);
  if (last === undefined || best === undefined || copier === undefined) {
    return { ok: false, lines: ['no eval step completed: nothing to judge'] };
  }
  const row = (uid: number) => last.rows.find((r) => r.uid === uid);
  const original = row(best);
  const copy = row(copier);
  const top = [...onChain].sort((a, b) => b[1] - a[1])[0];
  const lines: string[] = [];
  const originalWins = top !== undefined && top[0] === best;
  lines.push(
    originalWins
      ? `the best original (unigram, uid ${best}) holds the largest weight on chain`
      : `unexpected: uid ${top?.[0] ?? '-'} (${top === undefined ? 'none' : labels.get(top[0])}) holds the largest weight, not unigram (uid ${best})`,
  );
  const sameLoss = original !== undefined && copy !== undefined && original.averageLoss === copy.averageLoss;
  const copierLoses =
    original !== undefined &&
    copy !== undefined &&
    copy.wins < original.wins &&
    copy.weight < original.weight;
  lines.push(
    sameLoss && copierLoses
      ? `the copier (uid ${copier}) scores the same loss ${copy!.averageLoss.toFixed(4)} but, committed at block ${copy!.block} > ${original!.block}, ` +
          `loses every match to the original on epsilon: ${copy!.wins} wins vs ${original!.wins}, weight ${copy!.weight.toFixed(4)} vs ${original!.weight.toFixed(4)}`
      : `unexpected: the copier (uid ${copier}) did not lose to the original on epsilon (wins ${copy?.wins} vs ${original?.wins})`,
  );
  return { ok: originalWins && sameLoss && copierLoses, lines };
}
