import { UnsupportedModelError } from '../../errors/index.js';
import type { HfConfig } from '../hf-config.js';
import type { LayerSpec } from '../model-spec.js';
import type { WeightTable } from '../weight-table.js';
import {
  paddingIdxOf,
  activationOf,
  divide,
  PLAIN_EMBEDDING_PRE_NORM,
  rejectRopeScaling,
  type ArchitectureBuilder,
  type ArchitectureParts,
} from './common.js';
import { tiedHeadWithBias } from './gptj.js';

/**
 * PhiForCausalLM (Phi-1, 1.5, 2): rotate-half rotary on the first
 * `int(partial_rotary_factor × head_dim)` dims, attention and MLP in parallel off one
 * `input_layernorm`, biases on q/k/v/dense and the MLP, `final_layernorm`, a head with a
 * bias. `qk_layernorm` is refused: transformers 4.41 applies it before splitting heads,
 * so it runs only with a single head.
 */
export const phiBuilder: ArchitectureBuilder = {
  buffers: [/\.rotary_emb\.inv_freq$/],
  build(config: HfConfig, w: WeightTable): ArchitectureParts {
    rejectRopeScaling(config);
    if (config.bool('qk_layernorm', false)) {
      throw new UnsupportedModelError(`"${config.path}": Phi with qk_layernorm true is not supported`, {
        hint: 'transformers 4.41 runs qk_layernorm only with one attention head',
      });
    }
    const hidden = config.int('hidden_size');
    const heads = config.int('num_attention_heads');
    const kvHeads = config.int('num_key_value_heads', heads);
    const headDim = divide(config, 'hidden_size', 'num_attention_heads');
    if (heads % kvHeads !== 0) {
      throw new UnsupportedModelError(
        `"${config.path}": num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`,
      );
    }
    const factor = config.number('partial_rotary_factor', 0.5);
    const rotary = Math.floor(factor * headDim);
    if (factor <= 0 || factor > 1 || rotary === 0 || rotary % 2 !== 0) {
      throw new UnsupportedModelError(
        `"${config.path}": partial_rotary_factor ${factor} gives ${rotary} rotary dims of ${headDim}`,
        { hint: 'the rotated part of each head must be a positive, even number of dims' },
      );
    }
    const inner = config.int('intermediate_size');
    const vocab = config.int('vocab_size');
    const layers: LayerSpec[] = [];
    for (let i = 0; i < config.int('num_hidden_layers'); i++) {
      const p = `model.layers.${i}`;
      const ln = w.norm(`${p}.input_layernorm`, hidden, true);
      layers.push({
        attentionNorm: ln,
        attention: {
          kind: 'separate',
          q: w.linear(`${p}.self_attn.q_proj`, hidden, heads * headDim, true),
          k: w.linear(`${p}.self_attn.k_proj`, hidden, kvHeads * headDim, true),
          v: w.linear(`${p}.self_attn.v_proj`, hidden, kvHeads * headDim, true),
        },
        attentionOutput: w.linear(`${p}.self_attn.dense`, heads * headDim, hidden, true),
        mlpNorm: ln,
        mlp: {
          up: w.linear(`${p}.mlp.fc1`, hidden, inner, true),
          down: w.linear(`${p}.mlp.fc2`, inner, hidden, true),
        },
      });
    }
    const embedding = w.take('model.embed_tokens.weight', [vocab, hidden]);
    const finalNorm = w.norm('model.final_layernorm', hidden, true);
    return {
      ...PLAIN_EMBEDDING_PRE_NORM,
      family: 'phi',
      vocabSize: vocab,
      hiddenSize: hidden,
      numLayers: layers.length,
      numHeads: heads,
      numKvHeads: kvHeads,
      headDim,
      intermediateSize: inner,
      maxPositions: config.int('max_position_embeddings'),
      norm: { kind: 'layernorm', eps: config.number('layer_norm_eps', 1e-5), weightOffset: 0 },
      activation: activationOf(config, 'hidden_act', 'gelu_new'),
      positions: { kind: 'rotary', dims: rotary, theta: config.number('rope_theta', 10000), pairing: 'half' },
      parallelResidual: true,
      embedding,
      layers,
      finalNorm,
      ...tiedHeadWithBias(config, w, embedding, vocab, hidden),
      paddingIdx: paddingIdxOf(config, vocab),
    };
  },
};
