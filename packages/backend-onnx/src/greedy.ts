import ort from 'onnxruntime-node';
import type { GreedySelector, ModelSpec } from '@pretrain/backend-sdk';
import { DECODE_IO } from './graph/decode-graph.js';
import type { OrtSession } from './session.js';

/**
 * `count` greedy tokens after `prompt` on a decode session. The prompt runs with an
 * empty cache, then each chosen token runs alone; each run's new keys and values are
 * copied into per-layer buffers preallocated for the whole continuation, and the next
 * run reads a view of their filled part (no per-step cache copies to collect). `selector`
 * picks each token from the model's own last-position logits (not shifted: a repetition
 * penalty depends on their sign).
 */
export async function greedyContinuation(
  decoder: OrtSession,
  spec: ModelSpec,
  prompt: readonly number[],
  count: number,
  selector: GreedySelector,
): Promise<number[]> {
  const width = spec.numKvHeads * spec.headDim;
  const capacity = (prompt.length + count - 1) * width;
  const keys = spec.layers.map(() => new Float32Array(capacity));
  const values = spec.layers.map(() => new Float32Array(capacity));
  let filled = 0; // cached positions
  let input = BigInt64Array.from(prompt, (id) => BigInt(id));
  const generated: number[] = [];
  for (;;) {
    const feeds: Record<string, ort.Tensor> = {
      [DECODE_IO.ids]: new ort.Tensor('int64', input, [1, input.length]),
    };
    spec.layers.forEach((_, i) => {
      const view = (cache: Float32Array[]) => (cache[i] as Float32Array).subarray(0, filled * width);
      feeds[DECODE_IO.pastKeys(i)] = new ort.Tensor('float32', view(keys), [1, filled, width]);
      feeds[DECODE_IO.pastValues(i)] = new ort.Tensor('float32', view(values), [1, filled, width]);
    });
    const out = await decoder.run(feeds);
    const next = selector.next((out[DECODE_IO.lastLogits] as ort.Tensor).data as Float32Array);
    generated.push(next);
    if (generated.length === count) return generated;
    spec.layers.forEach((_, i) => {
      (keys[i] as Float32Array).set(
        (out[DECODE_IO.newKeys(i)] as ort.Tensor).data as Float32Array,
        filled * width,
      );
      (values[i] as Float32Array).set(
        (out[DECODE_IO.newValues(i)] as ort.Tensor).data as Float32Array,
        filled * width,
      );
    });
    filled += input.length;
    input = BigInt64Array.of(BigInt(next));
  }
}
