import ort from 'onnxruntime-node';
import type {
  CheckedBatch,
  CheckedGreedyRequest,
  LoadedModelHandler,
  LossSum,
  ModelSpec,
} from '@pretrain/backend-sdk';
import { GRAPH_IO } from './graph/causal-lm-graph.js';
import { greedyContinuation } from './greedy.js';
import type { OrtSession } from './session.js';

/**
 * A model held by an onnxruntime session on its loss graph (plus a decode session during
 * `greedy`), behind the SDK's checking facade (`createLoadedModel`), which checks inputs
 * and results and runs one call at a time.
 */
export class OnnxLoadedModel implements LoadedModelHandler {
  /** @param openDecoder opens a session on the KV-cache decode graph (for `greedy`). */
  constructor(
    private readonly spec: ModelSpec,
    private readonly session: OrtSession,
    private readonly openDecoder: () => Promise<OrtSession>,
  ) {}

  /** The sum of the batch's per-row mean losses (the graph's `rowLoss` output), over its rows. */
  async lossSum({ tokens, rows, length }: CheckedBatch): Promise<LossSum> {
    const ids = BigInt64Array.from(tokens, (id) => BigInt(id));
    const input = new ort.Tensor('int64', ids, [rows, length]);
    const result = await this.session.run({ [GRAPH_IO.ids]: input }, [GRAPH_IO.rowLoss]);
    let sum = 0;
    for (const value of (result[GRAPH_IO.rowLoss] as ort.Tensor).data as Float32Array) sum += value;
    return { sum, count: rows };
  }

  /**
   * Greedy tokens per prompt with a KV cache: the prompt runs once, then one token per
   * step. The decode session lives only for this call, so its mapping of the weights
   * does not stay resident beside the loss session's.
   */
  async greedy({ prompts, count, selectors }: CheckedGreedyRequest): Promise<number[][]> {
    const decoder = await this.openDecoder();
    try {
      const results: number[][] = [];
      for (const [i, prompt] of prompts.entries()) {
        results.push(await greedyContinuation(decoder, this.spec, prompt, count, selectors[i]!));
      }
      return results;
    } finally {
      await decoder.release();
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
