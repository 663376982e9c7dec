// Runs in the browser as well as in Node: no imports of Node modules here.

/** The part of a step record the charts read. */
export interface ChartStep {
  readonly run: string;
  readonly step: number;
  readonly rows: readonly {
    readonly uid: number;
    readonly averageLoss: number | null;
    readonly winRate: number;
    readonly weight: number;
    readonly losses?: readonly (number | null)[] | undefined;
  }[];
}

/** A quantity charted per uid over steps. */
export type StepMetric = 'averageLoss' | 'winRate' | 'weight';

/** One uid's line: x is the step's position in the list, y null where it was not evaluated or failed. */
export interface UidSeries {
  readonly uid: number;
  readonly points: readonly { readonly x: number; readonly y: number | null }[];
}

/** The x labels (step numbers) and one series per uid that appears in `steps`, by uid. */
export function seriesByUid(
  steps: readonly ChartStep[],
  metric: StepMetric,
): { labels: string[]; series: UidSeries[] } {
  const uids = [...new Set(steps.flatMap((s) => s.rows.map((r) => r.uid)))].sort((a, b) => a - b);
  const series = uids.map((uid) => ({
    uid,
    points: steps.map((step, x) => {
      const value = step.rows.find((r) => r.uid === uid)?.[metric];
      return { x, y: typeof value === 'number' && Number.isFinite(value) ? value : null };
    }),
  }));
  return { labels: steps.map((s) => String(s.step)), series };
}

/** The batch losses of the newest step for `uids` (in that order), skipping uids without them. */
export function lastStepLosses(
  step: ChartStep | null | undefined,
  uids: readonly number[],
): { uid: number; losses: (number | null)[] }[] {
  if (!step) return [];
  const out: { uid: number; losses: (number | null)[] }[] = [];
  for (const uid of uids) {
    const row = step.rows.find((r) => r.uid === uid);
    if (row?.losses !== undefined) out.push({ uid, losses: [...row.losses] });
  }
  return out;
}
