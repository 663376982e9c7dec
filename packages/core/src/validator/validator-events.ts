import type { RejectionReason } from '@pretrain/backend-sdk';
import type { PageRef } from '../contracts/index.js';
import type { ModelId } from '../model/index.js';
import type { EvalProgress, ModelTimings } from './eval-outcome.js';
import type { DownloadEvent } from './model-updater.js';

/** One uid's line of a step's table. */
export interface StepRow {
  readonly uid: number;
  readonly hotkey: string;
  /** Mean loss over the step's batches (`Infinity` when it failed). */
  readonly averageLoss: number;
  readonly winRate: number;
  readonly wins: number;
  /** Moving-average weight after the step. */
  readonly weight: number;
  /** Commitment block (`Infinity` without metadata). */
  readonly block: number;
  /** Why its losses are infinite, when they are. */
  readonly failure?: RejectionReason | undefined;
  /** The uid whose evaluation this one shares (identical model files), when it does. */
  readonly sharedWith?: number | undefined;
  /**
   * Where this uid's time went in the step: hashing its files, and the phases of its
   * evaluation (absent for a sharer, whose evaluation is its leader's).
   */
  readonly timings?: ModelTimings | undefined;
  /** The committed model evaluated (absent without a tracked commitment). */
  readonly model?: ModelId | undefined;
  /** The loss of each batch (`+Infinity` failed, `NaN` a NaN loss), in batch order. */
  readonly losses?: readonly number[] | undefined;
  /** The weight this step alone earned (softmax of win rates), before the moving average. */
  readonly stepWeight?: number | undefined;
}

/** Where a step's wall time went, in milliseconds (the evaluations in detail on each row). */
export interface StepTimings {
  /** Chain reads of the step: the block and, with `--seed-from-chain`, its hash. */
  readonly chainMs?: number;
  /** Sampling the pages (dataset reads). */
  readonly pagesMs: number;
  /** Tokenizing the pages into batches. */
  readonly batchesMs: number;
  /** Writing the batch file every evaluation process reads. */
  readonly batchFileMs: number;
  /** Hashing model files to find copies (overlapped with evaluations under look-ahead). */
  readonly hashMs: number;
  /** Wall time of evaluating every uid, hashing and look-ahead included. */
  readonly evaluateMs: number;
  /** Win rates and weights. */
  readonly scoreMs: number;
  /** Saving the validator's state after the step. */
  readonly stateWriteMs?: number;
}

/** What one eval step did. */
export interface StepResult {
  /** 1-based number of the step. */
  readonly step: number;
  /** Chain block when the step started. */
  readonly block: number;
  readonly rows: readonly StepRow[];
  readonly batchCount: number;
  /** Models evaluated: the distinct ones among the rows (copies share an evaluation). */
  readonly evaluations: number;
  readonly durationMs: number;
  /** Tokens scored across all evaluations per second of evaluation (shared ones count once). */
  readonly tokensPerSecond: number;
  /** The moving-average weights of every uid after the step. */
  readonly weights: readonly number[];
  /** Uids kept for the next step. */
  readonly nextUids: readonly number[];
  /** Where the step's time went. */
  readonly timings?: StepTimings | undefined;
  /** Where the step's pages came from. */
  readonly pages?: readonly PageRef[] | undefined;
}

/**
 * Callbacks the CLI attaches for tables, progress and metrics. All optional; a throwing
 * observer is the caller's bug and is not caught.
 */
export interface ValidatorObserver {
  onStepStart?(info: { step: number; block: number; uids: readonly number[]; batchCount: number }): void;
  onModelStart?(info: { uid: number; hotkey: string }): void;
  onModelProgress?(info: { uid: number } & EvalProgress): void;
  /** `tokens` and `durationMs` are 0 for a uid sharing another's evaluation (`sharedWith`). */
  onModelDone?(info: {
    uid: number;
    averageLoss: number;
    tokens: number;
    durationMs: number;
    sharedWith?: number;
    /** Where this uid's time went (see {@link StepRow.timings}). */
    timings?: ModelTimings;
  }): void;
  /** `uid`'s model files are identical to `sharedWith`'s: it gets that evaluation's outcome. */
  onModelShared?(info: { uid: number; hotkey: string; sharedWith: number }): void;
  onStepDone?(result: StepResult): void;
  onRejection?(info: { reason: RejectionReason; hotkey: string; uid?: number; message: string }): void;
  onWeightsSet?(info: { block: number; uids: readonly number[]; values: readonly number[] }): void;
  onWeightsFailed?(info: { message: string }): void;
  /** A competitor's model download started or ended. */
  onDownload?(info: DownloadEvent): void;
}
