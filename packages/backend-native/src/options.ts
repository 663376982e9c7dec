import { availableParallelism } from 'node:os';
import { PretrainError, UsageError, type LossBackendOptions } from '@pretrain/core';

/** Options of the native backend, validated. */
export interface NativeBackendOptions {
  readonly device: 'cpu';
  /** OpenMP and OpenBLAS threads. */
  readonly threads: number;
}

const KNOWN = ['device', 'threads'] as const;

/** Why `--device cuda` is refused: this build has no CUDA path. */
export const NO_CUDA_HINT =
  'this build of backend native runs on the CPU only (it has no CUDA kernels); ' +
  'use --device cpu, or --backend onnx with --device cuda for a GPU';

/**
 * Check the options given to `createLossBackend`: keys known, `threads` a whole number.
 * @throws UsageError for unknown keys or bad values.
 * @throws PretrainError (`PRETRAIN_DEVICE_UNAVAILABLE`) for `device: 'cuda'`.
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
  if (device === 'cuda') {
    throw new PretrainError(
      'PRETRAIN_DEVICE_UNAVAILABLE',
      'device "cuda" requested, but backend native has no CUDA support',
      {
        hint: NO_CUDA_HINT,
      },
    );
  }
  if (device !== 'cpu') {
    throw new UsageError(`device "${String(device)}" is not supported by backend native`, {
      hint: 'use --device cpu',
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
