import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PretrainError } from '@pretrain/backend-sdk';
import type { NativePlan } from './model-plan.js';

/** One model inside the addon; every method but `cancel`/`release` runs off the JS thread. */
export interface NativeModelHandle {
  /** Read and upcast every tensor of the plan. Rejects with `kind: 'corrupt'` on short files. */
  load(): Promise<void>;
  /** Σ of next-token losses over `rows × length` tokens (`Infinity` when not finite). */
  lossSum(tokens: Int32Array, rows: number, length: number): Promise<number>;
  /** `count` greedy tokens after `prompt` (KV cache inside), never one of `excluded`. */
  generate(prompt: Int32Array, count: number, excluded: Int32Array): Promise<number[]>;
  /** The fp32 logits of the last of `tokens` (no cache kept: greedy with logits processors). */
  lastLogits(tokens: Int32Array): Promise<Float32Array>;
  /** Make running work stop at the next layer (its promise rejects with `kind: 'cancelled'`). */
  cancel(): void;
  /** Drop the model; memory is freed once no queued work holds it. */
  release(): void;
}

/** Whether the addon can put models on CUDA here, and if not, why. */
export interface CudaStatus {
  /** The addon was built with its CUDA path (nvcc was found at build time). */
  readonly built: boolean;
  /** CUDA devices able to run it (compute capability 8.0 or newer). */
  readonly devices: number;
  /** Why no device can be used; empty when one can. */
  readonly reason: string;
}

/** What `build/Release/pretrain_native.node` exports. */
export interface NativeAddon {
  /**
   * A model on the plan's device. With `device: 'cuda'` the constructor throws an Error
   * with `kind: 'device'` when no usable GPU, driver or cuBLAS is present.
   */
  readonly NativeModel: new (plan: NativePlan) => NativeModelHandle;
  /** OpenBLAS's build description, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64`. */
  readonly blasConfig: string;
  readonly blasCores: number;
  /** Whether the CUDA path was compiled in. */
  readonly cudaBuilt: boolean;
  /** Probe the CUDA devices (cheap; no model is created). */
  cudaDevices(): CudaStatus;
}

/** Where node-gyp puts the addon (`packages/backend-native/build/Release`). */
export const ADDON_PATH = fileURLToPath(new URL('../build/Release/pretrain_native.node', import.meta.url));

/** What to do when the addon is missing: the system packages and the rebuild command. */
export const NATIVE_BUILD_HINT =
  'install a C++ compiler and OpenBLAS (Debian/Ubuntu: apt-get install libopenblas-dev g++ make python3), ' +
  'then build the addon: npm run build:native (at the repository root)';

/** What `scripts/source-fingerprint.cjs` exports (the build script writes with the same code). */
interface SourceFingerprints {
  staleReason(packageDir: string, which: 'addon' | 'emulator', addonPath: string): string | undefined;
}
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const fingerprints = createRequire(import.meta.url)(
  '../scripts/source-fingerprint.cjs',
) as SourceFingerprints;

/**
 * Load the addon built at `path` from the sources of `which` (the package's addon, or the
 * tests' CUDA emulator build of it), or say why it cannot be used: missing, built from other
 * sources than the package now holds (an addon that predates a plan field ignores it and
 * computes wrong losses, so it is never loaded), or failing to load.
 */
export function openAddon(
  path: string,
  which: 'addon' | 'emulator' = 'addon',
): { readonly addon?: NativeAddon; readonly reason?: string } {
  if (!existsSync(path)) return { reason: `the native addon is not built (${path} is missing)` };
  const stale = fingerprints.staleReason(PACKAGE_DIR, which, path);
  if (stale !== undefined) return { reason: `the native addon must be rebuilt: ${stale}` };
  // libgomp reads its wait policy once, when the addon pulls it in. Its default spins
  // idle team threads, which on a small shared machine starved the decoding thread
  // (a cold 2 × 20-token greedy run took 4–13 s instead of 1.7–2.5 s; the loss was
  // unchanged). An explicit setting by the user is kept.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  try {
    return { addon: createRequire(import.meta.url)(path) as NativeAddon };
  } catch (cause) {
    return { reason: `the native addon ${path} does not load: ${(cause as Error).message}` };
  }
}

let cached: { addon?: NativeAddon; reason?: string } | undefined;

/** Load the package's addon once ({@link openAddon}); `reason` says why it is unavailable. */
export function loadAddon(): { readonly addon?: NativeAddon; readonly reason?: string } {
  cached ??= openAddon(ADDON_PATH);
  return cached;
}

/**
 * The addon, or a `PRETRAIN_BACKEND_UNAVAILABLE` error saying what to install and run.
 * @throws PretrainError when the addon is not built or cannot load.
 */
export function requireAddon(
  loaded: { readonly addon?: NativeAddon; readonly reason?: string } = loadAddon(),
): NativeAddon {
  const { addon, reason } = loaded;
  if (addon === undefined) {
    throw new PretrainError(
      'PRETRAIN_BACKEND_UNAVAILABLE',
      `backend native is unavailable: ${reason ?? ''}`,
      {
        hint: NATIVE_BUILD_HINT,
      },
    );
  }
  return addon;
}
