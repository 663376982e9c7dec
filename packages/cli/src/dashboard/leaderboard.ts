import type { JsonNumber, StepRecord, StepRecordRow, WeightsRecord } from '@pretrain/core';

/** One line of the leaderboard (`/api/leaderboard`). */
export interface LeaderboardRow {
  /** 1-based, by moving-average weight, then average loss, then uid. */
  readonly rank: number;
  readonly uid: number;
  readonly hotkey: string;
  /** `namespace/name`; null without a tracked commitment. */
  readonly repo: string | null;
  readonly commit: string | null;
  /** The commit's page on the Hugging Face hub; null without one. */
  readonly url: string | null;
  readonly committedBlock: JsonNumber;
  readonly averageLoss: JsonNumber;
  readonly winRate: number;
  /** Moving-average weight after the newest step that evaluated the uid. */
  readonly weight: number;
  /** Share of the uid in the last `set_weights` that landed; null before any. */
  readonly weightOnChain: number | null;
  /** The step and time (ms) that last evaluated the uid. */
  readonly lastEvaluatedStep: number;
  readonly lastEvaluatedAt: number;
  readonly failure: string | null;
}

/** The hub page of a commit, every part percent-encoded (the names come from miners). */
export function hubUrl(repo: string, commit: string | null | undefined): string {
  const path = repo.split('/').map(encodeURIComponent).join('/');
  return commit
    ? `https://huggingface.co/${path}/tree/${encodeURIComponent(commit)}`
    : `https://huggingface.co/${path}`;
}

/**
 * The leaderboard of the newest run: every uid evaluated by its newest step, plus the
 * uids that still hold weight after it, each with its newest row of that run.
 */
export function leaderboard(
  steps: readonly StepRecord[],
  weights: readonly WeightsRecord[],
): LeaderboardRow[] {
  const newest = steps.at(-1);
  if (newest === undefined) return [];
  const run = steps.filter((s) => s.run === newest.run);
  const uids = new Set(newest.rows.map((r) => r.uid));
  newest.weights.forEach((w, uid) => w > 0 && uids.add(uid));
  const latest = new Map<number, { row: StepRecordRow; step: StepRecord }>();
  for (let i = run.length - 1; i >= 0 && latest.size < uids.size; i--) {
    const step = run[i]!;
    for (const row of step.rows)
      if (uids.has(row.uid) && !latest.has(row.uid)) latest.set(row.uid, { row, step });
  }
  const onChain = chainShares(weights.at(-1));
  const rows = [...latest.values()].map(({ row, step }) => {
    const repo = row.model === null ? null : `${row.model.namespace}/${row.model.name}`;
    const commit = row.model?.commit ?? null;
    return {
      rank: 0,
      uid: row.uid,
      hotkey: row.hotkey,
      repo,
      commit,
      url: repo === null ? null : hubUrl(repo, commit),
      committedBlock: row.block,
      averageLoss: row.averageLoss,
      winRate: row.winRate,
      weight: newest.weights[row.uid] ?? 0,
      weightOnChain: onChain === undefined ? null : (onChain.get(row.uid) ?? 0),
      lastEvaluatedStep: step.step,
      lastEvaluatedAt: step.time,
      failure: row.failure,
    };
  });
  rows.sort(
    (a, b) =>
      b.weight - a.weight ||
      (a.averageLoss ?? Number.POSITIVE_INFINITY) - (b.averageLoss ?? Number.POSITIVE_INFINITY) ||
      a.uid - b.uid,
  );
  return rows.map((row, i) => ({ ...row, rank: i + 1 }));
}

/** uid → its share of a `set_weights` (values normalised to sum 1). */
function chainShares(record: WeightsRecord | undefined): Map<number, number> | undefined {
  if (record === undefined) return undefined;
  const total = record.values.reduce((a, b) => a + b, 0);
  return new Map(record.uids.map((uid, i) => [uid, total > 0 ? (record.values[i] ?? 0) / total : 0]));
}
