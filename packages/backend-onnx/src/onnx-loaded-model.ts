import ort from 'onnxruntime-node';
import {
  PretrainError,
  UsageError,
  type GreedyOptions,
  type LoadedModel,
  type ModelSpec,
  type TokenBatch,
} from '@pretrain/core';
import { GRAPH_IO } from './graph/causal-lm-graph.js';
import type { OrtSession } from './session.js';
import { packTokenBatch } from './token-batch.js';

/** A model held by one onnxruntime session whose graph outputs per-row losses and last logits. */
export class OnnxLoadedModel implements LoadedModel {
  private session: OrtSession | undefined;

  constructor(
    readonly spec: ModelSpec,
    session: OrtSession,
    private readonly onDispose: (model: OnnxLoadedModel) => void = () => {},
  ) {
    this.session = session;
  }

  /** Mean loss per batch; any non-finite result (NaN or ±∞ weights) becomes `Infinity`. */
  async losses(
    batches: readonly TokenBatch[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<number[]> {
    const packed = batches.map((batch) => ({
      data: packTokenBatch(this.spec, batch, 2),
      rows: batch.length,
    }));
    const out: number[] = [];
    for (const { data, rows } of packed) {
      options.signal?.throwIfAborted();
      const rowLosses = (await this.run(data, rows, GRAPH_IO.rowLoss)) as Float32Array;
      let sum = 0;
      for (const value of rowLosses) sum += value;
      const mean = sum / rows;
      out.push(Number.isFinite(mean) ? mean : Infinity);
    }
    return out;
  }

  /** Greedy tokens per prompt, recomputing the prefix each step (prompts are short: ~100 tokens). */
  async greedy(
    prompts: readonly (readonly number[])[],
    count: number,
    options: GreedyOptions = {},
  ): Promise<number[][]> {
    if (!Number.isInteger(count) || count < 0)
      throw new UsageError(`greedy token count must be ≥ 0, got ${count}`);
    const excluded = new Set(options.excludeTokens ?? []);
    const results: number[][] = [];
    for (const prompt of prompts) {
      if (prompt.length + count - 1 > this.spec.maxPositions) {
        throw new UsageError(
          `a ${prompt.length}-token prompt plus ${count} new tokens exceeds ${this.spec.maxPositions} positions`,
        );
      }
      const ids = [...prompt];
      const generated: number[] = [];
      for (let step = 0; step < count; step += 1) {
        const logits = (await this.run(
          packTokenBatch(this.spec, [ids], 1),
          1,
          GRAPH_IO.lastLogits,
        )) as Float32Array;
        const next = argmaxExcluding(logits, excluded);
        ids.push(next);
        generated.push(next);
      }
      results.push(generated);
    }
    return results;
  }

  async dispose(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session === undefined) return;
    this.onDispose(this);
    await session.release();
  }

  private async run(ids: BigInt64Array, rows: number, output: string): Promise<ort.Tensor['data']> {
    if (this.session === undefined) {
      throw new PretrainError('PRETRAIN_DISPOSED', `model "${this.spec.dir}" was disposed`, {
        hint: 'load the model again before evaluating it',
      });
    }
    const input = new ort.Tensor('int64', ids, [rows, ids.length / rows]);
    const result = await this.session.run({ [GRAPH_IO.ids]: input }, [output]);
    const tensor = result[output] as ort.Tensor;
    return tensor.data;
  }
}

/** Index of the largest logit not in `excluded` (the first on ties, as torch.argmax); NaN never wins. */
export function argmaxExcluding(logits: Float32Array, excluded: ReadonlySet<number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i += 1) {
    const value = logits[i] as number;
    if (excluded.has(i)) continue;
    if (best === -1 || value > bestValue || Number.isNaN(bestValue)) {
      best = i;
      bestValue = value;
    }
  }
  return best;
}
