import type { LossBackendOptions } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { parseNativeOptions } from './options.js';

describe('parseNativeOptions', () => {
  it('defaults to the CPU with one thread per core', () => {
    const options = parseNativeOptions({});
    expect(options.device).toBe('cpu');
    expect(options.threads).toBeGreaterThanOrEqual(1);
    expect(parseNativeOptions({ threads: 3 }).threads).toBe(3);
  });

  it('refuses cuda with a device error that says this build is CPU-only', () => {
    expect(() => parseNativeOptions({ device: 'cuda' })).toThrow(
      expect.objectContaining({
        code: 'PRETRAIN_DEVICE_UNAVAILABLE',
        hint: expect.stringMatching(/CPU only/),
      }),
    );
  });

  it('rejects unknown options, unknown devices and bad thread counts with usage errors', () => {
    for (const bad of [
      { tfjsBackend: 'wasm' },
      { device: 'tpu' },
      { threads: 0 },
      { threads: 1.5 },
      { threads: '2' },
    ]) {
      expect(() => parseNativeOptions(bad as LossBackendOptions)).toThrow(
        expect.objectContaining({ code: 'PRETRAIN_USAGE' }),
      );
    }
  });
});
