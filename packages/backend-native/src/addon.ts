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

let cached: { addon?: NativeAddon; reason?: string } | undefined;

/** Load the addon once; `reason` says why it is unavailable. */
export function loadAddon(): { readonly addon?: NativeAddon; readonly reason?: string } {
  if (cached !== undefined) return cached;
  if (!existsSync(ADDON_PATH)) {
    cached = { reason: `the native addon is not built (${ADDON_PATH} is missing)` };
  } else {
    // libgomp reads its wait policy once, when the addon pulls it in. Its default spins
    // idle team threads, which on a small shared machine starved the decoding thread
    // (a cold 2 × 20-token greedy run took 4–13 s instead of 1.7–2.5 s; the loss was
    // unchanged). An explicit setting by the user is kept.
    process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
    try {
      cached = { addon: createRequire(import.meta.url)(ADDON_PATH) as NativeAddon };
    } catch (cause) {
      cached = { reason: `the native addon ${ADDON_PATH} does not load: ${(cause as Error).message}` };
    }
  }
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
