import { availableParallelism } from 'node:os';
import { PretrainError, UsageError, type LossBackendOptions } from '@pretrain/core';
import type { CudaStatus } from './addon.js';

/** Options of the native backend, validated. */
export interface NativeBackendOptions {
  readonly device: 'cpu' | 'cuda';
  /** OpenMP and OpenBLAS threads (the CPU engine's; CUDA runs on the GPU). */
  readonly threads: number;
}

const KNOWN = ['device', 'threads'] as const;

/** What to do when this build has no CUDA path. */
export const NO_CUDA_HINT =
  'install the CUDA toolkit (nvcc) and rebuild the addon with npm run build:native (at the repository root), ' +
  'or use --device cpu';

/** What to do when the CUDA path is built but no GPU can run it. */
export const NO_GPU_HINT =
  'check that an NVIDIA GPU of compute capability 8.0+ is visible (nvidia-smi, CUDA_VISIBLE_DEVICES) with a ' +
  'driver for CUDA 13 and that libcublas is installed; or use --device cpu';

/**
 * Refuse `device: 'cuda'` when the addon cannot run it here, saying why.
 * @throws PretrainError (`PRETRAIN_DEVICE_UNAVAILABLE`) with the install or driver hint.
 */
export function assertCudaUsable(status: CudaStatus): void {
  if (status.devices > 0) return;
  throw new PretrainError(
    'PRETRAIN_DEVICE_UNAVAILABLE',
    `device "cuda" requested, but backend native cannot use it: ${status.reason}`,
    { hint: status.built ? NO_GPU_HINT : NO_CUDA_HINT },
  );
}

/**
 * Check the options given to `createLossBackend`: keys known, `threads` a whole number.
 * Whether CUDA can run is the addon's to say ({@link assertCudaUsable}).
 * @throws UsageError for unknown keys or bad values.
 */
export function parseNativeOptions(options: LossBackendOptions = {}): NativeBackendOptions {
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !(KNOWN as readonly string[]).includes(key)) {
      throw new UsageError(`unknown option "${key}" for backend native`, {
        hint: `backend native accepts: ${KNOWN.join(', ')}`,
      });
    }
  }
  const { device = 'cpu', threads } = options;
  if (device !== 'cpu' && device !== 'cuda') {
    throw new UsageError(`device "${String(device)}" is not supported by backend native`, {
      hint: 'use --device cpu or --device cuda',
    });
  }
  if (
    threads !== undefined &&
    !(Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= 1024)
  ) {
    throw new UsageError(`threads must be a whole number from 1 to 1024, got "${String(threads)}"`);
  }
  return { device, threads: (threads as number | undefined) ?? availableParallelism() };
}
