import type { LinearWeights, ModelSpec, NormWeights, TensorView } from '@pretrain/backend-sdk';

/** Every weight view a spec references (tied views appear twice; callers dedupe if needed). */
export function specViews(spec: ModelSpec): TensorView[] {
  const views: TensorView[] = [spec.embedding, spec.lmHead, ...normViews(spec.finalNorm)];
  views.push(...normViews(spec.embeddingNorm), ...(spec.lmHeadBias === undefined ? [] : [spec.lmHeadBias]));
  if (spec.positions.kind === 'learned') views.push(spec.positions.embedding);
  for (const layer of spec.layers) {
    const a = layer.attention;
    const linears: LinearWeights[] = [
      ...(a.kind === 'separate' ? [a.q, a.k, a.v] : [a.qkv]),
      layer.attentionOutput,
      ...(layer.mlp.gate === undefined ? [] : [layer.mlp.gate]),
      layer.mlp.up,
      layer.mlp.down,
    ];
    for (const l of linears) views.push(l.weight, ...(l.bias === undefined ? [] : [l.bias]));
    views.push(...normViews(layer.attentionNorm), ...normViews(layer.mlpNorm));
  }
  return views;
}

function normViews(n: NormWeights | undefined): TensorView[] {
  if (n === undefined) return [];
  return n.bias === undefined ? [n.weight] : [n.weight, n.bias];
}
