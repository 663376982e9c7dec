import type { ModelSpec } from '@pretrain/backend-sdk';
import { DECODE_ATTENTION, sequenceContext, type KvCache } from './attention.js';
import { GraphBuilder, type TensorSignature } from './graph-builder.js';
import { lastLogits } from './lm-head.js';
import { transformer } from './transformer.js';

/** Names of the decode graph's inputs and outputs; `i` is the layer. */
export const DECODE_IO = {
  /** `int64 [B, T]`: the new tokens (the whole prompt first, then one token per step). */
  ids: 'input_ids',
  /** `float32 [B, vocab]`: logits of the last new token. */
  lastLogits: 'last_logits',
  /** `float32 [B, P, KV·hd]`: cached keys (rope applied) and values of layer `i`. */
  pastKeys: (i: number) => `past_keys_${i}`,
  pastValues: (i: number) => `past_values_${i}`,
  /** `float32 [B, T, KV·hd]`: keys and values of the new tokens, to append to the cache. */
  newKeys: (i: number) => `new_keys_${i}`,
  newValues: (i: number) => `new_values_${i}`,
} as const;

/**
 * The KV-cache ONNX model for greedy continuation: new tokens and the cache in, the last
 * logits and the new tokens' keys and values out. Only the new rows come back, so the
 * caller appends them to a preallocated cache instead of copying the whole cache out of
 * and into onnxruntime at every step. An empty cache (P = 0) runs the prompt.
 */
export function buildDecodeGraph(spec: ModelSpec): Uint8Array {
  const g = new GraphBuilder(spec.dir);
  const pasts: KvCache[] = spec.layers.map((_, i) => ({
    keys: DECODE_IO.pastKeys(i),
    values: DECODE_IO.pastValues(i),
  }));
  const ctx = sequenceContext(g, spec, DECODE_IO.ids, DECODE_ATTENTION, pasts[0]?.values);
  const { hidden, current } = transformer(g, spec, DECODE_IO.ids, ctx, pasts);
  g.alias(lastLogits(g, spec, hidden), DECODE_IO.lastLogits);
  current.forEach((c, i) => {
    g.alias(c.keys, DECODE_IO.newKeys(i));
    g.alias(c.values, DECODE_IO.newValues(i));
  });
  const width = spec.numKvHeads * spec.headDim;
  const cache = (name: (i: number) => string, length: string): TensorSignature[] =>
    spec.layers.map((_, i) => ({ name: name(i), type: 'float32', dims: ['batch', length, width] }));
  return g.build(
    [
      { name: DECODE_IO.ids, type: 'int64', dims: ['batch', 'sequence'] },
      ...cache(DECODE_IO.pastKeys, 'past'),
      ...cache(DECODE_IO.pastValues, 'past'),
    ],
    [
      { name: DECODE_IO.lastLogits, type: 'float32', dims: ['batch', spec.vocabSize] },
      ...cache(DECODE_IO.newKeys, 'sequence'),
      ...cache(DECODE_IO.newValues, 'sequence'),
    ],
  );
}
