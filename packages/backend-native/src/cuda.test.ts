import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openModelSpec } from '@pretrain/backend-sdk';
import { describe, expect, it } from 'vitest';
import { loadAddon } from './addon.js';
import { describeCudaConformance } from './cuda-conformance.test-support.js';
import nativePlugin from './index.js';
import { buildNativePlan } from './model-plan.js';

const { addon } = loadAddon();
const cuda = addon?.cudaDevices();
const fixture = fileURLToPath(new URL('../../../test/fixtures/models/llama-mha-f16', import.meta.url));

function nvccOnPath(): boolean {
  try {
    execFileSync('nvcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// These run on every machine with the addon: the CUDA path must compile and link wherever
// nvcc is (CI's machine has it), load without a GPU and refuse cleanly without one.
describe.runIf(addon !== undefined)('the CUDA path of the addon', () => {
  it.runIf(nvccOnPath() && process.env.PRETRAIN_NATIVE_CUDA !== '0')(
    'is compiled and linked in when nvcc was on the PATH at build time',
    () => {
      expect(addon?.cudaBuilt).toBe(true);
      expect(cuda?.built).toBe(true);
    },
  );

  it('reports its devices, and why there are none', () => {
    expect(Number.isInteger(cuda?.devices)).toBe(true);
    if (cuda?.devices === 0) expect(cuda.reason).toMatch(/\w{4}/);
  });

  it.runIf(cuda?.devices === 0)('refuses device cuda with the reason and what to do', async () => {
    await expect(nativePlugin.createLossBackend({ device: 'cuda' })).rejects.toMatchObject({
      code: 'PRETRAIN_DEVICE_UNAVAILABLE',
      message: expect.stringContaining(cuda?.reason ?? ''),
      hint: cuda?.built ? expect.stringMatching(/nvidia-smi/) : expect.stringMatching(/nvcc/),
    });
  });

  it.runIf(cuda?.devices === 0)('its model constructor throws a device error, not a crash', async () => {
    const plan = buildNativePlan(await openModelSpec(fixture), 1, 'cuda');
    expect(() => new addon!.NativeModel(plan)).toThrow(expect.objectContaining({ kind: 'device' }));
    // The CPU engine of the same addon is unaffected.
    const cpu = new addon!.NativeModel({ ...plan, device: 'cpu' });
    await cpu.load();
    cpu.release();
  });
});

// Where a GPU is present: the whole suite on CUDA (cuda-emulator.test.ts runs the same
// code on a CPU stand-in everywhere else).
describe.runIf((cuda?.devices ?? 0) > 0)('native on CUDA', () => {
  describeCudaConformance(nativePlugin);
});
