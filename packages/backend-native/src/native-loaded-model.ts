import {
  checkGreedyRequest,
  GreedySelector,
  ModelResource,
  PretrainError,
  reportedMean,
  type GreedyOptions,
  type LoadedModel,
  type ModelSpec,
  type TokenBatch,
} from '@pretrain/backend-sdk';
import type { NativeModelHandle } from './addon.js';
import { fromAddonError } from './native-errors.js';
import { packTokens } from './token-batch.js';

/**
 * A model held by the addon. Its activation buffers are shared, so calls run one at a
 * time in arrival order; `dispose` cancels the running call and waits for it.
 */
export class NativeLoadedModel implements LoadedModel {
  private readonly handle: ModelResource<NativeModelHandle>;
  private queue: Promise<unknown> = Promise.resolve();

  /** @param onDispose lets the backend forget this model. */
  constructor(
    readonly spec: ModelSpec,
    handle: NativeModelHandle,
    private readonly onDispose: (model: NativeLoadedModel) => void = () => {},
  ) {
    this.handle = new ModelResource(handle, spec.dir);
  }

  /** Mean loss per batch; NaN where PyTorch's would be NaN (see `reportedMean`). */
  async losses(
    batches: readonly TokenBatch[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<number[]> {
    const packed = batches.map((batch) => ({ tokens: packTokens(this.spec, batch, 2), rows: batch.length }));
    return this.serial(async (handle) => {
      const out: number[] = [];
      for (const { tokens, rows } of packed) {
        options.signal?.throwIfAborted();
        const length = tokens.length / rows;
        out.push(reportedMean(await handle.lossSum(tokens, rows, length), rows * (length - 1)));
      }
      return out;
    });
  }

  /**
   * Greedy tokens per prompt. Without logits processors the addon decodes alone: the prompt
   * runs once, then one token per step against a KV cache, the argmax in C++. With them,
   * each step's last-position logits come back for the kit's `GreedySelector`; the
   * sequence so far runs again each step (no cache is kept between calls), which for the
   * sanity check's 2 × 20 tokens costs about one more loss batch.
   */
  async greedy(
    prompts: readonly (readonly number[])[],
    count: number,
    options: GreedyOptions = {},
  ): Promise<number[][]> {
    checkGreedyRequest(this.spec, prompts, count, options.excludeTokens, options.processors);
    const excluded = Int32Array.from(options.excludeTokens ?? []);
    return this.serial(async (handle) => {
      const results: number[][] = [];
      for (const prompt of prompts) {
        const selector = new GreedySelector(this.spec.vocabSize, prompt, count, options);
        if (count === 0) results.push([]);
        else if (!selector.active)
          results.push(await handle.generate(Int32Array.from(prompt), count, excluded));
        else {
          const sequence = [...prompt];
          while (sequence.length < prompt.length + count) {
            sequence.push(selector.next(await handle.lastLogits(Int32Array.from(sequence))));
          }
          results.push(selector.generated);
        }
      }
      return results;
    });
  }

  async dispose(): Promise<void> {
    const handle = this.handle.take();
    if (handle === undefined) return;
    this.onDispose(this);
    handle.cancel();
    await this.queue.catch(() => undefined);
    handle.release();
  }

  /** Run `work` after every earlier call, mapping addon errors to typed ones. */
  private serial<T>(work: (handle: NativeModelHandle) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const handle = this.handle.get();
      try {
        return await work(handle);
      } catch (cause) {
        throw cause instanceof PretrainError || (cause as Error).name === 'AbortError'
          ? cause
          : fromAddonError(cause, this.spec.dir);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
