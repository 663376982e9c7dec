import type { ModelSpec } from '../artifacts/model-spec.js';
import type { GreedyOptions, LoadedModel, LossBackend, TokenBatch } from '../contracts/loss-backend.js';
import { PluginContractError } from '../errors/domain-errors.js';
import { isPretrainError } from '../errors/pretrain-error.js';
import { GreedySelector } from './greedy-selector.js';
import type { CheckedBatch, LoadedModelHandler, LossSum } from './loaded-model-handler.js';
import { disposedError, reportedMean } from './model-resource.js';
import { checkGreedyRequest, checkTokenRows } from './token-rows.js';

// Marks facades, also across two copies of this package, so the host wraps a model once.
const FACADE = Symbol.for('pretrain.checkedLoadedModel');

/** Options of {@link createLoadedModel}. */
export interface LoadedModelFacadeOptions {
  /** The backend's name, for errors about results that break the contract. */
  readonly backend: string;
  /** Called once when `dispose` starts (a backend forgets the model). */
  readonly onDispose?: () => void;
}

/**
 * The checking facade: a `LoadedModel` whose inputs, results and lifetime are checked in
 * one place, around a backend's thin {@link LoadedModelHandler}.
 *
 * - `losses` checks every batch (`checkTokenRows`: rows, lengths, ids) before any runs,
 *   stops between batches when the caller's signal aborts or the model is disposed, and
 *   reports each batch's `sum / count` through `reportedMean` (NaN stays NaN, +∞ stays,
 *   −∞ is NaN, as PyTorch's `CrossEntropyLoss` would give them).
 * - `greedy` checks the request (`checkGreedyRequest`), answers 0 tokens itself, and hands
 *   the handler one `GreedySelector` per prompt; the tokens that come back must be
 *   `count` ids inside the vocabulary per prompt.
 * - Calls run one at a time in arrival order; after `dispose` every call rejects with
 *   `PRETRAIN_DISPOSED`. `dispose` is idempotent: it aborts the running call's signal,
 *   asks the handler to `interrupt`, waits for the call to end, then releases once.
 *
 * A result that breaks the contract (a loss that is not a number, a token outside the
 * vocabulary) is a `PluginContractError` naming the backend, never a wrong score.
 */
export function createLoadedModel(
  spec: ModelSpec,
  handler: LoadedModelHandler,
  options: LoadedModelFacadeOptions,
): LoadedModel {
  return new CheckedLoadedModel(spec, handler, options);
}

/**
 * What the host does with every model a backend loads: a model made by
 * {@link createLoadedModel} is returned as it is; any other `LoadedModel` (a backend
 * written without the kit) is wrapped, so it gets the same checks.
 */
export function checkedLoadedModel(model: LoadedModel, backend: string): LoadedModel {
  if ((model as Partial<Record<typeof FACADE, boolean>>)[FACADE] === true) return model;
  return createLoadedModel(model.spec, foreignHandler(model, backend), { backend });
}

/**
 * `backend` with every model it loads passed through {@link checkedLoadedModel}; every other
 * member (capabilities, dispose, extensions such as training) is the backend's own. The
 * host wraps each backend it creates once, so no path loads an unchecked model.
 */
