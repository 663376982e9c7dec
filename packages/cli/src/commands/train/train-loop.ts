import { mkdir } from 'node:fs/promises';
import type { Trainer } from '@pretrain/core';
import type { MicroBatchSource } from './batch-source.js';
import { writeCheckpoint, type TrainingState } from './checkpoint.js';
import { lrAt, type LrSchedule } from './lr-schedule.js';
import { writeTrainingLog, type StepRecord } from './training-log.js';

/** What {@link runTraining} does. */
export interface TrainingRun {
  readonly trainer: Trainer;
  readonly source: MicroBatchSource;
  readonly schedule: LrSchedule;
  /** Micro-batches per optimizer step. */
  readonly gradAccum: number;
  /** Stop after this many optimizer steps in all (resumed ones included). */
  readonly steps: number | undefined;
  /** Stop after this many epochs. */
  readonly epochs: number | undefined;
  readonly clipGradNorm: number | undefined;
  /** Where the best model (or, with `saveLast`, the last), the log and the checkpoint go. */
  readonly out: string;
  readonly saveDtype: 'F32' | 'BF16';
  /** `--tokens`: the last model is the result; else the lowest epoch average loss. */
  readonly saveLast: boolean;
  /** Checkpoint every this many steps (and always at the end). */
  readonly checkpointEvery: number | undefined;
  /** The state a resumed run continues from. */
  readonly resumed?: TrainingState | undefined;
  /** True once SIGINT/SIGTERM asked to stop: the run checkpoints after the current step. */
  readonly stopRequested: () => boolean;
  /** Called after every step. */
  readonly onStep?: (record: StepRecord) => void;
  /** Called when a new best model was saved. */
  readonly onBest?: (best: NonNullable<TrainingState['best']>) => void;
  readonly now?: () => number;
}

/** How a run ended. */
export interface TrainingOutcome {
  readonly records: readonly StepRecord[];
  readonly best: TrainingState['best'];
  /** True when a signal stopped it before its end. */
  readonly interrupted: boolean;
}

/**
 * The mining loop of the reference miner: optimizer steps of `gradAccum` micro-batches
 * (fewer at an epoch's end: the next step starts with fresh gradients, where the
 * reference carries the remainder over), the epoch average of the micro-batch losses, the
 * best model saved to `out` after each epoch that lowers it; a checkpoint every
 * `checkpointEvery` steps, on a stop request and at the end.
 */
export async function runTraining(run: TrainingRun): Promise<TrainingOutcome> {
  const now = run.now ?? (() => performance.now());
  await mkdir(run.out, { recursive: true });
  const records: StepRecord[] = [...(run.resumed?.records ?? [])];
  let best = run.resumed?.best;
  let epochLossSum = run.resumed?.epochLossSum ?? 0;
  let epochBatches = run.resumed?.epochBatches ?? 0;
  const state = (): TrainingState => ({
    version: 1,
    step: run.trainer.steps,
    position: run.source.position(),
    records,
    epochLossSum,
    epochBatches,
    best,
  });
  const saveBest = async (loss: number, epoch: number): Promise<void> => {
    if (run.saveLast || (best !== undefined && !(loss < best.loss))) return;
    best = { loss, step: run.trainer.steps, epoch };
    await run.trainer.saveModel(run.out, { dtype: run.saveDtype });
    run.onBest?.(best);
  };
  let interrupted = false;
  let lastEpoch = run.source.position().epoch;
  for (;;) {
    if (run.steps !== undefined && run.trainer.steps >= run.steps) break;
    if (run.epochs !== undefined && run.source.position().epoch >= run.epochs) break;
    if (run.stopRequested()) {
      interrupted = true;
      break;
    }
    const micro: number[][][] = [];
    let ended = false;
    while (micro.length < run.gradAccum && !ended) {
      const next = await run.source.next();
      micro.push(next.batch);
      ended = next.epochEnd;
      lastEpoch = next.epoch;
    }
    const started = now();
    const result = await run.trainer.step(micro, {
      lr: lrAt(run.schedule, run.trainer.steps + 1),
      ...(run.clipGradNorm === undefined ? {} : { clipGradNorm: run.clipGradNorm }),
    });
    const record: StepRecord = {
      step: result.step,
      loss: result.loss,
      lr: result.lr,
      tokens: result.tokens,
      seconds: (now() - started) / 1000,
    };
    records.push(record);
    epochLossSum += result.loss * micro.length;
    epochBatches += micro.length;
    run.onStep?.(record);
    if (ended) {
      await saveBest(epochLossSum / epochBatches, lastEpoch);
      epochLossSum = 0;
      epochBatches = 0;
    }
    if (run.checkpointEvery !== undefined && result.step % run.checkpointEvery === 0) {
      await writeCheckpoint(run.out, run.trainer, state());
    }
  }
  // A run that stops inside an epoch keeps that partial epoch's model when it is the best so far.
  if (!interrupted && epochBatches > 0) await saveBest(epochLossSum / epochBatches, lastEpoch);
  if (run.saveLast && records.length > 0) {
    const last = records.at(-1) as StepRecord;
    best = { loss: last.loss, step: last.step, epoch: lastEpoch };
    await run.trainer.saveModel(run.out, { dtype: run.saveDtype });
  }
  await writeCheckpoint(run.out, run.trainer, state());
  await writeTrainingLog(run.out, records);
  return { records, best, interrupted };
}
