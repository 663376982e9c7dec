import { fileURLToPath } from 'node:url';
import { openModelSpec, type ModelSpec } from '@pretrain/backend-sdk';
import { describe, expect, it } from 'vitest';
import { buildNativePlan } from './model-plan.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/models/${name}`, import.meta.url));

describe('buildNativePlan', () => {
  it('reads a tied head once: the head is the embedding tensor', async () => {
    const spec = await openModelSpec(fixture('gpt2-tied-f32'));
    const plan = buildNativePlan(spec, 2);
    expect(plan.lmHead).toBe(plan.embedding);
    expect(plan.layerRefs[0]?.layout).toBe('blocks');
    expect(plan.rotaryDims).toBe(0);
    expect(plan.tensors.reduce((n, t) => n + t.count, 0)).toBe(spec.parameterCount);
  });

  it('keeps partial rotary dims and the per-head qkv layout of GPT-NeoX', async () => {
    const spec = await openModelSpec(fixture('neox-parallel-f32'));
    const plan = buildNativePlan(spec, 1);
    expect(plan.layerRefs[0]?.layout).toBe('per-head');
    expect(plan.rotaryDims).toBe(spec.positions.kind === 'rotary' ? spec.positions.dims : -1);
    expect(plan.parallelResidual).toBe(true);
  });

  it("carries Bart's layout: positions from row 2, post-norm, an embedding norm and no final norm", async () => {
    const spec = await openModelSpec(fixture('bart-tiny-random'));
    const plan = buildNativePlan(spec, 1);
    expect(plan).toMatchObject({ positionOffset: 2, postNorm: true, lmHeadBias: -1, alibiSlopes: [] });
    expect(plan.embeddingScale).toBe(Math.fround(Math.sqrt(spec.hiddenSize)));
    expect(plan.embeddingNorm.weight).toBeGreaterThanOrEqual(0);
    expect(plan.finalNorm).toEqual({ weight: -1, bias: -1 });
  });

  it('rejects a learned position table without room for the offset rows as corrupt', async () => {
    const spec = await openModelSpec(fixture('bart-tiny-random'));
    const bad: ModelSpec = { ...spec, maxPositions: spec.maxPositions + 1 };
    expect(() => buildNativePlan(bad, 1)).toThrow(
      expect.objectContaining({ code: 'PRETRAIN_CORRUPT_MODEL' }),
    );
  });

  it('carries GPT-J interleaved rotary and head bias, Gemma norm offset, Falcon per-kv-group and ALiBi', async () => {
    const gptj = buildNativePlan(await openModelSpec(fixture('gptj-tiny-random')), 1);
    expect(gptj.rotaryInterleaved).toBe(true);
    expect(gptj.lmHeadBias).toBeGreaterThanOrEqual(0);
    const gemma = buildNativePlan(await openModelSpec(fixture('gemma-tiny-random')), 1);
    expect(gemma).toMatchObject({ normWeightOffset: 1, rmsNorm: true, rotaryInterleaved: false });
    const newDecoder = buildNativePlan(await openModelSpec(fixture('falcon-newdec-tiny-random')), 1);
    expect(newDecoder.layerRefs[0]?.layout).toBe('per-kv-group');
    const rw = await openModelSpec(fixture('falcon-rw-tiny-random'));
    expect(buildNativePlan(rw, 1).alibiSlopes).toHaveLength(rw.numHeads);
    const bad: ModelSpec = { ...rw, positions: { kind: 'alibi', slopes: [0.5] } };
    expect(() => buildNativePlan(bad, 1)).toThrow(
      expect.objectContaining({ code: 'PRETRAIN_CORRUPT_MODEL' }),
    );
  });

  it('rejects a tensor whose shape contradicts config.json as a corrupt model', async () => {
    const spec = await openModelSpec(fixture('llama-gqa-f32-sharded'));
    const bad: ModelSpec = { ...spec, intermediateSize: spec.intermediateSize + 1 };
    expect(() => buildNativePlan(bad, 1)).toThrow(
      expect.objectContaining({ code: 'PRETRAIN_CORRUPT_MODEL' }),
    );
  });

  it('rejects heads that do not divide into kv heads as unsupported', async () => {
    const spec = await openModelSpec(fixture('llama-gqa-f32-sharded'));
    const bad: ModelSpec = { ...spec, numKvHeads: spec.numHeads + 1 };
    expect(() => buildNativePlan(bad, 1)).toThrow(
      expect.objectContaining({ code: 'PRETRAIN_UNSUPPORTED_MODEL' }),
    );
  });
});
