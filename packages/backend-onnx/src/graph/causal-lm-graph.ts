import type { ModelSpec } from '@pretrain/core';
import { attention, sequenceContext } from './attention.js';
import { GraphBuilder } from './graph-builder.js';
import { mlp, norm } from './layers.js';

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
 * The ONNX model of a causal LM that computes its loss inside the graph: the logits of
 * positions 0 … T−2 go through log-sum-exp minus the target logit, so only one float
 * per row returns to JS (no `[T, vocab]` transfer, no LogSoftmax copy of the logits).
 */
export function buildCausalLmGraph(spec: ModelSpec): Uint8Array {
  const g = new GraphBuilder(spec.dir);
  const ids = GRAPH_IO.ids;
  const ctx = sequenceContext(g, spec, ids);
  let x = g.op('Gather', [g.weight(spec.embedding), ids], { axis: 0 }); // [B, T, d]
  if (spec.positions.kind === 'learned') {
    const length = g.op('Gather', [g.op('Shape', [ids]), g.i64([1], [])], { axis: 0 });
    const range = g.op('Range', [g.i64([0], []), length, g.i64([1], [])]);
    x = g.op('Add', [x, g.op('Gather', [g.weight(spec.positions.embedding), range], { axis: 0 })]);
  }
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
  const hidden = norm(g, spec, x, spec.finalNorm);
  // Gemm-style [d, vocab] operand for MatMul; folded once by onnxruntime.
  const head = g.op('Transpose', [g.weight(spec.lmHead)], { perm: [1, 0] });
  const big = Number.MAX_SAFE_INTEGER;

  const predicting = g.op('Slice', [hidden, g.i64([0]), g.i64([-1]), g.i64([1])]);
  const logits = g.op('MatMul', [predicting, head]); // [B, T-1, V]
  const targets = g.op('Unsqueeze', [g.op('Slice', [ids, g.i64([1]), g.i64([big]), g.i64([1])]), g.i64([2])]);
  const logNormaliser = g.op('ReduceLogSumExp', [logits], { axes: [2], keepdims: 1 });
  const nll = g.op('Sub', [logNormaliser, g.op('GatherElements', [logits, targets], { axis: 2 })]);
  g.alias(g.op('ReduceMean', [nll], { axes: [1, 2], keepdims: 0 }), GRAPH_IO.rowLoss);

  const last = g.op('Slice', [hidden, g.i64([-1]), g.i64([big]), g.i64([1])]);
  g.alias(g.op('Reshape', [g.op('MatMul', [last, head]), g.i64([0, -1])]), GRAPH_IO.lastLogits);

  return g.build(
    [{ name: ids, type: 'int64', dims: ['batch', 'sequence'] }],
    [
      { name: GRAPH_IO.rowLoss, type: 'float32', dims: ['batch'] },
      { name: GRAPH_IO.lastLogits, type: 'float32', dims: ['batch', spec.vocabSize] },
    ],
  );
}