export function checkedLossBackend<B extends LossBackend>(backend: B): B {
  if ((backend as Partial<Record<typeof FACADE, boolean>>)[FACADE] === true) return backend;
  const load = async (spec: ModelSpec) => checkedLoadedModel(await backend.load(spec), backend.name);
  return new Proxy(backend, {
    get(target, key) {
      if (key === FACADE) return true;
      if (key === 'load') return load;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

class CheckedLoadedModel implements LoadedModel {
  readonly [FACADE] = true;
  private queue: Promise<unknown> = Promise.resolve();
  private disposing: Promise<void> | undefined;
  private readonly disposal = new AbortController();

  constructor(
    readonly spec: ModelSpec,
    private readonly handler: LoadedModelHandler,
    private readonly options: LoadedModelFacadeOptions,
  ) {}

  async losses(
    batches: readonly TokenBatch[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<number[]> {
    const checked = batches.map((batch) => checkBatch(this.spec, batch));
    return this.serial(async (signal) => {
      const out: number[] = [];
      for (const batch of checked) {
        signal.throwIfAborted();
        out.push(this.mean(await this.handler.lossSum(batch, signal)));
      }
      return out;
    }, options.signal);
  }

  async greedy(
    prompts: readonly (readonly number[])[],
    count: number,
    options: GreedyOptions = {},
  ): Promise<number[][]> {
    checkGreedyRequest(this.spec, prompts, count, options.excludeTokens, options.processors);
    const { vocabSize } = this.spec;
    return this.serial(async (signal) => {
      if (count === 0) return prompts.map((): number[] => []);
      const excluded = (options.excludeTokens ?? []).filter(
        (id) => Number.isInteger(id) && id >= 0 && id < vocabSize,
      );
      const selectors = prompts.map((prompt) => new GreedySelector(vocabSize, prompt, count, options));
      const request = { prompts, count, options, selectors, excludeTokens: Int32Array.from(excluded) };
      return this.checkTokens(await this.handler.greedy(request, signal), prompts.length, count);
    });
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.disposal.abort(disposedError(this.spec.dir));
      this.options.onDispose?.();
      this.handler.interrupt?.();
      await this.queue;
      await this.handler.release();
    })();
    return this.disposing;
  }

  /** Run `work` after every earlier call, unless the model is disposed by then. */
  private serial<T>(work: (signal: AbortSignal) => Promise<T>, caller?: AbortSignal): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.disposing !== undefined) throw disposedError(this.spec.dir);
      const own = this.disposal.signal;
      try {
        return await work(caller === undefined ? own : AbortSignal.any([caller, own]));
      } catch (cause) {
        if (isPretrainError(cause) || (cause as Error | undefined)?.name === 'AbortError') throw cause;
        throw this.handler.describeError?.(cause) ?? cause;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private mean(loss: LossSum): number {
    const { sum, count } = (loss ?? {}) as Partial<LossSum>;
    if (typeof sum !== 'number' || !Number.isInteger(count) || (count as number) < 1) {
      throw this.broken(`a loss of ${describe(loss)}, not { sum: number, count: integer ≥ 1 }`);
    }
    return reportedMean(sum, count as number);
  }

  private checkTokens(result: unknown, prompts: number, count: number): number[][] {
    if (!Array.isArray(result) || result.length !== prompts) {
      throw this.broken(`${describe(result)} for ${prompts} greedy prompts`);
    }
    (result as unknown[]).forEach((row, p) => {
      if (!Array.isArray(row) || row.length !== count) {
        throw this.broken(`${describe(row)} for prompt ${p}, not ${count} tokens`);
      }
      row.forEach((id: unknown, t) => {
        if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= this.spec.vocabSize) {
          throw this.broken(`token ${describe(id)} at prompt ${p}, step ${t}: outside the vocabulary`);
        }
      });
    });
    return result as number[][];
  }

  private broken(what: string): PluginContractError {
    return new PluginContractError(`backend ${this.options.backend} returned ${what} (${this.spec.dir})`, {
      hint: 'a bug in the backend: report it to its authors',
    });
  }
}

/** Check a loss batch and pack it row-major. */
function checkBatch(spec: ModelSpec, batch: TokenBatch): CheckedBatch {
  const { rows, length } = checkTokenRows(spec, batch, 2);
  const tokens = new Int32Array(rows * length);
  batch.forEach((row, r) => tokens.set(row, r * length));
  return { rows, length, tokens, batch };
}

/** A `LoadedModel` made without the kit, driven batch by batch behind the facade. */
function foreignHandler(model: LoadedModel, backend: string): LoadedModelHandler {
  return {
    async lossSum(batch, signal) {
      const out: unknown = await model.losses([batch.batch], { signal });
      if (!Array.isArray(out) || out.length !== 1) {
        throw new PluginContractError(`backend ${backend} returned ${describe(out)} for one loss batch`);
      }
      return { sum: out[0] as number, count: 1 };
    },
    greedy: (request) => model.greedy(request.prompts, request.count, request.options),
    release: () => model.dispose(),
  };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
}
