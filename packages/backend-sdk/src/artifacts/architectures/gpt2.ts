import { UnsupportedModelError } from '../../errors/index.js';
import type { HfConfig } from '../hf-config.js';
import type { LayerSpec } from '../model-spec.js';
import type { WeightTable } from '../weight-table.js';
import {
  activationOf,
  divide,
  PLAIN_EMBEDDING_PRE_NORM,
  type ArchitectureBuilder,
  type ArchitectureParts,
} from './common.js';

/**
 * GPT2LMHeadModel: learned positions, LayerNorm, fused `c_attn` Conv1D weights
 * (`[in, out]`), tied head unless the weights carry `lm_head.weight`. Tensor names may
 * or may not have the `transformer.` prefix (both are saved in the wild).
 */
export const gpt2Builder: ArchitectureBuilder = {
  optionalPrefix: 'transformer.',
  buffers: [/\.attn\.(bias|masked_bias)$/],
  build(config: HfConfig, w: WeightTable): ArchitectureParts {
    for (const [key, supported] of [
      ['scale_attn_weights', true],
      ['scale_attn_by_inverse_layer_idx', false],
      ['add_cross_attention', false],
    ] as const) {
      if (config.bool(key, supported) !== supported) {
        throw new UnsupportedModelError(`"${config.path}": GPT-2 with ${key} ${!supported} is not supported`);
      }
    }
    const hidden = config.int('n_embd');
    const heads = config.int('n_head');
    const headDim = divide(config, 'n_embd', 'n_head');
    const vocab = config.int('vocab_size');
    const positions = config.int('n_positions');
    const inner = config.int('n_inner', 4 * hidden);
    const eps = config.number('layer_norm_epsilon', 1e-5);
    const embedding = w.take('wte.weight', [vocab, hidden]);
    const positionEmbedding = w.take('wpe.weight', [positions, hidden]);
    const layers: LayerSpec[] = [];
    for (let i = 0; i < config.int('n_layer'); i++) {
      const p = `h.${i}`;
      layers.push({
        attentionNorm: w.norm(`${p}.ln_1`, hidden, true),
        attention: {
          kind: 'fused',
          order: 'blocks',
          qkv: w.linear(`${p}.attn.c_attn`, hidden, 3 * hidden, true, true),
        },
        attentionOutput: w.linear(`${p}.attn.c_proj`, hidden, hidden, true, true),
        mlpNorm: w.norm(`${p}.ln_2`, hidden, true),
        mlp: {
          up: w.linear(`${p}.mlp.c_fc`, hidden, inner, true, true),
          down: w.linear(`${p}.mlp.c_proj`, inner, hidden, true, true),
        },
      });
    }
    const finalNorm = w.norm('ln_f', hidden, true);
    // The reference (and HF when lm_head.weight is saved separately) uses a stored head.
    const lmHead = w.maybe('lm_head.weight', [vocab, hidden]);
    return {
      family: 'gpt2',
      vocabSize: vocab,
      hiddenSize: hidden,
      numLayers: layers.length,
      numHeads: heads,
      numKvHeads: heads,
      headDim,
      intermediateSize: inner,
      maxPositions: positions,
      norm: { kind: 'layernorm', eps, weightOffset: 0 },
      activation: activationOf(config, 'activation_function', 'gelu_new'),
      positions: { kind: 'learned', embedding: positionEmbedding, offset: 0 },
      parallelResidual: false,
      ...PLAIN_EMBEDDING_PRE_NORM,
      embedding,
      layers,
      finalNorm,
      lmHead: lmHead ?? embedding,
      tiedEmbeddings: lmHead === undefined,
    };
  },
};
