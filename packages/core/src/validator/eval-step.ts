import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset, LocalModelStore, Logger, Metagraph, Tokenizer } from '../contracts/index.js';
import type { ModelCriteria } from '../criteria/index.js';
import { DatasetError } from '@pretrain/backend-sdk';
import { buildBatches } from '../dataset/index.js';
import type { ModelTracker } from '../tracker/index.js';
import { writeBatchFile } from './batch-file.js';
import { failedOutcome, type EvalOutcome } from './eval-outcome.js';
import { ModelContentHashes } from './model-content-hashes.js';
import type { ModelEvaluator } from './model-evaluator.js';
import { scoreStep } from './score-step.js';
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
 * on epsilon.
 */
export async function runEvalStep(input: EvalStepInput): Promise<StepResult> {
  const started = performance.now();
  const { criteria, logger, observer, signal } = input;
  const pages = await input.dataset.samplePages(input.pagesPerEval, { seed: input.seed, signal });
  const batches = buildBatches(pages, input.tokenizer, criteria.batchSize, criteria.sequenceLength);
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
  const outcomes: EvalOutcome[] = [];
  const blocks: number[] = [];
  const sharedWith: (number | undefined)[] = [];
  const share = input.shareEvaluations ?? true;
  const hashes = input.contentHashes ?? new ModelContentHashes();
  // Unsalted content hash → the uid evaluated on those files and its outcome.
  const evaluated = new Map<string, { readonly uid: number; readonly outcome: EvalOutcome }>();
  let evaluations = 0;
  let evalMs = 0;
  let tokens = 0;
  try {
    const batchFile = join(dir, 'batches.i32');
    const shape = await writeBatchFile(batchFile, batches);
    for (const uid of uids) {
      const hotkey = input.metagraph.neurons[uid]?.hotkey ?? '';
      const metadata = input.tracker.get(hotkey);
      blocks.push(metadata?.block ?? Number.POSITIVE_INFINITY);
      observer?.onModelStart?.({ uid, hotkey });
      const path = metadata === undefined ? undefined : await input.local.retrieve(hotkey, metadata.id);
      let outcome: EvalOutcome;
      let leader: number | undefined;
      if (metadata === undefined) {
        outcome = failedOutcome(batches.length, 'no-metadata', 'no valid commitment tracked for this hotkey');
      } else if (path === undefined) {
        outcome = failedOutcome(batches.length, 'download-failed', 'the model is not in the local store');
      } else {
        const key = share ? await hashes.hashOf(path) : undefined;
        const prior = key === undefined ? undefined : evaluated.get(key);
        if (prior !== undefined) {
          ({ outcome, uid: leader } = prior);
          logger.info(`uid ${uid} shares uid ${leader}'s evaluation (identical model files)`, {
            uid,
            hotkey,
            sharedWith: leader,
          });
          observer?.onModelShared?.({ uid, hotkey, sharedWith: leader });
        } else {
          outcome = await input.evaluator.evaluate(path, batchFile, shape, {
            signal,
            onProgress: (progress) => observer?.onModelProgress?.({ uid, ...progress }),
          });
          evaluations += 1;
          evalMs += outcome.durationMs;
          tokens += outcome.tokens;
          // Files replaced while the child read them (a re-download) are not the ones hashed:
          // their outcome is this uid's alone. Unchanged files cost a stat each here.
          if (key !== undefined && (await hashes.hashOf(path)) === key) evaluated.set(key, { uid, outcome });
        }
      }
      sharedWith.push(leader);
      for (const note of outcome.notes ?? []) logger.info(note, { uid, hotkey });
      if (outcome.batchErrors !== undefined) {
        const { count, message } = outcome.batchErrors;
        logger.warn('batches failed; each scores +Infinity', { uid, hotkey, batches: count, error: message });
      }
      if (outcome.failure !== undefined) {
        logger.warn('model evaluation failed', { uid, hotkey, ...outcome.failure });
        // The updater already reported models it could not fetch; count only evaluation refusals.
        if (metadata !== undefined && path !== undefined)
          observer?.onRejection?.({ ...outcome.failure, hotkey, uid });
      }
      outcomes.push(outcome);
      observer?.onModelDone?.({
        uid,
        averageLoss: mean(outcome.losses),
        tokens: leader === undefined ? outcome.tokens : 0,
        durationMs: leader === undefined ? outcome.durationMs : 0,
        ...(leader !== undefined && { sharedWith: leader }),
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const score = scoreStep({
    uids,
    losses: outcomes.map((o) => [...o.losses]),
    blocks,
    previousWeights: input.previousWeights,
    uidCount: input.metagraph.neurons.length,
    sampleMin: input.sampleMin,
  });
  const rows: StepRow[] = uids.map((uid, i) => ({
    uid,
    hotkey: input.metagraph.neurons[uid]?.hotkey ?? '',
    averageLoss: mean(outcomes[i]?.losses ?? []),
    winRate: score.winRates[i] ?? 0,
    wins: score.wins[i] ?? 0,
    weight: score.weights[uid] ?? 0,
    block: blocks[i] ?? Number.POSITIVE_INFINITY,
    failure: outcomes[i]?.failure?.reason,
    sharedWith: sharedWith[i],
  }));
  return {
    step: input.step,
    block: input.block,
    rows,
    batchCount: batches.length,
    evaluations,
    durationMs: Math.round(performance.now() - started),
    tokensPerSecond: evalMs > 0 ? (tokens * 1000) / evalMs : 0,
    weights: score.weights,
    nextUids: score.nextUids,
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.POSITIVE_INFINITY : values.reduce((a, b) => a + b, 0) / values.length;
}
