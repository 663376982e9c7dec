import type { PageRef } from '../contracts/index.js';
import type { ModelId } from '../model/index.js';
import type { ModelTimings, StepResult, StepTimings } from '../validator/index.js';

/** A finite number, or null where the value was `+Infinity`, `-Infinity` or `NaN` (JSON has none). */
export type JsonNumber = number | null;

/** Min, median and max of a uid's finite batch losses, and how many were not finite. */
export interface LossSummary {
  readonly min: JsonNumber;
  readonly median: JsonNumber;
  readonly max: JsonNumber;
  /** Batches whose loss was `+Infinity` (failed) or `NaN`. */
  readonly nonFinite: number;
}

/** One uid's line of a {@link StepRecord}. */
export interface StepRecordRow {
  readonly uid: number;
  readonly hotkey: string;
  /** The committed model evaluated; null without a tracked commitment. */
  readonly model: ModelId | null;
  /** Commitment block; null without one. */
  readonly block: JsonNumber;
  /** Mean batch loss; null when it is not finite (a failed model). */
  readonly averageLoss: JsonNumber;
  readonly lossSummary: LossSummary;
  /** Every batch's loss; the dashboard keeps them in memory for the newest step only. */
  readonly losses?: readonly JsonNumber[] | undefined;
  readonly wins: number;
  readonly winRate: number;
  /** What the step alone gave the uid (softmax of win rates). */
  readonly stepWeight: number;
  /** Moving-average weight after the step. */
  readonly weight: number;
  readonly failure: string | null;
  readonly sharedWith: number | null;
  /** Where the uid's time went (hashing, child start, load, sanity check, losses; ms), when measured. */
  readonly timings?: ModelTimings | undefined;
}

/** One completed eval step as the history stores it (a JSON line). */
export interface StepRecord {
  /** Format version of the line. */
  readonly v: 1;
  readonly type: 'step';
  /** The validator state's run id: step numbers restart with a new run. */
  readonly run: string;
  readonly step: number;
  /** When the step finished, ms since the epoch. */
  readonly time: number;
  /** Chain block at the start of the step. */
  readonly block: number;
  readonly batchCount: number;
  readonly evaluations: number;
  readonly durationMs: number;
  readonly tokensPerSecond: number;
  /** Where the step's time went (pages, batches, evaluations, scoring; ms), when measured. */
  readonly timings?: StepTimings | undefined;
  readonly pages: readonly PageRef[];
  readonly rows: readonly StepRecordRow[];
  /** Moving-average weights of every uid after the step (index = uid). */
  readonly weights: readonly number[];
}

/** A `set_weights` that landed on chain. */
export interface WeightsRecord {
  readonly v: 1;
  readonly type: 'weights';
  readonly time: number;
  readonly block: number;
  readonly uids: readonly number[];
  readonly values: readonly number[];
}

/** `x` when finite, else null. */
export function jsonNumber(x: number): JsonNumber {
  return Number.isFinite(x) ? x : null;
}

/** {@link LossSummary} of one uid's batch losses. */
export function summariseLosses(losses: readonly number[]): LossSummary {
  const finite = losses.filter(Number.isFinite).sort((a, b) => a - b);
  const n = finite.length;
  const median =
    n === 0 ? null : n % 2 === 1 ? finite[(n - 1) / 2]! : (finite[n / 2 - 1]! + finite[n / 2]!) / 2;
  return {
    min: n === 0 ? null : finite[0]!,
    median,
    max: n === 0 ? null : finite[n - 1]!,
    nonFinite: losses.length - n,
  };
}

/** The history line of `result`, finished at `time` (ms), in run `run`. */
export function stepRecordOf(run: string, result: StepResult, time: number): StepRecord {
  return {
    v: 1,
    type: 'step',
    run,
    step: result.step,
    time,
    block: result.block,
    batchCount: result.batchCount,
    evaluations: result.evaluations,
    durationMs: result.durationMs,
    tokensPerSecond: result.tokensPerSecond,
    ...(result.timings !== undefined && { timings: result.timings }),
    pages: result.pages ?? [],
    rows: result.rows.map((row) => {
      const losses = row.losses ?? [];
      const { timings } = row;
      return {
        uid: row.uid,
        hotkey: row.hotkey,
        model: row.model ?? null,
        block: jsonNumber(row.block),
        averageLoss: jsonNumber(row.averageLoss),
        lossSummary: summariseLosses(losses),
        losses: losses.map(jsonNumber),
        wins: row.wins,
        winRate: row.winRate,
        stepWeight: row.stepWeight ?? 0,
        weight: row.weight,
        failure: row.failure ?? null,
        sharedWith: row.sharedWith ?? null,
        ...(timings !== undefined && { timings }),
      };
    }),
    weights: [...result.weights],
  };
}
