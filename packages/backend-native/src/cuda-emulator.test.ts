import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { LossBackendPlugin } from '@pretrain/core';
import { describe } from 'vitest';
import type { NativeAddon } from './addon.js';
import { describeCudaConformance } from './cuda-conformance.js';
import nativePlugin from './index.js';
import { NativeLossBackend } from './native-loss-backend.js';
import { assertCudaUsable, parseNativeOptions } from './options.js';

// The CUDA engine's host code and kernels, compiled by g++ against native/cuda-emulator (a
// CPU stand-in for the CUDA runtime and cuBLAS): where no GPU is, this is how they run.
const EMULATOR = fileURLToPath(new URL('../build/Release/pretrain_native_emulator.node', import.meta.url));
if (!existsSync(EMULATOR) && process.env.CI === 'true') {
  throw new Error(`${EMULATOR} is missing: npm run build:native builds it with the addon`);
}
const emulated = existsSync(EMULATOR) ? (createRequire(import.meta.url)(EMULATOR) as NativeAddon) : undefined;

const plugin: LossBackendPlugin = {
  meta: nativePlugin.meta,
  async createLossBackend(options) {
    const parsed = parseNativeOptions(options);
    assertCudaUsable(emulated!.cudaDevices());
    return new NativeLossBackend(emulated!, parsed);
  },
  async probe() {
    return { available: true, detail: 'the CUDA engine on the CPU emulator' };
  },
};

describe.runIf(emulated !== undefined)('native device cuda on the CUDA emulator', () => {
  describeCudaConformance(plugin);
});
