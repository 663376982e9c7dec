import type { ModelSpec } from '@pretrain/core';
import { sequenceContext, type KvCache } from './attention.js';
import { GraphBuilder, type TensorSignature } from './graph-builder.js';
import { lastLogits } from './lm-head.js';
import { transformer } from './transformer.js';

/** Names of the decode graph's inputs and outputs; `i` is the layer. */
export const DECODE_IO = {
  /** `int64 [B, T]`: the new tokens (the whole prompt first, then one token per step). */
  ids: 'input_ids',
  /** `float32 [B, vocab]`: logits of the last new token. */
  lastLogits: 'last_logits',
  pastKeys: (i: number) => `past_keys_${i}`,
  pastValues: (i: number) => `past_values_${i}`,
  presentKeys: (i: number) => `present_keys_${i}`,
  presentValues: (i: number) => `present_values_${i}`,
} as const;

/**
 * The KV-cache ONNX model for greedy continuation: new tokens in, last logits and the
 * grown cache out. Keys are cached transposed, `[B, KV, 1, hd, P]`, values as
 * `[B, KV, 1, P, hd]`; an empty cache (P = 0) runs the prompt.
 */
export function buildDecodeGraph(spec: ModelSpec): Uint8Array {
  const g = new GraphBuilder(spec.dir);
  const pasts: KvCache[] = spec.layers.map((_, i) => ({
    keys: DECODE_IO.pastKeys(i),
    values: DECODE_IO.pastValues(i),
  }));
  const ctx = sequenceContext(g, spec, DECODE_IO.ids, pasts[0]?.values);
  const { hidden, presents } = transformer(g, spec, DECODE_IO.ids, ctx, pasts);
  g.alias(lastLogits(g, spec, hidden), DECODE_IO.lastLogits);
  presents.forEach((p, i) => {
    g.alias(p.keys, DECODE_IO.presentKeys(i));
    g.alias(p.values, DECODE_IO.presentValues(i));
  });
  const { numKvHeads: KV, headDim: hd } = spec;
  const cache = (name: (i: number) => string, keys: boolean, length: string): TensorSignature[] =>
    spec.layers.map((_, i) => ({
      name: name(i),
      type: 'float32',
      dims: keys ? ['batch', KV, 1, hd, length] : ['batch', KV, 1, length, hd],
    }));
  return g.build(
    [
      { name: DECODE_IO.ids, type: 'int64', dims: ['batch', 'sequence'] },
      ...cache(DECODE_IO.pastKeys, true, 'past'),
      ...cache(DECODE_IO.pastValues, false, 'past'),
    ],
    [
      { name: DECODE_IO.lastLogits, type: 'float32', dims: ['batch', spec.vocabSize] },
      ...cache(DECODE_IO.presentKeys, true, 'total'),
      ...cache(DECODE_IO.presentValues, false, 'total'),
    ],
  );
}
