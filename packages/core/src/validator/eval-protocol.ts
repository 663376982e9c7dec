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
export type EvalChildMessage = EvalLoadedMessage | EvalProgressMessage | EvalResultMessage;
