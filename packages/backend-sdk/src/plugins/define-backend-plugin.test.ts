import { describe, expect, it } from 'vitest';
import {
  LOSS_BACKEND_API_VERSION,
  type LossBackend,
  type LossBackendOptions,
  type LossBackendPlugin,
} from '../contracts/loss-backend.js';
import { PluginContractError, UsageError } from '../errors/index.js';
import { describeBackendOptions, validateBackendOptions, z } from './backend-options.js';
import { defineBackendPlugin } from './define-backend-plugin.js';
import { validateBackendPlugin } from './validate-backend-plugin.js';

const meta = { name: 'demo', version: '1.0.0', apiVersion: LOSS_BACKEND_API_VERSION };

// Records what the plugin's own factory received, as a real backend would use it.
function demoPlugin(received: unknown[]): LossBackendPlugin {
  return defineBackendPlugin({
    meta,
    options: z.object({
      device: z.enum(['cpu']).default('cpu').describe('only the CPU'),
      tile: z.int().min(1).max(512).default(64).describe('GEMM tile size'),
      fused: z.boolean().optional().describe('fuse the head'),
      mode: z.enum(['fast', 'exact']).optional(),
    }),
    async createLossBackend(options) {
      received.push(options);
      return { name: 'demo' } as unknown as LossBackend;
    },
    async probe() {
      return { available: true, detail: 'here' };
    },
  });
}

const usageError = (fn: () => unknown): UsageError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('no UsageError');
};

describe('defineBackendPlugin', () => {
  it('gives createLossBackend typed, defaulted options, turning flag strings into numbers and booleans', async () => {
    const received: unknown[] = [];
    const plugin = demoPlugin(received);
    // Strings as `--backend-option` gives them.
    await plugin.createLossBackend({
      tile: '128',
      fused: 'true',
      threads: '3',
    } as unknown as LossBackendOptions);
    await plugin.createLossBackend({});
    expect(received).toEqual([
      { device: 'cpu', tile: 128, fused: true, threads: 3 },
      { device: 'cpu', tile: 64 },
    ]);
    expect(await plugin.probe?.()).toEqual({ available: true, detail: 'here' });
    expect(validateBackendPlugin({ default: plugin }, 'demo')).toBe(plugin);
  });

  it('documents the common options and its own, in order, with types, defaults and descriptions', () => {
    const docs = describeBackendOptions(demoPlugin([]).options ?? z.object({}));
    expect(docs).toEqual([
      { name: 'device', type: 'cpu', default: 'cpu', description: 'only the CPU' },
      {
        name: 'threads',
        type: 'integer 1..1024',
        description: 'worker threads (--threads); unset: the backend picks',
      },
      { name: 'tile', type: 'integer 1..512', default: 64, description: 'GEMM tile size' },
      { name: 'fused', type: 'boolean', description: 'fuse the head' },
      { name: 'mode', type: 'fast|exact', description: '' },
    ]);
  });

  it('refuses an unknown key, quoting it and listing the options', () => {
    const error = usageError(() => validateBackendOptions(demoPlugin([]), { tiel: '8' }));
    expect(error.message).toBe('backend demo has no option "tiel"');
    expect(error.hint).toBe(
      'backend demo takes: device (cpu, default "cpu"), threads (integer 1..1024), ' +
        'tile (integer 1..512, default 64), fused (boolean), mode (fast|exact); ' +
        '`pretrain backends demo` describes them',
    );
  });

  it.each([
    [{ tile: 'big' }, 'backend option "tile" of backend demo: expected integer 1..512, got "big"'],
    [{ tile: 0 }, 'backend option "tile" of backend demo: expected integer 1..512, got 0'],
    [{ device: 'cuda' }, 'backend option "device" of backend demo: expected cpu, got "cuda"'],
    [{ fused: 'maybe' }, 'backend option "fused" of backend demo: expected boolean, got "maybe"'],
    [{ mode: 'quick' }, 'backend option "mode" of backend demo: expected fast|exact, got "quick"'],
  ])('refuses %j with what was expected', async (raw, message) => {
    await expect(demoPlugin([]).createLossBackend(raw as LossBackendOptions)).rejects.toThrow(message);
    expect(usageError(() => validateBackendOptions(demoPlugin([]), raw)).message).toBe(message);
  });

  it('passes options unchecked to a plain-object plugin without a schema (API 1 plugins keep working)', async () => {
    const plain: LossBackendPlugin = {
      meta,
      async createLossBackend() {
        return { name: 'plain' } as unknown as LossBackend;
      },
    };
    expect(validateBackendPlugin({ default: plain }, 'plain')).toBe(plain);
    expect(validateBackendOptions(plain, { anything: 'goes', threads: '2' })).toEqual({
      anything: 'goes',
      threads: '2',
    });
  });

  it('refuses a plugin whose options member is not a schema', () => {
    const bad = { meta, options: { tile: 'number' }, createLossBackend: async () => ({}) };
    expect(() => validateBackendPlugin({ default: bad }, 'bad')).toThrow(PluginContractError);
    expect(() => validateBackendPlugin({ default: bad }, 'bad')).toThrow(
      'bad is not a pretrain backend plugin: `options` is present but not a zod object schema',
    );
  });
});
