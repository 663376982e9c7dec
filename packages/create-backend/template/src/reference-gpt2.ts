import {
  readTensorF32,
  UnsupportedModelError,
  type LinearWeights,
  type ModelSpec,
  type NormWeights,
} from '@pretrain/backend-sdk';

/**
 * A plain TypeScript GPT-2 forward pass: the reference this package starts from, to be
 * replaced by your engine. Weights are held as fp32 arrays (F16/BF16 upcast exactly);
 * every dot product and the loss are summed in float64 and stored as fp32, close to
 * PyTorch's fp32 within the conformance suite's 1e-5. No cache, no batching, no threads:
 * written to be read, not to be fast.
 */
export class ReferenceGpt2 {
  private constructor(
    private readonly spec: ModelSpec,
    private readonly w: Gpt2Weights,
  ) {}

  /** Read `spec`'s weights. @throws UnsupportedModelError for a layout this code does not compute. */
  static async load(spec: ModelSpec): Promise<ReferenceGpt2> {
    const { positions, norm, layers } = spec;
    if (
      positions.kind !== 'learned' ||
      positions.offset !== 0 ||
      norm.kind !== 'layernorm' ||
      norm.weightOffset !== 0 ||
      spec.activation !== 'gelu_tanh' ||
      spec.normPlacement !== 'pre' ||
      spec.parallelResidual ||
      spec.embeddingScale !== 1 ||
      spec.embeddingNorm !== undefined ||
      spec.finalNorm === undefined ||
      layers.some((l) => l.attention.kind !== 'fused' || l.attention.order !== 'blocks' || l.mlp.gate)
    ) {
      throw new UnsupportedModelError(`the reference GPT-2 cannot compute the layout of ${spec.dir}`);
    }
    const weights: Gpt2Weights = {
      tokens: await readTensorF32(spec.embedding),
      positions: await readTensorF32(positions.embedding),
      layers: [],
      finalNorm: await readNorm(spec.finalNorm),
      head: await readTensorF32(spec.lmHead),
      headBias: spec.lmHeadBias && (await readTensorF32(spec.lmHeadBias)),
    };
    for (const layer of layers) {
      if (layer.attention.kind !== 'fused') continue; // checked above
      weights.layers.push({
        attentionNorm: await readNorm(layer.attentionNorm),
        qkv: await readLinear(layer.attention.qkv),
        attentionOutput: await readLinear(layer.attentionOutput),
        mlpNorm: await readNorm(layer.mlpNorm),
        up: await readLinear(layer.mlp.up),
        down: await readLinear(layer.mlp.down),
      });
    }
    return new ReferenceGpt2(spec, weights);
  }

  /** The final hidden state (after the last LayerNorm) of every position of `tokens`. */
  hidden(tokens: ArrayLike<number>): Float32Array[] {
    const C = this.spec.hiddenSize;
    let x: Float32Array[] = Array.from(tokens, (token, p) => {
      const row = new Float32Array(C);
      for (let c = 0; c < C; c++) row[c] = this.w.tokens[token * C + c]! + this.w.positions[p * C + c]!;
      return row;
    });
    for (const layer of this.w.layers) {
      const qkv = x.map((row) => linear(this.layerNorm(row, layer.attentionNorm), layer.qkv));
      const attended = this.attention(qkv);
      x = x.map((row, i) => add(row, linear(attended[i]!, layer.attentionOutput)));
      x = x.map((row) => {
        const up = linear(this.layerNorm(row, layer.mlpNorm), layer.up).map(geluTanh);
        return add(row, linear(up, layer.down));
      });
    }
    return x.map((row) => this.layerNorm(row, this.w.finalNorm));
  }

  /** The next-token logits of one hidden state (the LM head). */
  logits(hidden: Float32Array): Float32Array {
    const C = this.spec.hiddenSize;
    const out = new Float32Array(this.spec.vocabSize);
    for (let v = 0; v < out.length; v++) {
      let sum = this.w.headBias?.[v] ?? 0;
      for (let c = 0; c < C; c++) sum += hidden[c]! * this.w.head[v * C + c]!;
      out[v] = sum;
    }
    return out;
  }

