import type { LossBackendOptions } from '../contracts/index.js';
import type { BatchShape } from './batch-file.js';
import type { EvalOutcome, EvalProgress } from './eval-outcome.js';

/** Parent → child: evaluate one model on the batches in `batchFile`. */
export interface EvalRequestMessage {
  readonly type: 'evaluate';
  /** `--backend` name or path, resolved in the child with `loadBackendPlugin`. */
  readonly backend: string;
  readonly cwd: string;
  readonly backendOptions: LossBackendOptions;
  readonly modelDir: string;
  readonly batchFile: string;
  readonly shape: BatchShape;
  /**
   * Load the model, then wait for an {@link EvalGoMessage} before the sanity check and
   * the losses (a look-ahead evaluation, loaded while the previous model computes).
   */
  readonly wait?: boolean;
}

/** Parent → child: go on from the loaded model to the sanity check and the losses. */
export interface EvalGoMessage {
  readonly type: 'go';
}

/** Anything the parent sends. */
export type EvalParentMessage = EvalRequestMessage | EvalGoMessage;

/** Child → parent: the process is up and has the request (the end of the child-start phase). */
export interface EvalReadyMessage {
  readonly type: 'ready';
}

/** Child → parent: the model is loaded; the per-model limit starts now (docs/SUBNET.md §5). */
export interface EvalLoadedMessage {
  readonly type: 'loaded';
}

/** Child → parent: one more batch done. */
export interface EvalProgressMessage extends EvalProgress {
  readonly type: 'progress';
}

/** Child → parent: the final outcome (the child exits after sending it). */
export interface EvalResultMessage {
  readonly type: 'result';
  readonly outcome: EvalOutcome;
}

/** Anything the child sends. */
export type EvalChildMessage = EvalReadyMessage | EvalLoadedMessage | EvalProgressMessage | EvalResultMessage;
