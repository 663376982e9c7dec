import { generationSettings, readGenerationSettings } from '@pretrain/core';
import type { ProcessorGolden } from '../fixtures/processor-goldens-file.js';
import { check, checkEqual } from './assertions.js';
import type { ConformanceCase } from './conformance-case.js';
import type { ConformanceContext } from './context.js';

/**
 * Per scenario of `greedy-processors.json`: greedy tokens with a generation config's
 * logits processors (read by core's `readGenerationSettings` / `generationSettings`, as
 * the sanity check does) against the plain fp64 reference.
 */
export function processorCases(goldens: readonly ProcessorGolden[], greedyTokens: number): ConformanceCase[] {
  return goldens.map((golden) => ({
    id: `greedy-processors:${golden.name}`,
    title: `greedy with the logits processors of ${golden.name} matches the plain reference`,
    async run(context: ConformanceContext) {
      const model = await context.model(golden.model);
      const settings =
        golden.source === 'generation_config.json'
          ? await readGenerationSettings(context.dir(golden.model), model.spec.vocabSize)
          : generationSettings({}, golden.generation, model.spec.vocabSize);
      const tokens = await model.greedy(golden.prompts, greedyTokens, {
        excludeTokens: settings.eosTokenIds,
        processors: settings.processors,
      });
      if (context.options.precision === 'reduced') {
        check(
          tokens.every((row) => row.length === greedyTokens),
          `greedy returned rows of ${tokens.map((row) => row.length).join(', ')} tokens, expected ${greedyTokens}`,
        );
      } else {
        checkEqual(tokens, golden.greedy, `${golden.name} greedy tokens`);
      }
    },
  }));
}
