import ort from 'onnxruntime-node';
import type { ModelSpec } from '@pretrain/core';
import { DECODE_IO } from './graph/decode-graph.js';
import type { OrtSession } from './session.js';

/**
 * `count` greedy tokens after `prompt` on a decode session: the prompt runs with an
 * empty cache, then each chosen token runs alone against the returned cache.
 */
export async function greedyContinuation(
  decoder: OrtSession,
  spec: ModelSpec,
  prompt: readonly number[],
  count: number,
  excluded: ReadonlySet<number>,
): Promise<number[]> {
  const { numKvHeads: KV, headDim: hd } = spec;
  const empty = new Float32Array(0);
  let cache: Record<string, ort.Tensor> = {};
  spec.layers.forEach((_, i) => {
    cache[DECODE_IO.pastKeys(i)] = new ort.Tensor('float32', empty, [1, KV, 1, hd, 0]);
    cache[DECODE_IO.pastValues(i)] = new ort.Tensor('float32', empty, [1, KV, 1, 0, hd]);
  });
  let input = BigInt64Array.from(prompt, (id) => BigInt(id));
  const generated: number[] = [];
  for (;;) {
    const out = await decoder.run({
      [DECODE_IO.ids]: new ort.Tensor('int64', input, [1, input.length]),
      ...cache,
    });
    const next = argmaxExcluding((out[DECODE_IO.lastLogits] as ort.Tensor).data as Float32Array, excluded);
    generated.push(next);
    if (generated.length === count) return generated;
    cache = {};
    spec.layers.forEach((_, i) => {
      cache[DECODE_IO.pastKeys(i)] = out[DECODE_IO.presentKeys(i)] as ort.Tensor;
      cache[DECODE_IO.pastValues(i)] = out[DECODE_IO.presentValues(i)] as ort.Tensor;
    });
    input = BigInt64Array.of(BigInt(next));
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
