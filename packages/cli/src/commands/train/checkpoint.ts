import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptModelError, type Trainer } from '@pretrain/core';
import type { SourcePosition } from './batch-source.js';
import type { StepRecord } from './training-log.js';

/** The run's state besides weights and moments: enough to continue bit for bit. */
export interface TrainingState {
  readonly version: 1;
  /** Optimizer steps done. */
  readonly step: number;
  /** The next micro-batch. */
  readonly position: SourcePosition;
  /** Every step so far (the log and the curve continue from them). */
  readonly records: readonly StepRecord[];
  /** Sum and count of the current epoch's micro-batch losses. */
  readonly epochLossSum: number;
  readonly epochBatches: number;
  /** The best epoch average so far and the step it ended at, if any. */
  readonly best: { readonly loss: number; readonly step: number; readonly epoch: number } | undefined;
}

/**
 * `<out>.checkpoint`, beside the model directory (so `pretrain push --model-dir <out>` never
 * sees it): `model/` (fp32 weights), `optimizer.safetensors`, `state.json`.
 */
export function checkpointDir(out: string): string {
  return `${out}.checkpoint`;
}

/**
 * `<out>.init`: the model a run started from when it is not the user's directory (the
 * fresh weights of `--init`, or a resumed checkpoint's model copied out of the checkpoint,
 * which the next checkpoint replaces). Saving reads the config and untrained tensors there.
 */
export function originDir(out: string): string {
  return `${out}.init`;
}

/**
 * Write a checkpoint beside the old one, then swap it in, so an interruption while writing
 * leaves the previous checkpoint whole.
 */
export async function writeCheckpoint(out: string, trainer: Trainer, state: TrainingState): Promise<void> {
  const dir = checkpointDir(out);
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await trainer.saveModel(join(partial, 'model'), { dtype: 'F32' });
  await trainer.saveOptimizerState(join(partial, 'optimizer.safetensors'));
  await writeFile(join(partial, 'state.json'), `${JSON.stringify(state)}\n`);
  await rm(`${dir}.old`, { recursive: true, force: true });
  await rename(dir, `${dir}.old`).catch(() => undefined);
  await rename(partial, dir);
  await rm(`${dir}.old`, { recursive: true, force: true });
}

/**
 * Read `<out>.checkpoint/state.json`.
 * @throws CorruptModelError when there is none or it is not one `pretrain train` wrote.
 */
export async function readCheckpointState(out: string): Promise<TrainingState> {
  const path = join(checkpointDir(out), 'state.json');
  let state: TrainingState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as TrainingState;
  } catch (cause) {
    throw new CorruptModelError(`no checkpoint to resume at "${path}"`, {
      hint: 'resume with the --out of a run that wrote a checkpoint (--checkpoint-every, or an interrupted run)',
      cause,
    });
  }
  const ok =
    state.version === 1 &&
    Number.isSafeInteger(state.step) &&
    Number.isSafeInteger(state.position?.epoch) &&
    Number.isSafeInteger(state.position?.index) &&
    Array.isArray(state.records);
  if (!ok) throw new CorruptModelError(`"${path}" is not a checkpoint state pretrain train wrote`);
  return state;
}
