/** Weight dtypes a model may be stored in. Backends upcast F16/BF16 exactly to F32. */
export type Dtype = 'F32' | 'F16' | 'BF16';

/** Where one tensor's bytes are: a typed, bounds-checked view into a safetensors file. */
export interface TensorView {
  /** Name in the safetensors header, e.g. `transformer.h.0.attn.c_attn.weight`. */
  readonly name: string;
  readonly dtype: Dtype;
  /** Shape as stored (row-major). */
  readonly shape: readonly number[];
  /** Absolute path of the safetensors file. */
  readonly file: string;
  /** Absolute byte offset of the first element in `file`. */
  readonly offset: number;
  /** Byte length (= product(shape) × dtype size). */
  readonly length: number;
}

/**
 * A linear layer `y = x Wᵀ + b`.
 * `weight` is `[out, in]` (PyTorch `nn.Linear`) unless `inputMajor`, in which case it
 * is `[in, out]` (GPT-2's `Conv1D`, `y = x W + b`).
 */
export interface LinearWeights {
  readonly weight: TensorView;
  readonly bias?: TensorView | undefined;
  readonly inputMajor: boolean;
}

/** LayerNorm (weight + bias) or RMSNorm (weight only) parameters. */
export interface NormWeights {
  readonly weight: TensorView;
  readonly bias?: TensorView | undefined;
}

/**
 * How query, key and value projections are stored.
 * - `separate`: three linears (Llama family).
 * - `fused` + `blocks`: one linear whose output is `[q (H·hd) | k (KV·hd) | v (KV·hd)]`
 *   (GPT-2; Falcon-7B's multi-query layout with KV = 1).
 * - `fused` + `per-head`: one linear whose output is, per head h, `[q_h | k_h | v_h]`,
 *   each `hd` wide (GPT-NeoX, Falcon-RW); only with KV = H.
 * - `fused` + `per-kv-group`: per kv head j, `[q_{j·r} … q_{j·r+r−1} | k_j | v_j]`, each
 *   `hd` wide, with `r = H / KV` (Falcon's new decoder architecture).
 */
export type AttentionProjections =
  | {
      readonly kind: 'separate';
      readonly q: LinearWeights;
      readonly k: LinearWeights;
      readonly v: LinearWeights;
    }
  | {
      readonly kind: 'fused';
      readonly order: 'blocks' | 'per-head' | 'per-kv-group';
      readonly qkv: LinearWeights;
    };

/**
 * The MLP. With `gate`: `down(act(gate(x)) * up(x))` (Llama family);
 * without: `down(act(up(x)))` (GPT-2, GPT-NeoX).
 */
export interface MlpWeights {
  readonly gate?: LinearWeights | undefined;
  readonly up: LinearWeights;
  readonly down: LinearWeights;
}

/** One transformer block. */
export interface LayerSpec {
  readonly attentionNorm: NormWeights;
  readonly attention: AttentionProjections;
  readonly attentionOutput: LinearWeights;
  /**
   * Norm before the MLP (`post_attention_layernorm` in HF naming). The very same object as
   * `attentionNorm` when attention and MLP both read one norm's output (GPT-J, Phi,
   * Falcon-7B): computing it twice gives the same numbers; a backend may compute it once.
   */
  readonly mlpNorm: NormWeights;
  readonly mlp: MlpWeights;
}

/**
 * Position information.
 * - `learned`: absolute embeddings added to the token embeddings; position p reads row
 *   `p + offset` (Bart's table starts with 2 unused rows).
 * - `rotary` on the leading `dims` of each query and key head, with angle
 *   `p / theta^(2i/dims)` for pair i. `half` pairs dim i with i + dims/2 (rotate-half:
 *   Llama, GPT-NeoX, Phi, Gemma, Falcon); `interleaved` pairs 2i with 2i+1 (GPT-J's
 *   rotate-every-two).
 * - `alibi` (Falcon-RW): no position input; the attention score of query head h for the
 *   key at position j gets `bf16(slopes[h] × bf16(j))` added before the 1/√headDim
 *   scaling (see {@link alibiBias}); the slopes are already rounded to bf16.
 */
export type PositionSpec =
  | { readonly kind: 'learned'; readonly embedding: TensorView; readonly offset: number }
  | {
      readonly kind: 'rotary';
      /** Leading dimensions of each head that are rotated (all of `headDim` unless partial). */
      readonly dims: number;
      readonly theta: number;
      readonly pairing: 'half' | 'interleaved';
    }
  | { readonly kind: 'alibi'; readonly slopes: readonly number[] };

