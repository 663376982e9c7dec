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
