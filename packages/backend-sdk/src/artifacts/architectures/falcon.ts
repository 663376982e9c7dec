import { UnsupportedModelError } from '../../errors/index.js';
import { alibiSlopes } from '../alibi.js';
import type { HfConfig } from '../hf-config.js';
import type { AttentionProjections, LayerSpec, NormWeights } from '../model-spec.js';
import type { WeightTable } from '../weight-table.js';
import {
  activationOf,
  PLAIN_EMBEDDING_PRE_NORM,
  rejectRopeScaling,
  type ArchitectureBuilder,
  type ArchitectureParts,
} from './common.js';

/**
 * FalconForCausalLM in its three layouts (FalconConfig defaults for absent keys, legacy
 * `n_embed`/`n_head`/`n_layer`/`n_head_kv` names accepted):
 * - `new_decoder_architecture` (Falcon-40B/180B): `num_kv_heads` grouped kv heads, the
 *   fused q-k-v stored per kv group, attention and MLP in parallel off `ln_attn` and
 *   `ln_mlp` (or one `input_layernorm` with `num_ln_in_parallel_attn` 1);
 * - `multi_query` (Falcon-7B): one kv head after all query heads, parallel off one
 *   `input_layernorm` when `parallel_attn`;
 * - plain multi-head (Falcon-RW): per head `[q | k | v]`, usually sequential with a
 *   `post_attention_layernorm`, `bias`, and `alibi` instead of rotary.
 */
export const falconBuilder: ArchitectureBuilder = {
  optionalPrefix: 'transformer.',
  buffers: [/\.inv_freq$/],
  build(config: HfConfig, w: WeightTable): ArchitectureParts {
    const hidden = config.int('hidden_size', config.int('n_embed', 4544));
    const heads = config.int('num_attention_heads', config.int('n_head', 71));
    const numLayers = config.int('num_hidden_layers', config.int('n_layer', 32));
    if (hidden % heads !== 0) {
      throw new UnsupportedModelError(
        `"${config.path}": hidden_size ${hidden} is not a multiple of ${heads} heads`,
      );
    }
    const headDim = hidden / heads;
    const newDecoder = config.bool('new_decoder_architecture', false);
    const multiQuery = config.bool('multi_query', true);
    const parallel = config.bool('parallel_attn', true);
    const alibi = config.bool('alibi', false);
    const bias = config.bool('bias', false);
    if (newDecoder && !parallel) {
      throw new UnsupportedModelError(
        `"${config.path}": new_decoder_architecture with parallel_attn false is not supported (transformers fails on it too)`,
      );
    }
    const kvHeads = newDecoder
      ? config.int('num_kv_heads', config.int('n_head_kv', heads))
      : multiQuery
        ? 1
        : heads;
    if (heads % kvHeads !== 0) {
      throw new UnsupportedModelError(
        `"${config.path}": ${heads} attention heads are not a multiple of num_kv_heads ${kvHeads}`,
      );
    }
    const lnCount = config.has('num_ln_in_parallel_attn')
      ? config.int('num_ln_in_parallel_attn')
      : newDecoder
        ? 2
        : 1;
    const twoNorms = newDecoder && lnCount === 2;
    if (!alibi) rejectRopeScaling(config);
    const inner = config.int('ffn_hidden_size', 4 * hidden);
    const vocab = config.int('vocab_size', 65024);
    const qkvWidth = (heads + 2 * kvHeads) * headDim;
    const order: Extract<AttentionProjections, { kind: 'fused' }>['order'] = newDecoder
      ? 'per-kv-group'
      : multiQuery
        ? 'blocks'
        : 'per-head';
    const layers: LayerSpec[] = [];
    for (let i = 0; i < numLayers; i++) {
      const p = `h.${i}`;
      const attentionNorm = w.norm(twoNorms ? `${p}.ln_attn` : `${p}.input_layernorm`, hidden, true);
      let mlpNorm: NormWeights = attentionNorm;
      if (twoNorms) mlpNorm = w.norm(`${p}.ln_mlp`, hidden, true);
      else if (!parallel) mlpNorm = w.norm(`${p}.post_attention_layernorm`, hidden, true);
      layers.push({
        attentionNorm,
        attention: {
          kind: 'fused',
          order,
          qkv: w.linear(`${p}.self_attention.query_key_value`, hidden, qkvWidth, bias),
        },
        attentionOutput: w.linear(`${p}.self_attention.dense`, hidden, hidden, bias),
        mlpNorm,
        mlp: {
          up: w.linear(`${p}.mlp.dense_h_to_4h`, hidden, inner, bias),
          down: w.linear(`${p}.mlp.dense_4h_to_h`, inner, hidden, bias),
        },
      });
    }
    const embedding = w.take('word_embeddings.weight', [vocab, hidden]);
    const finalNorm = w.norm('ln_f', hidden, true);
    const tied = config.bool('tie_word_embeddings', true) || !w.has('lm_head.weight');
    if (tied) w.skip('lm_head.weight');
    return {
      ...PLAIN_EMBEDDING_PRE_NORM,
      family: 'falcon',
      vocabSize: vocab,
      hiddenSize: hidden,
      numLayers,
      numHeads: heads,
      numKvHeads: kvHeads,
      headDim,
      intermediateSize: inner,
      maxPositions: config.int('max_position_embeddings', 2048),
      norm: { kind: 'layernorm', eps: config.number('layer_norm_epsilon', 1e-5), weightOffset: 0 },
      activation: activationOf(config, 'activation', 'gelu'),
      positions: alibi
        ? { kind: 'alibi', slopes: alibiSlopes(heads) }
        : { kind: 'rotary', dims: headDim, theta: config.number('rope_theta', 10000), pairing: 'half' },
      parallelResidual: newDecoder || parallel,
      embedding,
      layers,
      finalNorm,
      lmHead: tied ? embedding : w.take('lm_head.weight', [vocab, hidden]),
      tiedEmbeddings: tied,
    };
  },
};
