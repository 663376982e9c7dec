import { describeBackendConformance } from '@pretrain/conformance/vitest';
import type { LossBackendPlugin } from '@pretrain/backend-sdk';

/** Fixture models whose matrices are all bf16 or f16: on CUDA their GEMMs run in that precision. */
const HALF_MODELS = [
  'falcon-newdec-gqa3-untied-f16',
  'falcon-rw-alibi10-bf16',
  'gpt2-untied-bf16',
  'gpt2-vocab50257-bf16',
  'gptj-rotary8-bf16',
  'llama-bias-headdim-bf16',
  'llama-mha-f16',
  'mistral-mqa-bf16',
  'neox-sequential-bf16',
  'qwen2-mha-untied-bf16',
];

/**
 * The conformance suite for `device: 'cuda'`, twice: at fp32 tolerances (losses within
 * 1e-5, greedy tokens exact) for everything but the half-precision models' losses, which
 * bf16/f16 GEMMs move by about 1e-4; then all of it at the reduced-precision tolerances.
 * Test support (kept out of dist by tsconfig.json): used by the GPU and the emulator tests.
 */
export function describeCudaConformance(plugin: LossBackendPlugin): void {
  describeBackendConformance(plugin, {
    backendOptions: { device: 'cuda' },
    excludes: HALF_MODELS.map((name) => ({
      test: `golden-losses:${name}`,
      reason: 'bf16/f16 GEMMs: checked at reduced-precision tolerances',
    })),
  });
  describeBackendConformance(plugin, { backendOptions: { device: 'cuda' }, precision: 'reduced' });
}
