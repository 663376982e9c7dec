import type { LossBackendOptions } from '@pretrain/backend-sdk';
import { describe, expect, it } from 'vitest';
import { assertCudaUsable, parseNativeOptions } from './options.js';

describe('parseNativeOptions', () => {
  it('defaults to the CPU with one thread per core', () => {
    const options = parseNativeOptions({});
    expect(options.device).toBe('cpu');
    expect(options.threads).toBeGreaterThanOrEqual(1);
    expect(parseNativeOptions({ threads: 3 }).threads).toBe(3);
    // What `--backend-option threads=2` gives: a string, turned into the declared integer.
    expect(parseNativeOptions({ threads: '2' }).threads).toBe(2);
  });

  it('accepts cuda (the addon decides whether it can run it)', () => {
    expect(parseNativeOptions({ device: 'cuda' }).device).toBe('cuda');
  });

  it('refuses an unusable CUDA with the reason and the matching hint', () => {
    const refused = (built: boolean) => () =>
      assertCudaUsable({ built, devices: 0, reason: 'no CUDA device is visible' });
    expect(refused(false)).toThrow(
      expect.objectContaining({ code: 'PRETRAIN_DEVICE_UNAVAILABLE', hint: expect.stringMatching(/nvcc/) }),
    );
    expect(refused(true)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/no CUDA device is visible/),
        hint: expect.stringMatching(/nvidia-smi/),
      }),
    );
    expect(() => assertCudaUsable({ built: true, devices: 1, reason: '' })).not.toThrow();
  });

  it('rejects unknown options, unknown devices and bad thread counts with usage errors', () => {
    for (const bad of [
      { tfjsBackend: 'wasm' },
      { device: 'tpu' },
      { threads: 0 },
      { threads: 1.5 },
      { threads: 'two' },
    ]) {
      expect(() => parseNativeOptions(bad as LossBackendOptions)).toThrow(
        expect.objectContaining({ code: 'PRETRAIN_USAGE' }),
      );
    }
  });
});
