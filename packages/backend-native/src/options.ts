import { availableParallelism } from 'node:os';
import {
  backendOptionsSchema,
  parseBackendOptions,
  PretrainError,
  z,
  type RawBackendOptions,
} from '@pretrain/backend-sdk';
import type { CudaStatus } from './addon.js';

/** Options of the native backend, validated. */
export interface NativeBackendOptions {
  readonly device: 'cpu' | 'cuda';
  /** OpenMP and OpenBLAS threads (the CPU engine's; CUDA runs on the GPU). */
  readonly threads: number;
}

/** The options the native backend declares (`pretrain backends native` prints them). */
export const NATIVE_OPTIONS = backendOptionsSchema(
  z.object({
    device: z.enum(['cpu', 'cuda']).default('cpu').describe('cpu, or cuda (an addon built with nvcc)'),
    threads: z
      .int()
      .min(1)
      .max(1024)
      .optional()
      .describe('OpenMP and OpenBLAS threads of the CPU engine; unset: one per core'),
  }),
);

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
 * Check the options given to `createLossBackend` against {@link NATIVE_OPTIONS}.
 * Whether CUDA can run is the addon's to say ({@link assertCudaUsable}).
 * @throws UsageError naming the bad option, what it expects and the option list.
 */
export function parseNativeOptions(options: RawBackendOptions = {}): NativeBackendOptions {
  const { device, threads } = parseBackendOptions(NATIVE_OPTIONS, options, 'native') as z.output<
    typeof NATIVE_OPTIONS
  >;
  return { device, threads: threads ?? availableParallelism() };
}
