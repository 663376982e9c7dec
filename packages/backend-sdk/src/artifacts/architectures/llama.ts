import { UnsupportedModelError } from '../../errors/index.js';
import type { HfConfig } from '../hf-config.js';
import type { LayerSpec, ModelSpec } from '../model-spec.js';
import type { WeightTable } from '../weight-table.js';
import {
  activationOf,
  paddingIdxOf,
  PLAIN_EMBEDDING_PRE_NORM,
  rejectRopeScaling,
  type ArchitectureBuilder,
  type ArchitectureParts,
} from './common.js';

/** Which linears of the Llama-family block carry biases. */
interface LlamaBiases {
  readonly qkv: boolean;
  readonly output: boolean;
  readonly mlp: boolean;
}

/** How a member of the Llama family departs from Llama itself. */
interface LlamaVariant {
  readonly biasesOf: (config: HfConfig) => LlamaBiases;
  readonly family?: 'llama' | 'gemma';
  /** Config defaults where the config class has them (Gemma's), else derived/required. */
  readonly defaults?: { readonly heads?: number; readonly kvHeads?: number; readonly headDim?: number };
  /** `tie_word_embeddings` when absent. */
  readonly tiedByDefault?: boolean;
  /** The MLP activation; `hidden_act` (default silu) unless given. */
  readonly activation?: (config: HfConfig) => ModelSpec['activation'];
  /** RMSNorm's `weightOffset` and the embedding scale (Gemma: 1 and √hidden). */
  readonly gemmaScaling?: boolean;
}

/**
 * LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM and GemmaForCausalLM: RMSNorm,
 * full rotary, separate q/k/v with grouped kv heads, gated MLP. They differ in biases
 * (Llama's `attention_bias`/`mlp_bias`, Qwen2's fixed q/k/v biases, none for Mistral) and
 * Gemma in its defaults, activation, `1 + w` norms and √hidden embedding scale.
 */
export function llamaFamilyBuilder(variant: LlamaVariant): ArchitectureBuilder {
  const { biasesOf, defaults = {}, gemmaScaling = false } = variant;
  return {
    buffers: [/\.rotary_emb\.inv_freq$/],
    build(config: HfConfig, w: WeightTable): ArchitectureParts {
      rejectRopeScaling(config);
      const hidden = config.int('hidden_size');
      const heads = config.int('num_attention_heads', defaults.heads);
      const kvHeads = config.int('num_key_value_heads', defaults.kvHeads ?? heads);
      if (heads % kvHeads !== 0) {
        throw new UnsupportedModelError(
          `"${config.path}": num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`,
        );
      }
      if (!config.has('head_dim') && defaults.headDim === undefined && hidden % heads !== 0) {
        throw new UnsupportedModelError(
          `"${config.path}": hidden_size ${hidden} is not a multiple of ${heads} heads`,
        );
      }
      const headDim = config.int('head_dim', defaults.headDim ?? hidden / heads);
      if (headDim % 2 !== 0) throw new UnsupportedModelError(`"${config.path}": head_dim ${headDim} is odd`);
      const inner = config.int('intermediate_size');
      const vocab = config.int('vocab_size');
      const biases = biasesOf(config);
      const layers: LayerSpec[] = [];
      for (let i = 0; i < config.int('num_hidden_layers'); i++) {
        const p = `model.layers.${i}`;
        layers.push({
          attentionNorm: w.norm(`${p}.input_layernorm`, hidden, false),
          attention: {
            kind: 'separate',
            q: w.linear(`${p}.self_attn.q_proj`, hidden, heads * headDim, biases.qkv),
            k: w.linear(`${p}.self_attn.k_proj`, hidden, kvHeads * headDim, biases.qkv),
            v: w.linear(`${p}.self_attn.v_proj`, hidden, kvHeads * headDim, biases.qkv),
          },
          attentionOutput: w.linear(`${p}.self_attn.o_proj`, heads * headDim, hidden, biases.output),
          mlpNorm: w.norm(`${p}.post_attention_layernorm`, hidden, false),
          mlp: {
            gate: w.linear(`${p}.mlp.gate_proj`, hidden, inner, biases.mlp),
            up: w.linear(`${p}.mlp.up_proj`, hidden, inner, biases.mlp),
            down: w.linear(`${p}.mlp.down_proj`, inner, hidden, biases.mlp),
          },
        });
      }
      const embedding = w.take('model.embed_tokens.weight', [vocab, hidden]);
      const finalNorm = w.norm('model.norm', hidden, false);
      // As the reference does: a missing lm_head means the embedding serves as the head.
      const tied =
        config.bool('tie_word_embeddings', variant.tiedByDefault ?? false) || !w.has('lm_head.weight');
      if (tied) w.skip('lm_head.weight');
      const lmHead = tied ? embedding : w.take('lm_head.weight', [vocab, hidden]);
      return {
        family: variant.family ?? 'llama',
        vocabSize: vocab,
        hiddenSize: hidden,
        numLayers: layers.length,
        numHeads: heads,
        numKvHeads: kvHeads,
        headDim,
        intermediateSize: inner,
        maxPositions: maxPositions(config),
        norm: {
          kind: 'rmsnorm',
          eps: config.number('rms_norm_eps', 1e-6),
          weightOffset: gemmaScaling ? 1 : 0,
        },
        activation: variant.activation?.(config) ?? activationOf(config, 'hidden_act', 'silu'),
        positions: {
          kind: 'rotary',
          dims: headDim,
          theta: config.number('rope_theta', 10000),
          pairing: 'half',
        },
        parallelResidual: false,
        ...PLAIN_EMBEDDING_PRE_NORM,
        // Gemma: `hidden_size ** 0.5` rounded to the activations' dtype (fp32).
        embeddingScale: gemmaScaling ? Math.fround(Math.sqrt(hidden)) : 1,
        embedding,
        layers,
        finalNorm,
        lmHead,
        tiedEmbeddings: tied,
        // GemmaConfig defaults pad_token_id to 0; LlamaConfig and the others to none.
        paddingIdx: paddingIdxOf(config, vocab, gemmaScaling ? 0 : undefined),
      };
    },
  };
}

