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
 * - `fused` + `blocks`: one linear whose output is `[q (H·hd) | k (KV·hd) | v (KV·hd)]` (GPT-2).
 * - `fused` + `per-head`: one linear whose output is, per head h, `[q_h | k_h | v_h]`,
 *   each `hd` wide (GPT-NeoX).
 */
export type AttentionProjections =
  | {
      readonly kind: 'separate';
      readonly q: LinearWeights;
      readonly k: LinearWeights;
      readonly v: LinearWeights;
    }
  | { readonly kind: 'fused'; readonly order: 'blocks' | 'per-head'; readonly qkv: LinearWeights };

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
  /** Norm before the MLP (`post_attention_layernorm` in HF naming). */
  readonly mlpNorm: NormWeights;
  readonly mlp: MlpWeights;
}

/** Position information: learned absolute embeddings or rotary (rotate-half convention). */
export type PositionSpec =
  | { readonly kind: 'learned'; readonly embedding: TensorView }
  | {
      readonly kind: 'rotary';
      /** Leading dimensions of each head that are rotated (all of `headDim` unless partial). */
      readonly dims: number;
      readonly theta: number;
    };

/** Architecture families core can describe; each backend builds each family. */
export type ArchitectureFamily = 'gpt2' | 'llama' | 'gpt-neox';

/**
 * A causal LM as every backend needs it: dimensions, conventions and a typed view of
 * every weight. Built by core from `config.json` + safetensors; backends build their
 * runtime form from it and never parse HF files themselves.
 *
 * Forward pass, per layer, with `h = norm_attn(x)`:
 * sequential residual: `x = x + attn(h); x = x + mlp(norm_mlp(x))`;
 * parallel residual (GPT-NeoX): `x = x + attn(h) + mlp(norm_mlp(x))`.
 * Attention is causal softmax(q kᵀ / √headDim) v with grouped kv heads: kv head j
 * serves query heads j·(H/KV) … j·(H/KV) + H/KV − 1. Logits = norm_final(x) · lmHeadᵀ.
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
  readonly norm: { readonly kind: 'layernorm' | 'rmsnorm'; readonly eps: number };
  /** `gelu_tanh` = GPT-2's gelu_new; `gelu` = exact erf GELU; `silu` = SiLU. */
  readonly activation: 'gelu_tanh' | 'gelu' | 'silu';
  readonly positions: PositionSpec;
  readonly parallelResidual: boolean;
  /** Token embedding `[vocab, hidden]`. */
  readonly embedding: TensorView;
  readonly layers: readonly LayerSpec[];
  readonly finalNorm: NormWeights;
  /** Output projection `[vocab, hidden]`; the same view as `embedding` when tied. */
  readonly lmHead: TensorView;
  readonly tiedEmbeddings: boolean;
  /** EOS ids from config.json / generation_config.json, never chosen by greedy sanity checks. */
  readonly eosTokenIds: readonly number[];
  /** All parameters, tied ones once (as the reference counts them). */
  readonly parameterCount: number;
  /** Distinct dtypes of the weights. */
  readonly dtypes: readonly Dtype[];
  /** Total bytes of the weight files. */
  readonly weightBytes: number;
}
