import type { LinearWeights, ModelSpec, NormWeights } from '@pretrain/backend-sdk';
import type { GraphBuilder } from './graph-builder.js';

/**
 * `x Wᵀ + b` on `[N, in]` activations as one `Gemm`. PyTorch's `[out, in]` weights use
 * `transB`, GPT-2's `[in, out]` ones do not, so every weight is used straight from its
 * safetensors bytes: no transposed or concatenated copy is ever made (onnxruntime would
 * fold such a copy into extra resident memory the size of the weights).
 */
export function linear(g: GraphBuilder, x: string, lin: LinearWeights): string {
  const inputs = [x, g.weight(lin.weight)];
  if (lin.bias !== undefined) inputs.push(g.weight(lin.bias));
  return g.op('Gemm', inputs, { transB: lin.inputMajor ? 0 : 1 });
}

/** LayerNorm or RMSNorm (times `weightOffset + w`) over the last axis, as the spec says. */
export function norm(g: GraphBuilder, spec: ModelSpec, x: string, weights: NormWeights): string {
  // Gemma scales by (1 + w), the sum taken in fp32 as transformers does.
  const stored = g.weight(weights.weight);
  const offset = spec.norm.weightOffset;
  const gamma = offset === 0 ? stored : g.op('Add', [stored, g.f32([offset], [])]);
  if (spec.norm.kind === 'layernorm') {
    const beta =
      weights.bias === undefined
        ? g.f32(new Float32Array(spec.hiddenSize), [spec.hiddenSize])
        : g.weight(weights.bias);
    return g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: { float: spec.norm.eps } });
  }
  // The exact pattern onnxruntime fuses into SimplifiedLayerNormalization.
  const meanSquare = g.op('ReduceMean', [g.op('Pow', [x, g.f32([2], [])])], { axes: [-1], keepdims: 1 });
  const denominator = g.op('Sqrt', [g.op('Add', [meanSquare, g.f32([spec.norm.eps], [])])]);
  return g.op('Mul', [g.op('Div', [x, denominator]), gamma]);
}

/** The MLP activation, written as the patterns onnxruntime fuses (Gelu, FastGelu). */
export function activation(g: GraphBuilder, kind: ModelSpec['activation'], x: string): string {
  switch (kind) {
    case 'silu':
      return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    case 'gelu': {
      const erf = g.op('Erf', [g.op('Div', [x, g.f32([Math.SQRT2], [])])]);
      return g.op('Mul', [g.op('Mul', [x, g.op('Add', [erf, g.f32([1], [])])]), g.f32([0.5], [])]);
    }
    case 'gelu_tanh': {
      const cube = g.op('Mul', [g.op('Pow', [x, g.f32([3], [])]), g.f32([0.044715], [])]);
      const inner = g.op('Mul', [g.op('Add', [x, cube]), g.f32([Math.sqrt(2 / Math.PI)], [])]);
      const onePlus = g.op('Add', [g.op('Tanh', [inner]), g.f32([1], [])]);
      return g.op('Mul', [g.op('Mul', [x, g.f32([0.5], [])]), onePlus]);
    }
  }
}

/** The MLP block: `down(act(up x))`, or `down(act(gate x) * up x)` with a gate. */
export function mlp(
  g: GraphBuilder,
  spec: ModelSpec,
  x: string,
  weights: ModelSpec['layers'][number]['mlp'],
): string {
  const up = linear(g, x, weights.up);
  const hidden =
    weights.gate === undefined
      ? activation(g, spec.activation, up)
      : g.op('Mul', [activation(g, spec.activation, linear(g, x, weights.gate)), up]);
  return linear(g, hidden, weights.down);
}