/**
 * `max_position_embeddings`, capped by an active sliding window: within the window,
 * sliding-window attention equals full causal attention, which is what backends build.
 */
function maxPositions(config: HfConfig): number {
  const limit = config.int('max_position_embeddings');
  const windowed = config.bool('use_sliding_window', true) && config.has('sliding_window');
  return windowed ? Math.min(limit, config.int('sliding_window')) : limit;
}

/** Llama: optional attention (q, k, v, o) and MLP biases. */
export const llamaBuilder = llamaFamilyBuilder({
  biasesOf: (c) => {
    const attention = c.bool('attention_bias', false);
    return { qkv: attention, output: attention, mlp: c.bool('mlp_bias', false) };
  },
});

/** Mistral: no biases. */
export const mistralBuilder = llamaFamilyBuilder({
  biasesOf: () => ({ qkv: false, output: false, mlp: false }),
});

/** Qwen2: q, k and v carry biases; o and the MLP do not. */
export const qwen2Builder = llamaFamilyBuilder({
  biasesOf: () => ({ qkv: true, output: false, mlp: false }),
});

/**
 * Gemma (transformers 4.41): GemmaConfig's defaults (16 heads and kv heads of 256), tied
 * head by default, `1 + w` RMSNorm and √hidden embedding scale, and an MLP activation
 * from `hidden_activation` alone: when it is null, gelu_pytorch_tanh, whatever
 * `hidden_act` says (GemmaMLP ignores it).
 */
export const gemmaBuilder = llamaFamilyBuilder({
  biasesOf: (c) => {
    const attention = c.bool('attention_bias', false);
    return { qkv: attention, output: attention, mlp: false };
  },
  family: 'gemma',
  defaults: { heads: 16, kvHeads: 16, headDim: 256 },
  tiedByDefault: true,
  activation: (c) => activationOf(c, 'hidden_activation', 'gelu_pytorch_tanh'),
  gemmaScaling: true,
});
