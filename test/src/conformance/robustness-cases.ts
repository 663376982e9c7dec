import { open, stat, truncate } from 'node:fs/promises';
import { openModelSpec, type ModelSpec, type TensorView } from '@pretrain/core';
import { check, checkEqual, checkRejects } from './assertions.js';
import type { ConformanceCase } from './conformance-case.js';
import type { ConformanceContext } from './context.js';

/** Load `spec` and compute one loss, disposing whatever got loaded. */
async function loadAndEvaluate(context: ConformanceContext, spec: ModelSpec): Promise<number[]> {
  const model = await (await context.backend()).load(spec);
  try {
    return await model.losses([context.batches.batches[0] as number[][]]);
  } finally {
    await model.dispose();
  }
}

/** Replace the embedding view (and the head, when tied) with `view`. */
function withEmbedding(spec: ModelSpec, view: TensorView, extra: Partial<ModelSpec> = {}): ModelSpec {
  return { ...spec, ...extra, embedding: view, lmHead: spec.tiedEmbeddings ? view : spec.lmHead };
}

/** Write the float32 `value` over element 0 of `view` (an F32 tensor). */
async function poke(view: TensorView, value: number): Promise<void> {
  const handle = await open(view.file, 'r+');
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value);
  await handle.write(bytes, 0, 4, view.offset);
  await handle.close();
}

