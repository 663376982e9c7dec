import type { Logger } from '../contracts/index.js';
import { errorMessage } from './rejection-reason.js';
import { sleep } from './sleep.js';
import type { StepResult } from './validator-events.js';

/** What {@link runEvalLoop} drives. */
export interface EvalLoopInput {
  /** One step; undefined when there was nothing to evaluate. */
  readonly runStep: (signal: AbortSignal) => Promise<StepResult | undefined>;
  /**
   * A step running longer than this is reported (a warning), never cut short: its
   * finished evaluations count, as in the reference, whose limit never interrupted a
   * step (docs/SUBNET.md §5). Each model is bounded by the evaluator's own limits.
   */
  readonly stepTimeoutMs: number;
  /** Wait after a failed or empty step. */
  readonly idleMs: number;
  /** Stop after this many completed steps (default: never). */
  readonly maxSteps?: number | undefined;
  readonly logger: Logger;
}

/**
 * The eval loop (docs/SUBNET.md §7): one step at a time; a step that overruns
 * `stepTimeoutMs` is logged and still completes; a failed step is logged and the loop
 * goes on. Returns the number of completed steps.
 */
export async function runEvalLoop(input: EvalLoopInput, signal: AbortSignal): Promise<number> {
  let done = 0;
  while (!signal.aborted && done < (input.maxSteps ?? Number.POSITIVE_INFINITY)) {
    const overrun = setTimeout(() => {
      input.logger.warn('eval step is taking longer than the step cadence; it runs to completion', {
        limitSeconds: input.stepTimeoutMs / 1000,
      });
    }, input.stepTimeoutMs);
    const result = await input
      .runStep(signal)
      .catch((error: unknown) => {
        if (!signal.aborted) input.logger.error('eval step failed', { error: errorMessage(error) });
        return undefined;
      })
      .finally(() => clearTimeout(overrun));
    if (result === undefined) await sleep(input.idleMs, signal);
    else done++;
  }
  return done;
}
