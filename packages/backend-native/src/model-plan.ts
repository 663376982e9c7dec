import {
  CorruptModelError,
  SUPPORTED_DTYPES,
  UnsupportedModelError,
  type LinearWeights,
  type ModelSpec,
  type NormWeights,
  type TensorView,
} from '@pretrain/backend-sdk';

/** A linear layer as the addon reads it: tensor-table indices and its dimensions. */
export interface PlanLinear {
  readonly weight: number;
  readonly bias: number;
  readonly inputMajor: boolean;
  readonly in: number;
  readonly out: number;
}

/** Norm weight and bias indices (-1 = none). */
export interface PlanNorm {
  readonly weight: number;
  readonly bias: number;
}

/** One block; `layout` says how q|k|v sit in the projected columns. */
export interface PlanLayer {
  readonly attnNorm: PlanNorm;
  readonly mlpNorm: PlanNorm;
  readonly layout: 'separate' | 'blocks' | 'per-head' | 'per-kv-group';
  readonly q?: PlanLinear;
  readonly k?: PlanLinear;
  readonly v?: PlanLinear;
  readonly qkv?: PlanLinear;
  readonly o: PlanLinear;
  readonly gate?: PlanLinear;
  readonly up: PlanLinear;
  readonly down: PlanLinear;
}

/** A tensor to read: where its bytes are and how many elements it has. */
export interface PlanTensor {
  readonly file: string;
  readonly offset: number;
  readonly dtype: TensorView['dtype'];
  readonly count: number;
}

/** Everything the addon needs to build a model (parsed by native/config.cc). */
export interface NativePlan {
  /** Where the model runs: the CPU engine or the CUDA one. */
  readonly device: 'cpu' | 'cuda';
  readonly vocab: number;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly intermediate: number;
  readonly maxPositions: number;
  readonly threads: number;
  readonly rmsNorm: boolean;
  readonly eps: number;
  /** Added once to every norm weight, in fp32 (Gemma: 1). */
  readonly normWeightOffset: number;
  readonly activation: ModelSpec['activation'];
  /** Rotated leading dims of each head; 0 for learned positions. */
  readonly rotaryDims: number;
  readonly theta: number;
  /** Rotary pairs (2i, 2i+1) (GPT-J) instead of rotate-half. */
  readonly rotaryInterleaved: boolean;
  /** ALiBi slopes per head, bf16 already; empty without ALiBi. */
  readonly alibiSlopes: readonly number[];
  readonly parallelResidual: boolean;
  /** Norms after each residual add (Bart) instead of before each sublayer. */
  readonly postNorm: boolean;
  /** fp32 factor on the token embeddings. */
  readonly embeddingScale: number;
  /** Position p reads row p + positionOffset of the learned table. */
  readonly positionOffset: number;
  readonly embedding: number;
  readonly positionEmbedding: number;
  readonly lmHead: number;
  /** The head's bias, -1 for none. */
  readonly lmHeadBias: number;
  /** weight -1: none. */
  readonly embeddingNorm: PlanNorm;
  /** weight -1: none. */
  readonly finalNorm: PlanNorm;
  readonly layerRefs: readonly PlanLayer[];
  readonly tensors: readonly PlanTensor[];
}

/**
 * Translate a spec into the addon's plan: every distinct tensor once (a tied head is
 * the embedding's index), each with its shape checked against the dimensions.
 * @throws UnsupportedModelError for head counts or rotary dims the kernels cannot run.
 * @throws CorruptModelError for a tensor whose shape contradicts config.json.
 */
