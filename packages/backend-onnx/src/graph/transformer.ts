import type { ModelSpec } from '@pretrain/core';
import { attention, type KvCache, type SequenceContext } from './attention.js';
import type { GraphBuilder } from './graph-builder.js';
import { mlp, norm } from './layers.js';
import { embed } from './lm-head.js';

/**
 * The transformer trunk: embeddings, every block and the final norm, as the `ModelSpec`
 * TSDoc defines them. Returns the final hidden states `[B, T, d]` and, per layer, the
 * keys and values of this input (for a KV-cache graph, which also passes `pasts`). Activations stay `[B·T, d]`
 * between blocks so every linear layer is a single `Gemm` on the stored weight.
 */
export function transformer(
  g: GraphBuilder,
  spec: ModelSpec,
  ids: string,
  ctx: SequenceContext,
  pasts?: readonly KvCache[],
): { hidden: string; current: KvCache[] } {
  let embedded = embed(g, spec, ids); // [B, T, d]
  if (spec.positions.kind === 'learned') {
    const table = g.weight(spec.positions.embedding);
    embedded = g.op('Add', [embedded, g.op('Gather', [table, ctx.positions], { axis: 0 })]);
  }
  let x = g.op('Reshape', [embedded, g.i64([-1, spec.hiddenSize])]);
  const current: KvCache[] = [];
  spec.layers.forEach((layer, i) => {
    const attn = attention(g, spec, norm(g, spec, x, layer.attentionNorm), layer, ctx, pasts?.[i]);
    if (attn.current !== undefined) current.push(attn.current);
    if (spec.parallelResidual) {
      const ff = mlp(g, spec, norm(g, spec, x, layer.mlpNorm), layer.mlp);
      x = g.op('Add', [g.op('Add', [x, attn.output]), ff]);
    } else {
      x = g.op('Add', [x, attn.output]);
      x = g.op('Add', [x, mlp(g, spec, norm(g, spec, x, layer.mlpNorm), layer.mlp)]);
    }
  });
  const hiddenShape = g.op('Concat', [ctx.batchShape, g.i64([spec.hiddenSize])], { axis: 0 });
  return { hidden: g.op('Reshape', [norm(g, spec, x, spec.finalNorm), hiddenShape]), current };
}
