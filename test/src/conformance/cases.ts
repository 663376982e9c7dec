import { behaviourCases } from './behaviour-cases.js';
import type { ConformanceCase } from './conformance-case.js';
import { loadGoldens } from './context.js';
import { readProcessorGoldens } from '../fixtures/processor-goldens-file.js';
import { goldenCases } from './golden-cases.js';
import { logitOffsetCases } from './logit-offset-cases.js';
import { processorCases } from './processor-cases.js';
import { robustnessCases } from './robustness-cases.js';

/**
 * Every conformance case, in run order: goldens per model, offset logits, greedy
 * processors, behaviour, robustness.
 */
export function conformanceCases(): ConformanceCase[] {
  const processors = readProcessorGoldens();
  return [
    ...goldenCases(loadGoldens().models),
    ...logitOffsetCases,
    ...processorCases(processors.cases, processors.greedyTokens),
    ...behaviourCases,
    ...robustnessCases,
  ];
}

/** The ids of {@link conformanceCases}, for excludes. */
export function conformanceCaseIds(): string[] {
  return conformanceCases().map((c) => c.id);
}
