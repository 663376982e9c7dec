import { UsageError, type LossBackendOptions } from '@pretrain/core';

/** The tfjs runtimes this backend can run on, in the order it prefers them. */
export const TFJS_RUNTIMES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;

/** One of {@link TFJS_RUNTIMES}. */
export type TfjsRuntimeName = (typeof TFJS_RUNTIMES)[number];

/** Options of the tfjs backend, validated. */
export interface TfjsBackendOptions {
  /** `cuda` needs tfjs-node-gpu; `cpu` skips it; undefined tries every runtime in order. */
  readonly device: 'cpu' | 'cuda' | undefined;
  /** Accepted for the common contract; see the README for what each runtime does with it. */
  readonly threads: number | undefined;
  /** A forced runtime (`--tfjs-backend`); undefined picks the best available one. */
  readonly tfjsBackend: TfjsRuntimeName | undefined;
  /** Where the optional tfjs-node packages are looked up first (the package's own location second). */
  readonly cwd: string;
}

const KNOWN = ['device', 'threads', 'tfjsBackend', 'cwd'] as const;

/**
 * Check the options given to `createLossBackend`: every key known, values well typed,
 * `device` and `tfjsBackend` compatible.
 * @throws UsageError naming the bad option and what is accepted.
 */
export function parseTfjsOptions(options: LossBackendOptions = {}, defaultCwd: string): TfjsBackendOptions {
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !(KNOWN as readonly string[]).includes(key)) {
      throw new UsageError(`unknown option "${key}" for backend tfjs`, {
        hint: `backend tfjs accepts: ${KNOWN.join(', ')}`,
      });
    }
  }
  const { device, threads, tfjsBackend, cwd = defaultCwd } = options;
  if (device !== undefined && device !== 'cpu' && device !== 'cuda') {
    throw new UsageError(`device "${String(device)}" is not supported by backend tfjs`, {
      hint: 'use --device cpu or --device cuda (cuda needs @tensorflow/tfjs-node-gpu)',
    });
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 1024)) {
    throw new UsageError(`threads must be a whole number from 1 to 1024, got "${String(threads)}"`);
  }
  if (tfjsBackend !== undefined && !(TFJS_RUNTIMES as readonly unknown[]).includes(tfjsBackend)) {
    throw new UsageError(`tfjsBackend "${String(tfjsBackend)}" is not a tfjs runtime`, {
      hint: `use one of: ${TFJS_RUNTIMES.join(', ')}`,
    });
  }
  if (typeof cwd !== 'string' || cwd === '') {
    throw new UsageError(`cwd must be a directory path, got "${String(cwd)}"`);
  }
  const forced = tfjsBackend as TfjsRuntimeName | undefined;
  if (forced !== undefined && device !== undefined && (forced === 'tfjs-node-gpu') !== (device === 'cuda')) {
    throw new UsageError(`tfjsBackend "${forced}" does not run on device "${device}"`, {
      hint: 'tfjs-node-gpu is the only CUDA runtime: pair it with --device cuda, the others with --device cpu',
    });
  }
  return { device, threads, tfjsBackend: forced, cwd };
}
