import type { LossBackendPlugin } from '@pretrain/core';
import { afterAll, describe, it } from 'vitest';
import { conformanceCases } from './cases.js';
import { UnsupportedByCapability } from './conformance-case.js';
import { ConformanceContext } from './context.js';
import { exclusionFor, validateExcludes, type ConformanceOptions } from './options.js';

/** Time allowed to one case (the repeated load/dispose case loads 20 models). */
const CASE_TIMEOUT_MS = 300_000;

/**
 * Register the backend conformance suite for `plugin` with vitest. Excluded cases are
 * not registered; every exclude must carry a reason and name an existing case.
 *
 * ```ts
 * describeBackendConformance(onnxPlugin, { excludes: [{ test: 'golden-greedy:gpt2-micro-random', reason: '…' }] });
 * ```
 */
export function describeBackendConformance(
  plugin: LossBackendPlugin,
  options: ConformanceOptions = {},
): void {
  const cases = conformanceCases();
  const excludes = options.excludes ?? [];
  validateExcludes(
    excludes,
    cases.map((c) => c.id),
  );
  describe(`backend conformance: ${plugin.meta.name}`, () => {
    const context = new ConformanceContext(plugin, options);
    afterAll(() => context.close());
    for (const testCase of cases) {
      if (exclusionFor(testCase.id, excludes)) continue;
      it(
        `${testCase.id}: ${testCase.title}`,
        async (test) => {
          try {
            await testCase.run(context);
          } catch (error) {
            if (!(error instanceof UnsupportedByCapability)) throw error;
            test.skip(error.message);
          }
        },
        CASE_TIMEOUT_MS,
      );
    }
  });
}
