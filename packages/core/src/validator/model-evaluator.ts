import type { BatchShape } from './batch-file.js';
import type { ChildEvalCall } from './child-evaluator.js';
import type { EvalOutcome } from './eval-outcome.js';

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
  /** Kill every evaluation in progress. */
  killAll(): void;
}
