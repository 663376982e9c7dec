import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset, LocalModelStore, Logger, Metagraph, Tokenizer } from '../contracts/index.js';
import type { ModelCriteria } from '../criteria/index.js';
import { DatasetError } from '@pretrain/backend-sdk';
import { buildBatches } from '../dataset/index.js';
import type { ModelTracker } from '../tracker/index.js';
import { writeBatchFile } from './batch-file.js';
import { ModelContentHashes } from './model-content-hashes.js';
import type { ModelEvaluator } from './model-evaluator.js';
import { scoreStep } from './score-step.js';
import { evaluateStepModels, type StepModelsTotals, type UidOutcome } from './step-models.js';
import type { StepResult, StepRow, ValidatorObserver } from './validator-events.js';

/** Everything one eval step reads; it changes nothing outside its result. */
export interface EvalStepInput {
  /** 1-based number of this step. */
  readonly step: number;
  readonly block: number;
  /** Uids to evaluate: the kept ones and the pending ones. */
  readonly uids: readonly number[];
  readonly metagraph: Metagraph;
  readonly tracker: ModelTracker;
  readonly local: LocalModelStore;
  readonly dataset: Dataset;
  readonly tokenizer: Tokenizer;
  /** Criteria of the current block: sequence length and batch size. */
  readonly criteria: ModelCriteria;
  readonly pagesPerEval: number;
  /** Page-sampling seed (the block hash with `--seed-from-chain`). */
  readonly seed?: string | undefined;
  readonly evaluator: ModelEvaluator;
  /** Moving-average weights before the step (index = uid). */
  readonly previousWeights: readonly number[];
  readonly sampleMin: number;
  readonly logger: Logger;
  readonly observer?: ValidatorObserver | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Evaluate each distinct model once (default true): uids whose local files have the
   * same unsalted subnet hash share one evaluation. `false` evaluates every copy again,
   * as the reference does; the scores are the same either way.
   */
  readonly shareEvaluations?: boolean | undefined;
  /** Hashes of the local models, kept across steps (default: hashed afresh this step). */
  readonly contentHashes?: ModelContentHashes | undefined;
  /**
   * Load the next distinct model while the current one is evaluated (default true; the
   * evaluator must support `prepare`). `false` loads each model only after the previous
   * one finished; the scores are the same either way.
   */
  readonly lookAhead?: boolean | undefined;
}

/**
 * One eval step (docs/SUBNET.md §5–§6): sample pages, build batches once, evaluate every
 * distinct model in its own child on those same batches, then score. A uid without
 * metadata or without a local model gets `+Infinity` and block `+Infinity`.
 *
 * Uids whose local files hash alike (the unsalted subnet hash of the bytes on disk,
 * {@link ModelContentHashes}) share the first one's evaluation: the same files on the
 * same batches give the same losses, or the same failure, so scoring them is what
 * evaluating each would give. Each keeps its own block, so a later copy still loses
 * on epsilon. While one model is evaluated the next distinct one is loaded
 * ({@link EvalStepInput.lookAhead}). The result's `timings` and each row's say where the
 * step's time went.
 */
