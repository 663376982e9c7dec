import type {
  CheckedBatch,
  CheckedGreedyRequest,
  LoadedModelHandler,
  LossSum,
  ModelSpec,
} from '@pretrain/backend-sdk';
import type { NativeModelHandle } from './addon.js';
import { fromAddonError } from './native-errors.js';

/**
 * A model held by the addon, behind the SDK's checking facade (`createLoadedModel`). The
 * facade runs one call at a time, which the addon's shared activation buffers need, and on
 * dispose interrupts the running call (`cancel`) and waits for it before the release.
 */
export class NativeLoadedModel implements LoadedModelHandler {
  constructor(
    private readonly spec: ModelSpec,
    private readonly handle: NativeModelHandle,
  ) {}

  /** The sum of every position's loss, from the addon in one call. */
  async lossSum({ tokens, rows, length }: CheckedBatch): Promise<LossSum> {
    return { sum: await this.handle.lossSum(tokens, rows, length), count: rows * (length - 1) };
  }

  /**
   * Greedy tokens per prompt. Without logits processors the addon decodes alone: the prompt
   * runs once, then one token per step against a KV cache, the argmax in C++. With them,
   * each step's last-position logits come back for the kit's `GreedySelector`; the
   * sequence so far runs again each step (no cache is kept between calls), which for the
   * sanity check's 2 × 20 tokens costs about one more loss batch.
   */
  async greedy({ prompts, count, selectors, excludeTokens }: CheckedGreedyRequest): Promise<number[][]> {
    const results: number[][] = [];
    for (const [i, prompt] of prompts.entries()) {
      const selector = selectors[i]!;
      if (!selector.active) {
        results.push(await this.handle.generate(Int32Array.from(prompt), count, excludeTokens));
        continue;
      }
      const sequence = [...prompt];
      while (sequence.length < prompt.length + count) {
        sequence.push(selector.next(await this.handle.lastLogits(Int32Array.from(sequence))));
      }
      results.push(selector.generated);
    }
    return results;
  }

  interrupt(): void {
    this.handle.cancel();
  }

  describeError(cause: unknown): Error {
    return fromAddonError(cause, this.spec.dir);
  }

  release(): void {
    this.handle.release();
  }
}
