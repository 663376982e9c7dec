import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openModelSpec } from '@pretrain/backend-sdk';
import { describe, expect, it } from 'vitest';
import { openAddon } from './addon.js';
import { describeCudaConformance } from './cuda-conformance.test-support.js';
import { buildNativePlan } from './model-plan.js';
import { nativePluginFor } from './plugin.js';
import { describeTinyRandomOracle } from './tiny-random-oracle.test-support.js';

// The CUDA engine's host code and kernels, compiled by g++ against native/cuda-emulator (a
// CPU stand-in for the CUDA runtime and cuBLAS): where no GPU is, this is how they run.
const EMULATOR = fileURLToPath(
  new URL('../emulator/build/Release/pretrain_native_emulator.node', import.meta.url),
);
const { addon: emulated, reason } = openAddon(EMULATOR, 'emulator');
if (emulated === undefined && process.env.CI === 'true') {
  throw new Error(`${reason}: npm run build:native builds it with the addon`);
}

const plugin = nativePluginFor(() => ({ addon: emulated, reason }));

describe.runIf(emulated !== undefined)('native device cuda on the CUDA emulator', () => {
  // The emulator stands in for cuBLAS only if it computes what cuBLAS computes: checked
  // against OpenBLAS's column-major sgemm (a separate program, built with the addon's compiler).
  it('emulates cuBLAS GEMMs with the BLAS column-major semantics of OpenBLAS', () => {
    const packageDir = fileURLToPath(new URL('..', import.meta.url));
    const flags = (what: string) =>
      execFileSync(process.execPath, ['scripts/native-flags.mjs', what], {
        cwd: packageDir,
        encoding: 'utf8',
      })
        .trim()
        .split(/\s+/)
        .filter(Boolean);
    const dir = mkdtempSync(join(tmpdir(), 'gemm-contract-'));
    try {
      const program = join(dir, 'gemm-contract');
      execFileSync(
        'c++',
        [
          '-std=c++17',
          '-Inative/cuda-emulator',
          ...flags('include').map((d) => `-I${d}`),
          'native/cuda-emulator/gemm-contract.cc',
          'native/cuda-emulator/cublas.cc',
          '-o',
          program,
          ...flags('libs'),
        ],
        { cwd: packageDir },
      );
      expect(execFileSync(program, { encoding: 'utf8' })).toContain('emulated cuBLAS matches OpenBLAS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describeCudaConformance(plugin);
  // fp32 models: fp32 GEMMs on CUDA too, hence the fp32 tolerance.
  describeTinyRandomOracle(plugin, { device: 'cuda' }, 1e-5);
});

describe.runIf(emulated !== undefined)('the CUDA engine’s lifecycle on the emulator', () => {
  const fixture = (name: string) =>
    fileURLToPath(new URL(`../../../test/fixtures/models/${name}`, import.meta.url));

  it('dispose during a run stops it at a layer boundary or lets it finish; later calls reject', async () => {
    const backend = await plugin.createLossBackend({ device: 'cuda' });
    const model = await backend.load(await openModelSpec(fixture('llama-gqa-f32-sharded')));
    const row = Array.from({ length: model.spec.maxPositions }, (_, i) => (i * 7) % model.spec.vocabSize);
    const settled = model.losses([[row], [row], [row], [row]]).then(
      (losses) => ({ losses }),
      (error: unknown) => ({ error }),
    );
    await model.dispose();
    const outcome = await settled;
    if ('error' in outcome) expect(outcome.error).toMatchObject({ code: 'PRETRAIN_DISPOSED' });
    else expect(outcome.losses).toHaveLength(4);
    await expect(model.losses([[row]])).rejects.toMatchObject({ code: 'PRETRAIN_DISPOSED' });
    await backend.dispose();
  });

  it('cancel stops a running loss with kind "cancelled" (the flag is checked between layers)', async () => {
    const spec = await openModelSpec(fixture('llama-gqa-f32-sharded'));
    const handle = new emulated!.NativeModel(buildNativePlan(spec, 1, 'cuda'));
    await handle.load();
    const rows = 4;
    const length = spec.maxPositions;
    const tokens = Int32Array.from({ length: rows * length }, (_, i) => (i * 7) % spec.vocabSize);
    const running = handle.lossSum(tokens, rows, length);
    handle.cancel();
    await expect(running).rejects.toMatchObject({ kind: 'cancelled' });
    handle.release();
  });
});
