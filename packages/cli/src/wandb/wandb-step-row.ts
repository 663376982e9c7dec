import type { JsonNumber, StepRecord } from '@pretrain/core';

/** One W&B history row of a step (before W&B's own `_step`, `_runtime`, `_timestamp`). */
export type WandbStepRow = Record<string, unknown>;

/**
 * The W&B history row of a completed step, with the keys the reference validator (3.2.0)
 * logs so that charts built on them read ours: `time`, `block`, `uid_data` (uid → average
 * loss), `weight_data` (uid → moving-average weight), the two perf lines and
 * `original_format_json` (the step log as a JSON string). What the reference has no key for
 * is under `pretrain`. A loss that is not finite (a failed model) is null: JSON has no
 * infinity. The differences are listed in docs/DASHBOARD.md.
 */
export function wandbStepRow(record: StepRecord): WandbStepRow {
  const byUid = <T>(value: (row: StepRecord['rows'][number]) => T): Record<string, T> =>
    Object.fromEntries(record.rows.map((row) => [String(row.uid), value(row)]));
  const stepLog = {
    timestamp: record.time / 1000,
    pages: record.pages.map((page) =>
      // The reference names a FineWeb-Edu page `<config>_<row>_<split>`, a Falcon page by its row.
      page.config === undefined ? page.offset : `${page.config}_${page.offset}_train`,
    ),
    uids: record.rows.map((row) => row.uid),
    uid_data: byUid((row) => ({
      uid: row.uid,
      block: row.block,
      average_loss: row.averageLoss,
      win_rate: row.winRate,
      win_total: row.wins,
      weight: row.weight,
    })),
  };
  const timed = record.rows.flatMap((row) => (row.timings === undefined ? [] : [row.timings]));
  return {
    time: record.time / 1000,
    block: record.block,
    uid_data: byUid((row): JsonNumber => row.averageLoss),
    weight_data: byUid((row) => row.weight),
    load_model_perf_log: perfSummary(
      'Eval: Load model',
      timed.flatMap((t) =>
        t.openMs === undefined && t.loadMs === undefined ? [] : [(t.openMs ?? 0) + (t.loadMs ?? 0)],
      ),
    ),
    compute_model_perf_log: perfSummary(
      'Eval: Compute loss',
      timed.flatMap((t) => (t.lossesMs === undefined ? [] : [t.lossesMs])),
    ),
    original_format_json: JSON.stringify(stepLog),
    pretrain: {
      run: record.run,
      step: record.step,
      batch_count: record.batchCount,
      duration_s: record.durationMs / 1000,
      tokens_per_second: record.tokensPerSecond,
      win_rate: byUid((row) => row.winRate),
      step_weight: byUid((row) => row.stepWeight),
      failure: byUid((row) => row.failure),
    },
  };
}

/**
 * The reference's perf line of `name` over `samplesMs`: `<name> performance: N=<n> | Min=… |
 * Max=… | Median=… | P90=…`, each in the largest unit (min, s, ms, μs, ns) it reaches, with
 * two decimals; the percentiles interpolate linearly between samples (numpy's default).
 */
export function perfSummary(name: string, samplesMs: readonly number[]): string {
  if (samplesMs.length === 0) return `${name} performance: N=0`;
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const ns = (ms: number) => ms * 1e6;
  return (
    `${name} performance: N=${sorted.length} | Min=${formatDuration(ns(sorted[0]!))} | ` +
    `Max=${formatDuration(ns(sorted[sorted.length - 1]!))} | ` +
    `Median=${formatDuration(ns(percentile(sorted, 50)))} | P90=${formatDuration(ns(percentile(sorted, 90)))}`
  );
}

const UNITS: readonly [string, number][] = [
  ['min', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['μs', 1e3],
  ['ns', 1],
];

function formatDuration(ns: number): string {
  for (const [unit, size] of UNITS) if (ns >= size) return `${(ns / size).toFixed(2)} ${unit}`;
  return `${ns.toFixed(2)} ns`;
}

/** The `p`-th percentile of ascending `sorted`, interpolated linearly. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = ((sorted.length - 1) * p) / 100;
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}
