import ort from 'onnxruntime-node';
import {
  checkGreedyRequest,
  GreedySelector,
  ModelResource,
  reportedMean,
  type GreedyOptions,
  type LoadedModel,
  type ModelSpec,
  type TokenBatch,
} from '@pretrain/backend-sdk';
import { GRAPH_IO } from './graph/causal-lm-graph.js';
import { greedyContinuation } from './greedy.js';
import type { OrtSession } from './session.js';
import { packTokenBatch } from './token-batch.js';

/** A model held by an onnxruntime session on its loss graph (plus a decode session during `greedy`). */
export class OnnxLoadedModel implements LoadedModel {
  private readonly session: ModelResource<OrtSession>;

  /**
   * @param openDecoder opens a session on the KV-cache decode graph (for `greedy`).
   * @param onDispose lets the backend forget this model.
   */
  constructor(
    readonly spec: ModelSpec,
    session: OrtSession,
    private readonly openDecoder: () => Promise<OrtSession>,
    private readonly onDispose: (model: OnnxLoadedModel) => void = () => {},
  ) {
    this.session = new ModelResource(session, spec.dir);
  }

  /** Mean loss per batch; NaN where PyTorch's would be NaN (see `reportedMean`). */
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
      out.push(reportedMean(sum, rows));
    }
    return out;
  }

  /**
   * Greedy tokens per prompt with a KV cache: the prompt runs once, then one token per
   * step. The decode session lives only for this call, so its mapping of the weights
   * does not stay resident beside the loss session's.
   */
  async greedy(
    prompts: readonly (readonly number[])[],
    count: number,
    options: GreedyOptions = {},
  ): Promise<number[][]> {
    checkGreedyRequest(this.spec, prompts, count, options.excludeTokens, options.processors);
    if (count === 0) return prompts.map(() => []);
    this.session.get();
    const decoder = await this.openDecoder();
    try {
      const results: number[][] = [];
      for (const prompt of prompts)
        results.push(
          await greedyContinuation(
            decoder,
            this.spec,
            prompt,
            count,
            new GreedySelector(this.spec.vocabSize, prompt, count, options),
          ),
        );
      return results;
    } finally {
      await decoder.release();
    }
  }

  async dispose(): Promise<void> {
    const session = this.session.take();
    if (session === undefined) return;
    this.onDispose(this);
    await session.release();
  }

  private async run(ids: BigInt64Array, rows: number, output: string): Promise<ort.Tensor['data']> {
    const input = new ort.Tensor('int64', ids, [rows, ids.length / rows]);
    const result = await this.session.get().run({ [GRAPH_IO.ids]: input }, [output]);
    return (result[output] as ort.Tensor).data;
  }
}
