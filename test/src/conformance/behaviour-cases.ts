import { check, checkClose, checkRejects } from './assertions.js';
import type { ConformanceCase } from './conformance-case.js';
import { loadBatches, type ConformanceContext } from './context.js';

/** Fixtures the behaviour cases run on: learned positions, rotary, partial rotary. */
const MODELS = ['gpt2-tied-f32', 'llama-gqa-f32-sharded', 'neox-parallel-f32'] as const;

/** Run `body` for each of {@link MODELS} the backend's capabilities cover (at least one). */
async function each(context: ConformanceContext, body: (name: string) => Promise<void>): Promise<void> {
  for (const name of await context.supported(MODELS)) await body(name);
}

/** Batching, sequence-length edges and greedy exclusions. */
export const behaviourCases: readonly ConformanceCase[] = [
  {
    id: 'batch-independence',
    title: 'each batch’s loss is the same alone as among other batches',
    run: (context) =>
      each(context, async (name) => {
        const model = await context.model(name);
        const batches = loadBatches(context.golden(name).batches);
        const together = await model.losses(batches);
        const alone: number[] = [];
        for (const batch of batches) alone.push(...(await model.losses([batch])));
        checkClose(together, alone, context.tolerance, `${name} losses of all batches vs one by one`);
      }),
  },
  {
    id: 'rows-independent',
    title: 'a batch of rows (batch size > 1) averages its rows, with no leakage between rows',
    run: (context) =>
      each(context, async (name) => {
        const { batches, pairBatch, rowBatches } = context.batches;
        const model = await context.model(name);
        const [pair, first, second] = await model.losses([
          batches[pairBatch] as number[][],
          batches[rowBatches[0]] as number[][],
          batches[rowBatches[1]] as number[][],
        ]);
        check(
          pair !== undefined && first !== undefined && second !== undefined,
          `${name}: expected 3 losses`,
        );
        checkClose(
          [pair],
          [(first + second) / 2],
          context.tolerance,
          `${name} loss of a 2-row batch vs its rows`,
        );
      }),
  },
  {
    id: 'sequence-two-tokens',
    title: 'rows of 2 tokens (one prediction each) match the reference',
    run: (context) => lengthCase(context, context.batches.twoTokenBatch),
  },
  {
    id: 'sequence-max-positions',
    title: 'rows of exactly max positions match the reference',
    run: (context) => lengthCase(context, context.batches.maxLengthBatch),
  },
  {
    id: 'sequence-beyond-max-positions',
    title: 'rows longer than max positions reject with a UsageError',
    run: (context) =>
      each(context, async (name) => {
        const model = await context.model(name);
        const row = Array.from({ length: model.spec.maxPositions + 1 }, (_, i) => i % 7);
        await checkRejects(
          () => model.losses([[row, row]]),
          'PRETRAIN_USAGE',
          `${name} losses of ${row.length} tokens`,
        );
      }),
  },
  {
    id: 'greedy-exclude-tokens',
    title: 'greedy never picks an excluded token, and refuses to exclude them all',
    run: (context) =>
      each(context, async (name) => {
        const model = await context.model(name);
        const prompt = loadBatches(context.golden(name).prompts)[0] as number[][];
        const [free] = await model.greedy(prompt.slice(0, 1), 3);
        const banned = (free ?? []).slice(0, 1);
        const [constrained] = await model.greedy(prompt.slice(0, 1), 3, { excludeTokens: banned });
        check(
          constrained?.length === 3,
          `${name}: greedy returned ${JSON.stringify(constrained)}, expected 3 tokens`,
        );
        check(
          !constrained.some((t) => banned.includes(t)),
          `${name}: greedy chose excluded token ${String(banned)}`,
        );
        const everyToken = Array.from({ length: model.spec.vocabSize }, (_, i) => i);
        await checkRejects(
          () => model.greedy(prompt.slice(0, 1), 1, { excludeTokens: everyToken }),
          'PRETRAIN_USAGE',
          `${name} greedy with every token excluded`,
        );
      }),
  },
];

async function lengthCase(context: ConformanceContext, index: number): Promise<void> {
  await each(context, async (name) => {
    const golden = context.golden(name);
    const model = await context.model(name);
    const batch = loadBatches(golden.batches)[index] as number[][];
    const losses = await model.losses([batch]);
    checkClose(losses, [golden.losses[index] as number], context.tolerance, `${name} loss of batch ${index}`);
  });
}
