import { afterAll, describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { openModelSpec, type ModelSpec } from '@pretrain/backend-sdk';
import { fixtureModelDir } from '@pretrain/conformance';
import { createSession, type OrtSession } from '../session.js';
import { DECODE_ATTENTION, headGroups, LOSS_ATTENTION, type AttentionLayout } from './attention.js';
import { buildCausalLmGraph, GRAPH_IO } from './causal-lm-graph.js';
import { buildDecodeGraph } from './decode-graph.js';
import { onnx, type Onnx } from './onnx-proto.js';

// One per attention shape: MHA with learned positions, GQA with rope, ALiBi, partial rotary
// with parallel residual, multi-query with head dim ≠ d / H, post-norm, per-kv-group q-k-v.
const FIXTURES = [
  'gpt2-tied-f32',
  'llama-gqa-f32-sharded',
  'falcon-rw-alibi10-bf16',
  'neox-parallel-f32',
  'gemma-mqa-headdim32-f32',
  'bart-unscaled-untied-f32',
  'falcon-newdec-gqa3-untied-f16',
];

/** The reference tiling: every head group's full T × T scores, masked. */
const PLAIN: AttentionLayout = { headsPerGroup: 2, queryBlocks: 1 };
const TILINGS: AttentionLayout[] = [
  LOSS_ATTENTION,
  { headsPerGroup: 1, queryBlocks: 3 },
  { headsPerGroup: 64, queryBlocks: 7 },
];

const sessions: OrtSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.release()));
});

async function rowLosses(spec: ModelSpec, layout: AttentionLayout, rows: number[][]): Promise<Float32Array> {
  const session = await createSession(spec, buildCausalLmGraph(spec, layout), { device: 'cpu', threads: 1 });
  sessions.push(session);
  const ids = BigInt64Array.from(rows.flat(), (id) => BigInt(id));
  const input = new ort.Tensor('int64', ids, [rows.length, rows[0]!.length]);
  const out = await session.run({ [GRAPH_IO.ids]: input }, [GRAPH_IO.rowLoss]);
  return (out[GRAPH_IO.rowLoss] as ort.Tensor).data as Float32Array;
}

const ops = (bytes: Uint8Array, type: string) =>
  (onnx.ModelProto.decode(bytes) as Onnx.ModelProto).graph!.node!.filter((n) => n.opType === type).length;

describe('attention tiling', () => {
  it.each(FIXTURES)(
    '%s: query blocks and head groups give the plain losses (T below, at and above the block count)',
    async (name) => {
      const spec = await openModelSpec(fixtureModelDir(name));
      for (const T of [2, 3, 5, 17, spec.maxPositions]) {
        const rows = [0, 1].map((r) =>
          Array.from({ length: T }, (_, i) => (i * 7919 + r * 104729 + 13) % spec.vocabSize),
        );
        const plain = await rowLosses(spec, PLAIN, rows);
        expect([...plain].every(Number.isFinite)).toBe(true);
        for (const layout of TILINGS) {
          const tiled = await rowLosses(spec, layout, rows);
          tiled.forEach((loss, r) =>
            expect(Math.abs(loss - plain[r]!) / plain[r]!, `T=${T} ${JSON.stringify(layout)}`).toBeLessThan(
              2e-6,
            ),
          );
        }
      }
    },
  );

  it('the loss graph computes one softmax per layer, head group and query block; the decode graph does not block', async () => {
    const spec = await openModelSpec(fixtureModelDir('llama-gqa-f32-sharded'));
    const groups = (layout: AttentionLayout) =>
      headGroups(spec.numKvHeads, spec.numHeads / spec.numKvHeads, layout.headsPerGroup).length;
    expect(LOSS_ATTENTION.queryBlocks).toBeGreaterThan(1);
    expect(ops(buildCausalLmGraph(spec), 'Softmax')).toBe(
      spec.numLayers * groups(LOSS_ATTENTION) * LOSS_ATTENTION.queryBlocks,
    );
    expect(ops(buildDecodeGraph(spec), 'Softmax')).toBe(spec.numLayers * groups(DECODE_ATTENTION));
  });
});
