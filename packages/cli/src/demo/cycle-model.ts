import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSafetensors, type TensorData } from '@pretrain/core';

/** What {@link writeCycleModel} builds. */
export interface CycleModelOptions {
  /** Logit of each vocabulary entry before the boost (e.g. log unigram probabilities). */
  readonly prior: Float32Array;
  /**
   * Distinct token ids, EOS excluded, at least 21 long: the model's greedy
   * continuation walks this cycle, so two prompts seldom agree and no token repeats
   * within the 20 tokens of the sanity check (docs/SUBNET.md §5).
   */
  readonly cycle: readonly number[];
  /**
   * Logit added to the successor of the last token, per cycle entry (same order as
   * `cycle`): at least the gap to the prior's best non-EOS logit, so that the successor
   * wins the argmax, and no more than needed, so that the loss barely suffers.
   */
  readonly boosts: readonly number[];
  readonly eosTokenId: number;
  /** `max_position_embeddings` (the sequence length the criteria ask for). */
  readonly maxPositions: number;
  /**
   * A bigger model with the same logits (`npm run bench -- --cases step`): at least this
   * hidden size (rounded up to the demo's multiple of 4), this many layers and this MLP
   * width. The extra blocks are zero like the first, so only the compute grows.
   */
  readonly size?: { readonly hidden?: number; readonly layers?: number; readonly intermediate?: number };
}

/** Successor of each token: the next cycle entry, or a hashed cycle entry for the rest. */
export function cycleSuccessors(vocabSize: number, cycle: readonly number[]): Int32Array {
  const next = new Int32Array(vocabSize);
  for (let t = 0; t < vocabSize; t++) next[t] = cycle[(Math.imul(t, 2654435761) >>> 0) % cycle.length]!;
  cycle.forEach((token, j) => (next[token] = cycle[(j + 1) % cycle.length]!));
  return next;
}

/**
 * Write a one-layer `LlamaForCausalLM` whose logits after token t are exactly
 * `prior[v] + boosts[slot of v] · [v = successor(t)]`.
 *
 * How: every block weight is zero, so the residual stream is the embedding
 * `[1, onehot(successor slot)]`; all rows have the same norm, so the final RMSNorm
 * divides by one constant which the norm gain undoes (dim 0 → 1, slot dims → their boost).
 * `lm_head` row v is `[prior[v], onehot(slot of v)]`. The loss is then the prior's
 * cross-entropy plus the small, computable effect of the boost.
 */
export async function writeCycleModel(dir: string, options: CycleModelOptions): Promise<void> {
  const { prior, cycle, boosts } = options;
  if (boosts.length !== cycle.length)
    throw new RangeError(`${boosts.length} boosts for a cycle of ${cycle.length}`);
  const vocab = prior.length;
  const heads = 2;
  const hidden = Math.ceil(Math.max(cycle.length + 1, options.size?.hidden ?? 0) / 4) * 4;
  const inner = options.size?.intermediate ?? 4;
  const layers = options.size?.layers ?? 1;
  const eps = 1e-5;
  const slotOf = new Map(cycle.map((token, j) => [token, 1 + j]));
  const next = cycleSuccessors(vocab, cycle);

  const embed = new Float32Array(vocab * hidden);
  for (let t = 0; t < vocab; t++) {
    embed[t * hidden] = 1;
    embed[t * hidden + slotOf.get(next[t]!)!] = 1;
  }
  const rms = Math.sqrt(2 / hidden + eps);
  const norm = new Float32Array(hidden);
  norm[0] = rms;
  boosts.forEach((boost, j) => (norm[1 + j] = boost * rms));
  const head = new Float32Array(vocab * hidden);
  for (let v = 0; v < vocab; v++) head[v * hidden] = prior[v]!;
  for (const [token, slot] of slotOf) head[token * hidden + slot] = 1;

  const ones = new Float32Array(hidden).fill(1);
  const zeros = (rows: number, cols: number): Float32Array => new Float32Array(rows * cols);
  const tensors: TensorData[] = [
    { name: 'lm_head.weight', dtype: 'F32', shape: [vocab, hidden], values: head },
    { name: 'model.embed_tokens.weight', dtype: 'F32', shape: [vocab, hidden], values: embed },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const p = `model.layers.${layer}`;
    tensors.push(
      { name: `${p}.input_layernorm.weight`, dtype: 'F32', shape: [hidden], values: ones },
      {
        name: `${p}.mlp.down_proj.weight`,
        dtype: 'F32',
        shape: [hidden, inner],
        values: zeros(hidden, inner),
      },
      {
        name: `${p}.mlp.gate_proj.weight`,
        dtype: 'F32',
        shape: [inner, hidden],
        values: zeros(inner, hidden),
      },
      { name: `${p}.mlp.up_proj.weight`, dtype: 'F32', shape: [inner, hidden], values: zeros(inner, hidden) },
      { name: `${p}.post_attention_layernorm.weight`, dtype: 'F32', shape: [hidden], values: ones },
      ...['k', 'o', 'q', 'v'].map((x): TensorData => ({
        name: `${p}.self_attn.${x}_proj.weight`,
        dtype: 'F32',
        shape: [hidden, hidden],
        values: zeros(hidden, hidden),
      })),
    );
  }
  tensors.push({ name: 'model.norm.weight', dtype: 'F32', shape: [hidden], values: norm });
  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, 'model.safetensors'), tensors);
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocab,
    hidden_size: hidden,
    intermediate_size: inner,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    num_key_value_heads: heads,
    max_position_embeddings: options.maxPositions,
    rms_norm_eps: eps,
    rope_theta: 10000,
    hidden_act: 'silu',
    tie_word_embeddings: false,
    attention_bias: false,
    mlp_bias: false,
    bos_token_id: options.eosTokenId,
    eos_token_id: options.eosTokenId,
    torch_dtype: 'float32',
  };
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const generation = { bos_token_id: options.eosTokenId, eos_token_id: options.eosTokenId };
  await writeFile(join(dir, 'generation_config.json'), `${JSON.stringify(generation, null, 2)}\n`);
}
