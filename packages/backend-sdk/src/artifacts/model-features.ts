import type { ModelSpec } from './model-spec.js';

/**
 * A computation a {@link ModelSpec} may ask for beyond the base transformer (pre-norm,
 * learned or rotate-half rotary positions, LayerNorm/RMSNorm, sequential or parallel
 * residual, separate / `blocks` / `per-head` q-k-v, a final norm, a bias-free head).
 * Backends declare the ones they implement in `BackendCapabilities.features`; a model
 * needing one a backend lacks is refused before any weight is read.
 */
export type ModelFeature =
  /** Rotary with pairs (2i, 2i+1) (GPT-J). */
  | 'rotary-interleaved'
  /** ALiBi score biases with bf16 rounding (Falcon-RW). */
  | 'alibi'
  /** Learned positions read from row `p + offset`, offset ≠ 0 (Bart). */
  | 'position-offset'
  /** Token embeddings scaled by a factor ≠ 1 (Gemma, Bart). */
  | 'embedding-scale'
  /** A norm on the embeddings before the first block (Bart). */
  | 'embedding-norm'
  /** RMSNorm scaling by `1 + weight` (Gemma). */
  | 'norm-weight-offset'
  /** Norms after each residual add (Bart). */
  | 'post-norm'
  /** No norm before the head (Bart). */
  | 'no-final-norm'
  /** A bias on the output projection (GPT-J, Phi). */
  | 'lm-head-bias'
  /** Fused q-k-v stored per kv group (Falcon's new decoder architecture). */
  | 'fused-qkv-per-kv-group';

/** Every {@link ModelFeature}, in a stable order. */
export const MODEL_FEATURES: readonly ModelFeature[] = [
  'rotary-interleaved',
  'alibi',
  'position-offset',
  'embedding-scale',
  'embedding-norm',
  'norm-weight-offset',
  'post-norm',
  'no-final-norm',
  'lm-head-bias',
  'fused-qkv-per-kv-group',
];

/** The {@link ModelFeature}s `spec` needs, in {@link MODEL_FEATURES} order. */
export function modelFeatures(spec: ModelSpec): ModelFeature[] {
  const p = spec.positions;
  const needed = new Set<ModelFeature>();
  if (p.kind === 'rotary' && p.pairing === 'interleaved') needed.add('rotary-interleaved');
  if (p.kind === 'alibi') needed.add('alibi');
  if (p.kind === 'learned' && p.offset !== 0) needed.add('position-offset');
  if (spec.embeddingScale !== 1) needed.add('embedding-scale');
  if (spec.embeddingNorm !== undefined) needed.add('embedding-norm');
  if (spec.norm.weightOffset !== 0) needed.add('norm-weight-offset');
  if (spec.normPlacement === 'post') needed.add('post-norm');
  if (spec.finalNorm === undefined) needed.add('no-final-norm');
  if (spec.lmHeadBias !== undefined) needed.add('lm-head-bias');
  if (spec.layers.some((l) => l.attention.kind === 'fused' && l.attention.order === 'per-kv-group')) {
    needed.add('fused-qkv-per-kv-group');
  }
  return MODEL_FEATURES.filter((f) => needed.has(f));
}

/**
 * One line on how `spec` computes, for `pretrain model inspect` and criteria reports,
 * e.g. `pre-norm parallel (one shared norm), rotary interleaved 4/8, 4 heads, kv 4,
 * layernorm, gelu_tanh, head bias`.
 */
export function describeLayout(spec: ModelSpec): string {
  const parts: string[] = [];
  const shared = spec.layers.length > 0 && spec.layers.every((l) => l.mlpNorm === l.attentionNorm);
  const residual = spec.parallelResidual ? `parallel${shared ? ' (one shared norm)' : ''}` : 'sequential';
  parts.push(`${spec.normPlacement}-norm ${residual}`);
  const p = spec.positions;
  if (p.kind === 'learned')
    parts.push(p.offset === 0 ? 'learned positions' : `learned positions (offset ${p.offset})`);
  else if (p.kind === 'rotary') parts.push(`rotary ${p.pairing} ${p.dims}/${spec.headDim} θ=${p.theta}`);
  else parts.push('alibi');
  const first = spec.layers[0]?.attention;
  const qkv =
    first === undefined
      ? ''
      : first.kind === 'separate'
        ? ', separate q/k/v'
        : `, fused q/k/v ${first.order}`;
  parts.push(`${spec.numHeads} heads × ${spec.headDim}, kv ${spec.numKvHeads}${qkv}`);
  parts.push(
    spec.norm.weightOffset !== 0 ? `${spec.norm.kind} (${spec.norm.weightOffset} + w)` : spec.norm.kind,
  );
  parts.push(`${spec.layers[0]?.mlp.gate !== undefined ? 'gated ' : ''}${spec.activation}`);
  if (spec.embeddingScale !== 1) parts.push(`embeddings × ${Math.fround(spec.embeddingScale)}`);
  if (spec.embeddingNorm !== undefined) parts.push('embedding norm');
  if (spec.finalNorm === undefined) parts.push('no final norm');
  parts.push(spec.tiedEmbeddings ? 'tied head' : 'untied head');
  if (spec.lmHeadBias !== undefined) parts.push('head bias');
  return parts.join(', ');
}