export async function runEvalStep(input: EvalStepInput): Promise<StepResult> {
  const started = performance.now();
  let mark = started;
  const lap = (): number => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  const { criteria, observer, signal } = input;
  const pages = await input.dataset.samplePages(input.pagesPerEval, { seed: input.seed, signal });
  const pagesMs = lap();
  const batches = buildBatches(pages, input.tokenizer, criteria.batchSize, criteria.sequenceLength);
  const batchesMs = lap();
  if (batches.length < 2) {
    // Scoring every model +Infinity would spread the weights evenly: fail the step instead.
    throw new DatasetError(
      `${pages.length} pages gave ${batches.length} batches of ${criteria.batchSize} × ${criteria.sequenceLength} tokens; a step needs at least 2`,
      { hint: 'sample more pages per step (--pages-per-eval) or use a larger dataset' },
    );
  }
  const uids = input.uids.filter((uid) => input.metagraph.neurons[uid] !== undefined);
  observer?.onStepStart?.({ step: input.step, block: input.block, uids, batchCount: batches.length });
  const dir = await mkdtemp(join(tmpdir(), 'pretrain-step-'));
  const results: UidOutcome[] = [];
  let totals: StepModelsTotals;
  let batchFileMs: number;
  let evaluateMs: number;
  try {
    const batchFile = join(dir, 'batches.i32');
    lap();
    const shape = await writeBatchFile(batchFile, batches);
    batchFileMs = lap();
    totals = await evaluateStepModels({
      ...input,
      uids,
      batchFile,
      shape,
      share: input.shareEvaluations ?? true,
      hashes: input.contentHashes ?? new ModelContentHashes(),
      lookAhead: input.lookAhead ?? true,
      call: (uid) => ({
        signal,
        onProgress: (progress) => observer?.onModelProgress?.({ uid, ...progress }),
      }),
      onTurn: (uid, hotkey) => observer?.onModelStart?.({ uid, hotkey }),
      onOutcome: (result) => {
        results.push(result);
        report(input, result);
      },
    });
    evaluateMs = lap();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const score = scoreStep({
    uids,
    losses: results.map((r) => [...r.outcome.losses]),
    blocks: results.map((r) => r.block),
    previousWeights: input.previousWeights,
    uidCount: input.metagraph.neurons.length,
    sampleMin: input.sampleMin,
  });
  const rows: StepRow[] = results.map((r, i) => ({
    uid: r.uid,
    hotkey: r.hotkey,
    averageLoss: mean(r.outcome.losses),
    winRate: score.winRates[i] ?? 0,
    wins: score.wins[i] ?? 0,
    weight: score.weights[r.uid] ?? 0,
    block: r.block,
    failure: r.outcome.failure?.reason,
    sharedWith: r.sharedWith,
    timings: r.timings,
    model: r.model,
    losses: r.outcome.losses,
    stepWeight: score.stepWeights[r.uid] ?? 0,
  }));
  const scoreMs = lap();
  return {
    step: input.step,
    block: input.block,
    rows,
    batchCount: batches.length,
    evaluations: totals.evaluations,
    durationMs: Math.round(performance.now() - started),
    tokensPerSecond: totals.evalMs > 0 ? (totals.tokens * 1000) / totals.evalMs : 0,
    weights: score.weights,
    nextUids: score.nextUids,
    timings: { pagesMs, batchesMs, batchFileMs, hashMs: totals.hashMs, evaluateMs, scoreMs },
    pages: pages.map((page) => page.ref),
  };
}

/** Log one uid's outcome and tell the observer. */
function report(input: EvalStepInput, result: UidOutcome): void {
  const { logger, observer } = input;
  const { uid, hotkey, outcome, sharedWith: leader } = result;
  if (leader !== undefined) {
    logger.info(`uid ${uid} shares uid ${leader}'s evaluation (identical model files)`, {
      uid,
      hotkey,
      sharedWith: leader,
    });
    observer?.onModelShared?.({ uid, hotkey, sharedWith: leader });
  }
  for (const note of outcome.notes ?? []) logger.info(note, { uid, hotkey });
  if (outcome.batchErrors !== undefined) {
    const { count, message } = outcome.batchErrors;
    logger.warn('batches failed; each scores +Infinity', { uid, hotkey, batches: count, error: message });
  }
  if (outcome.failure !== undefined) {
    logger.warn('model evaluation failed', { uid, hotkey, ...outcome.failure });
    // The updater already reported models it could not fetch; count only evaluation refusals.
    if (result.evaluated) observer?.onRejection?.({ ...outcome.failure, hotkey, uid });
  }
  observer?.onModelDone?.({
    uid,
    averageLoss: mean(outcome.losses),
    tokens: leader === undefined ? outcome.tokens : 0,
    durationMs: leader === undefined ? outcome.durationMs : 0,
    timings: result.timings,
    ...(leader !== undefined && { sharedWith: leader }),
  });
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.POSITIVE_INFINITY : values.reduce((a, b) => a + b, 0) / values.length;
}
