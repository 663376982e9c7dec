import type { ConformanceContext } from './context.js';

/** One conformance check, runnable under vitest or the programmatic runner. */
export interface ConformanceCase {
  /** Stable id used by excludes, e.g. `golden-losses:llama-gqa-f32-sharded`. */
  readonly id: string;
  /** What it checks, in words. */
  readonly title: string;
  /** Rejects with a ConformanceFailure (or the backend's error) when the backend fails it. */
  run(context: ConformanceContext): Promise<void>;
}

/**
 * Thrown by a case whose model needs a layout the backend declares unsupported (by its
 * `capabilities`), after the backend was seen to refuse that model with an
 * `UnsupportedModelError`: the case is skipped with `reason`, never failed or run wrong.
 */
export class UnsupportedByCapability extends Error {
  override readonly name = 'UnsupportedByCapability';
}
