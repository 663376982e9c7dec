import { checkClose, checkEqual, check } from './assertions.js';
import type { ConformanceCase } from './conformance-case.js';
import { loadBatches, type ConformanceContext } from './context.js';
import type { GoldenModel } from '../fixtures/goldens.js';

/**
 * Per fixture model: losses and greedy tokens against the PyTorch reference; skipped (by
 * capability) for a model whose layout the backend declares unsupported.
 */
export function goldenCases(models: readonly GoldenModel[]): ConformanceCase[] {
  return models.flatMap((golden) => [
    {
      id: `golden-losses:${golden.name}`,
      title: `${golden.architecture} ${golden.name}: losses match the reference`,
      async run(context: ConformanceContext) {
        await context.requireSupport(golden.name);
        const model = await context.model(golden.name);
        const losses = await model.losses(loadBatches(golden.batches));
        checkClose(losses, golden.losses, context.tolerance, `${golden.name} losses`);
      },
    },
    {
      id: `golden-greedy:${golden.name}`,
      title: `${golden.architecture} ${golden.name}: greedy tokens match the reference`,
      async run(context: ConformanceContext) {
        await context.requireSupport(golden.name);
        const model = await context.model(golden.name);
        const exclude = model.spec.eosTokenIds;
        const prompts = loadBatches(golden.prompts);
        for (const [b, batch] of prompts.entries()) {
          const tokens = await model.greedy(batch, context.goldens.tool.greedyTokens, {
            excludeTokens: exclude,
          });
          if (context.options.precision === 'reduced') {
            checkGreedyShape(tokens, batch.length, context.goldens.tool.greedyTokens, exclude);
          } else {
            checkEqual(tokens, golden.greedy[b], `${golden.name} greedy tokens of prompt batch ${b}`);
          }
        }
      },
    },
  ]);
}

function checkGreedyShape(tokens: number[][], rows: number, count: number, exclude: readonly number[]): void {
  check(tokens.length === rows, `greedy returned ${tokens.length} rows, expected ${rows}`);
  for (const row of tokens) {
    check(row.length === count, `greedy returned ${row.length} tokens, expected ${count}`);
    check(!row.some((t) => exclude.includes(t)), `greedy chose an excluded token: ${JSON.stringify(row)}`);
  }
}
