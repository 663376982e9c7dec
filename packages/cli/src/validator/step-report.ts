import type { StepResult } from '@pretrain/core';
import { renderTable } from '../output/index.js';

const loss = (value: number): string => (Number.isFinite(value) ? value.toFixed(4) : 'inf');
const block = (value: number): string => (Number.isFinite(value) ? String(value) : '-');

/**
 * The per-step table: uid, average loss, win rate, wins, weight, block, and a note: why a
 * model failed, and whose evaluation a copy shares.
 */
export function formatStepTable(step: StepResult): string {
  const models =
    step.evaluations < step.rows.length
      ? `${step.rows.length} models (${step.evaluations} distinct)`
      : `${step.rows.length} models`;
  const title =
    `step ${step.step} at block ${step.block}: ${models}, ${step.batchCount} batches, ` +
    `${(step.durationMs / 1000).toFixed(1)} s, ${Math.round(step.tokensPerSecond)} tokens/s\n`;
  const table = renderTable(
    [
      { header: 'uid', align: 'right' },
      { header: 'avg loss', align: 'right' },
      { header: 'win rate', align: 'right' },
      { header: 'wins', align: 'right' },
      { header: 'weight', align: 'right' },
      { header: 'block', align: 'right' },
      { header: 'note' },
    ],
    step.rows.map((row) => [
      String(row.uid),
      loss(row.averageLoss),
      row.winRate.toFixed(4),
      String(row.wins),
      row.weight.toFixed(4),
      block(row.block),
      [row.failure, row.sharedWith === undefined ? undefined : `shares uid ${row.sharedWith}`]
        .filter((note) => note !== undefined)
        .join(', '),
    ]),
  );
  return title + table;
}

/** The weights table: every uid with a non-zero weight, heaviest first. */
export function formatWeightsTable(weights: readonly number[]): string {
  const rows = weights
    .map((weight, uid) => ({ uid, weight }))
    .filter((w) => w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.uid - b.uid)
    // Losers keep weights like 1e-44 (softmax never reaches 0): show them, readably.
    .map((w) => [String(w.uid), w.weight >= 1e-4 ? w.weight.toFixed(6) : w.weight.toExponential(2)]);
  if (rows.length === 0) return 'weights: none yet\n';
  return `weights\n${renderTable(
    [
      { header: 'uid', align: 'right' },
      { header: 'weight', align: 'right' },
    ],
    rows,
  )}`;
}

/** The step as one JSON-ready object (infinite numbers become null when written). */
export function stepSummary(step: StepResult): Record<string, unknown> {
  return {
    step: step.step,
    block: step.block,
    batches: step.batchCount,
    evaluations: step.evaluations,
    durationMs: step.durationMs,
    tokensPerSecond: step.tokensPerSecond,
    models: step.rows.map(({ hotkey: _hotkey, ...row }) => row),
    nextUids: step.nextUids,
  };
}
