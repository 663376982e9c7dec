import { UsageError } from '@pretrain/core';

/** How the learning rate moves over the optimizer steps. */
export interface LrSchedule {
  /** The peak learning rate. */
  readonly lr: number;
  /** `constant` (the reference miner's) or `cosine` (to 0 at `totalSteps`). */
  readonly kind: 'constant' | 'cosine';
  /** Linear warm-up from lr/warmup to lr over the first steps; 0 for none. */
  readonly warmupSteps: number;
  /** The run's length in optimizer steps (cosine needs it). */
  readonly totalSteps: number | undefined;
}

/** Check a schedule's settings. @throws UsageError naming the flag. */
export function checkSchedule(s: LrSchedule): void {
  if (!Number.isFinite(s.lr) || s.lr <= 0) {
    throw new UsageError(`--lr ${s.lr} must be a number > 0`, { hint: 'the reference miner uses --lr 1e-5' });
  }
  if (!Number.isSafeInteger(s.warmupSteps) || s.warmupSteps < 0) {
    throw new UsageError(`--warmup-steps ${s.warmupSteps} must be a whole number ≥ 0`);
  }
  if (s.kind === 'cosine' && s.totalSteps === undefined) {
    throw new UsageError('--schedule cosine needs --steps', {
      hint: 'the cosine decays to 0 at the last step',
    });
  }
}

/**
 * The learning rate of 1-based optimizer step `step`: `lr·step/warmup` during the
 * warm-up, then `lr` (constant) or `lr·½(1 + cos(π·progress))` with progress from 0 after
 * the warm-up to 1 at `totalSteps` (cosine).
 */
export function lrAt(s: LrSchedule, step: number): number {
  if (step <= s.warmupSteps) return (s.lr * step) / s.warmupSteps;
  if (s.kind === 'constant' || s.totalSteps === undefined) return s.lr;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  return s.lr * 0.5 * (1 + Math.cos(Math.PI * progress));
}
