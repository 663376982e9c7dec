import type { LossBackendOptions } from '@pretrain/core';

/** A conformance case left out for a backend, and why. */
export interface ConformanceExclude {
  /** A case id (e.g. `golden-greedy:gpt2-micro-random`) or a prefix ending in `*` (`golden-greedy:*`). */
  readonly test: string;
  /** Why the backend cannot pass it; required, shown in reports. */
  readonly reason: string;
}

/** Options of {@link describeBackendConformance} and {@link runConformance}. */
export interface ConformanceOptions {
  readonly excludes?: readonly ConformanceExclude[];
  /**
   * `fp32` (default): losses must match the goldens within 1e-5 relative and greedy tokens
   * exactly. `reduced` (fp16/bf16 compute): 1e-2 relative, greedy tokens only checked for
   * shape and excluded tokens.
   */
  readonly precision?: 'fp32' | 'reduced';
  /** Passed to `plugin.createLossBackend` (e.g. `{ device: 'cuda' }`). */
  readonly backendOptions?: LossBackendOptions;
  /** Allowed RSS growth over the repeated load/dispose case, in bytes (default 64 MiB). */
  readonly rssGrowthLimit?: number;
}

/** The exclusion that applies to case `id`, if any. */
export function exclusionFor(
  id: string,
  excludes: readonly ConformanceExclude[],
): ConformanceExclude | undefined {
  return excludes.find((e) => matches(e.test, id));
}

/**
 * Check that every exclude has a reason and names at least one existing case, so a
 * typo never silently disables nothing (or a renamed case silently runs again).
 */
export function validateExcludes(excludes: readonly ConformanceExclude[], ids: readonly string[]): void {
  for (const exclude of excludes) {
    if (typeof exclude.reason !== 'string' || exclude.reason.trim() === '') {
      throw new Error(
        `conformance exclude "${exclude.test}" has no reason; say why the backend cannot pass it`,
      );
    }
    if (!ids.some((id) => matches(exclude.test, id))) {
      throw new Error(`conformance exclude "${exclude.test}" names no case; known cases: ${ids.join(', ')}`);
    }
  }
}

function matches(pattern: string, id: string): boolean {
  return pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : pattern === id;
}
