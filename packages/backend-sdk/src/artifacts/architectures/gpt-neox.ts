import { UnsupportedModelError } from '../../errors/index.js';
import type { HfConfig } from '../hf-config.js';
import type { LayerSpec } from '../model-spec.js';
import type { WeightTable } from '../weight-table.js';
import {
  activationOf,
  divide,
  PLAIN_EMBEDDING_PRE_NORM,
  rejectRopeScaling,
  type ArchitectureBuilder,
  type ArchitectureParts,
} from './common.js';

/**
 * GPTNeoXForCausalLM: LayerNorm, partial rotary (`rotary_pct` of each head),
 * per-head fused `query_key_value`, parallel residual by default, untied `embed_out`.
 */
export const gptNeoxBuilder: ArchitectureBuilder = {
  buffers: [/\.attention\.(bias|masked_bias)$/, /\.rotary_emb\.inv_freq$/],
  build(config: HfConfig, w: WeightTable): ArchitectureParts {
    rejectRopeScaling(config);
    const hidden = config.int('hidden_size');
    const heads = config.int('num_attention_heads');
    const headDim = divide(config, 'hidden_size', 'num_attention_heads');
    const inner = config.int('intermediate_size');
    const vocab = config.int('vocab_size');
    const pct = config.number('rotary_pct', 0.25);
    const rotary = Math.floor(headDim * pct);
    if (pct <= 0 || pct > 1 || rotary % 2 !== 0) {
      throw new UnsupportedModelError(
        `"${config.path}": rotary_pct ${pct} gives ${rotary} rotary dims of ${headDim}`,
        {
          hint: 'the rotated part of each head must be a positive, even number of dims',
        },
      );
    }
    const bias = config.bool('attention_bias', true);
    const layers: LayerSpec[] = [];
    for (let i = 0; i < config.int('num_hidden_layers'); i++) {
      const p = `gpt_neox.layers.${i}`;
      layers.push({
        attentionNorm: w.norm(`${p}.input_layernorm`, hidden, true),
        attention: {
          kind: 'fused',
          order: 'per-head',
          qkv: w.linear(`${p}.attention.query_key_value`, hidden, 3 * hidden, bias),
        },
        attentionOutput: w.linear(`${p}.attention.dense`, hidden, hidden, bias),
        mlpNorm: w.norm(`${p}.post_attention_layernorm`, hidden, true),
        mlp: {
          up: w.linear(`${p}.mlp.dense_h_to_4h`, hidden, inner, true),
          down: w.linear(`${p}.mlp.dense_4h_to_h`, inner, hidden, true),
        },
      });
    }
    const embedding = w.take('gpt_neox.embed_in.weight', [vocab, hidden]);
    const finalNorm = w.norm('gpt_neox.final_layer_norm', hidden, true);
    const tied = config.bool('tie_word_embeddings', false) && !w.has('embed_out.weight');
    const lmHead = tied ? embedding : w.take('embed_out.weight', [vocab, hidden]);
    return {
      family: 'gpt-neox',
      vocabSize: vocab,
      hiddenSize: hidden,
      numLayers: layers.length,
      numHeads: heads,
      numKvHeads: heads,
      headDim,
      intermediateSize: inner,
      maxPositions: config.int('max_position_embeddings'),
      norm: { kind: 'layernorm', eps: config.number('layer_norm_eps', 1e-5), weightOffset: 0 },
      activation: activationOf(config, 'hidden_act', 'gelu'),
      positions: {
        kind: 'rotary',
        dims: rotary,
        theta: config.number('rotary_emb_base', config.number('rope_theta', 10000)),
        pairing: 'half',
      },
      parallelResidual: config.bool('use_parallel_residual', true),
      ...PLAIN_EMBEDDING_PRE_NORM,
      embedding,
      layers,
      finalNorm,
      lmHead,
      tiedEmbeddings: tied,
    };
  },
};
