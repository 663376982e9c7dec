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
 * GPTJForCausalLM: interleaved (rotate-every-two) rotary over the first `rotary_dim` dims
 * of each head, attention and MLP in parallel off one `ln_1`, bias-free q/k/v/out, an
 * untied head with a bias. `rotary_dim` null means the whole embedding width, which
 * transformers only runs with one head.
 */
export const gptjBuilder: ArchitectureBuilder = {
  optionalPrefix: 'transformer.',
  buffers: [/\.attn\.(bias|masked_bias|embed_positions)$/],
  build(config: HfConfig, w: WeightTable): ArchitectureParts {
    const hidden = config.int('n_embd');
    const heads = config.int('n_head');
    const headDim = divide(config, 'n_embd', 'n_head');
    const explicitNull = Object.hasOwn(config.raw, 'rotary_dim') && config.raw['rotary_dim'] === null;
    const rotary = explicitNull ? hidden : config.int('rotary_dim', 64);
    if (rotary > headDim || rotary % 2 !== 0) {
      throw new UnsupportedModelError(
        `"${config.path}": rotary_dim ${rotary} does not fit a head of ${headDim} (transformers fails on it too)`,
        { hint: 'rotary_dim must be even and at most n_embd / n_head' },
      );
    }
    const vocab = config.int('vocab_size');
    const inner = config.int('n_inner', 4 * hidden);
    const layers: LayerSpec[] = [];
    for (let i = 0; i < config.int('n_layer'); i++) {
      const p = `h.${i}`;
      const ln = w.norm(`${p}.ln_1`, hidden, true);
      layers.push({
        attentionNorm: ln,
        attention: {
          kind: 'separate',
          q: w.linear(`${p}.attn.q_proj`, hidden, hidden, false),
          k: w.linear(`${p}.attn.k_proj`, hidden, hidden, false),
          v: w.linear(`${p}.attn.v_proj`, hidden, hidden, false),
        },
        attentionOutput: w.linear(`${p}.attn.out_proj`, hidden, hidden, false),
        mlpNorm: ln,
        mlp: {
          up: w.linear(`${p}.mlp.fc_in`, hidden, inner, true),
          down: w.linear(`${p}.mlp.fc_out`, inner, hidden, true),
        },
      });
    }
    const embedding = w.take('wte.weight', [vocab, hidden]);
    const finalNorm = w.norm('ln_f', hidden, true);
    const head = tiedHeadWithBias(config, w, embedding, vocab, hidden);
    return {
      ...PLAIN_EMBEDDING_PRE_NORM,
      family: 'gptj',
      vocabSize: vocab,
      hiddenSize: hidden,
      numLayers: layers.length,
      numHeads: heads,
      numKvHeads: heads,
      headDim,
      intermediateSize: inner,
      maxPositions: config.int('n_positions'),
      norm: { kind: 'layernorm', eps: config.number('layer_norm_epsilon', 1e-5), weightOffset: 0 },
      activation: activationOf(config, 'activation_function', 'gelu_new'),
      // create_sinusoidal_positions: base 10000, not configurable.
      positions: { kind: 'rotary', dims: rotary, theta: 10000, pairing: 'interleaved' },
      parallelResidual: true,
      embedding,
      layers,
      finalNorm,
      ...head,
    };
  },
};

/**
 * An `nn.Linear(hidden, vocab, bias=True)` head (GPT-J, Phi): tied to the embedding when
 * the config says so or the checkpoint has no `lm_head.weight` (as the reference
 * resolves it). A missing bias is zero-initialised by transformers, so it is still a
 * parameter: counted in `absentParameters`, and left out of the spec (adding zero).
 */
export function tiedHeadWithBias(
  config: HfConfig,
  w: WeightTable,
  embedding: ArchitectureParts['embedding'],
  vocab: number,
  hidden: number,
): Pick<ArchitectureParts, 'lmHead' | 'lmHeadBias' | 'tiedEmbeddings' | 'absentParameters'> {
  const tied = config.bool('tie_word_embeddings', false) || !w.has('lm_head.weight');
  if (tied) w.skip('lm_head.weight');
  const lmHeadBias = w.maybe('lm_head.bias', [vocab]);
  return {
    lmHead: tied ? embedding : w.take('lm_head.weight', [vocab, hidden]),
    lmHeadBias,
    tiedEmbeddings: tied,
    absentParameters: lmHeadBias === undefined ? vocab : 0,
  };
}
