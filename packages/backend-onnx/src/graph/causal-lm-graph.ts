import type { ModelSpec } from '@pretrain/core';
import { attention, sequenceContext } from './attention.js';
import { GraphBuilder } from './graph-builder.js';
import { mlp, norm } from './layers.js';
import { embed, lossAndLastLogits } from './lm-head.js';

/** Names of the graph's input and outputs. */
export const GRAPH_IO = {
  /** `int64 [B, T]` token ids. */
  ids: 'input_ids',
  /** `float32 [B]`: mean next-token cross-entropy of each row (positions 0 … T−2). */
  rowLoss: 'row_loss',
  /** `float32 [B, vocab]`: logits of the last position, for greedy continuation. */
  lastLogits: 'last_logits',
} as const;

/**
 * The ONNX model of a causal LM that computes its loss inside the graph, so only one
 * float per row returns to JS. Activations stay `[B·T, d]` between blocks so every
 * linear layer is a single `Gemm` on the stored weight.
 */
export function buildCausalLmGraph(spec: ModelSpec): Uint8Array {
  const g = new GraphBuilder(spec.dir);
  const ids = GRAPH_IO.ids;
  const ctx = sequenceContext(g, spec, ids);
  let embedded = embed(g, spec, ids); // [B, T, d]
  if (spec.positions.kind === 'learned') {
    const length = g.op('Gather', [ctx.batchShape, g.i64([1], [])], { axis: 0 });
    const range = g.op('Range', [g.i64([0], []), length, g.i64([1], [])]);
    embedded = g.op('Add', [
      embedded,
      g.op('Gather', [g.weight(spec.positions.embedding), range], { axis: 0 }),
    ]);
  }
  let x = g.op('Reshape', [embedded, g.i64([-1, spec.hiddenSize])]);
  for (const layer of spec.layers) {
    const attn = attention(g, spec, norm(g, spec, x, layer.attentionNorm), layer, ctx);
    if (spec.parallelResidual) {
      const ff = mlp(g, spec, norm(g, spec, x, layer.mlpNorm), layer.mlp);
      x = g.op('Add', [g.op('Add', [x, attn]), ff]);
    } else {
      x = g.op('Add', [x, attn]);
      x = g.op('Add', [x, mlp(g, spec, norm(g, spec, x, layer.mlpNorm), layer.mlp)]);
    }
  }
  const hidden = g.op('Reshape', [
    norm(g, spec, x, spec.finalNorm),
    g.op('Concat', [ctx.batchShape, g.i64([spec.hiddenSize])], { axis: 0 }),
  ]);
  const { rowLoss, lastLogits } = lossAndLastLogits(g, spec, hidden, ids, ctx.batchShape);
  g.alias(rowLoss, GRAPH_IO.rowLoss);
  g.alias(lastLogits, GRAPH_IO.lastLogits);

  return g.build(
    [{ name: ids, type: 'int64', dims: ['batch', 'sequence'] }],
    [
      { name: GRAPH_IO.rowLoss, type: 'float32', dims: ['batch'] },
      { name: GRAPH_IO.lastLogits, type: 'float32', dims: ['batch', spec.vocabSize] },
    ],
  );
}
