import type { HfConfig } from '../hf-config.js';
import type { LayerSpec } from '../model-spec.js';
import type { WeightTable } from '../weight-table.js';
import {
  activationOf,
  divide,
  paddingIdxOf,
  type ArchitectureBuilder,
  type ArchitectureParts,
} from './common.js';

/** Bart's learned positions start at this row of `embed_positions` (rows 0 and 1 are unused). */
const BART_POSITION_OFFSET = 2;
/** BartDecoder's LayerNorms use torch's default epsilon; the config has none. */
const BART_LAYER_NORM_EPS = 1e-5;

/**
 * BartForCausalLM (the decoder alone): token embeddings × √d_model with
 * `scale_embedding`, learned positions at offset 2, `layernorm_embedding`, post-LN blocks
 * of self-attention and an fc1/fc2 MLP, no final norm, a head tied by default. Its
 * checkpoints hold cross-attention weights the causal LM never uses: they are
 * parameters (counted, even when absent, as transformers initialises them) but not part
 * of the computation.
 */
export const bartBuilder: ArchitectureBuilder = {
  buffers: [],
  build(config: HfConfig, w: WeightTable): ArchitectureParts {
    const hidden = config.int('d_model', 1024);
    const heads = config.int('decoder_attention_heads', 16);
    const headDim = divide(config, 'd_model', 'decoder_attention_heads');
    const inner = config.int('decoder_ffn_dim', 4096);
    const vocab = config.int('vocab_size', 50265);
    const maxPositions = config.int('max_position_embeddings', 1024);
    const d = 'model.decoder';
    const layers: LayerSpec[] = [];
    let absentParameters = 0;
    for (let i = 0; i < config.int('decoder_layers', 12); i++) {
      const p = `${d}.layers.${i}`;
      layers.push({
        attentionNorm: w.norm(`${p}.self_attn_layer_norm`, hidden, true),
        attention: {
          kind: 'separate',
          q: w.linear(`${p}.self_attn.q_proj`, hidden, hidden, true),
          k: w.linear(`${p}.self_attn.k_proj`, hidden, hidden, true),
          v: w.linear(`${p}.self_attn.v_proj`, hidden, hidden, true),
        },
        attentionOutput: w.linear(`${p}.self_attn.out_proj`, hidden, hidden, true),
        mlpNorm: w.norm(`${p}.final_layer_norm`, hidden, true),
        mlp: {
          up: w.linear(`${p}.fc1`, hidden, inner, true),
          down: w.linear(`${p}.fc2`, inner, hidden, true),
        },
      });
      for (const [name, shape] of [
        ...['q_proj', 'k_proj', 'v_proj', 'out_proj'].flatMap((n) => [
          [`encoder_attn.${n}.weight`, [hidden, hidden]] as const,
          [`encoder_attn.${n}.bias`, [hidden]] as const,
        ]),
        ['encoder_attn_layer_norm.weight', [hidden]] as const,
        ['encoder_attn_layer_norm.bias', [hidden]] as const,
      ]) {
        if (w.maybe(`${p}.${name}`, shape) === undefined)
          absentParameters += shape.reduce((a, b) => a * b, 1);
      }
    }
    // A checkpoint saved from the seq2seq model names the shared embedding `model.shared`.
    const embeddingName = w.has(`${d}.embed_tokens.weight`)
      ? `${d}.embed_tokens.weight`
      : 'model.shared.weight';
    const embedding = w.take(embeddingName, [vocab, hidden]);
    const positionTable = w.take(`${d}.embed_positions.weight`, [
      maxPositions + BART_POSITION_OFFSET,
      hidden,
    ]);
    const embeddingNorm = w.norm(`${d}.layernorm_embedding`, hidden, true);
    const tied = config.bool('tie_word_embeddings', true) || !w.has('lm_head.weight');
    if (tied) w.skip('lm_head.weight');
    return {
      family: 'bart',
      vocabSize: vocab,
      hiddenSize: hidden,
      numLayers: layers.length,
      numHeads: heads,
      numKvHeads: heads,
      headDim,
      intermediateSize: inner,
      maxPositions,
      norm: { kind: 'layernorm', eps: BART_LAYER_NORM_EPS, weightOffset: 0 },
      activation: activationOf(config, 'activation_function', 'gelu'),
      positions: { kind: 'learned', embedding: positionTable, offset: BART_POSITION_OFFSET },
      parallelResidual: false,
      normPlacement: 'post',
      embedding,
      embeddingScale: config.bool('scale_embedding', false) ? Math.fround(Math.sqrt(hidden)) : 1,
      embeddingNorm,
      layers,
      finalNorm: undefined,
      lmHead: tied ? embedding : w.take('lm_head.weight', [vocab, hidden]),
      lmHeadBias: undefined,
      tiedEmbeddings: tied,
      paddingIdx: paddingIdxOf(config, vocab, 1),
      absentParameters,
    };
  },
};
