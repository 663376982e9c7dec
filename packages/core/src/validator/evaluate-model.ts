import { checkedLossBackend, openModelSpec, readGenerationSettings } from '@pretrain/backend-sdk';
import type {
  LossBackend,
  LossBackendOptions,
  LossBackendPlugin,
  LoadedModel,
  TokenBatch,
} from '../contracts/index.js';
import { SUBNET9_CONSTANTS } from '../criteria/index.js';
import { loadBackendPlugin } from '../plugins/index.js';
import { passesSanityCheck, sanityPrompts } from '../scoring/index.js';
import { failedOutcome, type EvalOutcome, type EvalProgress, type ModelTimings } from './eval-outcome.js';
import { errorMessage, rejectionReasonOf } from './rejection-reason.js';

/** Options of {@link evaluateModel}. */
export interface EvaluateModelOptions {
  /**
   * A created backend (reused, not disposed: several models can share it), a plugin, or a
   * `--backend` name or path resolved with `loadBackendPlugin` (created and disposed here).
   */
  readonly backend: LossBackend | LossBackendPlugin | string;
  /** Where a backend name or relative path resolves from (default: the process's cwd). */
  readonly cwd?: string;
  readonly backendOptions?: LossBackendOptions;
  /** The model directory (config.json + safetensors). */
  readonly modelDir: string;
  /** The step's batches; the first two also give the sanity-check prompts. */
  readonly batches: readonly TokenBatch[];
  readonly signal?: AbortSignal;
  /** Run the sanity check first (default true, as validators do). */
  readonly sanityCheck?: boolean;
  /** Called after each batch. */
  readonly onProgress?: (progress: EvalProgress) => void;
  /**
   * Called once the model is loaded, before the sanity check: the per-model time limit
   * of the validator starts here (docs/SUBNET.md §5).
   */
  readonly onLoaded?: () => void;
  /**
   * Awaited once the model is loaded, before the sanity check: a look-ahead evaluation
   * loads its model while the previous one computes, then waits here for its turn. The
   * wait counts in neither `durationMs` nor any phase but `waitMs`.
   */
  readonly beforeRun?: () => Promise<void>;
}

/**
 * Evaluate one model as a subnet-9 validator does (docs/SUBNET.md §5): open it, run the
 * greedy sanity check on prompts from batches 0 and 1 (the EOS ids and logits processors
 * of its generation config applied, `readGenerationSettings`), then compute the loss of
 * every batch. Never throws for a bad model: a failure to open, load or sanity-check it
 * gives `+Infinity` on every batch with a reason; an error while computing one batch
 * gives `+Infinity` to that batch only, as the reference does. A NaN loss stays NaN.
 * Used by the validator's child processes and by `pretrain eval`.
 */
export async function evaluateModel(options: EvaluateModelOptions): Promise<EvalOutcome> {
  const started = performance.now();
  const count = options.batches.length;
  const timings: Mutable<ModelTimings> = {};
  // Marks the end of a phase and returns how long it took since the previous mark.
  let mark = started;
  const lap = (): number => {
    const now = performance.now();
    const ms = now - mark;
    mark = now;
    return Math.round(ms);
  };
  const elapsed = () => Math.round(performance.now() - started - (timings.waitMs ?? 0));
  let owned: LossBackend | undefined;
  let model: LoadedModel | undefined;
  try {
    const given = options.backend;
    const spec = await openModelSpec(options.modelDir);
    let backend: LossBackend;
    if (typeof given === 'object' && 'load' in given) backend = checkedLossBackend(given);
    else {
      const plugin =
        typeof given === 'string'
          ? await loadBackendPlugin(given, { cwd: options.cwd ?? process.cwd() })
          : given;
      backend = owned = checkedLossBackend(await plugin.createLossBackend(options.backendOptions ?? {}));
    }
    timings.openMs = lap();
    model = await backend.load(spec);
    timings.loadMs = lap();
    options.onLoaded?.();
    if (options.beforeRun !== undefined) {
      await options.beforeRun();
      timings.waitMs = lap();
    }
    let notes: readonly string[] = [];
    if (options.sanityCheck ?? true) {
      const prompts = sanityPrompts(options.batches);
      const generation = await readGenerationSettings(spec.dir, spec.vocabSize);
      notes = generation.notes;
      const continuations = await model.greedy(prompts, SUBNET9_CONSTANTS.sanityGeneratedTokens, {
        excludeTokens: generation.eosTokenIds,
        processors: generation.processors,
      });
      timings.sanityMs = lap();
      if (!passesSanityCheck(continuations)) {
        const message = 'greedy continuations are repetitive or identical';
        return { ...failedOutcome(count, 'sanity-check', message, elapsed()), notes, timings };
      }
    }
    const losses: number[] = [];
    let tokens = 0;
    let errors: { count: number; first: unknown } | undefined;
    for (const batch of options.batches) {
      options.signal?.throwIfAborted();
      let loss: number | undefined;
      try {
        [loss] = await model.losses([batch], { signal: options.signal });
        tokens += batch.reduce((sum, row) => sum + row.length, 0);
      } catch (error) {
        options.signal?.throwIfAborted();
        errors = { count: (errors?.count ?? 0) + 1, first: errors?.first ?? error };
      }
      losses.push(loss ?? Number.POSITIVE_INFINITY);
      options.onProgress?.({ batchesDone: losses.length, batchCount: count, tokens });
    }
    timings.lossesMs = lap();
    if (errors !== undefined && errors.count === count) throw errors.first;
    const batchErrors =
      errors === undefined ? undefined : { count: errors.count, message: errorMessage(errors.first) };
    return {
      losses,
      tokens,
      durationMs: elapsed(),
      notes,
      timings,
      ...(batchErrors && { batchErrors }),
    };
  } catch (error) {
    options.signal?.throwIfAborted();
    return {
      ...failedOutcome(count, rejectionReasonOf(error, 'eval-failed'), errorMessage(error), elapsed()),
      timings,
    };
  } finally {
    await model?.dispose().catch(() => undefined);
    await owned?.dispose().catch(() => undefined);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
