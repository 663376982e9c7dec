import type { ModelSpec } from '@pretrain/backend-sdk';
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
  if (spec.embeddingScale !== 1) {
    embedded = g.op('Mul', [embedded, g.f32([Math.fround(spec.embeddingScale)], [])]);
  }
  if (spec.positions.kind === 'learned') {
    const table = g.weight(spec.positions.embedding);
    const rows =
      spec.positions.offset === 0
        ? ctx.positions
        : g.op('Add', [ctx.positions, g.i64([spec.positions.offset], [])]);
    embedded = g.op('Add', [embedded, g.op('Gather', [table, rows], { axis: 0 })]);
  }
  let x = g.op('Reshape', [embedded, g.i64([-1, spec.hiddenSize])]);
  if (spec.embeddingNorm !== undefined) x = norm(g, spec, x, spec.embeddingNorm);
  const current: KvCache[] = [];
  spec.layers.forEach((layer, i) => {
    if (spec.normPlacement === 'post') {
      const attn = attention(g, spec, x, layer, ctx, pasts?.[i]);
      if (attn.current !== undefined) current.push(attn.current);
      x = norm(g, spec, g.op('Add', [x, attn.output]), layer.attentionNorm);
      x = norm(g, spec, g.op('Add', [x, mlp(g, spec, x, layer.mlp)]), layer.mlpNorm);
      return;
    }
    const normed = norm(g, spec, x, layer.attentionNorm);
    const attn = attention(g, spec, normed, layer, ctx, pasts?.[i]);
    if (attn.current !== undefined) current.push(attn.current);
    if (spec.parallelResidual) {
      // GPT-J, Phi and Falcon-7B feed the MLP the attention's norm output: compute it once.
      const mlpInput = layer.mlpNorm === layer.attentionNorm ? normed : norm(g, spec, x, layer.mlpNorm);
      x = g.op('Add', [g.op('Add', [x, attn.output]), mlp(g, spec, mlpInput, layer.mlp)]);
    } else {
      x = g.op('Add', [x, attn.output]);
      x = g.op('Add', [x, mlp(g, spec, norm(g, spec, x, layer.mlpNorm), layer.mlp)]);
    }
  });
  const hiddenShape = g.op('Concat', [ctx.batchShape, g.i64([spec.hiddenSize])], { axis: 0 });
  const final = spec.finalNorm === undefined ? x : norm(g, spec, x, spec.finalNorm);
  return { hidden: g.op('Reshape', [final, hiddenShape]), current };
}
