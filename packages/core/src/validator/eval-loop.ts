import type { Logger } from '../contracts/index.js';
import { errorMessage } from './rejection-reason.js';
import { sleep } from './sleep.js';
import type { StepResult } from './validator-events.js';

/** What {@link runEvalLoop} drives. */
export interface EvalLoopInput {
  /** One step; undefined when there was nothing to evaluate. */
  readonly runStep: (signal: AbortSignal) => Promise<StepResult | undefined>;
  /** Limit of each step; an overrun aborts it (nothing of it is kept). */
  readonly stepTimeoutMs: number;
  /** Wait after a failed or empty step. */
  readonly idleMs: number;
  /** Stop after this many completed steps (default: never). */
  readonly maxSteps?: number | undefined;
  readonly logger: Logger;
}

/**
 * The eval loop (SUBNET9.md §7): one step at a time, each under its time limit; a failed
 * step is logged and the loop goes on. Returns the number of completed steps.
 */
export async function runEvalLoop(input: EvalLoopInput, signal: AbortSignal): Promise<number> {
  let done = 0;
  while (!signal.aborted && done < (input.maxSteps ?? Number.POSITIVE_INFINITY)) {
    const stepSignal = AbortSignal.any([signal, AbortSignal.timeout(input.stepTimeoutMs)]);
    const result = await input.runStep(stepSignal).catch((error: unknown) => {
      if (!signal.aborted) input.logger.error('eval step failed', { error: errorMessage(error) });
      return undefined;
    });
    if (result === undefined) await sleep(input.idleMs, signal);
    else done++;
  }
  return done;
}
