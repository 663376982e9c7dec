import type { RejectionReason } from '@pretrain/backend-sdk';

/** Why a model's evaluation produced no usable losses. */
export interface EvalFailure {
  /** The label used in logs and metrics. */
  readonly reason: RejectionReason;
  /** What went wrong, for the log line. */
  readonly message: string;
}

/** Batches whose computation threw, each scored `+Infinity` on its own (docs/SUBNET.md §5). */
export interface BatchErrors {
  readonly count: number;
  /** The first error's message, for the log line. */
  readonly message: string;
}

/**
 * The result of evaluating one model on one step's batches. A failed evaluation still
 * has one loss per batch, all `+Infinity` (docs/SUBNET.md §5), so scoring never special-cases it.
 */
export interface EvalOutcome {
  /**
   * Mean cross-entropy per batch; every entry `+Infinity` when {@link failure} is set.
   * `NaN` where the model's loss came out NaN: it wins and loses no match (`isWin`).
   */
  readonly losses: readonly number[];
  /** Set when the model was rejected or its evaluation failed. */
  readonly failure?: EvalFailure | undefined;
  /** Set when some batches (not all) threw: those are `+Infinity`, the others count. */
  readonly batchErrors?: BatchErrors | undefined;
  /** Tokens the model scored (0 on failure), for tokens/s. */
  readonly tokens: number;
  /** Wall time of the evaluation in milliseconds. */
  readonly durationMs: number;
  /**
   * Where the reference's check differs for this model (e.g. its generation config samples),
   * one sentence each, for the validator to log.
   */
  readonly notes?: readonly string[] | undefined;
  /** Where the time went, as far as the evaluation got (absent for a uid never evaluated). */
  readonly timings?: ModelTimings | undefined;
}

/**
 * Where one model's evaluation spent its wall time, in milliseconds: the phases of a step
 * profile (`npm run bench -- --cases step`) and of a dashboard's per-uid history. A phase
 * the evaluation never reached is absent.
 */
export interface ModelTimings {
  /** Hashing its files in the step to find copies (0 when the hash was remembered). */
  readonly hashMs?: number;
  /** From starting the evaluation process until it was ready for work (Node start, imports). */
  readonly childStartMs?: number;
  /** Reading the step's batch file in the child. */
  readonly batchReadMs?: number;
  /** Opening the model (config, safetensors headers, checks) and creating the backend. */
  readonly openMs?: number;
  /** The backend loading the weights. */
  readonly loadMs?: number;
  /** Loaded ahead of its turn (look-ahead), then idle until the previous model was done. */
  readonly waitMs?: number;
  /** The greedy sanity check. */
  readonly sanityMs?: number;
  /** The losses of every batch: the pure compute of the evaluation. */
  readonly lossesMs?: number;
}

/** An outcome giving every one of `batchCount` batches `+Infinity`. */
export function failedOutcome(
  batchCount: number,
  reason: RejectionReason,
  message: string,
  durationMs = 0,
): EvalOutcome {
  return {
    losses: new Array<number>(batchCount).fill(Number.POSITIVE_INFINITY),
    failure: { reason, message },
    tokens: 0,
    durationMs,
  };
}

/** Progress of one model's evaluation, reported after each batch. */
export interface EvalProgress {
  readonly batchesDone: number;
  readonly batchCount: number;
  /** Tokens scored so far. */
  readonly tokens: number;
}