export function buildNativePlan(
  spec: ModelSpec,
  threads: number,
  device: 'cpu' | 'cuda' = 'cpu',
): NativePlan {
  const { hiddenSize: d, numHeads: H, numKvHeads: KV, headDim: hd, intermediateSize: I } = spec;
  const rotaryDims = spec.positions.kind === 'rotary' ? spec.positions.dims : 0;
  if (H % KV !== 0 || rotaryDims % 2 !== 0 || rotaryDims > hd) {
    throw new UnsupportedModelError(
      `"${spec.dir}" has ${H} heads over ${KV} kv heads and ${rotaryDims} rotary dims of ${hd}: ` +
        'heads must divide evenly and rotary dims be even and at most the head size',
    );
  }
  const tensors: PlanTensor[] = [];
  const indices = new Map<TensorView, number>();
  const tensor = (view: TensorView, shape: readonly number[]): number => {
    const known = indices.get(view);
    if (known !== undefined) return known;
    if (view.shape.length !== shape.length || view.shape.some((n, i) => n !== shape[i])) {
      throw new CorruptModelError(
        `tensor "${view.name}" has shape [${view.shape.join(', ')}], expected [${shape.join(', ')}] from config.json`,
        { hint: 'the weights do not match config.json: check the model files' },
      );
    }
    if (!SUPPORTED_DTYPES.includes(view.dtype)) {
      throw new UnsupportedModelError(
        `tensor "${view.name}" is ${String(view.dtype)}: backend native reads F32, F16 and BF16`,
      );
    }
    const count = shape.reduce((a, b) => a * b, 1);
    tensors.push({ file: view.file, offset: view.offset, dtype: view.dtype, count });
    indices.set(view, tensors.length - 1);
    return tensors.length - 1;
  };
  const norm = (n: NormWeights | undefined): PlanNorm =>
    n === undefined
      ? { weight: -1, bias: -1 }
      : { weight: tensor(n.weight, [d]), bias: n.bias === undefined ? -1 : tensor(n.bias, [d]) };
  const linear = (l: LinearWeights, input: number, out: number): PlanLinear => ({
    weight: tensor(l.weight, l.inputMajor ? [input, out] : [out, input]),
    bias: l.bias === undefined ? -1 : tensor(l.bias, [out]),
    inputMajor: l.inputMajor,
    in: input,
    out,
  });
  const layerRefs = spec.layers.map((layer): PlanLayer => {
    const a = layer.attention;
    const projections =
      a.kind === 'separate'
        ? {
            layout: 'separate' as const,
            q: linear(a.q, d, H * hd),
            k: linear(a.k, d, KV * hd),
            v: linear(a.v, d, KV * hd),
          }
        : { layout: a.order, qkv: linear(a.qkv, d, (H + 2 * KV) * hd) };
    if (projections.layout === 'per-head' && KV !== H) {
      throw new UnsupportedModelError(`"${spec.dir}": a per-head fused qkv needs as many kv heads as heads`);
    }
    return {
      attnNorm: norm(layer.attentionNorm),
      mlpNorm: norm(layer.mlpNorm),
      ...projections,
      o: linear(layer.attentionOutput, H * hd, d),
      ...(layer.mlp.gate === undefined ? {} : { gate: linear(layer.mlp.gate, d, I) }),
      up: linear(layer.mlp.up, d, I),
      down: linear(layer.mlp.down, I, d),
    };
  });
  const embedding = tensor(spec.embedding, [spec.vocabSize, d]);
  const positions = spec.positions;
  const positionOffset = positions.kind === 'learned' ? positions.offset : 0;
  if (
    positions.kind === 'learned' &&
    (positions.embedding.shape[0] ?? 0) < spec.maxPositions + positionOffset
  ) {
    throw new CorruptModelError(
      `position embedding "${positions.embedding.name}" has ${positions.embedding.shape[0]} rows for ${spec.maxPositions} positions` +
        (positionOffset === 0 ? '' : ` from row ${positionOffset}`),
    );
  }
  if (positions.kind === 'alibi' && positions.slopes.length !== H) {
    throw new CorruptModelError(`"${spec.dir}": ${positions.slopes.length} ALiBi slopes for ${H} heads`);
  }
  if (spec.normPlacement === 'post' && spec.parallelResidual) {
    throw new UnsupportedModelError(
      `"${spec.dir}": post-norm blocks with a parallel residual are not defined`,
    );
  }
  return {
    device,
    vocab: spec.vocabSize,
    hidden: d,
    layers: spec.numLayers,
    heads: H,
    kvHeads: KV,
    headDim: hd,
    intermediate: I,
    maxPositions: spec.maxPositions,
    threads,
    rmsNorm: spec.norm.kind === 'rmsnorm',
    eps: spec.norm.eps,
    normWeightOffset: spec.norm.weightOffset,
    activation: spec.activation,
    rotaryDims,
    theta: positions.kind === 'rotary' ? positions.theta : 0,
    rotaryInterleaved: positions.kind === 'rotary' && positions.pairing === 'interleaved',
    alibiSlopes: positions.kind === 'alibi' ? positions.slopes : [],
    parallelResidual: spec.parallelResidual,
    postNorm: spec.normPlacement === 'post',
    embeddingScale: Math.fround(spec.embeddingScale),
    positionOffset,
    embedding,
    positionEmbedding:
      positions.kind === 'learned' ? tensor(positions.embedding, [positions.embedding.shape[0] ?? 0, d]) : -1,
    lmHead: tensor(spec.lmHead, [spec.vocabSize, d]),
    lmHeadBias: spec.lmHeadBias === undefined ? -1 : tensor(spec.lmHeadBias, [spec.vocabSize]),
    embeddingNorm: norm(spec.embeddingNorm),
    finalNorm: norm(spec.finalNorm),
    layerRefs,
    tensors,
  };
}
