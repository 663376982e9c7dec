import type { LossBackendPlugin } from '@pretrain/core';
import { conformanceCases } from './cases.js';
import { UnsupportedByCapability } from './conformance-case.js';
import { ConformanceContext } from './context.js';
import { exclusionFor, validateExcludes, type ConformanceOptions } from './options.js';

/** Outcome of one case in {@link runConformance}. */
export interface ConformanceResult {
  readonly id: string;
  readonly title: string;
  /** `unsupported`: skipped, the backend declaring the case's model layout unsupported (and refusing it). */
  readonly status: 'passed' | 'failed' | 'excluded' | 'unsupported';
  /** Failure message, the exclude's reason, or why the model is unsupported. */
  readonly detail?: string;
  readonly durationMs: number;
}

/** Options of {@link runConformance}: the suite's options plus a progress callback. */
export interface RunConformanceOptions extends ConformanceOptions {
  /** Called after each case, e.g. to print progress. */
  readonly onResult?: (result: ConformanceResult) => void;
}

/**
 * Run the conformance suite for `plugin` without vitest, case by case in order, and
 * return every result (a failing case never stops the others). Backend and models are
 * disposed at the end.
 */
export async function runConformance(
  plugin: LossBackendPlugin,
  options: RunConformanceOptions = {},
): Promise<ConformanceResult[]> {
  const cases = conformanceCases();
  const excludes = options.excludes ?? [];
  validateExcludes(
    excludes,
    cases.map((c) => c.id),
  );
  const context = new ConformanceContext(plugin, options);
  const results: ConformanceResult[] = [];
  try {
    for (const testCase of cases) {
      const exclude = exclusionFor(testCase.id, excludes);
      const started = performance.now();
      let result: ConformanceResult;
      if (exclude) {
        result = {
          id: testCase.id,
          title: testCase.title,
          status: 'excluded',
          detail: exclude.reason,
          durationMs: 0,
        };
      } else {
        try {
          await testCase.run(context);
          result = {
            id: testCase.id,
            title: testCase.title,
            status: 'passed',
            durationMs: performance.now() - started,
          };
        } catch (error) {
          const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          result = {
            id: testCase.id,
            title: testCase.title,
            status: error instanceof UnsupportedByCapability ? 'unsupported' : 'failed',
            detail,
            durationMs: performance.now() - started,
          };
        }
      }
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    await context.close();
  }
  return results;
}