/**
 * Architecture families core can describe (which builder made the spec; informational:
 * what a backend must compute is in the spec's fields, see {@link modelFeatures}).
 */
export type ArchitectureFamily = 'gpt2' | 'llama' | 'gpt-neox' | 'gptj' | 'phi' | 'gemma' | 'falcon' | 'bart';

/**
 * A causal LM as every backend needs it: dimensions, conventions and a typed view of
 * every weight. Built by core from `config.json` + safetensors; backends build their
 * runtime form from it and never parse HF files themselves.
 *
 * Forward pass: `x = embedding[ids] · embeddingScale (+ learned positions)`, then
 * `embeddingNorm(x)` when present. Per layer, pre-norm (`normPlacement: 'pre'`), with
 * `h = norm_attn(x)`:
 * sequential residual: `x = x + attn(h); x = x + mlp(norm_mlp(x))`;
 * parallel residual (GPT-NeoX, GPT-J, Phi, Falcon): `x = x + attn(h) + mlp(norm_mlp(x))`.
 * Post-norm (`'post'`, Bart; never parallel): `x = norm_attn(x + attn(x));
 * x = norm_mlp(x + mlp(x))`.
 * Attention is causal softmax(q kᵀ / √headDim) v with grouped kv heads: kv head j
 * serves query heads j·(H/KV) … j·(H/KV) + H/KV − 1.
 * Logits = norm_final(x) · lmHeadᵀ (+ lmHeadBias); without a final norm, x · lmHeadᵀ.
 */
export interface ModelSpec {
  /** HF architecture name, e.g. `LlamaForCausalLM`. */
  readonly architecture: string;
  readonly family: ArchitectureFamily;
  /** The model directory. */
  readonly dir: string;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  readonly intermediateSize: number;
  /** Longest sequence the model accepts (`n_positions` / `max_position_embeddings`). */
  readonly maxPositions: number;
  /**
   * Every norm of the model. RMSNorm multiplies by `weightOffset + weight` (Gemma stores
   * `w` and scales by `1 + w`, in fp32); `weightOffset` is 0 everywhere else.
   */
  readonly norm: {
    readonly kind: 'layernorm' | 'rmsnorm';
    readonly eps: number;
    readonly weightOffset: number;
  };
  /** `gelu_tanh` = GPT-2's gelu_new; `gelu` = exact erf GELU; `silu` = SiLU. */
  readonly activation: 'gelu_tanh' | 'gelu' | 'silu';
  readonly positions: PositionSpec;
  readonly parallelResidual: boolean;
  /** Where the block norms sit: before each sublayer (`pre`) or after its residual add (`post`). */
  readonly normPlacement: 'pre' | 'post';
  /** Token embedding `[vocab, hidden]`. */
  readonly embedding: TensorView;
  /**
   * Factor on the token embeddings, applied in fp32 (Gemma: √hidden; Bart with
   * `scale_embedding`: √d_model; else 1). Backends multiply by `Math.fround(embeddingScale)`.
   */
  readonly embeddingScale: number;
  /** Norm of the embeddings (after positions are added) before the first block (Bart). */
  readonly embeddingNorm: NormWeights | undefined;
  readonly layers: readonly LayerSpec[];
  /** Norm before the head; absent for post-norm models (Bart). */
  readonly finalNorm: NormWeights | undefined;
  /** Output projection `[vocab, hidden]`; the same view as `embedding` when tied. */
  readonly lmHead: TensorView;
  /** Bias `[vocab]` of the output projection (GPT-J, Phi). */
  readonly lmHeadBias: TensorView | undefined;
  readonly tiedEmbeddings: boolean;
  /**
   * The embedding row transformers builds with `nn.Embedding(padding_idx=…)` (Llama family,
   * Phi, Gemma, Bart: `pad_token_id`): training gives it no gradient through the lookup.
   * Absent where the family's embedding has none or the config sets no pad token.
   */
  readonly paddingIdx?: number | undefined;
  /** EOS ids from config.json / generation_config.json, never chosen by greedy sanity checks. */
  readonly eosTokenIds: readonly number[];
  /** All parameters, tied ones once (as the reference counts them). */
  readonly parameterCount: number;
  /** Distinct dtypes of the weights. */
  readonly dtypes: readonly Dtype[];
  /** Total bytes of the weight files. */
  readonly weightBytes: number;
}
