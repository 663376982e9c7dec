import type { ModelSpec } from '@pretrain/backend-sdk';
import { LOSS_ATTENTION, sequenceContext, type AttentionLayout } from './attention.js';
import { GraphBuilder } from './graph-builder.js';
import { rowLosses } from './lm-head.js';
import { transformer } from './transformer.js';

/** Names of the loss graph's input and output. */
export const GRAPH_IO = {
  /** `int64 [B, T]` token ids. */
  ids: 'input_ids',
  /** `float32 [B]`: mean next-token cross-entropy of each row (positions 0 … T−2). */
  rowLoss: 'row_loss',
} as const;

/**
 * The ONNX model that computes a batch's per-row losses inside the graph, so only one
 * float per row returns to JS (no `[T, vocab]` logits transfer). `layout` tiles the
 * attention (tests and benchmarks compare tilings; the default is the measured best).
 */
export function buildCausalLmGraph(spec: ModelSpec, layout: AttentionLayout = LOSS_ATTENTION): Uint8Array {
  const g = new GraphBuilder(spec.dir);
  const ctx = sequenceContext(g, spec, GRAPH_IO.ids, layout);
  const { hidden } = transformer(g, spec, GRAPH_IO.ids, ctx);
  g.alias(rowLosses(g, spec, hidden, GRAPH_IO.ids, ctx.batchShape), GRAPH_IO.rowLoss);
  return g.build(
    [{ name: GRAPH_IO.ids, type: 'int64', dims: ['batch', 'sequence'] }],
    [{ name: GRAPH_IO.rowLoss, type: 'float32', dims: ['batch'] }],
  );
}