  /**
   * The summed cross-entropy of a row's next-token predictions, in the max-shifted frame
   * (`log Σ exp(x − max) − (x_target − max)`), as PyTorch forms it: an offset common to
   * every logit changes nothing; a NaN logit makes the loss NaN.
   */
  rowLossSum(tokens: ArrayLike<number>): number {
    const hidden = this.hidden(tokens);
    let sum = 0;
    for (let t = 0; t + 1 < tokens.length; t++) {
      const logits = this.logits(hidden[t]!);
      let max = -Infinity;
      for (const value of logits) max = Number.isNaN(value) || value > max ? value : max;
      let total = 0;
      for (const value of logits) total += Math.exp(value - max);
      sum += Math.log(total) - (logits[tokens[t + 1]!]! - max);
    }
    return sum;
  }

  /** Causal multi-head attention; each `qkv` row is q | k | v. */
  private attention(qkv: Float32Array[]): Float32Array[] {
    const C = this.spec.hiddenSize;
    const { numHeads: heads, headDim: hd } = this.spec;
    const scale = 1 / Math.sqrt(hd);
    return qkv.map((query, i) => {
      const out = new Float32Array(C);
      for (let h = 0; h < heads; h++) {
        const scores = new Float64Array(i + 1);
        for (let j = 0; j <= i; j++) {
          let dot = 0;
          for (let d = 0; d < hd; d++) dot += query[h * hd + d]! * qkv[j]![C + h * hd + d]!;
          scores[j] = dot * scale;
        }
        const top = Math.max(...scores);
        let total = 0;
        for (let j = 0; j <= i; j++) total += scores[j] = Math.exp(scores[j]! - top);
        for (let d = 0; d < hd; d++) {
          let value = 0;
          for (let j = 0; j <= i; j++) value += (scores[j]! / total) * qkv[j]![2 * C + h * hd + d]!;
          out[h * hd + d] = value;
        }
      }
      return out;
    });
  }

  private layerNorm(x: Float32Array, norm: Norm): Float32Array {
    let mean = 0;
    for (const v of x) mean += v;
    mean /= x.length;
    let variance = 0;
    for (const v of x) variance += (v - mean) ** 2;
    const scale = 1 / Math.sqrt(variance / x.length + this.spec.norm.eps);
    return x.map((v, c) => (v - mean) * scale * norm.weight[c]! + (norm.bias?.[c] ?? 0));
  }
}

interface Linear {
  readonly weight: Float32Array;
  readonly bias: Float32Array | undefined;
  readonly inputs: number;
  readonly outputs: number;
  /** Stored `[inputs, outputs]` (GPT-2's Conv1D) rather than `[outputs, inputs]`. */
  readonly inputMajor: boolean;
}

interface Norm {
  readonly weight: Float32Array;
  readonly bias: Float32Array | undefined;
}

interface Gpt2Weights {
  readonly tokens: Float32Array;
  readonly positions: Float32Array;
  readonly layers: {
    readonly attentionNorm: Norm;
    readonly qkv: Linear;
    readonly attentionOutput: Linear;
    readonly mlpNorm: Norm;
    readonly up: Linear;
    readonly down: Linear;
  }[];
  readonly finalNorm: Norm;
  readonly head: Float32Array;
  readonly headBias: Float32Array | undefined;
}

async function readLinear(linear: LinearWeights): Promise<Linear> {
  const [a, b] = linear.weight.shape as [number, number];
  return {
    weight: await readTensorF32(linear.weight),
    bias: linear.bias && (await readTensorF32(linear.bias)),
    inputs: linear.inputMajor ? a : b,
    outputs: linear.inputMajor ? b : a,
    inputMajor: linear.inputMajor,
  };
}

async function readNorm(norm: NormWeights): Promise<Norm> {
  return { weight: await readTensorF32(norm.weight), bias: norm.bias && (await readTensorF32(norm.bias)) };
}

function linear(x: Float32Array, { weight, bias, inputs, outputs, inputMajor }: Linear): Float32Array {
  const out = new Float32Array(outputs);
  for (let o = 0; o < outputs; o++) {
    let sum = bias?.[o] ?? 0;
    for (let i = 0; i < inputs; i++) sum += x[i]! * weight[inputMajor ? i * outputs + o : o * inputs + i]!;
    out[o] = sum;
  }
  return out;
}

function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

function add(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => v + b[i]!);
}
