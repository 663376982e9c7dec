import { UsageError, type LossBackendOptions } from '@pretrain/core';

/** Options of the onnx backend, validated. */
export interface OnnxBackendOptions {
  /** `cpu` (default) or `cuda` (needs onnxruntime-node's CUDA EP installed). */
  readonly device: 'cpu' | 'cuda';
  /** onnxruntime intra-op threads; undefined lets onnxruntime use every core. */
  readonly threads: number | undefined;
}

const KNOWN = ['device', 'threads'] as const;

/**
 * Check the options given to `createLossBackend`: every key known, values well typed.
 * @throws UsageError naming the bad option and what is accepted.
 */
export function parseOnnxOptions(options: LossBackendOptions = {}): OnnxBackendOptions {
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !(KNOWN as readonly string[]).includes(key)) {
      throw new UsageError(`unknown option "${key}" for backend onnx`, {
        hint: `backend onnx accepts: ${KNOWN.join(', ')}`,
      });
    }
  }
  const { device = 'cpu', threads } = options;
  if (device !== 'cpu' && device !== 'cuda') {
    throw new UsageError(`device "${String(device)}" is not supported by backend onnx`, {
      hint: 'use --device cpu or --device cuda',
    });
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 1024)) {
    throw new UsageError(`threads must be a whole number from 1 to 1024, got "${String(threads)}"`);
  }
  return { device, threads };
}
