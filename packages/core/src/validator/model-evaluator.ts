import type { BatchShape } from './batch-file.js';
import type { ChildEvalCall } from './child-evaluator.js';
import type { EvalOutcome } from './eval-outcome.js';

/**
 * An evaluation whose process is started and whose model is loading (or loaded), held
 * back before the sanity check until {@link run}: the look-ahead of an eval step.
 */
export interface PreparedEvaluation {
  /**
   * Let it go on to the sanity check and the losses; the per-model limit starts now (or
   * once loaded, if later). Resolves with the outcome; a failure while loading ahead is
   * this model's outcome and nobody else's. Rejects only when the call's signal aborts.
   */
  run(): Promise<EvalOutcome>;
  /** Kill it without evaluating (the step ended before its turn); `run` then rejects or fails. */
  cancel(): void;
}

/**
 * What an eval step needs from an evaluator; {@link ChildProcessEvaluator} is the
 * implementation (one child process per model).
 */
export interface ModelEvaluator {
  /** Never rejects for a bad model (it gets `+Infinity`); rejects only when `call.signal` aborts. */
  evaluate(
    modelDir: string,
    batchFile: string,
    shape: BatchShape,
    call?: ChildEvalCall,
  ): Promise<EvalOutcome>;
  /**
   * Start evaluating now but stop once the model is loaded, until `run()` (optional: an
   * evaluator without it is never asked to look ahead). `run()` gives what `evaluate` gives.
   */
  prepare?(modelDir: string, batchFile: string, shape: BatchShape, call?: ChildEvalCall): PreparedEvaluation;
  /** Kill every evaluation in progress. */
  killAll(): void;
}
