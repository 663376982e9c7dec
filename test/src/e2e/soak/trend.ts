/** One resource's samples over time. */
export interface Series {
  readonly name: string;
  /** Unit of the values, for the report (`MiB`, `count`, …). */
  readonly unit: string;
  /** Growth per hour allowed after warm-up, in `unit`. */
  readonly boundPerHour: number;
  /**
   * For a small count bounded by design (live child processes: 0, 1 or 2), the most
   * allowed after warm-up. A least-squares slope on such a series measures where in a
   * step the samples fell, not a leak; a leak shows as the count passing this cap.
   */
  readonly cap?: number;
}

/** The verdict on one series. */
export interface TrendVerdict {
  readonly name: string;
  readonly unit: string;
  /** Least-squares slope over the post-warm-up samples, per hour. */
  readonly slopePerHour: number;
  readonly boundPerHour: number;
  /** The series' {@link Series.cap}, when it is judged by its maximum instead. */
  readonly cap?: number;
  readonly first: number;
  readonly last: number;
  readonly max: number;
  readonly ok: boolean;
}

/** Least-squares slope of `ys` against `xs` (0 with fewer than two distinct xs). */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Judge each series on the samples taken after `warmupMs`: its least-squares slope per
 * hour must stay within its bound. A leak grows steadily, so a fit over the whole
 * post-warm-up window sees it where a first-versus-last comparison would see noise.
 * A series with a {@link Series.cap} is judged by its maximum instead.
 */
export function judgeTrends(
  times: readonly number[],
  values: Readonly<Record<string, readonly number[]>>,
  series: readonly Series[],
  warmupMs: number,
): TrendVerdict[] {
  const start = times[0] ?? 0;
  const kept = times.map((t, i) => [t, i] as const).filter(([t]) => t - start >= warmupMs);
  const hours = kept.map(([t]) => (t - start) / 3_600_000);
  return series.map(({ name, unit, boundPerHour, cap }) => {
    const ys = kept.map(([, i]) => values[name]![i]!);
    const slopePerHour = leastSquaresSlope(hours, ys);
    const max = Math.max(...ys);
    const within = cap === undefined ? slopePerHour <= boundPerHour : max <= cap;
    return {
      name,
      unit,
      slopePerHour,
      boundPerHour,
      ...(cap === undefined ? {} : { cap }),
      first: ys[0] ?? NaN,
      last: ys.at(-1) ?? NaN,
      max,
      ok: ys.length >= 2 && within,
    };
  });
}
