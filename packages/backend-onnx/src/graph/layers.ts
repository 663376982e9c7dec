import type { LinearWeights, ModelSpec, NormWeights } from '@pretrain/core';
import type { GraphBuilder } from './graph-builder.js';

/**
 * Weight `[in, out]` of a linear layer, ready for `MatMul(x, W)`. PyTorch `[out, in]`
 * weights get a `Transpose` that onnxruntime folds into a constant once, so no transposed
 * copy is made in JS and the safetensors bytes stay referenced by offset.
 */
export function inputMajorWeight(g: GraphBuilder, lin: LinearWeights): string {
  const w = g.weight(lin.weight);
  return lin.inputMajor ? w : g.op('Transpose', [w], { perm: [1, 0] });
}

/** `x W + b` on `[B, T, in]` activations. */
export function linear(g: GraphBuilder, x: string, lin: LinearWeights): string {
  const y = g.op('MatMul', [x, inputMajorWeight(g, lin)]);
  return lin.bias === undefined ? y : g.op('Add', [y, g.weight(lin.bias)]);
}

/**
 * Several linears on the same input as one MatMul (weights concatenated along the
 * output axis, folded to one constant), split back into their outputs. Bigger GEMMs run
 * closer to the machine's peak than several small ones.
 */
export function fusedLinears(g: GraphBuilder, x: string, lins: readonly LinearWeights[]): string[] {
  const widths = lins.map((l) => (l.inputMajor ? l.weight.shape[1] : l.weight.shape[0]) as number);
  const w = g.op(
    'Concat',
    lins.map((l) => inputMajorWeight(g, l)),
    { axis: 1 },
  );
  let y = g.op('MatMul', [x, w]);
  if (lins.some((l) => l.bias !== undefined)) {
    const biases = lins.map((l, i) =>
      l.bias === undefined
        ? g.f32(new Float32Array(widths[i] as number), [widths[i] as number])
        : g.weight(l.bias),
    );
    y = g.op('Add', [y, g.op('Concat', biases, { axis: 0 })]);
  }
  return g.opMulti('Split', [y, g.i64(widths)], { axis: -1 }, lins.length);
}

/** LayerNorm or RMSNorm over the last axis, as the spec says. */
export function norm(g: GraphBuilder, spec: ModelSpec, x: string, weights: NormWeights): string {
  const gamma = g.weight(weights.weight);
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
  if (weights.gate === undefined) {
    return linear(g, activation(g, spec.activation, linear(g, x, weights.up)), weights.down);
  }
  const [gate, up] = fusedLinears(g, x, [weights.gate, weights.up]) as [string, string];
  return linear(g, g.op('Mul', [activation(g, spec.activation, gate), up]), weights.down);
}
