import { describe, expect, it } from 'vitest';
import { openModelSpec } from '@pretrain/backend-sdk';
import { fixtureModelDir } from '@pretrain/conformance';
import { buildCausalLmGraph, GRAPH_IO } from './causal-lm-graph.js';
import { buildDecodeGraph, DECODE_IO } from './decode-graph.js';
import { onnx, type Onnx } from './onnx-proto.js';
import { OPSET } from './graph-builder.js';

const decode = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes) as Onnx.ModelProto;
const external = (t: Onnx.ITensorProto) =>
  Object.fromEntries((t.externalData ?? []).map((e) => [e.key as string, e.value as string]));

describe('buildCausalLmGraph', () => {
  it('references every F32 weight by offset into the safetensors file, inlining none', async () => {
    const spec = await openModelSpec(fixtureModelDir('gpt2-tied-f32'));
    const model = decode(buildCausalLmGraph(spec));
    const weights = model.graph!.initializer!.filter(
      (t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL,
    );
    const inlineBytes = model.graph!.initializer!.reduce((n, t) => n + (t.rawData?.length ?? 0), 0);
    expect(inlineBytes).toBeLessThan(4096); // only shape constants, masks and scalars
    const wte = weights.find((t) => t.name!.includes('wte'))!;
    expect(external(wte)).toEqual({
      location: 'model.safetensors',
      offset: String(spec.embedding.offset),
      length: expect.any(String),
    });
    expect(weights.every((t) => external(t)['location'] === 'model.safetensors')).toBe(true);
  });

  it('uses only standard opset-17 ops and Gemm with transB for [out, in] weights', async () => {
    const spec = await openModelSpec(fixtureModelDir('llama-gqa-f32-sharded'));
    const model = decode(buildCausalLmGraph(spec));
    expect(model.opsetImport!.map((o) => [o.domain, Number(o.version)])).toEqual([['', OPSET]]);
    const nodes = model.graph!.node!;
    expect(nodes.every((n) => !n.domain)).toBe(true);
    const gemms = nodes.filter((n) => n.opType === 'Gemm');
    expect(gemms.length).toBeGreaterThan(7 * spec.numLayers - 1);
    expect(gemms.every((n) => n.attribute!.some((a) => a.name === 'transB' && Number(a.i) === 1))).toBe(true);
    // Llama weights are never transposed or concatenated in the graph (no folded copies).
    expect(nodes.filter((n) => n.opType === 'Transpose' && n.input![0]!.startsWith('w_'))).toEqual([]);
    const locations = new Set(model.graph!.initializer!.map((t) => external(t)['location']).filter(Boolean));
    expect([...locations].sort()).toEqual([
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ]);
  });

  it('casts BF16 weights to float32 in the graph', async () => {
    const spec = await openModelSpec(fixtureModelDir('neox-sequential-bf16'));
    const model = decode(buildCausalLmGraph(spec));
    const bf16 = model.graph!.initializer!.filter((t) => t.dataType === onnx.TensorProto.DataType.BFLOAT16);
    const casts = model.graph!.node!.filter((n) => n.opType === 'Cast' && n.input![0]!.startsWith('w_'));
    expect(bf16.length).toBeGreaterThan(0);
    expect(casts.length).toBe(bf16.length);
  });

  it('declares the ids input and the per-row loss output', async () => {
    const spec = await openModelSpec(fixtureModelDir('qwen2-gqa-tied-f32'));
    const graph = decode(buildCausalLmGraph(spec)).graph!;
    expect(graph.input!.map((i) => i.name)).toEqual([GRAPH_IO.ids]);
    expect(graph.output!.map((o) => o.name)).toEqual([GRAPH_IO.rowLoss]);
  });
});

describe('buildDecodeGraph', () => {
  it('takes and returns a KV cache per layer beside the last logits', async () => {
    const spec = await openModelSpec(fixtureModelDir('mistral-gqa-f32'));
    const graph = decode(buildDecodeGraph(spec)).graph!;
    const layers = spec.layers.map((_, i) => i);
    expect(graph.input!.map((i) => i.name)).toEqual([
      DECODE_IO.ids,
      ...layers.map(DECODE_IO.pastKeys),
      ...layers.map(DECODE_IO.pastValues),
    ]);
    expect(graph.output!.map((o) => o.name)).toEqual([
      DECODE_IO.lastLogits,
      ...layers.map(DECODE_IO.newKeys),
      ...layers.map(DECODE_IO.newValues),
    ]);
    const keyDims = graph.input![1]!.type!.tensorType!.shape!.dim!.map(
      (d) => d.dimParam || Number(d.dimValue),
    );
    expect(keyDims).toEqual(['batch', 'past', spec.numKvHeads * spec.headDim]);
  });
});