/** Typed errors for bad models, non-finite weights, determinism and resource release. */
export const robustnessCases: readonly ConformanceCase[] = [
  {
    id: 'unsupported-architecture',
    title: 'an architecture family the backend does not know rejects with UnsupportedModelError',
    async run(context) {
      const spec = await context.spec('gpt2-tied-f32');
      const alien = { ...spec, architecture: 'BertForMaskedLM', family: 'bert' } as unknown as ModelSpec;
      await checkRejects(
        () => loadAndEvaluate(context, alien),
        'PRETRAIN_UNSUPPORTED_MODEL',
        'load of family "bert"',
      );
    },
  },
  {
    id: 'unsupported-dtype',
    title: 'a weight dtype outside F32/F16/BF16 rejects with UnsupportedModelError',
    async run(context) {
      const spec = await context.spec('gpt2-tied-f32');
      const f64 = { ...spec.embedding, dtype: 'F64' } as unknown as TensorView;
      const alien = withEmbedding(spec, f64, { dtypes: ['F64'] as unknown as ModelSpec['dtypes'] });
      await checkRejects(
        () => loadAndEvaluate(context, alien),
        'PRETRAIN_UNSUPPORTED_MODEL',
        'load of F64 weights',
      );
    },
  },
  {
    id: 'truncated-weights',
    title: 'weights truncated after the spec was read reject with CorruptModelError',
    async run(context) {
      const dir = await context.copy('gpt2-tied-f32');
      const spec = await openModelSpec(dir);
      const file = spec.embedding.file;
      await truncate(file, Math.floor((await stat(file)).size / 2));
      await checkRejects(
        () => loadAndEvaluate(context, spec),
        'PRETRAIN_CORRUPT_MODEL',
        'load of a truncated file',
      );
    },
  },
  {
    id: 'corrupt-weights',
    title: 'a tensor view outside its file rejects with CorruptModelError',
    async run(context) {
      const [name] = await context.supported(['llama-gqa-f32-sharded', 'gpt2-tied-f32']);
      const spec = await context.spec(name as string);
      const size = (await stat(spec.embedding.file)).size;
      const outside = withEmbedding(spec, { ...spec.embedding, offset: size + 64 });
      await checkRejects(
        () => loadAndEvaluate(context, outside),
        'PRETRAIN_CORRUPT_MODEL',
        'load of a view past EOF',
      );
    },
  },
  {
    id: 'non-finite-weights',
    title: 'Inf or NaN weights give a NaN loss, as PyTorch does, not a crash and not Infinity',
    async run(context) {
      // PyTorch (tools/reference_loss.py on copies poked the same way, batch 0)
      // gives NaN for all three: ±∞ in the final norm meets ∞ − ∞ in the logits. A NaN
      // loss must stay NaN: the reference's iswin then counts the batch for neither side.
      const values = new Map([
        ['gpt2-tied-f32', Infinity],
        ['llama-gqa-f32-sharded', NaN],
        ['neox-parallel-f32', -Infinity],
      ]);
      for (const name of await context.supported([...values.keys()])) {
        const value = values.get(name) as number;
        const spec = await openModelSpec(await context.copy(name));
        check(spec.finalNorm !== undefined, `${name} has no final norm`);
        await poke(spec.finalNorm.weight, value);
        const losses = await loadAndEvaluate(context, spec);
        check(
          losses.length === 1 && Number.isNaN(losses[0]),
          `${name} losses with ${value} in the final norm: ${JSON.stringify(losses.map(String))}, expected ["NaN"]`,
        );
      }
    },
  },
  {
    id: 'nan-logit',
    title: 'one NaN weight in the LM head (one NaN logit per position) gives a NaN loss, not Infinity',
    async run(context) {
      // One NaN logit makes every position's log-sum-exp NaN in PyTorch (reference_loss.py
      // on these copies gives [NaN]); a max that skips NaN must not hide it.
      for (const name of await context.supported(['gpt2-tied-f32', 'llama-gqa-f32-sharded'])) {
        const spec = await openModelSpec(await context.copy(name));
        await poke(spec.lmHead, NaN);
        const losses = await loadAndEvaluate(context, spec);
        check(
          losses.length === 1 && Number.isNaN(losses[0]),
          `${name} losses with NaN in the LM head: ${JSON.stringify(losses.map(String))}, expected ["NaN"]`,
        );
      }
    },
  },
  {
    id: 'determinism',
    title: 'the same batches give bit-identical losses and tokens, also after reloading',
    async run(context) {
      const name = (await context.supported(['llama-gqa-f32-sharded', 'gpt2-tied-f32']))[0] as string;
      const batches = context.batches.batches;
      const model = await context.model(name);
      const first = await model.losses(batches);
      const again = await model.losses(batches);
      const reloaded = await loadAndEvaluateAll(context, name, batches);
      check(
        first.every((l, i) => Object.is(l, again[i])),
        `losses differ between runs: ${first} vs ${again}`,
      );
      check(
        first.every((l, i) => Object.is(l, reloaded[i])),
        `losses differ after reload: ${first} vs ${reloaded}`,
      );
      const prompts = context.batches.prompts[0] as number[][];
      checkEqual(await model.greedy(prompts, 5), await model.greedy(prompts, 5), 'greedy tokens of two runs');
    },
  },
  {
    id: 'repeated-load-dispose',
    title: 'load, evaluate and dispose 20 times without memory growth; dispose is idempotent',
    async run(context) {
      const spec = await context.spec('gpt2-vocab50257-bf16');
      const backend = await context.backend();
      const batch = [[464, 3290, 318, 257, 1332, 13, 50256, 464]];
      const limit = context.options.rssGrowthLimit ?? 64 * 2 ** 20;
      let baseline = 0;
      let expected: number | undefined;
      for (let i = 0; i < 20; i++) {
        const model = await backend.load(spec);
        const [loss] = await model.losses([batch]);
        await model.dispose();
        await model.dispose();
        expected ??= loss;
        check(Object.is(loss, expected), `iteration ${i}: loss ${loss}, earlier ${expected}`);
        if (i === 4) baseline = settledRss();
      }
      const growth = settledRss() - baseline;
      check(
        growth <= limit,
        `RSS grew ${(growth / 2 ** 20).toFixed(1)} MiB over 15 load/dispose cycles (limit ${limit / 2 ** 20} MiB)`,
      );
    },
  },
];

async function loadAndEvaluateAll(
  context: ConformanceContext,
  name: string,
  batches: number[][][],
): Promise<number[]> {
  const model = await (await context.backend()).load(await context.spec(name));
  try {
    return await model.losses(batches);
  } finally {
    await model.dispose();
  }
}

/** RSS after a full GC when the process exposes one (`--expose-gc`). */
function settledRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}
